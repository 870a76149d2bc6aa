package jobs

import (
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
)

// Option gives New a dependency of the lending desk's jobs. Without one,
// messages and remote-disable requests go to the log.
type Option func(*deps)

// WithSender sends reminders and escalations through s.
func WithSender(s notify.Sender) Option { return func(d *deps) { d.sender = s } }

// WithDisabler sends remote-disable requests to d.
func WithDisabler(dis notify.Disabler) Option { return func(d *deps) { d.disabler = dis } }

type deps struct {
	sender   notify.Sender
	disabler notify.Disabler
	texts    *i18n.Bundle
}

func newDeps(log *slog.Logger, opts []Option) (deps, error) {
	d := deps{}
	for _, o := range opts {
		o(&d)
	}
	if d.sender == nil {
		d.sender = notify.Log{Logger: log}
	}
	if d.disabler == nil {
		d.disabler = notify.DisableLog{Logger: log}
	}
	texts, err := i18n.New()
	if err != nil {
		return d, fmt.Errorf("jobs: %w", err)
	}
	d.texts = texts
	return d, nil
}

// addLendingWork registers the lending desk's workers and returns their
// periodic jobs: reminders, allocation of the waiting queue, remote disables.
func addLendingWork(workers *river.Workers, s *store.Store, log *slog.Logger, d deps) []*river.PeriodicJob {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	river.AddWorker(workers, &remindersWorker{run: Reminders{Store: s, Sender: d.sender, Texts: d.texts, Log: log}})
	river.AddWorker(workers, &allocateWorker{store: s, log: log})
	river.AddWorker(workers, &disableWorker{store: s, disabler: d.disabler, log: log})
	return []*river.PeriodicJob{remindersJob(), allocateJob(), disableJob()}
}

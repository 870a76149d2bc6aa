package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/notify"
	"traject/internal/store"
)

// RemoteDisableArgs is the job that hands lost and stolen devices to the
// device-management integration.
type RemoteDisableArgs struct{}

// Kind names the job in River's table.
func (RemoteDisableArgs) Kind() string { return "remote_disable" }

// DisableEvery is how often queued requests are sent: a stolen device should
// be locked within minutes of the report.
const DisableEvery = time.Minute

func disableJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(DisableEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			return RemoteDisableArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: DisableEvery}}
		}, nil)
}

type disableWorker struct {
	river.WorkerDefaults[RemoteDisableArgs]
	store    *store.Store
	disabler notify.Disabler
	log      *slog.Logger
}

// Work sends what is queued, as Traject itself.
func (w *disableWorker) Work(ctx context.Context, _ *river.Job[RemoteDisableArgs]) error {
	ctx = traject.NewContextWithActorLabel(ctx, traject.ActorSystem)
	n, err := DisableQueued(ctx, w.store, w.disabler)
	if n > 0 {
		w.log.InfoContext(ctx, "remote disables sent", "count", n)
	}
	return err
}

// DisableQueued sends each queued remote-disable request to d and marks it
// sent, audited. A request d refuses stays queued for the next run. The
// request is marked after d accepted it, so a crash in between asks d twice,
// which an idempotent Disabler absorbs; the reverse order could lose a
// stolen device's lock.
func DisableQueued(ctx context.Context, s *store.Store, d notify.Disabler) (int, error) {
	queued, err := s.QueuedRemoteDisables(ctx, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for i := range queued {
		r := &queued[i]
		if err := d.Disable(ctx, r.AssetTag, r.Serial); err != nil {
			errs = append(errs, fmt.Errorf("jobs: remote disable of %s: %w", r.AssetTag, err))
			continue
		}
		marked, err := s.MarkRemoteDisableSent(ctx, r)
		if err != nil {
			errs = append(errs, err)
		}
		if marked {
			n++
		}
	}
	return n, errors.Join(errs...)
}

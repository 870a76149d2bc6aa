package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/store"
)

// DeadlinesArgs is the daily job that lists the infraction files whose
// deadline passed (a warning, a defence, a payment or a reminder), so that
// an officer takes the next step; the files page shows the same list.
type DeadlinesArgs struct{}

// Kind names the job in River's table.
func (DeadlinesArgs) Kind() string { return "case_deadlines" }

func deadlinesJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return DeadlinesArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

type deadlinesWorker struct {
	river.WorkerDefaults[DeadlinesArgs]
	store *store.Store
	log   *slog.Logger
}

// Work logs one line per file whose deadline passed, with no personal data:
// the file's id, region, state and deadline.
func (w *deadlinesWorker) Work(ctx context.Context, _ *river.Job[DeadlinesArgs]) error {
	ctx = traject.NewContextWithActorLabel(ctx, traject.ActorSystem)
	files, err := w.store.DeadlinesPassed(ctx)
	if err != nil {
		return err
	}
	log := w.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, f := range files {
		log.InfoContext(ctx, "infraction file deadline passed", "file", f.ID, "region", f.RegionCode,
			"state", string(f.State), "deadline", f.Deadline.Format(traject.DateLayout))
	}
	log.InfoContext(ctx, "infraction deadlines checked", "passed", len(files))
	return nil
}

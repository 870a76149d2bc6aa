package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/config"
	"traject/internal/store"
)

// RetentionArgs is the daily job that removes the personal data of learners
// whose trajectory closed longer ago than the retention periods.
type RetentionArgs struct{}

// Kind names the job in River's table.
func (RetentionArgs) Kind() string { return "retention" }

func retentionJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	store     *store.Store
	retention config.Retention
}

// Work applies the three periods; the store writes one audit row per learner.
func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	ctx = traject.NewContextWithActorLabel(ctx, traject.ActorSystem)
	_, err := w.store.ApplyRetention(ctx, store.RetentionPolicy{
		NationalNumber: w.retention.NationalNumber,
		Contact:        w.retention.Contact,
		Identity:       w.retention.Identity,
	}, time.Now())
	return err
}

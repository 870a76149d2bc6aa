package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/store"
)

// AllocateArgs is the job that serves the waiting queue: a request gets a
// device as soon as one frees up (a return, a cancelled reservation, a wiped
// device back in stock, a transfer from another region).
type AllocateArgs struct{}

// Kind names the job in River's table.
func (AllocateArgs) Kind() string { return "allocate" }

// AllocateEvery is how often the queue is served. A minute keeps a waiting
// learner's wait short without a trigger in every desk action; a run with
// nothing free reads the queue and writes nothing.
const AllocateEvery = time.Minute

// allocateJob is periodic, so River's leader alone inserts it; unique by
// period, so that a slow run never piles up behind itself. Two processes
// that run it at once anyway are safe: AllocateWaiting re-reads each
// request's state inside the transaction that reserves its device.
func allocateJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(AllocateEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			return AllocateArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: AllocateEvery}}
		}, nil)
}

type allocateWorker struct {
	river.WorkerDefaults[AllocateArgs]
	store *store.Store
	log   *slog.Logger
}

// Work allocates what it can in every region, as Traject itself.
func (w *allocateWorker) Work(ctx context.Context, _ *river.Job[AllocateArgs]) error {
	ctx = traject.NewContextWithActorLabel(ctx, traject.ActorSystem)
	n, err := w.store.AllocateWaiting(ctx, "")
	if n > 0 {
		w.log.InfoContext(ctx, "waiting requests allocated", "count", n)
	}
	return err
}

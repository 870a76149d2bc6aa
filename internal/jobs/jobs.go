// Package jobs runs Traject's background work on River: a job queue in the
// same database, so that a job exists exactly when the change that made it
// does, and any number of processes can share the work. SQLite uses River's
// SQLite driver on the store's single write connection; PostgreSQL uses its
// database/sql driver in poll-only mode, so that no extra pool is needed.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"traject/internal/config"
	"traject/internal/store"
)

// Jobs is the queue of one process: it inserts jobs and works them.
type Jobs struct {
	client *river.Client[*sql.Tx]
}

func driver(s *store.Store) riverdriver.Driver[*sql.Tx] {
	if s.IsPostgres() {
		return riverdatabasesql.New(s.WriteDB())
	}
	return riversqlite.New(s.WriteDB())
}

// Migrate brings River's own tables up to date. River keeps its schema in its
// own migration line, so Traject's migrations never have to follow it.
func Migrate(ctx context.Context, s *store.Store, log *slog.Logger) error {
	m, err := rivermigrate.New(driver(s), &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// quiet keeps River's routine messages out of the log unless they are warnings.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// New builds the queue with Traject's workers and periodic jobs. Periodic
// jobs are unique across processes: River's leader election inserts each once.
func New(s *store.Store, cfg config.Config, log *slog.Logger, opts ...Option) (*Jobs, error) {
	d, err := newDeps(log, opts)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &retentionWorker{store: s, retention: cfg.Retention})
	river.AddWorker(workers, &deadlinesWorker{store: s, log: log})
	lending := addLendingWork(workers, s, log, d)
	rc := &river.Config{
		Logger:       quiet(log),
		Workers:      workers,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		PeriodicJobs: append([]*river.PeriodicJob{retentionJob()}, lending...),
		JobTimeout:   10 * time.Minute,
		// Poll-only: no LISTEN connection; a second is quick enough for daily work.
		PollOnly:          true,
		FetchPollInterval: time.Second,
	}
	rc.PeriodicJobs = append(rc.PeriodicJobs, deadlinesJob())
	client, err := river.NewClient(driver(s), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Jobs{client: client}, nil
}

// Start begins working jobs until ctx ends or Stop is called.
func (j *Jobs) Start(ctx context.Context) error {
	if err := j.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for the jobs in progress to finish, or for ctx to end.
func (j *Jobs) Stop(ctx context.Context) error {
	if err := j.client.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Client exposes the River client, for tests that wait on job events.
func (j *Jobs) Client() *river.Client[*sql.Tx] { return j.client }

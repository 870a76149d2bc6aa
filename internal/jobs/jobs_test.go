package jobs_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/config"
	"traject/internal/jobs"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// insertLearner adds a learner row with literal values, so that the same SQL
// runs on both dialects without placeholders.
func insertLearner(t *testing.T, s *store.Store, ref, closedOn string) {
	t.Helper()
	closed := "NULL"
	if closedOn != "" {
		closed = "'" + closedOn + "'"
	}
	_, err := s.WriteDB().ExecContext(context.Background(), `INSERT INTO learners
		(ref, first_name, last_name, first_norm, last_norm, birth_date, nn_cipher, nn_hash, nn_mask, phone, email,
		 language, region_code, obligation, closed_on, created_at, updated_at)
		VALUES ('`+ref+`', 'Amina', 'El Idrissi', 'amina', 'el idrissi', '1990-04-02', 'c2VhbGVk', 'hash-`+ref+`', '••.84',
		 '+32470000000', 'amina@example.org', 'ar', 'ANT', 'obliged', `+closed+`,
		 '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z')`)
	if err != nil {
		t.Fatal(err)
	}
}

type learnerRow struct {
	first, phone, mask  string
	hasHash, anonymised bool
}

func readLearner(t *testing.T, s *store.Store, ref string) learnerRow {
	t.Helper()
	var r learnerRow
	err := s.WriteDB().QueryRowContext(context.Background(), `SELECT first_name, phone, nn_mask, nn_hash IS NOT NULL, anonymised_at IS NOT NULL
		FROM learners WHERE ref = '`+ref+`'`).Scan(&r.first, &r.phone, &r.mask, &r.hasHash, &r.anonymised)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRetentionJobRunsOnStart starts the real queue on each database: the
// daily retention job runs at once and removes what is past its period.
func TestRetentionJobRunsOnStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, s, nil); err != nil {
			t.Fatal(err)
		}
		today := time.Now().UTC().Format(traject.DateLayout)
		insertLearner(t, s, "OLD", "2015-01-01")                                                  // past every period
		insertLearner(t, s, "MID", time.Now().UTC().AddDate(-2, 0, 0).Format(traject.DateLayout)) // past the national number and contact periods
		insertLearner(t, s, "NEW", today)                                                         // closed today: kept
		insertLearner(t, s, "OPEN", "")                                                           // not closed: kept
		cfg := config.Default()
		j, err := jobs.New(s, cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		done, cancel := j.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		if err := j.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer j.Stop(ctx)
		// Other daily jobs also run on start; wait for retention's own event.
		timeout := time.After(30 * time.Second)
		for waiting := true; waiting; {
			select {
			case ev := <-done:
				if ev.Job.Kind != "retention" {
					continue
				}
				if ev.Kind != river.EventKindJobCompleted {
					t.Fatalf("event %s for retention: %v", ev.Kind, ev.Job.Errors)
				}
				waiting = false
			case <-timeout:
				t.Fatal("the retention job did not run within 30 s")
			}
		}
		if r := readLearner(t, s, "OLD"); r.first != "" || r.phone != "" || r.hasHash || r.mask != "" || !r.anonymised {
			t.Errorf("OLD = %+v", r)
		}
		if r := readLearner(t, s, "MID"); r.first != "Amina" || r.phone != "" || r.hasHash || r.anonymised {
			t.Errorf("MID = %+v", r)
		}
		for _, ref := range []string{"NEW", "OPEN"} {
			if r := readLearner(t, s, ref); r.first != "Amina" || r.phone == "" || !r.hasHash {
				t.Errorf("%s lost data: %+v", ref, r)
			}
		}
		admin := traject.NewContextWithUser(ctx, &traject.User{Role: traject.RoleAdmin, Active: true})
		entries, err := s.AuditLog(admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "OLD"})
		if err != nil || len(entries) != 3 || entries[0].Action != "learner.retention.identity" || entries[0].ActorLabel != traject.ActorSystem {
			t.Errorf("audit of OLD = %+v, %v", entries, err)
		}
		for _, e := range entries {
			if e.Before != "" || e.After != "" {
				t.Errorf("a retention audit row carries data: %+v", e)
			}
		}
	})
}

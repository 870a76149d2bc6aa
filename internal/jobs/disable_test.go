package jobs_test

import (
	"context"
	"errors"
	"testing"

	"traject"
	"traject/internal/jobs"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

type refusing struct{ asked int }

func (r *refusing) Disable(context.Context, string, string) error {
	r.asked++
	return errors.New("console unreachable")
}

// A request the integration refuses stays queued for the next run; one it
// accepts is marked sent, once.
func TestDisableQueuedKeepsRefusedRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLending(t, s)
		f.devices(t, "CB-01")
		f.learner(t, "L-LOST", "nl", "", "")
		l := f.lend(t, "L-LOST", "", "CB-01", "2020-09-01", "2020-12-31")
		if _, err := s.ReportLoss(f.admin, l.ID, traject.Loss{State: traject.LoanLost, On: day("2020-10-01"), Note: "lost"}); err != nil {
			t.Fatal(err)
		}
		ref := &refusing{}
		if n, err := jobs.DisableQueued(system, s, ref); err == nil || n != 0 || ref.asked != 1 {
			t.Fatalf("refused: %d, %v, asked %d", n, err, ref.asked)
		}
		if q, _ := s.QueuedRemoteDisables(f.admin, 10); len(q) != 1 {
			t.Fatalf("a refused request left the queue: %+v", q)
		}
		dis := &disabled{}
		for range 2 {
			if _, err := jobs.DisableQueued(system, s, dis); err != nil {
				t.Fatal(err)
			}
		}
		if got := dis.list(); len(got) != 1 || got[0] != "CB-01/SN-CB-01" {
			t.Errorf("disabled %v", got)
		}
	})
}

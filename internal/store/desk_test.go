package store_test

import (
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestConfirmWipe: a returned device leaves quarantine only by the desk's
// confirmation, which serves the waiting queue at once; a device in another
// state or another region is refused and stays as it was.
func TestConfirmWipe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		c := f.course(t, newCourse("CO-1"))
		f.learner(t, "L-001", "ANT")
		f.learner(t, "L-002", "ANT")
		l, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-001", CourseRef: c.Ref, Need: traject.WiFi, Channel: traject.ChannelDesk})
		if err != nil || l == nil {
			t.Fatalf("first request: %+v, %v", l, err)
		}
		// The only device is taken: the second learner waits in the queue.
		if w, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-002", CourseRef: c.Ref, Need: traject.WiFi, Channel: traject.ChannelPhone}); err != nil || w != nil {
			t.Fatalf("second request should wait: %+v, %v", w, err)
		}
		if _, _, err := s.ConfirmWipe(f.admin, "CB-0001"); !hasKey(err, "loan.wipe.state") {
			t.Fatalf("wipe of a device in stock: %v, want loan.wipe.state", err)
		}
		if err := s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptSignature, TypedName: "Amal L-001"}); err != nil {
			t.Fatal(err)
		}
		all := traject.Checklist{Device: true, Charger: true}
		if _, err := s.HandOut(f.admin, l.ID, c.StartsOn, all); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReturnLoan(f.admin, l.ID, traject.Return{On: c.StartsOn, Checklist: all, Condition: traject.ConditionGood}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ConfirmWipe(f.coordBRU, "CB-0001"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("wipe from another region: %v, want not found", err)
		}
		if d, _ := s.Device(f.admin, "CB-0001"); d.State != traject.StateQuarantine {
			t.Fatalf("device after the refused wipe: %s, want quarantine", d.State)
		}
		d, served, err := s.ConfirmWipe(f.admin, "CB-0001")
		if err != nil || d.State != traject.StateInStock {
			t.Fatalf("wipe: %+v, %v", d, err)
		}
		if served != 1 {
			t.Errorf("served %d requests, want 1: the waiting learner gets the wiped device", served)
		}
		if q, _ := s.Queue(f.admin, "ANT"); len(q) != 0 {
			t.Errorf("queue after the wipe: %+v", q)
		}
		tl, err := s.DeviceTimeline(f.admin, "CB-0001")
		if err != nil || !hasAction(tl, "device.wipe") {
			t.Errorf("device timeline lacks device.wipe: %+v, %v", tl, err)
		}
	})
}

func hasAction(entries []traject.AuditEntry, action string) bool {
	for _, e := range entries {
		if e.Action == action {
			return true
		}
	}
	return false
}

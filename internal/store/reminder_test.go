package store_test

import (
	"context"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// handedOut lends a device to a learner from from to due and hands it out.
func (f *loanFixture) handedOut(t *testing.T, learner, tag, from, due string) *traject.Loan {
	t.Helper()
	l, err := f.s.Reserve(f.admin, reservation(learner, tag, from, due))
	if err != nil {
		t.Fatalf("reserve %s: %v", tag, err)
	}
	if err := f.s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptCode}); err != nil {
		t.Fatal(err)
	}
	if l, err = f.s.HandOut(f.admin, l.ID, date(from), traject.Checklist{Device: true, Charger: true}); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestRemindersDueGroupsALearnersItems: three devices due soon or overdue
// make one reminder that names all three; a claimed day is claimed once;
// the next day names only what was not named yet, plus the overdue one.
func TestRemindersDueGroupsALearnersItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		for _, tag := range []string{"CB-01", "CB-02", "CB-03", "CB-04", "CB-05"} {
			f.v.device(t, tag, "ANT", traject.WiFi, traject.StateInStock)
		}
		f.learner(t, "L-001", "ANT")
		f.learner(t, "L-002", "ANT")
		day := date("2020-10-10")
		late := f.handedOut(t, "L-001", "CB-01", "2020-09-01", "2020-10-08")  // 2 days overdue
		soon := f.handedOut(t, "L-001", "CB-02", "2020-09-01", "2020-10-11")  // due tomorrow
		three := f.handedOut(t, "L-001", "CB-03", "2020-09-01", "2020-10-13") // due in exactly 3 days
		four := f.handedOut(t, "L-001", "CB-04", "2020-09-01", "2020-10-14")  // in 4 days: not yet
		f.handedOut(t, "L-002", "CB-05", "2020-09-01", "2020-10-20")          // not yet

		due, err := s.RemindersDue(f.admin, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 1 || due[0].LearnerRef != "L-001" || len(due[0].Items) != 3 || due[0].Office != "Antwerpen" {
			t.Fatalf("due = %+v", due)
		}
		items := due[0].Items
		if items[0].LoanID != late.ID || !items[0].Overdue || items[1].LoanID != soon.ID || items[1].Overdue ||
			items[2].LoanID != three.ID || items[2].AssetTag != "CB-03" || items[2].Model != "Chromebook 11" {
			t.Errorf("items = %+v", items)
		}
		id, ok, err := s.ClaimReminder(f.admin, &due[0], day, "sms", "ar")
		if err != nil || !ok || id == 0 {
			t.Fatalf("claim: %d %v %v", id, ok, err)
		}
		if _, ok, err := s.ClaimReminder(f.admin, &due[0], day, "sms", "ar"); err != nil || ok {
			t.Errorf("a second claim the same day: %v %v", ok, err)
		}
		if again, err := s.RemindersDue(f.admin, day); err != nil || len(again) != 0 {
			t.Errorf("after the claim: %+v, %v", again, err)
		}
		// The next day: the overdue device again, and the one now due in 3
		// days, not the two already named.
		next, err := s.RemindersDue(f.admin, day.AddDate(0, 0, 1))
		if err != nil || len(next) != 1 || len(next[0].Items) != 2 || next[0].Items[0].LoanID != late.ID || next[0].Items[1].LoanID != four.ID {
			t.Errorf("next day: %+v, %v", next, err)
		}
		// A message that could not be sent is released and comes back.
		if err := s.ReleaseReminder(f.admin, &due[0], id, "gateway down"); err != nil {
			t.Fatal(err)
		}
		if back, err := s.RemindersDue(f.admin, day); err != nil || len(back) != 1 || len(back[0].Items) != 3 {
			t.Errorf("after the release: %+v, %v", back, err)
		}
		audit, err := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-001"})
		if err != nil || len(audit) < 2 || audit[0].Action != "reminder.failed" || audit[1].Action != "reminder.send" {
			t.Errorf("audit = %+v, %v", audit, err)
		}
	})
}

func TestRecordUnreachableOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-01", "ANT", traject.WiFi, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		f.handedOut(t, "L-001", "CB-01", "2020-09-01", "2020-10-08")
		day := date("2020-10-10")
		due, err := s.RemindersDue(f.admin, day)
		if err != nil || len(due) != 1 || due[0].Phone != "" || due[0].Email != "" {
			t.Fatalf("due = %+v, %v", due, err)
		}
		for range 2 {
			if err := s.RecordUnreachable(f.admin, &due[0], day); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordUnreachable(f.admin, &due[0], day.AddDate(0, 0, 1)); err != nil {
			t.Fatal(err)
		}
		if n := countAudit(t, s, f.admin, "L-001", "reminder.unreachable"); n != 2 {
			t.Errorf("%d unreachable records over two days, want 2", n)
		}
	})
}

func TestEscalationsDueOnceToTeacherAndDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		mustCreateUser(t, s, &traject.User{Email: "desk-ant@example.org", Name: "Desk ANT", Role: traject.RoleDesk, RegionCode: "ANT", Language: "fr"})
		mustCreateUser(t, s, &traject.User{Email: "desk-bru@example.org", Name: "Desk BRU", Role: traject.RoleDesk, RegionCode: "BRU"})
		c := newCourse("MO-ANT-1")
		c.TeacherEmail = f.teacher.Email
		f.course(t, c)
		f.v.device(t, "CB-01", "ANT", traject.WiFi, traject.StateInStock)
		f.v.device(t, "CB-02", "ANT", traject.WiFi, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		r := reservation("L-001", "CB-01", "2020-10-19", "2020-11-12")
		r.CourseRef = "MO-ANT-1"
		l, err := s.Reserve(f.admin, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptCode}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.HandOut(f.admin, l.ID, date("2020-10-19"), traject.Checklist{Device: true, Charger: true}); err != nil {
			t.Fatal(err)
		}
		f.handedOut(t, "L-001", "CB-02", "2020-10-19", "2020-11-14") // 5 days late on the 19th: not yet

		if esc, err := s.EscalationsDue(f.admin, date("2020-11-18")); err != nil || len(esc) != 0 {
			t.Errorf("6 days late: %+v, %v", esc, err)
		}
		day := date("2020-11-19") // 7 days past 12 November
		esc, err := s.EscalationsDue(f.admin, day)
		if err != nil || len(esc) != 1 {
			t.Fatalf("escalations = %+v, %v", esc, err)
		}
		e := esc[0]
		want := []string{"teacher-ant@example.org", "coord-ant@example.org", "desk-ant@example.org"}
		if got := e.Emails(); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("recipients = %v, want %v", got, want)
		}
		if e.LoanID != l.ID || e.DaysOverdue != 7 || e.CourseRef != "MO-ANT-1" || e.Recipients[2].Language != "fr" {
			t.Errorf("escalation = %+v", e)
		}
		if _, ok, err := s.ClaimEscalation(f.admin, &e, day); err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if _, ok, err := s.ClaimEscalation(f.admin, &e, day.AddDate(0, 0, 1)); err != nil || ok {
			t.Errorf("a loan escalated twice: %v %v", ok, err)
		}
		later, err := s.EscalationsDue(f.admin, day.AddDate(0, 0, 5))
		if err != nil || len(later) != 1 || later[0].LoanID == l.ID {
			t.Errorf("five days on: %+v, %v", later, err)
		}
	})
}

func TestRemoteDisableMarkedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-01", "ANT", traject.WiFi, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		l := f.handedOut(t, "L-001", "CB-01", "2020-09-01", "2020-10-31")
		if _, err := s.ReportLoss(f.admin, l.ID, traject.Loss{State: traject.LoanLost, On: date("2020-10-01"), Note: "lost on the bus"}); err != nil {
			t.Fatal(err)
		}
		queued, err := s.QueuedRemoteDisables(f.admin, 10)
		if err != nil || len(queued) != 1 || queued[0].AssetTag != "CB-01" || queued[0].Serial != "SN-CB-01" || queued[0].LoanID != l.ID {
			t.Fatalf("queued = %+v, %v", queued, err)
		}
		if ok, err := s.MarkRemoteDisableSent(f.admin, &queued[0]); err != nil || !ok {
			t.Fatalf("mark: %v %v", ok, err)
		}
		if ok, err := s.MarkRemoteDisableSent(f.admin, &queued[0]); err != nil || ok {
			t.Errorf("marked twice: %v %v", ok, err)
		}
		if left, err := s.QueuedRemoteDisables(f.admin, 10); err != nil || len(left) != 0 {
			t.Errorf("still queued: %+v, %v", left, err)
		}
		audit, err := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "device", ObjectID: "CB-01"})
		if err != nil || len(audit) == 0 || audit[0].Action != "device.remote_disable" {
			t.Errorf("audit = %+v, %v", audit, err)
		}
	})
}

func countAudit(t *testing.T, s *store.Store, ctx context.Context, ref, action string) int {
	t.Helper()
	rows, err := s.AuditLog(ctx, traject.AuditFilter{ObjectType: "learner", ObjectID: ref, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.Action == action {
			n++
		}
	}
	return n
}

package store_test

import (
	"context"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestAbsenceWhileDeviceRequestWaits: a learner whose device request waits is
// absent; the absence becomes an excused one (no_device_yet, set by Traject)
// and does not count toward the norm. Once the device is handed out, an
// absence counts again. Another learner's absence on the same day counts.
func TestAbsenceWhileDeviceRequestWaits(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			now := date("2020-10-01").Add(10 * time.Hour)
			s, err := store.Open(context.Background(), db.URL, store.Options{Now: func() time.Time { return now }, Sealer: storetest.TestSealer(t)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			f := newLoanFixture(t, s)
			c := f.course(t, newCourse("MO-1")) // mon+thu from Monday 19 October 2020
			for _, ref := range []string{"L-WAIT", "L-OWN"} {
				f.learner(t, ref, "ANT")
				if _, err := s.Enrol(f.admin, c.Ref, ref); err != nil {
					t.Fatal(err)
				}
			}
			loan, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-WAIT", CourseRef: "MO-1", Need: traject.WiFi, Channel: traject.ChannelCounsellor})
			if err != nil || loan != nil {
				t.Fatalf("the request should wait (no device): %+v, %v", loan, err)
			}
			sessions, err := s.CourseSessions(f.admin, "MO-1")
			if err != nil || len(sessions) < 4 {
				t.Fatalf("%d sessions, %v", len(sessions), err)
			}
			now = date("2020-10-23").Add(10 * time.Hour)
			absent := []traject.AttendanceMark{{LearnerRef: "L-WAIT", Status: traject.AttendanceAbsent}, {LearnerRef: "L-OWN", Status: traject.AttendanceAbsent}}
			for _, se := range sessions[:2] { // 19 and 22 October
				if _, err := s.RecordAttendance(f.admin, se.ID, absent); err != nil {
					t.Fatal(err)
				}
			}
			sheet, err := s.AttendanceSheet(f.admin, sessions[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range sheet.Rows {
				m := row.Mark
				switch row.LearnerRef {
				case "L-WAIT":
					if m.Status != traject.AttendanceExcused || m.Reason != traject.ExcuseNoDeviceYet || m.Source != traject.SourceAuto {
						t.Errorf("the waiting learner's absence: %+v", m)
					}
				case "L-OWN":
					if m.Status != traject.AttendanceAbsent {
						t.Errorf("the other learner's absence: %+v", m)
					}
				}
			}
			// A device comes, is accepted and handed out on Monday 26 October.
			f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
			if n, err := s.AllocateWaiting(f.admin, "ANT"); err != nil || n != 1 {
				t.Fatalf("allocate: %d, %v", n, err)
			}
			loans, err := s.Loans(f.admin, store.LoanFilter{Learner: "L-WAIT"})
			if err != nil || len(loans) != 1 {
				t.Fatalf("%d loans, %v", len(loans), err)
			}
			if err := s.Accept(f.admin, loans[0].ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptSignature, TypedName: "L-WAIT"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.HandOut(f.admin, loans[0].ID, date("2020-10-26"), traject.Checklist{Device: true, Charger: true}); err != nil {
				t.Fatal(err)
			}
			now = date("2020-10-30").Add(10 * time.Hour)
			if _, err := s.RecordAttendance(f.admin, sessions[3].ID, absent[:1]); err != nil { // 29 October
				t.Fatal(err)
			}
			p, err := s.CourseParticipation(f.admin, "MO-1")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range p.Learners {
				want := map[string][3]int{"L-WAIT": {1, 2, 1}, "L-OWN": {2, 0, 2}}[l.LearnerRef] // counted, agency-caused, absent
				if got := [3]int{l.Counted, l.AgencyCaused, l.Absent}; got != want {
					t.Errorf("%s: counted, agency-caused, absent = %v, want %v", l.LearnerRef, got, want)
				}
			}
		})
	}
}

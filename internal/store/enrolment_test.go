package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

func states(list []traject.Enrolment) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.LearnerRef+" "+string(e.State))
	}
	return out
}

// TestEnrolmentWaitingListAndPromotion fills a course of two, keeps a waiting
// list in order of arrival, and promotes its first learner when a place frees.
func TestEnrolmentWaitingListAndPromotion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		c := newCourse("MO-ANT-01")
		c.TeacherEmail = f.teacher.Email
		f.course(t, c)
		for _, ref := range []string{"L-1", "L-2", "L-3", "L-4"} {
			f.learner(t, ref, "ANT")
		}
		f.learner(t, "L-BRU", "BRU")
		for i, ref := range []string{"L-1", "L-2", "L-3", "L-4"} {
			e, err := s.Enrol(f.coordANT, "MO-ANT-01", ref)
			want := traject.EnrolmentEnrolled
			if i >= 2 {
				want = traject.EnrolmentWaiting
			}
			if err != nil || e.State != want || e.LearnerName != "Amal "+ref {
				t.Fatalf("enrol %s: %+v, %v; want %s", ref, e, err, want)
			}
		}
		refused := []struct {
			name    string
			ctx     context.Context
			learner string
			code    string
		}{
			{"enrolled twice", f.coordANT, "L-1", traject.ECONFLICT},
			{"waiting twice", f.coordANT, "L-4", traject.ECONFLICT},
			{"unknown learner", f.coordANT, "L-9", traject.EINVALID},
			{"learner of another region", f.coordANT, "L-BRU", traject.EINVALID},
			{"course of another region", f.coordBRU, "L-BRU", traject.ENOTFOUND},
			{"teacher may not enrol", f.teacherCtx, "L-BRU", traject.EFORBIDDEN},
		}
		for _, tt := range refused {
			if _, err := s.Enrol(tt.ctx, "MO-ANT-01", tt.learner); traject.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		list, _ := s.Enrolments(f.teacherCtx, "MO-ANT-01")
		if got := states(list); !slices.Equal(got, []string{"L-1 enrolled", "L-2 enrolled", "L-3 waiting", "L-4 waiting"}) {
			t.Errorf("after enrolling: %v", got)
		}

		promoted, err := s.Withdraw(f.coordANT, "MO-ANT-01", "L-1", "moved to Gent")
		if err != nil || len(promoted) != 1 || promoted[0].LearnerRef != "L-3" {
			t.Fatalf("withdraw L-1: promoted %v, %v", states(promoted), err)
		}
		if promoted, err = s.Withdraw(f.coordANT, "MO-ANT-01", "L-4", ""); err != nil || len(promoted) != 0 {
			t.Errorf("withdraw a waiting learner: promoted %v, %v", states(promoted), err)
		}
		if _, err := s.Withdraw(f.coordANT, "MO-ANT-01", "L-4", ""); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("withdraw twice: %v", err)
		}
		if _, err := s.Withdraw(f.teacherCtx, "MO-ANT-01", "L-2", ""); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("teacher withdraws: %v", err)
		}
		// L-1 comes back: the course is full again, so L-1 waits behind nobody.
		if e, err := s.Enrol(f.coordANT, "MO-ANT-01", "L-1"); err != nil || e.State != traject.EnrolmentWaiting {
			t.Errorf("re-enrol L-1: %+v, %v", e, err)
		}
		list, _ = s.Enrolments(f.admin, "MO-ANT-01")
		if got := states(list); !slices.Equal(got, []string{"L-2 enrolled", "L-3 enrolled", "L-1 waiting"}) {
			t.Errorf("after withdrawals: %v", got)
		}
		audit, _ := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-3"})
		if len(audit) < 3 || audit[0].Action != "enrolment.promote" || audit[1].Action != "enrolment.create" {
			t.Errorf("L-3's history: %+v", audit)
		}
		audit, _ = s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-1"})
		if len(audit) < 2 || audit[1].Action != "enrolment.withdraw" || audit[1].Reason != "moved to Gent" {
			t.Errorf("L-1's history: %+v", audit)
		}
	})
}

// TestEnrolmentLastPlaceRace enrols eight learners at once into a course of
// three: exactly three get a place, on both databases.
func TestEnrolmentLastPlaceRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		c := newCourse("MO-ANT-01")
		c.Capacity = 3
		f.course(t, c)
		var refs []string
		for i := range 8 {
			refs = append(refs, fmt.Sprintf("L-%d", i))
			f.learner(t, refs[i], "ANT")
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(refs))
		for _, ref := range refs {
			wg.Go(func() {
				_, err := s.Enrol(f.coordANT, "MO-ANT-01", ref)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("enrol: %v", err)
			}
		}
		list, _ := s.Enrolments(f.admin, "MO-ANT-01")
		enrolled := 0
		for _, e := range list {
			if e.State == traject.EnrolmentEnrolled {
				enrolled++
			}
		}
		if enrolled != 3 || len(list) != 8 {
			t.Errorf("%d enrolled of %d, want 3 of 8", enrolled, len(list))
		}
	})
}

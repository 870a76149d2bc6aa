package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// attFixture is a store with a course in Antwerp taught by a teacher, with
// its sessions and enrolled learners, and the people who act on it.
type attFixture struct {
	s        *store.Store
	admin    context.Context
	coord    context.Context // coordinator of Antwerp
	coordBRU context.Context
	desk     context.Context
	analyst  context.Context
	teacher  context.Context // the course's teacher
	other    context.Context // another teacher in Antwerp
	course   *traject.Course
	sessions []traject.Session
	learners []string // references, in name order
}

// newAttFixture makes the course ATT-ANT-1: Monday and Thursday 9.00-12.00
// from 2 to 26 March 2020 (8 sessions), with n learners ATT-L01...
func newAttFixture(t *testing.T, s *store.Store, n int) *attFixture {
	t.Helper()
	f := &attFixture{s: s, admin: newInv(t, s).admin}
	f.coord = adminCtx(mustCreateUser(t, s, &traject.User{Email: "att-coord@example.org", Name: "Coord", Role: traject.RoleCoordinator, RegionCode: "ANT"}))
	f.coordBRU = adminCtx(mustCreateUser(t, s, &traject.User{Email: "att-coord-bru@example.org", Name: "Coord BRU", Role: traject.RoleCoordinator, RegionCode: "BRU"}))
	f.desk = adminCtx(mustCreateUser(t, s, &traject.User{Email: "att-desk@example.org", Name: "Desk", Role: traject.RoleDesk, RegionCode: "ANT"}))
	f.analyst = adminCtx(mustCreateUser(t, s, &traject.User{Email: "att-analyst@example.org", Name: "Analyst", Role: traject.RoleAnalyst}))
	f.teacher = adminCtx(mustCreateUser(t, s, &traject.User{Email: "att-teacher@example.org", Name: "Teacher", Role: traject.RoleTeacher, RegionCode: "ANT"}))
	f.other = adminCtx(mustCreateUser(t, s, &traject.User{Email: "att-other@example.org", Name: "Other", Role: traject.RoleTeacher, RegionCode: "ANT"}))
	f.course = f.newCourse(t, "ATT-ANT-1", "ANT", "att-teacher@example.org", date("2020-03-02"), date("2020-03-26"))
	for i := range n {
		ref := fmt.Sprintf("ATT-L%02d", i+1)
		f.enrol(t, f.course.Ref, ref, "ANT")
		f.learners = append(f.learners, ref)
	}
	return f
}

func (f *attFixture) newCourse(t *testing.T, ref, region, teacher string, from, to time.Time) *traject.Course {
	t.Helper()
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: ref, Kind: traject.CourseCivicOrientation, Language: "nl", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: region, TeacherEmail: teacher, StartsOn: from, EndsOn: to,
		Capacity: 30, Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
	if err := f.s.CreateCourse(f.admin, c); err != nil {
		t.Fatalf("create course %s: %v", ref, err)
	}
	sessions, err := f.s.CourseSessions(f.admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	if ref == "ATT-ANT-1" {
		f.sessions = sessions
	}
	return c
}

func (f *attFixture) enrol(t *testing.T, course, ref, region string) {
	t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: date("1990-01-01"), Language: "ar",
		RegionCode: region, Obligation: traject.Obliged}
	if err := f.s.CreateLearner(f.admin, l); err != nil {
		t.Fatalf("create learner %s: %v", ref, err)
	}
	if _, err := f.s.Enrol(f.admin, course, ref); err != nil {
		t.Fatalf("enrol %s in %s: %v", ref, course, err)
	}
}

// all returns a mark with status for every learner of the fixture.
func (f *attFixture) all(status traject.AttendanceStatus) []traject.AttendanceMark {
	var out []traject.AttendanceMark
	for _, ref := range f.learners {
		out = append(out, traject.AttendanceMark{LearnerRef: ref, Status: status})
	}
	return out
}

// record records one line of statuses for session i (from 0): one letter per
// learner, as in the domain's tests (P, O, L, A, I for ill, D for device
// failure, . for no mark).
func (f *attFixture) record(t *testing.T, ctx context.Context, i int, line string) int {
	t.Helper()
	var marks []traject.AttendanceMark
	for j, c := range line {
		m := traject.AttendanceMark{LearnerRef: f.learners[j]}
		switch c {
		case 'P':
			m.Status = traject.AttendancePresentOnsite
		case 'O':
			m.Status = traject.AttendancePresentOnline
		case 'L':
			m.Status = traject.AttendanceLate
		case 'A':
			m.Status = traject.AttendanceAbsent
		case 'I':
			m.Status, m.Reason = traject.AttendanceExcused, traject.ExcuseIllness
		case 'D':
			m.Status, m.Reason = traject.AttendanceExcused, traject.ExcuseDeviceFailure
		default:
			continue
		}
		marks = append(marks, m)
	}
	n, err := f.s.RecordAttendance(ctx, f.sessions[i].ID, marks)
	if err != nil {
		t.Fatalf("record session %d: %v", i, err)
	}
	return n
}

// statuses reads a session's sheet back as a line like record's.
func (f *attFixture) statuses(t *testing.T, i int) string {
	t.Helper()
	sheet, err := f.s.AttendanceSheet(f.admin, f.sessions[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	letters := map[traject.AttendanceStatus]string{traject.AttendancePresentOnsite: "P", traject.AttendancePresentOnline: "O",
		traject.AttendanceLate: "L", traject.AttendanceAbsent: "A", traject.AttendanceExcused: "E"}
	line := ""
	for _, r := range sheet.Rows {
		if r.Mark == nil {
			line += "."
		} else {
			line += letters[r.Mark.Status]
		}
	}
	return line
}

func (f *attFixture) auditCount(t *testing.T, action string) int {
	t.Helper()
	rows, err := f.s.AuditLog(f.admin, traject.AuditFilter{Limit: 500})
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

func TestRecordAttendanceForAWholeSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 20)
		if len(f.sessions) != 8 {
			t.Fatalf("%d sessions, want 8", len(f.sessions))
		}
		n, err := s.RecordAttendance(f.teacher, f.sessions[0].ID, f.all(traject.AttendancePresentOnsite))
		if err != nil || n != 20 {
			t.Fatalf("record 20: n = %d, err = %v", n, err)
		}
		if got := f.statuses(t, 0); got != "PPPPPPPPPPPPPPPPPPPP" {
			t.Errorf("sheet = %s", got)
		}
		if got := f.auditCount(t, "attendance.record"); got != 1 {
			t.Errorf("%d audit rows for one sheet, want 1", got)
		}
		// The same sheet again changes nothing and writes no audit row.
		if n, err := s.RecordAttendance(f.teacher, f.sessions[0].ID, f.all(traject.AttendancePresentOnsite)); err != nil || n != 0 {
			t.Errorf("same sheet again: n = %d, err = %v", n, err)
		}
		if n := f.record(t, f.teacher, 0, "PAI"); n != 2 {
			t.Errorf("two changed: n = %d", n)
		}
		if got := f.statuses(t, 0); got != "PAEPPPPPPPPPPPPPPPPP" {
			t.Errorf("sheet after corrections = %s", got)
		}
		rows, _ := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "attendance", Limit: 10})
		if len(rows) != 2 || rows[0].ObjectID != fmt.Sprint(f.sessions[0].ID) || rows[0].RegionCode != "ANT" {
			t.Fatalf("audit rows = %+v", rows)
		}
		var before, after struct {
			Course string
			Marks  map[string]*struct{ Status, Reason, Source string }
		}
		_ = json.Unmarshal([]byte(rows[0].Before), &before)
		_ = json.Unmarshal([]byte(rows[0].After), &after)
		if len(after.Marks) != 2 || after.Marks["ATT-L03"].Reason != "illness" || before.Marks["ATT-L02"].Status != "present_onsite" || after.Course != "ATT-ANT-1" {
			t.Errorf("audit before %s after %s", rows[0].Before, rows[0].After)
		}
		sheet, _ := s.AttendanceSheet(f.teacher, f.sessions[0].ID)
		if m := sheet.Rows[2].Mark; m.Source != traject.SourceManual || m.RecordedBy == 0 || m.RecordedAt.IsZero() {
			t.Errorf("mark = %+v", m)
		}
	})
}

func TestRecordAttendanceBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 20)
		audits := f.auditCount(t, "attendance.record")
		marks := f.all(traject.AttendancePresentOnline)
		marks[5] = traject.AttendanceMark{LearnerRef: f.learners[5], Status: traject.AttendanceExcused}
		marks[7].Status = "there"
		marks[9].Status = ""
		marks[11] = traject.AttendanceMark{LearnerRef: f.learners[11], Status: traject.AttendanceExcused, Reason: traject.ExcuseCourseSuspended}
		marks = append(marks, traject.AttendanceMark{LearnerRef: "NOBODY", Status: traject.AttendanceAbsent},
			traject.AttendanceMark{LearnerRef: f.learners[0], Status: traject.AttendanceAbsent})
		_, err := s.RecordAttendance(f.teacher, f.sessions[1].ID, marks)
		want := "marks[5].reason marks[7].status marks[9].status marks[11].reason marks[20].learner marks[21].learner"
		if got := fieldList(err); got != want {
			t.Errorf("fields = %q, want %q (%v)", got, want, err)
		}
		if got := f.statuses(t, 1); got != "...................." {
			t.Errorf("a refused sheet was written: %s", got)
		}
		if got := f.auditCount(t, "attendance.record"); got != audits {
			t.Errorf("a refused sheet was audited")
		}
	})
}

func fieldList(err error) string {
	e, ok := traject.AsError(err)
	if !ok {
		return fmt.Sprint(err)
	}
	out := ""
	for _, f := range e.Fields {
		if out != "" {
			out += " "
		}
		out += f.Field
	}
	return out
}

func TestRecordAttendanceForAFutureSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 0)
		next := time.Now().AddDate(1, 0, 0)
		c := f.newCourse(t, "ATT-NEXT", "ANT", "att-teacher@example.org", traject.SessionDay(next), traject.SessionDay(next).AddDate(0, 1, 0))
		f.enrol(t, c.Ref, "ATT-L01", "ANT")
		sessions, _ := s.CourseSessions(f.admin, c.Ref)
		_, err := s.RecordAttendance(f.teacher, sessions[0].ID, []traject.AttendanceMark{{LearnerRef: "ATT-L01", Status: traject.AttendanceAbsent}})
		if e, _ := traject.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Key != "attendance.status.future" {
			t.Errorf("absent next year: %v", err)
		}
		// An absence announced in advance can be recorded.
		if _, err := s.RecordAttendance(f.teacher, sessions[0].ID, []traject.AttendanceMark{{LearnerRef: "ATT-L01",
			Status: traject.AttendanceExcused, Reason: traject.ExcuseWork}}); err != nil {
			t.Errorf("excused next year: %v", err)
		}
	})
}

func TestAttendanceRights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 2)
		id := f.sessions[0].ID
		marks := f.all(traject.AttendancePresentOnsite)
		tests := []struct {
			name       string
			ctx        context.Context
			read, take string // the error code, "" for allowed
		}{
			{"the course's teacher", f.teacher, "", ""},
			{"a coordinator of the region", f.coord, "", ""},
			{"an admin", f.admin, "", ""},
			{"another teacher", f.other, traject.ENOTFOUND, traject.ENOTFOUND},
			{"a coordinator elsewhere", f.coordBRU, traject.ENOTFOUND, traject.ENOTFOUND},
			{"the loan desk", f.desk, "", traject.EFORBIDDEN},
			{"an analyst, who sees figures only", f.analyst, traject.EFORBIDDEN, traject.EFORBIDDEN},
		}
		for _, tt := range tests {
			if _, err := s.AttendanceSheet(tt.ctx, id); traject.ErrorCode(err) != tt.read {
				t.Errorf("%s reads: %v", tt.name, err)
			}
			if _, err := s.RecordAttendance(tt.ctx, id, marks); traject.ErrorCode(err) != tt.take {
				t.Errorf("%s records: %v", tt.name, err)
			}
			if _, err := s.CourseParticipation(tt.ctx, f.course.Ref); traject.ErrorCode(err) != tt.read {
				t.Errorf("%s reads participation: %v", tt.name, err)
			}
		}
		if _, err := s.AttendanceSheet(f.admin, 999999); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("unknown session: %v", err)
		}
		if _, err := s.RecordAttendance(f.admin, 999999, marks); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("record unknown session: %v", err)
		}
	})
}

func TestSuspendCourse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 3)
		// Sessions: 0 Mon 2/3, 1 Thu 5/3, 2 Mon 9/3, 3 Thu 12/3, 4 Mon 16/3, ...
		f.record(t, f.teacher, 0, "PPA")
		f.record(t, f.teacher, 1, "PAA")
		f.record(t, f.teacher, 2, "PAI")
		lockdown := &traject.CourseSuspension{From: date("2020-03-09"), Until: date("2020-03-15"), Reason: "Lockdown"}
		if err := s.SuspendCourse(f.teacher, f.course.Ref, lockdown); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("a teacher suspends: %v", err)
		}
		if err := s.SuspendCourse(f.coordBRU, f.course.Ref, lockdown); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("a coordinator elsewhere suspends: %v", err)
		}
		if err := s.SuspendCourse(f.coord, f.course.Ref, lockdown); err != nil {
			t.Fatal(err)
		}
		if lockdown.ID == 0 || lockdown.CourseRef != f.course.Ref {
			t.Errorf("suspension = %+v", lockdown)
		}
		// Sessions 2 and 3 are excused for everyone, set by Traject.
		for _, i := range []int{2, 3} {
			sheet, _ := s.AttendanceSheet(f.admin, f.sessions[i].ID)
			if sheet.Suspension == nil || sheet.Suspension.ID != lockdown.ID {
				t.Errorf("session %d: suspension %+v", i, sheet.Suspension)
			}
			for _, r := range sheet.Rows {
				if m := r.Mark; m == nil || m.Reason != traject.ExcuseCourseSuspended || m.Source != traject.SourceAuto {
					t.Errorf("session %d, %s: mark %+v", i, r.LearnerRef, m)
				}
			}
		}
		if got := f.auditCount(t, "attendance.suspend"); got != 2 {
			t.Errorf("%d audit rows for two suspended sessions", got)
		}
		_, err := s.RecordAttendance(f.teacher, f.sessions[3].ID, f.all(traject.AttendancePresentOnsite))
		if traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("record a suspended session: %v", err)
		}
		p, err := s.CourseParticipation(f.teacher, f.course.Ref)
		if err != nil {
			t.Fatal(err)
		}
		// ATT-L02: present, absent, then two suspended sessions that count
		// for no one (the absence on 9 March is gone) and four to come.
		l2 := p.Learners[1].Participation
		if l2.Suspended != 2 || l2.Counted != 2 || l2.Attended != 1 || l2.AbsentRun != 1 || l2.Remaining != 4 {
			t.Errorf("ATT-L02 = %+v", l2)
		}
		if !p.Sessions[2].Suspended || p.Sessions[1].Suspended || p.Sessions[2].Recorded != 3 {
			t.Errorf("sessions = %+v", p.Sessions[:4])
		}

		overlap := &traject.CourseSuspension{From: date("2020-03-15"), Until: date("2020-03-20"), Reason: "x"}
		if err := s.SuspendCourse(f.coord, f.course.Ref, overlap); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("overlapping suspension: %v", err)
		}
		outside := &traject.CourseSuspension{From: date("2020-04-01"), Until: date("2020-04-20"), Reason: "x"}
		if err := s.SuspendCourse(f.coord, f.course.Ref, outside); fieldList(err) != "from" {
			t.Errorf("suspension after the course: %v", err)
		}
		if err := s.SuspendCourse(f.coord, f.course.Ref, &traject.CourseSuspension{Reason: "x"}); fieldList(err) != "from until" {
			t.Errorf("suspension without dates: %v", err)
		}

		// Lifting it removes Traject's marks; the sessions can be recorded again.
		if err := s.LiftSuspension(f.coord, f.course.Ref, lockdown.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.statuses(t, 2) + f.statuses(t, 3); got != "......" {
			t.Errorf("marks after the lift: %s", got)
		}
		if n := f.record(t, f.teacher, 3, "PPP"); n != 3 {
			t.Errorf("record after the lift: %d", n)
		}
		if err := s.LiftSuspension(f.coord, f.course.Ref, lockdown.ID); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("lift twice: %v", err)
		}
	})
}

func TestCourseParticipationAndReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 5)
		// Learner by learner, sessions 1 to 5: L01 always on site; L02 online
		// once; L03 absent twice at the end; L04 ill three times and absent
		// twice; L05 never recorded.
		learners := []string{"PPPPP", "POPAP", "PPPAA", "IAAII", "....."}
		for i := range 5 {
			line := ""
			for _, l := range learners {
				line += l[i : i+1]
			}
			f.record(t, f.teacher, i, line)
		}
		p, err := s.CourseParticipation(f.teacher, f.course.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Learners) != 5 || len(p.Sessions) != 8 || p.Course.Ref != "ATT-ANT-1" {
			t.Fatalf("participation = %+v", p)
		}
		want := []struct {
			counted, attended, excused, percent int
			reach                               traject.ReachStatus
			followUp                            int
		}{
			{5, 5, 0, 100, traject.ReachedOnsite, 0},
			{5, 4, 0, 80, traject.ReachedOnline, 0},
			{5, 3, 0, 60, traject.ReachedOnsite, 2},
			{2, 0, 3, 0, traject.NotReached, 2},
			{0, 0, 0, 0, traject.NotReached, 0},
		}
		for i, w := range want {
			got := p.Learners[i]
			if got.Counted != w.counted || got.Attended != w.attended || got.Excused != w.excused || got.Percent != w.percent ||
				got.Reach != w.reach || len(got.FollowUp) != w.followUp {
				t.Errorf("%s = %+v, want %+v", got.LearnerRef, got.Participation, w)
			}
		}
		if p.Reach[traject.ReachedOnline] != 1 || p.Reach[traject.ReachedOnsite] != 2 || p.Reach[traject.NotReached] != 2 {
			t.Errorf("reach = %v", p.Reach)
		}
		if p.Sessions[0].Recorded != 4 || p.Sessions[5].Recorded != 0 {
			t.Errorf("recorded per session: %+v", p.Sessions)
		}
		if _, err := s.CourseParticipation(f.admin, "NO-SUCH"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("unknown course: %v", err)
		}
	})
}

func TestFollowUpList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 2)
		f.record(t, f.teacher, 0, "AP")
		f.record(t, f.teacher, 1, "AP")
		bru := f.newCourse(t, "ATT-BRU-1", "BRU", "", date("2020-03-02"), date("2020-03-26"))
		f.enrol(t, bru.Ref, "ATT-B01", "BRU")
		sessions, _ := s.CourseSessions(f.admin, bru.Ref)
		for _, se := range sessions[:2] {
			if _, err := s.RecordAttendance(f.admin, se.ID, []traject.AttendanceMark{{LearnerRef: "ATT-B01", Status: traject.AttendanceAbsent}}); err != nil {
				t.Fatal(err)
			}
		}
		refs := func(ctx context.Context, filter store.FollowUpFilter) string {
			list, err := s.FollowUpList(ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, e := range list {
				out += e.Course.Ref + "/" + e.LearnerRef + " "
			}
			return out
		}
		if got := refs(f.admin, store.FollowUpFilter{Ended: true}); got != "ATT-ANT-1/ATT-L01 ATT-BRU-1/ATT-B01 " {
			t.Errorf("admin sees %q", got)
		}
		if got := refs(f.coord, store.FollowUpFilter{Ended: true}); got != "ATT-ANT-1/ATT-L01 " {
			t.Errorf("coordinator of Antwerp sees %q", got)
		}
		if got := refs(f.coord, store.FollowUpFilter{Ended: true, Region: "BRU"}); got != "" {
			t.Errorf("coordinator of Antwerp asks for Brussels and sees %q", got)
		}
		if got := refs(f.admin, store.FollowUpFilter{Ended: true, Course: "ATT-BRU-1"}); got != "ATT-BRU-1/ATT-B01 " {
			t.Errorf("one course: %q", got)
		}
		// The 2020 courses ended long ago: the default list is of running courses.
		if got := refs(f.admin, store.FollowUpFilter{}); got != "" {
			t.Errorf("running courses: %q", got)
		}
		list, _ := s.FollowUpList(f.coord, store.FollowUpFilter{Ended: true})
		if len(list) != 1 || !slices.Contains(list[0].FollowUp, traject.FollowUpAbsentInARow) || list[0].Attended != 0 {
			t.Errorf("entry = %+v", list[0])
		}
	})
}

func TestFollowUpListOfARunningCourse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 0)
		today := traject.SessionDay(time.Now())
		c := f.newCourse(t, "ATT-NOW", "ANT", "att-teacher@example.org", today.AddDate(0, 0, -28), today.AddDate(0, 0, 28))
		f.enrol(t, c.Ref, "ATT-L01", "ANT")
		sessions, _ := s.CourseSessions(f.admin, c.Ref)
		for _, se := range sessions[:2] {
			if _, err := s.RecordAttendance(f.teacher, se.ID, []traject.AttendanceMark{{LearnerRef: "ATT-L01", Status: traject.AttendanceAbsent}}); err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.FollowUpList(f.coord, store.FollowUpFilter{})
		if err != nil || len(list) != 1 || list[0].Course.Ref != "ATT-NOW" {
			t.Errorf("running course: %+v, %v", list, err)
		}
	})
}

func TestParticipationNorms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAttFixture(t, s, 0)
		h, err := s.ParticipationNorms(f.admin)
		if err != nil || len(h) != 1 || h[0].Percent != 80 {
			t.Fatalf("default norm: %+v, %v", h, err)
		}
		later := traject.SessionDay(time.Now()).AddDate(0, 1, 0)
		if err := s.AddParticipationNorm(f.coord, &traject.ParticipationNorm{Percent: 70, ValidFrom: later}); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("a coordinator sets the national norm: %v", err)
		}
		if err := s.AddParticipationNorm(f.admin, &traject.ParticipationNorm{Percent: 70, ValidFrom: date("2020-01-01")}); fieldList(err) != "valid_from" {
			t.Errorf("a norm in the past: %v", err)
		}
		if err := s.AddParticipationNorm(f.admin, &traject.ParticipationNorm{Percent: 70, ValidFrom: later}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddParticipationNorm(f.admin, &traject.ParticipationNorm{Percent: 60, ValidFrom: later}); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("two norms on one day: %v", err)
		}
		h, _ = s.ParticipationNorms(f.admin)
		if len(h) != 2 || h.At(later) != 70 || h.At(later.AddDate(0, 0, -1)) != 80 {
			t.Errorf("norms = %+v", h)
		}
		if got := f.auditCount(t, "norm.create"); got != 1 {
			t.Errorf("%d audit rows", got)
		}
	})
}

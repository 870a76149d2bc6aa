package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// courseFixture is a store with an admin, a coordinator and a teacher in
// Antwerp, a coordinator in Brussels, and learners made on demand.
type courseFixture struct {
	s                         *store.Store
	admin, coordANT, coordBRU context.Context
	teacher                   *traject.User
	teacherCtx                context.Context
}

func newCourseFixture(t *testing.T, s *store.Store) *courseFixture {
	t.Helper()
	v := newInv(t, s)
	coordANT := mustCreateUser(t, s, &traject.User{Email: "coord-ant@example.org", Name: "Coord ANT", Role: traject.RoleCoordinator, RegionCode: "ANT"})
	coordBRU := mustCreateUser(t, s, &traject.User{Email: "coord-bru@example.org", Name: "Coord BRU", Role: traject.RoleCoordinator, RegionCode: "BRU"})
	teacher := mustCreateUser(t, s, &traject.User{Email: "teacher-ant@example.org", Name: "Fatima Teacher", Role: traject.RoleTeacher, RegionCode: "ANT"})
	return &courseFixture{s: s, admin: v.admin, coordANT: adminCtx(coordANT), coordBRU: adminCtx(coordBRU),
		teacher: teacher, teacherCtx: adminCtx(teacher)}
}

// newCourse returns a valid blended course in Antwerp, mon+thu 9:00-12:00,
// from Monday 19 October 2020 (before the end of summer time) for 4 weeks.
func newCourse(ref string) *traject.Course {
	w, _ := traject.ParseWeekdays("mon+thu")
	return &traject.Course{Ref: ref, Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: "ANT", StartsOn: date("2020-10-19"), EndsOn: date("2020-11-12"),
		Capacity: 2, Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
}

func (f *courseFixture) course(t *testing.T, c *traject.Course) *traject.Course {
	t.Helper()
	if err := f.s.CreateCourse(f.admin, c); err != nil {
		t.Fatalf("create course %s: %v", c.Ref, err)
	}
	return c
}

func (f *courseFixture) learner(t *testing.T, ref, region string) {
	t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: date("1990-01-01"), Language: "ar",
		RegionCode: region, Obligation: traject.Obliged}
	if err := f.s.CreateLearner(f.admin, l); err != nil {
		t.Fatalf("create learner %s: %v", ref, err)
	}
}

// count counts the rows of a table, as the admin sees them through the store.
func (f *courseFixture) counts(t *testing.T) [3]int {
	t.Helper()
	page, err := f.s.Courses(f.admin, store.CourseFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	sessions := 0
	for _, c := range page.Courses {
		list, err := f.s.CourseSessions(f.admin, c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		sessions += len(list)
	}
	audit, err := f.s.AuditLog(f.admin, traject.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{len(page.Courses), sessions, len(audit)}
}

func TestCourseCreateGeneratesSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		c := newCourse("MO-ANT-01")
		c.TeacherEmail, c.OfficeName = " Teacher-ANT@example.org ", "Antwerpen"
		f.course(t, c)
		got, err := s.Course(f.admin, "MO-ANT-01")
		if err != nil {
			t.Fatal(err)
		}
		if got.Weekdays.String() != "mon+thu" || got.StartTime != "09:00" || got.TeacherName != "Fatima Teacher" ||
			got.TeacherID != f.teacher.ID || got.OfficeName != "Antwerpen" || got.OfficeID == 0 || got.StartsOn != date("2020-10-19") || got.Capacity != 2 {
			t.Errorf("course = %+v", got)
		}
		sessions, err := s.CourseSessions(f.admin, "MO-ANT-01")
		if err != nil || len(sessions) != 8 {
			t.Fatalf("%d sessions, %v; want 8", len(sessions), err)
		}
		for i, se := range sessions {
			local := se.StartsAt.In(brussels(t))
			if local.Hour() != 9 || se.EndsAt.Sub(se.StartsAt) != 3*time.Hour || se.Mode != traject.SessionModeOf(traject.ModeBlended, i) {
				t.Errorf("session %d: %s local, %s long, %s", i, local, se.EndsAt.Sub(se.StartsAt), se.Mode)
			}
		}
		if sessions[0].StartsAt.UTC().Hour() != 7 || sessions[2].StartsAt.UTC().Hour() != 8 {
			t.Errorf("summer and winter lessons at %s and %s UTC", sessions[0].StartsAt.UTC(), sessions[2].StartsAt.UTC())
		}
		audit, _ := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "course", ObjectID: "MO-ANT-01"})
		if len(audit) != 1 || audit[0].Action != "course.create" || audit[0].RegionCode != "ANT" {
			t.Errorf("audit = %+v", audit)
		}
	})
}

func brussels(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestCourseCreateRefusedChangesNothing tries a taken reference, a teacher of
// another region, an office of another region and another region's course:
// each is refused with its reason, and no course, session or audit row is added.
func TestCourseCreateRefusedChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		mustCreateUser(t, s, &traject.User{Email: "teacher-bru@example.org", Name: "T", Role: traject.RoleTeacher, RegionCode: "BRU"})
		f.course(t, newCourse("MO-ANT-01"))
		before := f.counts(t)
		tests := []struct {
			name string
			ctx  context.Context
			edit func(c *traject.Course)
			code string
			key  string
		}{
			{"taken ref", f.admin, func(c *traject.Course) { c.Ref = "MO-ANT-01" }, traject.EINVALID, "course.ref.taken"},
			{"teacher elsewhere", f.admin, func(c *traject.Course) { c.TeacherEmail = "teacher-bru@example.org" }, traject.EINVALID, "course.teacher.invalid"},
			{"not a teacher", f.admin, func(c *traject.Course) { c.TeacherEmail = "coord-ant@example.org" }, traject.EINVALID, "course.teacher.invalid"},
			{"office elsewhere", f.admin, func(c *traject.Course) { c.OfficeID = 2 }, traject.EINVALID, "course.office.invalid"},
			{"office of another region by name", f.admin, func(c *traject.Course) { c.OfficeName = "Brussel" }, traject.EINVALID, "course.office.invalid"},
			{"another region", f.coordBRU, func(c *traject.Course) {}, traject.EFORBIDDEN, "course.region.forbidden"},
			{"teacher adds", f.teacherCtx, func(c *traject.Course) {}, traject.EFORBIDDEN, "course.create.forbidden"},
			{"bad dates", f.admin, func(c *traject.Course) { c.EndsOn = date("2020-01-01") }, traject.EINVALID, "course.endson.order"},
		}
		both := newCourse("MO-ANT-01")
		both.TeacherEmail = "teacher-bru@example.org"
		if e, _ := traject.AsError(s.CreateCourse(f.admin, both)); e == nil || len(e.Fields) != 2 {
			t.Errorf("a taken reference and a wrong teacher: %v, want both named", e)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := newCourse("MO-ANT-02")
				tt.edit(c)
				err := s.CreateCourse(tt.ctx, c)
				e, _ := traject.AsError(err)
				key := ""
				if e != nil && len(e.Fields) > 0 {
					key = e.Fields[0].Key
				} else if e != nil {
					key = e.Key
				}
				if traject.ErrorCode(err) != tt.code || key != tt.key {
					t.Errorf("err = %v (%s), want %s %s", err, key, tt.code, tt.key)
				}
				if after := f.counts(t); after != before {
					t.Errorf("courses, sessions, audit rows went from %v to %v", before, after)
				}
			})
		}
	})
}

func TestCourseListScopeAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		for i, start := range []string{"2020-09-07", "2020-09-07", "2020-05-11", "2020-10-05"} {
			c := newCourse(fmt.Sprintf("MO-ANT-%02d", i+1))
			c.StartsOn, c.EndsOn = date(start), date(start).AddDate(0, 1, 0)
			if i%2 == 0 {
				c.TeacherEmail = f.teacher.Email
			}
			f.course(t, c)
		}
		bru := newCourse("MO-BRU-01")
		bru.RegionCode, bru.Mode = "BRU", traject.ModeOnline
		f.course(t, bru)

		refsOf := func(ctx context.Context, filter store.CourseFilter) []string {
			t.Helper()
			var out []string
			for {
				page, err := s.Courses(ctx, filter)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page.Courses {
					out = append(out, c.Ref)
				}
				if page.Next == "" {
					return out
				}
				filter.After = page.Next
			}
		}
		all := []string{"MO-ANT-03", "MO-ANT-01", "MO-ANT-02", "MO-ANT-04", "MO-BRU-01"}
		for _, tt := range []struct {
			name   string
			ctx    context.Context
			filter store.CourseFilter
			want   []string
		}{
			{"admin, pages of two", f.admin, store.CourseFilter{Limit: 2}, all},
			{"coordinator ANT", f.coordANT, store.CourseFilter{Limit: 1}, []string{"MO-ANT-03", "MO-ANT-01", "MO-ANT-02", "MO-ANT-04"}},
			{"coordinator BRU asks for ANT", f.coordBRU, store.CourseFilter{Region: "ANT"}, nil},
			{"teacher sees own only", f.teacherCtx, store.CourseFilter{}, []string{"MO-ANT-03", "MO-ANT-01"}},
			{"online", f.admin, store.CourseFilter{Mode: traject.ModeOnline}, []string{"MO-BRU-01"}},
			{"ref prefix", f.admin, store.CourseFilter{Query: "MO-BRU"}, []string{"MO-BRU-01"}},
			{"still running on 1 Oct", f.admin, store.CourseFilter{From: date("2020-10-01")}, []string{"MO-ANT-01", "MO-ANT-02", "MO-ANT-04", "MO-BRU-01"}},
			{"nobody", context.Background(), store.CourseFilter{}, nil},
		} {
			if got := refsOf(tt.ctx, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
		if _, err := s.Course(f.teacherCtx, "MO-ANT-02"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("teacher reads a colleague's course: %v", err)
		}
		if _, err := s.CourseSessions(f.coordBRU, "MO-ANT-01"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("BRU reads ANT's sessions: %v", err)
		}
		if _, err := s.Courses(f.admin, store.CourseFilter{After: "garbage"}); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("broken keyset: %v", err)
		}
	})
}

func TestAddSessionByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		c := newCourse("MO-ANT-01")
		c.Weekdays, c.StartTime, c.EndTime = 0, "", ""
		f.course(t, c)
		nine, twelve := traject.Clock(9*60), traject.Clock(12*60)
		se := traject.NewSession(date("2020-10-20"), nine, twelve, traject.SessionOnsite)
		if err := s.AddSession(f.coordANT, "MO-ANT-01", &se); err != nil || se.ID == 0 {
			t.Fatalf("add: %v", err)
		}
		for name, tt := range map[string]struct {
			ctx  context.Context
			se   traject.Session
			code string
		}{
			"overlap":        {f.coordANT, traject.NewSession(date("2020-10-20"), traject.Clock(11*60), traject.Clock(13*60), traject.SessionOnline), traject.EINVALID},
			"outside period": {f.coordANT, traject.NewSession(date("2020-12-20"), nine, twelve, traject.SessionOnline), traject.EINVALID},
			"other region":   {f.coordBRU, traject.NewSession(date("2020-10-21"), nine, twelve, traject.SessionOnline), traject.ENOTFOUND},
		} {
			if err := s.AddSession(tt.ctx, "MO-ANT-01", &tt.se); traject.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", name, err, tt.code)
			}
		}
		afternoon := traject.NewSession(date("2020-10-20"), twelve, traject.Clock(15*60), traject.SessionOnline)
		if err := s.AddSession(f.coordANT, "MO-ANT-01", &afternoon); err != nil {
			t.Errorf("a lesson right after another: %v", err)
		}
		sessions, _ := s.CourseSessions(f.admin, "MO-ANT-01")
		if len(sessions) != 2 {
			t.Errorf("%d sessions, want 2", len(sessions))
		}
		audit, _ := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "course", ObjectID: "MO-ANT-01"})
		if len(audit) != 3 || audit[0].Action != "course.session.add" {
			t.Errorf("audit = %+v", audit)
		}
	})
}

func TestLearnerCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		mon := newCourse("MO-ANT-01") // mon+thu 9:00
		tue, _ := traject.ParseWeekdays("tue")
		pre := newCourse("DIG-ANT-01")
		pre.Kind, pre.Weekdays, pre.StartTime, pre.EndTime, pre.Mode = traject.CourseDigitalPretrack, tue, "13:30", "15:30", traject.ModeOnsite
		full := newCourse("MO-ANT-02")
		full.Capacity = 1
		for _, c := range []*traject.Course{mon, pre, full} {
			f.course(t, c)
		}
		f.learner(t, "L-1", "ANT")
		f.learner(t, "L-0", "ANT")
		for _, enrol := range [][2]string{{"MO-ANT-02", "L-0"}, {"MO-ANT-01", "L-1"}, {"DIG-ANT-01", "L-1"}, {"MO-ANT-02", "L-1"}} {
			if _, err := s.Enrol(f.admin, enrol[0], enrol[1]); err != nil {
				t.Fatal(err)
			}
		}
		cal, err := s.LearnerCalendar(f.teacherCtx, "L-1")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, se := range cal.Sessions[:4] {
			got = append(got, se.CourseRef+" "+se.StartsAt.In(brussels(t)).Format("Mon 15:04"))
		}
		if want := []string{"MO-ANT-01 Mon 09:00", "DIG-ANT-01 Tue 13:30", "MO-ANT-01 Thu 09:00", "MO-ANT-01 Mon 09:00"}; !slices.Equal(got, want) {
			t.Errorf("calendar starts %v, want %v", got, want)
		}
		if len(cal.Sessions) != 12 || len(cal.Waiting) != 1 || cal.Waiting[0].CourseRef != "MO-ANT-02" {
			t.Errorf("%d sessions, waiting %v", len(cal.Sessions), states(cal.Waiting))
		}
		if _, err := s.LearnerCalendar(f.coordBRU, "L-1"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("BRU reads an ANT learner's calendar: %v", err)
		}
	})
}

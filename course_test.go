package traject

import (
	"slices"
	"testing"
	"time"
)

func courseDate(s string) time.Time {
	t, ok := ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

func validCourse() *Course {
	w, _ := ParseWeekdays("mon+thu")
	return &Course{Ref: "MO-ANT-01", Kind: CourseCivicOrientation, Language: "AR", Mode: ModeBlended, Track: TrackStandard,
		RegionCode: "Antwerpen", StartsOn: courseDate("2020-09-07"), EndsOn: courseDate("2020-11-26"), Capacity: 12,
		Weekdays: w, StartTime: "9:00", EndTime: "12.00"}
}

func courseFields(err error) []string {
	e, ok := AsError(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+" "+f.Key)
	}
	return out
}

func TestCourseValidateNormalises(t *testing.T) {
	c := validCourse()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.RegionCode != "ANT" || c.Language != "ar" || c.StartTime != "09:00" || c.EndTime != "12:00" || c.Weekdays.String() != "mon+thu" {
		t.Errorf("normalised = %+v", c)
	}
}

func TestCourseValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Course)
		want []string
	}{
		{"bad ref", func(c *Course) { c.Ref = "M O" }, []string{"ref course.ref.invalid"}},
		{"reserved ref", func(c *Course) { c.Ref = "NEW" }, []string{"ref course.ref.reserved"}},
		{"kind", func(c *Course) { c.Kind = "dutch" }, []string{"kind course.kind.invalid"}},
		{"language", func(c *Course) { c.Language = "xx" }, []string{"language course.language.invalid"}},
		{"language name", func(c *Course) { c.Language = "Arabic" }, []string{"language course.language.invalid"}},
		{"mode", func(c *Course) { c.Mode = "hybrid" }, []string{"mode course.mode.invalid"}},
		{"track", func(c *Course) { c.Track = "fast" }, []string{"track course.track.invalid"}},
		{"region", func(c *Course) { c.RegionCode = "Gent" }, []string{"region course.region.invalid"}},
		{"no start", func(c *Course) { c.StartsOn = time.Time{} }, []string{"starts_on course.startson.invalid"}},
		{"end before start", func(c *Course) { c.EndsOn = courseDate("2020-09-01") }, []string{"ends_on course.endson.order"}},
		{"too long", func(c *Course) { c.EndsOn = courseDate("2023-01-01") }, []string{"ends_on course.endson.toolong"}},
		{"capacity 0", func(c *Course) { c.Capacity = 0 }, []string{"capacity course.capacity.invalid"}},
		{"capacity huge", func(c *Course) { c.Capacity = 501 }, []string{"capacity course.capacity.invalid"}},
		{"hours without days", func(c *Course) { c.Weekdays = 0 }, []string{"weekdays course.weekdays.required"}},
		{"days without hours", func(c *Course) { c.StartTime, c.EndTime = "", "" },
			[]string{"start_time course.starttime.invalid", "end_time course.endtime.invalid"}},
		{"bad time", func(c *Course) { c.StartTime = "25:00" }, []string{"start_time course.starttime.invalid"}},
		{"night time", func(c *Course) { c.StartTime = "02:30" }, []string{"start_time course.starttime.invalid"}},
		{"ends before it starts", func(c *Course) { c.EndTime = "08:00" }, []string{"end_time course.endtime.order"}},
		{"no lesson day in period", func(c *Course) { c.StartsOn, c.EndsOn = courseDate("2020-09-08"), courseDate("2020-09-09") },
			[]string{"weekdays course.weekdays.none"}},
		{"sessions by hand", func(c *Course) { c.Weekdays, c.StartTime, c.EndTime = 0, "", "" }, nil},
		{"several at once", func(c *Course) { c.Ref, c.Capacity = "", -1 }, []string{"ref course.ref.invalid", "capacity course.capacity.invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCourse()
			tt.edit(c)
			got := courseFields(c.Validate())
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseWeekdays(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"mon+thu", "mon+thu", true},
		{"THU+Mon", "mon+thu", true},
		{"mon, wed fri", "mon+wed+fri", true},
		{"sunday+saturday", "sat+sun", true},
		{"mon+mon", "mon", true},
		{"", "", true},
		{"ma+do", "", false},
		{"mon+", "mon", true},
	}
	for _, tt := range tests {
		w, ok := ParseWeekdays(tt.in)
		if ok != tt.ok || (ok && w.String() != tt.want) {
			t.Errorf("ParseWeekdays(%q) = %q, %v; want %q, %v", tt.in, w, ok, tt.want, tt.ok)
		}
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]string{"9:00": "09:00", "09:00": "09:00", "9.30": "09:30", "18:45:00": "18:45", "23:00": "23:00", "06:00": "06:00"} {
		if c, ok := ParseClock(in); !ok || c.String() != want {
			t.Errorf("ParseClock(%q) = %s, %v; want %s", in, c, ok, want)
		}
	}
	for _, in := range []string{"", "9", "9:0", "24:00", "23:01", "05:59", "02:30", "9:60", "nine", "9:00 AM", "-1:00"} {
		if _, ok := ParseClock(in); ok {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
}

// TestGenerateSessionsAcrossDST generates a course that runs through the end
// of summer time (25 October 2020) and its start (28 March 2021): every
// lesson starts at 9:00 and ends at 12:00 Brussels time, which is 7:00 UTC in
// summer and 8:00 UTC in winter.
func TestGenerateSessionsAcrossDST(t *testing.T) {
	c := validCourse()
	c.StartsOn, c.EndsOn = courseDate("2020-10-19"), courseDate("2021-04-01")
	c.StartTime, c.EndTime = "09:00", "12:00"
	sessions := GenerateSessions(c)
	if len(sessions) != 48 {
		t.Fatalf("%d sessions, want 48 (24 weeks of mon+thu)", len(sessions))
	}
	for _, s := range sessions {
		local := s.StartsAt.In(courseZone)
		if local.Hour() != 9 || local.Minute() != 0 || s.EndsAt.Sub(s.StartsAt) != 3*time.Hour {
			t.Errorf("%s: starts %s local, lasts %s", s.StartsAt, local, s.EndsAt.Sub(s.StartsAt))
		}
		if wd := local.Weekday(); wd != time.Monday && wd != time.Thursday {
			t.Errorf("%s is a %s", local, wd)
		}
	}
	first, afterChange, afterSpring := sessions[0], sessions[2], sessions[len(sessions)-1]
	if first.StartsAt.UTC().Hour() != 7 || afterChange.StartsAt.UTC().Hour() != 8 || afterSpring.StartsAt.UTC().Hour() != 7 {
		t.Errorf("UTC hours %d, %d, %d; want 7 (summer), 8 (winter), 7 (summer)",
			first.StartsAt.UTC().Hour(), afterChange.StartsAt.UTC().Hour(), afterSpring.StartsAt.UTC().Hour())
	}
	if SessionDay(afterChange.StartsAt) != courseDate("2020-10-26") {
		t.Errorf("third lesson on %s, want Monday 26 October", SessionDay(afterChange.StartsAt))
	}
}

func TestGenerateSessionsBoundsAndModes(t *testing.T) {
	c := validCourse()
	c.StartsOn, c.EndsOn = courseDate("2020-09-07"), courseDate("2020-09-17") // Monday to Thursday a week later
	var modes []SessionMode
	for _, s := range GenerateSessions(c) {
		modes = append(modes, s.Mode)
	}
	if want := []SessionMode{SessionOnsite, SessionOnline, SessionOnsite, SessionOnline}; !slices.Equal(modes, want) {
		t.Errorf("blended modes = %v, want %v (both end dates included)", modes, want)
	}
	for mode, want := range map[Mode]SessionMode{ModeOnline: SessionOnline, ModeOnsite: SessionOnsite} {
		c.Mode = mode
		for _, s := range GenerateSessions(c) {
			if s.Mode != want {
				t.Errorf("%s course has a %s lesson", mode, s.Mode)
			}
		}
	}
	c.Weekdays = 0
	if got := GenerateSessions(c); got != nil {
		t.Errorf("a course without weekdays generated %d sessions", len(got))
	}
}

func TestSessionValidate(t *testing.T) {
	c := validCourse()
	_ = c.Validate()
	nine, twelve := Clock(9*60), Clock(12*60)
	tests := []struct {
		name string
		s    Session
		mode Mode
		want []string
	}{
		{"good", NewSession(courseDate("2020-09-09"), nine, twelve, SessionOnline), ModeBlended, nil},
		{"last day", NewSession(courseDate("2020-11-26"), nine, twelve, SessionOnsite), ModeBlended, nil},
		{"before the course", NewSession(courseDate("2020-09-06"), nine, twelve, SessionOnline), ModeBlended, []string{"date course.session.date.period"}},
		{"after the course", NewSession(courseDate("2020-11-27"), nine, twelve, SessionOnline), ModeBlended, []string{"date course.session.date.period"}},
		{"ends first", NewSession(courseDate("2020-09-09"), twelve, nine, SessionOnline), ModeBlended, []string{"end_time course.endtime.order"}},
		{"no mode", NewSession(courseDate("2020-09-09"), nine, twelve, ""), ModeBlended, []string{"mode course.session.mode.invalid"}},
		{"on site in an online course", NewSession(courseDate("2020-09-09"), nine, twelve, SessionOnsite), ModeOnline, []string{"mode course.session.mode.online"}},
		{"no date", Session{Mode: SessionOnline}, ModeBlended, []string{"date course.session.date.invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.Mode = tt.mode
			if got := courseFields(tt.s.Validate(c)); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCourseVisibility(t *testing.T) {
	teacher := &User{ID: 7, Role: RoleTeacher, RegionCode: "ANT", Active: true}
	coord := &User{ID: 8, Role: RoleCoordinator, RegionCode: "ANT", Active: true}
	other := &User{ID: 9, Role: RoleCoordinator, RegionCode: "BRU", Active: true}
	admin := &User{ID: 1, Role: RoleAdmin, Active: true}
	own := &Course{RegionCode: "ANT", TeacherID: 7}
	notOwn := &Course{RegionCode: "ANT", TeacherID: 99}
	tests := []struct {
		name      string
		u         *User
		c         *Course
		see, edit bool
	}{
		{"teacher, own course", teacher, own, true, false},
		{"teacher, colleague's course", teacher, notOwn, false, false},
		{"coordinator, own region", coord, notOwn, true, true},
		{"coordinator, other region", other, own, false, false},
		{"admin", admin, own, true, true},
		{"nobody", nil, own, false, false},
	}
	for _, tt := range tests {
		if got := CanSeeCourse(tt.u, tt.c); got != tt.see {
			t.Errorf("%s: CanSeeCourse = %v", tt.name, got)
		}
		if got := CanEditCourse(tt.u, tt.c); got != tt.edit {
			t.Errorf("%s: CanEditCourse = %v", tt.name, got)
		}
	}
}

func TestLessonHours(t *testing.T) {
	c := validCourse()
	_ = c.Validate()
	if got := c.LessonStart().In(courseZone).Format("15:04"); got != "09:00" {
		t.Errorf("start %s", got)
	}
	if got := c.LessonEnd().In(courseZone).Format("15:04"); got != "12:00" {
		t.Errorf("end %s", got)
	}
	c.StartTime = ""
	if !c.LessonStart().IsZero() {
		t.Error("no hours, yet a start")
	}
}

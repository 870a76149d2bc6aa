package traject

import (
	"time"
	_ "time/tzdata" // lesson times must not depend on the host's zoneinfo
)

// courseZone is where lessons take place: their hours are Brussels wall-clock
// time, summer or winter.
var courseZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err) // time/tzdata is embedded: this cannot happen
	}
	return loc
}()

// SessionMode is how one lesson is given.
type SessionMode string

// The modes of a session.
const (
	SessionOnline SessionMode = "online"
	SessionOnsite SessionMode = "onsite"
)

// Session is one lesson of a course (lesmoment). StartsAt and EndsAt are
// instants; they are shown in Brussels time.
type Session struct {
	ID        int64       `json:"id"`
	CourseID  int64       `json:"course_id,omitempty"`
	CourseRef string      `json:"course,omitempty"`
	StartsAt  time.Time   `json:"starts_at"`
	EndsAt    time.Time   `json:"ends_at"`
	Mode      SessionMode `json:"mode"`
}

// GenerateSessions returns the lessons of a course: one on each of its
// weekdays from the start date to the end date, both included, from its
// start time to its end time in Brussels time, so that a 9:00 lesson stays at
// 9:00 across a change to or from summer time. A course without weekdays, or
// with hours that cannot be read, has none.
//
// The mode of each lesson follows the course: all online, all on site, or for
// a blended course alternately on site and online, starting on site: the
// first lesson is where the group meets its teacher and a learner can get
// help with a borrowed device. Other patterns are made by adding sessions by
// hand.
func GenerateSessions(c *Course) []Session {
	start, ok1 := ParseClock(c.StartTime)
	end, ok2 := ParseClock(c.EndTime)
	if c.Weekdays == 0 || !ok1 || !ok2 || end <= start || c.StartsOn.IsZero() || courseDays(c.StartsOn, c.EndsOn) > CourseMaxDays {
		return nil
	}
	var out []Session
	for day := c.StartsOn; !day.After(c.EndsOn); day = day.AddDate(0, 0, 1) {
		if !c.Weekdays.Has(day.Weekday()) {
			continue
		}
		out = append(out, Session{CourseID: c.ID, CourseRef: c.Ref, StartsAt: start.On(day), EndsAt: end.On(day),
			Mode: SessionModeOf(c.Mode, len(out))})
	}
	return out
}

// SessionModeOf returns the mode of the lesson numbered n (from 0) of a
// course given in mode; see GenerateSessions.
func SessionModeOf(mode Mode, n int) SessionMode {
	switch {
	case mode == ModeOnline:
		return SessionOnline
	case mode == ModeBlended && n%2 == 1:
		return SessionOnline
	}
	return SessionOnsite
}

// Validate checks a session added by hand to course c: a real mode, within
// the course's period, the end after the start, and in a mode the course
// offers (an online course has no lessons on site, and the other way round).
func (s *Session) Validate(c *Course) error {
	var v Validation
	switch {
	case s.Mode != SessionOnline && s.Mode != SessionOnsite:
		v.Add("mode", "course.session.mode.invalid", "use online or onsite", nil)
	case c.Mode == ModeOnline && s.Mode != SessionOnline, c.Mode == ModeOnsite && s.Mode != SessionOnsite:
		v.Add("mode", "course.session.mode."+string(c.Mode), "this course is given "+string(c.Mode)+": its lessons are too", nil)
	}
	switch {
	case s.StartsAt.IsZero():
		v.Add("date", "course.session.date.invalid", "enter the date of the lesson", nil)
	case SessionDay(s.StartsAt).Before(c.StartsOn) || SessionDay(s.StartsAt).After(c.EndsOn):
		v.Add("date", "course.session.date.period", "the lesson must fall within the course's period", nil)
	}
	if !s.StartsAt.IsZero() && !s.EndsAt.After(s.StartsAt) {
		v.Add("end_time", "course.endtime.order", "the lesson must end after it starts", nil)
	}
	return v.Err()
}

// NewSession returns a session on date day from start to end (Brussels time).
func NewSession(day time.Time, start, end Clock, mode SessionMode) Session {
	return Session{StartsAt: start.On(day), EndsAt: end.On(day), Mode: mode}
}

package traject

import (
	"slices"
	"strings"
	"time"
)

// CourseKind is what a course teaches.
type CourseKind string

// The kinds of course.
const (
	CourseCivicOrientation CourseKind = "civic_orientation" // maatschappelijke oriëntatie
	CourseDigitalPretrack  CourseKind = "digital_pretrack"  // voortraject digitale vaardigheden
)

// CourseKinds lists the kinds in the order forms show them.
var CourseKinds = []CourseKind{CourseCivicOrientation, CourseDigitalPretrack}

// Valid reports whether k is a known kind.
func (k CourseKind) Valid() bool { return slices.Contains(CourseKinds, k) }

// Course limits. A course runs at most two years, so that generating its
// sessions is bounded; capacity is a group, not a hall.
const (
	CourseMaxDays     = 731
	CourseMaxCapacity = 500
)

// Course is one edition of a course: its language, mode and level track, its
// region, office and teacher, its period and capacity, and the weekdays and
// hours its sessions are generated from. Weekdays and hours are either all
// empty (sessions are added one by one) or all set.
type Course struct {
	ID           int64      `json:"id"`
	Ref          string     `json:"ref"`
	Kind         CourseKind `json:"kind"`
	Language     string     `json:"language"` // of instruction, ISO 639-1
	Mode         Mode       `json:"mode"`
	Track        LevelTrack `json:"track"`
	RegionCode   string     `json:"region"`
	OfficeID     int64      `json:"office_id,omitempty"`
	OfficeName   string     `json:"office,omitempty"`
	TeacherID    int64      `json:"teacher_id,omitempty"`
	TeacherName  string     `json:"teacher,omitempty"`
	TeacherEmail string     `json:"teacher_email,omitempty"`
	StartsOn     time.Time  `json:"starts_on"` // a date: midnight UTC
	EndsOn       time.Time  `json:"ends_on"`   // inclusive
	Capacity     int        `json:"capacity"`
	Weekdays     Weekdays   `json:"weekdays"`
	StartTime    string     `json:"start_time,omitempty"` // HH:MM, Brussels time
	EndTime      string     `json:"end_time,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Validate checks a new course and names every wrong field, in the order the
// form asks them. It writes the region as its code, the language in lower
// case and the hours as HH:MM.
func (c *Course) Validate() error {
	var v Validation
	c.Ref, c.Language = strings.TrimSpace(c.Ref), strings.ToLower(strings.TrimSpace(c.Language))
	switch {
	case !ValidAssetTag(c.Ref):
		v.Add("ref", "course.ref.invalid", "use 3 to 32 letters, digits or dashes", nil)
	case strings.EqualFold(c.Ref, "new"):
		// /courses/new is the form to add one.
		v.Add("ref", "course.ref.reserved", "choose another reference: new is the name of a page", nil)
	}
	if !c.Kind.Valid() {
		v.Add("kind", "course.kind.invalid", "use civic_orientation or digital_pretrack", nil)
	}
	if !IsLanguageCode(c.Language) {
		v.Add("language", "course.language.invalid", "enter the language of instruction as a two-letter ISO 639-1 code, like nl, fr or ar", nil)
	}
	if !c.Mode.Valid() {
		v.Add("mode", "course.mode.invalid", "use online, blended or onsite", nil)
	}
	if !c.Track.Valid() {
		v.Add("track", "course.track.invalid", "use basic, standard or intensive", nil)
	}
	if r, ok := ParseRegion(c.RegionCode); ok {
		c.RegionCode = r.Code
	} else {
		v.Add("region", "course.region.invalid", "use one of ANT BRU LIM OVL VBR WVL or the region's name", nil)
	}
	period := c.validatePeriod(&v)
	if c.Capacity < 1 || c.Capacity > CourseMaxCapacity {
		v.Add("capacity", "course.capacity.invalid", "enter a capacity from 1 to 500", map[string]any{"Max": CourseMaxCapacity})
	}
	c.validateSchedule(&v, period)
	return v.Err()
}

// validatePeriod checks the start and end dates and reports whether they
// make a period.
func (c *Course) validatePeriod(v *Validation) bool {
	switch {
	case c.StartsOn.IsZero():
		v.Add("starts_on", "course.startson.invalid", "enter the start date as YYYY-MM-DD", nil)
	case c.EndsOn.IsZero():
		v.Add("ends_on", "course.endson.invalid", "enter the end date as YYYY-MM-DD", nil)
	case c.EndsOn.Before(c.StartsOn):
		v.Add("ends_on", "course.endson.order", "the end date must be on or after the start date", nil)
	case courseDays(c.StartsOn, c.EndsOn) > CourseMaxDays:
		v.Add("ends_on", "course.endson.toolong", "a course runs at most two years", nil)
	default:
		return true
	}
	return false
}

// validateSchedule checks the weekdays and hours: all empty, or all set with
// the end after the start and at least one lesson day within the period.
func (c *Course) validateSchedule(v *Validation, period bool) {
	start, okStart := ParseClock(c.StartTime)
	end, okEnd := ParseClock(c.EndTime)
	if c.Weekdays == 0 && c.StartTime == "" && c.EndTime == "" {
		return
	}
	if c.Weekdays == 0 {
		v.Add("weekdays", "course.weekdays.required", "choose the weekdays of the lessons, or leave the hours empty too", nil)
	}
	if !okStart {
		v.Add("start_time", "course.starttime.invalid", "enter the start time as HH:MM, between 06:00 and 23:00", nil)
	}
	if !okEnd {
		v.Add("end_time", "course.endtime.invalid", "enter the end time as HH:MM, between 06:00 and 23:00", nil)
	}
	if !okStart || !okEnd {
		return
	}
	c.StartTime, c.EndTime = start.String(), end.String()
	if end <= start {
		v.Add("end_time", "course.endtime.order", "the lesson must end after it starts", nil)
		return
	}
	if c.Weekdays != 0 && period && len(GenerateSessions(c)) == 0 {
		v.Add("weekdays", "course.weekdays.none", "none of these weekdays falls between the start and end date", nil)
	}
}

// Generated reports whether the course's sessions come from its weekdays and hours.
func (c *Course) Generated() bool { return c.Weekdays != 0 }

// courseDays counts the days from one date to another, both included.
func courseDays(from, to time.Time) int {
	return int(to.Sub(from).Hours()/24) + 1
}

// CourseTeacherOnly returns the id of the teacher whose courses alone the
// user may see, or 0 when the user's role sees every course of its region.
// A teacher sees only the courses they teach.
func CourseTeacherOnly(u *User) int64 {
	if u != nil && u.Role == RoleTeacher {
		return u.ID
	}
	return 0
}

// CanSeeCourse reports whether the course is within the user's scope: its
// region, and for a teacher, their own course.
func CanSeeCourse(u *User, c *Course) bool {
	if !u.CanSeeRegion(c.RegionCode) {
		return false
	}
	only := CourseTeacherOnly(u)
	return only == 0 || only == c.TeacherID
}

// CanEditCourse reports whether the user may change the course: add
// sessions, enrol and withdraw learners.
func CanEditCourse(u *User, c *Course) bool {
	return u.Can(PermCoursesWrite) && CanSeeCourse(u, c)
}

package traject

import (
	"slices"
	"strings"
	"time"
)

// AttendanceStatus is what a teacher records for one learner at one session.
type AttendanceStatus string

// The attendance statuses. Late counts as present: the learner took part in
// the lesson, and the programme's norm is about taking part, not punctuality.
const (
	AttendancePresentOnsite AttendanceStatus = "present_onsite"
	AttendancePresentOnline AttendanceStatus = "present_online"
	AttendanceLate          AttendanceStatus = "late"
	AttendanceExcused       AttendanceStatus = "excused"
	AttendanceAbsent        AttendanceStatus = "absent"
)

// AttendanceStatuses lists the statuses in the order the attendance sheet shows them.
var AttendanceStatuses = []AttendanceStatus{
	AttendancePresentOnsite, AttendancePresentOnline, AttendanceLate, AttendanceExcused, AttendanceAbsent,
}

// Valid reports whether s is a known status.
func (s AttendanceStatus) Valid() bool { return slices.Contains(AttendanceStatuses, s) }

// Present reports whether the learner took part: on site, online or late.
func (s AttendanceStatus) Present() bool {
	return s == AttendancePresentOnsite || s == AttendancePresentOnline || s == AttendanceLate
}

// ExcuseReason says why an absence is excused.
type ExcuseReason string

// The reasons for an excused absence. The first four are caused by the
// agency, not the learner; the learner's own reasons follow.
const (
	ExcuseNoDeviceYet     ExcuseReason = "no_device_yet"    // a device was requested and not yet handed out
	ExcuseDeviceFailure   ExcuseReason = "device_failure"   // the lent device failed or was disabled
	ExcuseNoData          ExcuseReason = "no_data"          // the lent device's data bundle ran out
	ExcuseCourseSuspended ExcuseReason = "course_suspended" // the course did not take place (a lockdown)
	ExcuseIllness         ExcuseReason = "illness"
	ExcuseFamily          ExcuseReason = "family"
	ExcuseWork            ExcuseReason = "work"
	ExcuseAppointment     ExcuseReason = "appointment" // an official appointment: a job centre, a court, a doctor
	ExcuseOther           ExcuseReason = "other"
)

// ExcuseReasons lists every reason, the agency's first.
var ExcuseReasons = []ExcuseReason{
	ExcuseNoDeviceYet, ExcuseDeviceFailure, ExcuseNoData, ExcuseCourseSuspended,
	ExcuseIllness, ExcuseFamily, ExcuseWork, ExcuseAppointment, ExcuseOther,
}

// ManualExcuseReasons are the reasons a person may choose. A suspended course
// is only ever set by Traject, from the course's suspension periods, so that
// "suspended" always means a recorded suspension.
var ManualExcuseReasons = []ExcuseReason{
	ExcuseNoDeviceYet, ExcuseDeviceFailure, ExcuseNoData,
	ExcuseIllness, ExcuseFamily, ExcuseWork, ExcuseAppointment, ExcuseOther,
}

// Valid reports whether r is a known reason.
func (r ExcuseReason) Valid() bool { return slices.Contains(ExcuseReasons, r) }

// AgencyCaused reports whether the agency, not the learner, caused the
// absence. Such an absence never counts against the learner (DESIGN
// invariant 7), and no infraction file can be opened over it.
func (r ExcuseReason) AgencyCaused() bool {
	return r == ExcuseNoDeviceYet || r == ExcuseDeviceFailure || r == ExcuseNoData || r == ExcuseCourseSuspended
}

// AttendanceSource says who chose a mark: a person, or Traject itself from
// what it knows (a suspension, a pending device request).
type AttendanceSource string

// The sources of a mark.
const (
	SourceManual AttendanceSource = "manual"
	SourceAuto   AttendanceSource = "auto"
)

// AttendanceMark is the attendance of one learner at one session. Only an
// excused absence has a reason, and it must have one.
type AttendanceMark struct {
	SessionID  int64            `json:"session_id"`
	LearnerID  int64            `json:"-"`
	LearnerRef string           `json:"learner"`
	Status     AttendanceStatus `json:"status"`
	Reason     ExcuseReason     `json:"reason,omitempty"`
	Source     AttendanceSource `json:"source"`
	RecordedBy int64            `json:"recorded_by,omitempty"`
	RecordedAt time.Time        `json:"recorded_at,omitzero"`
}

// Normalize trims the answers and drops a reason that goes with another
// status than excused: a sheet sent without JavaScript keeps a row's reason
// when the teacher changes the status, and that is no error.
func (m *AttendanceMark) Normalize() {
	m.Status = AttendanceStatus(strings.TrimSpace(string(m.Status)))
	m.Reason = ExcuseReason(strings.TrimSpace(string(m.Reason)))
	m.LearnerRef = strings.TrimSpace(m.LearnerRef)
	if m.Status != AttendanceExcused {
		m.Reason = ""
	}
	if m.Source == "" {
		m.Source = SourceManual
	}
}

// Validate checks a mark a person chose; its field errors are named "status"
// and "reason", which the caller places on the learner's row.
func (m *AttendanceMark) Validate() error {
	var v Validation
	switch {
	case m.Status == "":
		v.Add("status", "attendance.status.required", "choose whether the learner was there", nil)
	case !m.Status.Valid():
		v.Add("status", "attendance.status.invalid", "choose one of the statuses", nil)
	case m.Status == AttendanceExcused && m.Reason == "":
		v.Add("reason", "attendance.reason.required", "choose the reason of the excused absence", nil)
	case m.Status == AttendanceExcused && !m.Reason.Valid():
		v.Add("reason", "attendance.reason.invalid", "choose one of the reasons", nil)
	case m.Reason == ExcuseCourseSuspended && m.Source == SourceManual:
		v.Add("reason", "attendance.reason.suspended", "suspend the course on its participation page instead", nil)
	}
	return v.Err()
}

// attendanceEarly is how long before a session starts its sheet takes more
// than excused absences: a teacher may open it as the learners come in.
const attendanceEarly = time.Hour

// CheckTiming refuses a presence or an absence for a session that has not
// begun: only an excused absence can be known in advance.
func (m *AttendanceMark) CheckTiming(startsAt, now time.Time) error {
	if m.Status == AttendanceExcused || !startsAt.After(now.Add(attendanceEarly)) {
		return nil
	}
	var v Validation
	v.Add("status", "attendance.status.future", "the lesson has not started yet: only an excused absence can be recorded", nil)
	return v.Err()
}

// SessionDay returns the day a session takes place, in Brussels, as a date
// (midnight UTC) like every other date in Traject.
func SessionDay(startsAt time.Time) time.Time {
	y, m, d := startsAt.In(courseZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CanReadAttendance is the object rule for a course's attendance and
// participation: the course's rule (CanSeeCourse: its region, and a teacher
// only for the courses they teach) for whoever may read courses and
// learners. Attendance names learners, so a role that sees only figures (an
// analyst) reads it in reports, not here.
func CanReadAttendance(u *User, c *Course) bool {
	return u.Can(PermCoursesRead) && u.Can(PermLearnersRead) && CanSeeCourse(u, c)
}

// CanTakeAttendance is the object rule for recording a session's attendance:
// the course's own teacher, or whoever may change the course (a coordinator
// of its region, an admin).
func CanTakeAttendance(u *User, c *Course) bool {
	if CanEditCourse(u, c) {
		return true
	}
	return CanReadAttendance(u, c) && u.Role == RoleTeacher && c.TeacherID == u.ID
}

package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"traject"
)

// LearnerParticipation is one learner's participation in one course.
type LearnerParticipation struct {
	LearnerID  int64
	LearnerRef string
	FirstName  string
	LastName   string
	traject.Participation
}

// SessionAttendance is one session of a course with how many of its
// learners are recorded and whether a suspension covers it.
type SessionAttendance struct {
	traject.Session
	Recorded  int
	Suspended bool
}

// CourseParticipation is the attendance of a whole course: its sessions and
// suspensions, each enrolled learner's participation, and how many learners
// it reached, and how.
type CourseParticipation struct {
	Course traject.Course
	// Norm is the participation norm on the course's last day, in percent;
	// each session is judged by the version valid on its own day.
	Norm        int
	Sessions    []SessionAttendance
	Suspensions []traject.CourseSuspension
	Learners    []LearnerParticipation
	Reach       map[traject.ReachStatus]int
}

// courseAttendance is everything participation is computed from, for one course.
type courseAttendance struct {
	course      traject.Course
	sessions    []traject.Session
	suspensions []traject.CourseSuspension
	learners    []LearnerParticipation // names only, until computed
	marks       map[int64]map[int64]traject.AttendanceMark
}

// CourseParticipation returns a course's participation, for anyone who may
// read its attendance.
func (s *Store) CourseParticipation(ctx context.Context, ref string) (*CourseParticipation, error) {
	r := attendancePool{s, ctx}
	c, err := attendanceCourse(r, traject.UserFromContext(ctx), ref)
	if err != nil {
		return nil, s.mapError("participation", "course "+ref, err)
	}
	data, err := loadAttendance(r, `c.id = ?`, c.ID)
	if err == nil && len(data) == 0 {
		err = sql.ErrNoRows // deleted since it was read
	}
	if err != nil {
		return nil, s.mapError("participation", "course "+ref, err)
	}
	norms, err := participationNorms(r)
	if err != nil {
		return nil, s.mapError("participation", "norms", err)
	}
	a := data[0]
	a.course = *c
	periods, err := agencyPeriods(r, a.learnerIDs())
	if err != nil {
		return nil, s.mapError("participation", "agency periods", err)
	}
	return a.participation(norms, periods), nil
}

func (a *courseAttendance) learnerIDs() []int64 {
	ids := make([]int64, len(a.learners))
	for i, l := range a.learners {
		ids[i] = l.LearnerID
	}
	return ids
}

// participation applies the domain's rules to every learner of the course.
func (a *courseAttendance) participation(norms traject.NormHistory, periods map[int64][]traject.AgencyPeriod) *CourseParticipation {
	out := &CourseParticipation{Course: a.course, Norm: norms.At(a.course.EndsOn), Suspensions: a.suspensions,
		Reach: map[traject.ReachStatus]int{}}
	for _, l := range a.learners {
		l.Participation = traject.ComputeParticipation(traject.ParticipationInput{Sessions: a.sessions,
			Marks: a.marks[l.LearnerID], Suspensions: a.suspensions, Norms: norms, AgencyPeriods: periods[l.LearnerID]})
		out.Reach[l.Reach]++
		out.Learners = append(out.Learners, l)
	}
	for _, ss := range a.sessions {
		sa := SessionAttendance{Session: ss}
		day := traject.SessionDay(ss.StartsAt)
		for _, su := range a.suspensions {
			sa.Suspended = sa.Suspended || su.Covers(day)
		}
		for _, marks := range a.marks {
			if _, ok := marks[ss.ID]; ok {
				sa.Recorded++
			}
		}
		out.Sessions = append(out.Sessions, sa)
	}
	return out
}

// loadAttendance reads the courses that match where (a condition on the
// courses table as c, with args) with their sessions, suspensions, enrolled
// learners and marks, in five queries whatever the number of courses. The
// courses come in start-date order.
func loadAttendance(r attendanceReader, where string, args ...any) ([]*courseAttendance, error) {
	list, err := attendanceCourses(r, where, args)
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := make(map[int64]*courseAttendance, len(list))
	for _, a := range list {
		byID[a.course.ID] = a
	}
	for _, load := range []func(attendanceReader, map[int64]*courseAttendance, string, []any) error{
		loadSessions, loadSuspensions, loadLearners, loadMarks,
	} {
		if err := load(r, byID, where, args); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func attendanceCourses(r attendanceReader, where string, args []any) ([]*courseAttendance, error) {
	rows, err := r.query(attendanceCourseQuery+` WHERE `+where+` ORDER BY c.starts_on, c.ref`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*courseAttendance
	for rows.Next() {
		a := &courseAttendance{marks: map[int64]map[int64]traject.AttendanceMark{}}
		if err := scanAttendanceCourse(rows, &a.course); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func loadSessions(r attendanceReader, byID map[int64]*courseAttendance, where string, args []any) error {
	rows, err := r.query(`SELECT s.id, s.course_id, s.starts_at, s.ends_at, s.mode
		FROM course_sessions s JOIN courses c ON c.id = s.course_id WHERE `+where+` ORDER BY s.starts_at, s.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ss traject.Session
		if err := rows.Scan(&ss.ID, &ss.CourseID, timeCol{&ss.StartsAt}, timeCol{&ss.EndsAt}, &ss.Mode); err != nil {
			return err
		}
		a := byID[ss.CourseID]
		ss.CourseRef = a.course.Ref
		a.sessions = append(a.sessions, ss)
	}
	return rows.Err()
}

func loadSuspensions(r attendanceReader, byID map[int64]*courseAttendance, where string, args []any) error {
	rows, err := r.query(`SELECT su.id, su.course_id, c.ref, su.starts_on, su.ends_on, su.reason, su.created_at
		FROM course_suspensions su JOIN courses c ON c.id = su.course_id WHERE `+where+` ORDER BY su.starts_on, su.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var su traject.CourseSuspension
		var courseID int64
		if err := rows.Scan(&su.ID, &courseID, &su.CourseRef, dateCol{&su.From}, dateCol{&su.Until}, &su.Reason, timeCol{&su.CreatedAt}); err != nil {
			return err
		}
		byID[courseID].suspensions = append(byID[courseID].suspensions, su)
	}
	return rows.Err()
}

func loadLearners(r attendanceReader, byID map[int64]*courseAttendance, where string, args []any) error {
	rows, err := r.query(`SELECT e.course_id, l.id, l.ref, l.first_name, l.last_name
		FROM enrolments e JOIN learners l ON l.id = e.learner_id JOIN courses c ON c.id = e.course_id
		WHERE e.state = 'enrolled' AND `+where+` ORDER BY l.last_norm, l.first_norm, l.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l LearnerParticipation
		var courseID int64
		if err := rows.Scan(&courseID, &l.LearnerID, &l.LearnerRef, &l.FirstName, &l.LastName); err != nil {
			return err
		}
		byID[courseID].learners = append(byID[courseID].learners, l)
	}
	return rows.Err()
}

func loadMarks(r attendanceReader, byID map[int64]*courseAttendance, where string, args []any) error {
	rows, err := r.query(`SELECT s.course_id, a.session_id, a.learner_id, a.status, a.reason, a.source,
		COALESCE(a.recorded_by, 0), a.recorded_at
		FROM attendance a JOIN course_sessions s ON s.id = a.session_id JOIN courses c ON c.id = s.course_id
		WHERE `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m traject.AttendanceMark
		var courseID int64
		if err := rows.Scan(&courseID, &m.SessionID, &m.LearnerID, &m.Status, &m.Reason, &m.Source,
			&m.RecordedBy, timeCol{&m.RecordedAt}); err != nil {
			return err
		}
		a := byID[courseID]
		if a.marks[m.LearnerID] == nil {
			a.marks[m.LearnerID] = map[int64]traject.AttendanceMark{}
		}
		a.marks[m.LearnerID][m.SessionID] = m
	}
	return rows.Err()
}

// FollowUpEntry is one learner on the follow-up list, in one course.
type FollowUpEntry struct {
	Course traject.Course
	LearnerParticipation
}

// FollowUpFilter selects the follow-up list; zero fields do not filter.
type FollowUpFilter struct {
	Region string // a region code; regional staff always see only their own
	Course string // a course reference
	// Ended includes courses that ended more than FollowUpGrace ago; without
	// it the list holds the courses that still run or just ended.
	Ended bool
}

// FollowUpGrace is how long after its end a course stays on the follow-up
// list: the last sessions' absences are followed up after the course ends.
const FollowUpGrace = 14 * 24 * time.Hour

// FollowUpList returns every learner who can no longer reach the norm or
// missed their last two counted sessions (traject.Participation), within the
// actor's region, by course start date and learner name.
func (s *Store) FollowUpList(ctx context.Context, f FollowUpFilter) ([]FollowUpEntry, error) {
	r := attendancePool{s, ctx}
	where, args := s.followUpWhere(traject.UserFromContext(ctx), f)
	data, err := loadAttendance(r, where, args...)
	if err != nil {
		return nil, s.mapError("follow-up", "follow-up", err)
	}
	norms, err := participationNorms(r)
	if err != nil {
		return nil, s.mapError("follow-up", "norms", err)
	}
	var out []FollowUpEntry
	for _, a := range data {
		periods, err := agencyPeriods(r, a.learnerIDs())
		if err != nil {
			return nil, s.mapError("follow-up", "agency periods", err)
		}
		for _, l := range a.participation(norms, periods).Learners {
			if l.OnFollowUp() {
				out = append(out, FollowUpEntry{Course: a.course, LearnerParticipation: l})
			}
		}
	}
	return out, nil
}

// followUpWhere scopes the list in SQL: the actor's region, a teacher's own
// courses, and the filter.
func (s *Store) followUpWhere(actor *traject.User, f FollowUpFilter) (string, []any) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if scope := actor.ScopeRegion(); scope != "" || actor == nil {
		add("c.region_code = ?", scope)
	}
	if only := traject.CourseTeacherOnly(actor); only != 0 {
		add("c.teacher_id = ?", only)
	}
	if f.Region != "" {
		add("c.region_code = ?", f.Region)
	}
	if f.Course != "" {
		add("c.ref = ?", f.Course)
	}
	if !f.Ended {
		add("c.ends_on >= ?", dateArg(traject.SessionDay(s.now().Add(-FollowUpGrace))))
	}
	return strings.Join(where, " AND "), args
}

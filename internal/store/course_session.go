package store

import (
	"context"

	"traject"
)

const sessionColumns = `cs.id, cs.course_id, c.ref, cs.starts_at, cs.ends_at, cs.mode`

func scanSession(row interface{ Scan(...any) error }, se *traject.Session, extra ...any) error {
	return row.Scan(append([]any{&se.ID, &se.CourseID, &se.CourseRef, timeCol{&se.StartsAt}, timeCol{&se.EndsAt}, &se.Mode}, extra...)...)
}

// insertSession adds one session of a course.
func (tx *Tx) insertSession(se *traject.Session) error {
	id, err := tx.insert(`INSERT INTO course_sessions (course_id, starts_at, ends_at, mode) VALUES (?, ?, ?, ?)`,
		se.CourseID, tx.d.timeArg(se.StartsAt), tx.d.timeArg(se.EndsAt), se.Mode)
	se.ID = id
	return err
}

// CourseSessions returns the sessions of a course in time order, within the
// actor's scope.
func (s *Store) CourseSessions(ctx context.Context, ref string) ([]traject.Session, error) {
	c, err := s.Course(ctx, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+sessionColumns+` FROM course_sessions cs JOIN courses c ON c.id = cs.course_id
		WHERE cs.course_id = ? ORDER BY cs.starts_at, cs.id`, c.ID)
	if err != nil {
		return nil, s.mapError("course sessions", "course "+ref, err)
	}
	defer rows.Close()
	out := []traject.Session{}
	for rows.Next() {
		var se traject.Session
		if err := scanSession(rows, &se); err != nil {
			return nil, s.mapError("course sessions", "course "+ref, err)
		}
		out = append(out, se)
	}
	return out, s.mapError("course sessions", "course "+ref, rows.Err())
}

// AddSession adds a session to a course by hand: within the course's period,
// in a mode the course offers, and not at the same time as another of its
// sessions.
func (s *Store) AddSession(ctx context.Context, ref string, se *traject.Session) error {
	return s.write(ctx, "add session", func(tx *Tx) error {
		c, err := tx.editableCourse(ref)
		if err != nil {
			return s.mapError("add session", "course "+ref, err)
		}
		if err := se.Validate(c); err != nil {
			return err
		}
		var overlapping int
		if err := tx.queryRow(`SELECT COUNT(*) FROM course_sessions WHERE course_id = ? AND starts_at < ? AND ends_at > ?`,
			c.ID, tx.d.timeArg(se.EndsAt), tx.d.timeArg(se.StartsAt)).Scan(&overlapping); err != nil {
			return err
		}
		if overlapping > 0 {
			var v traject.Validation
			v.Add("start_time", "course.session.overlap", "another lesson of this course takes place at that time", nil)
			return v.Err()
		}
		se.CourseID, se.CourseRef = c.ID, c.Ref
		if err := tx.insertSession(se); err != nil {
			return err
		}
		return tx.audit("course.session.add", "course", c.Ref, c.RegionCode, nil, se)
	})
}

// CalendarSession is one session in a learner's calendar, with its course.
type CalendarSession struct {
	traject.Session
	Kind       traject.CourseKind `json:"kind"`
	Language   string             `json:"language"`
	Office     string             `json:"office,omitempty"`
	RegionCode string             `json:"region"`
	TeacherID  int64              `json:"-"` // for traject.CanSeeCourse
}

// LearnerCalendar is a learner's course calendar: the sessions of every
// course they are enrolled in, in time order, and the courses they wait for.
type LearnerCalendar struct {
	Learner  *traject.Learner
	Sessions []CalendarSession
	Waiting  []traject.Enrolment
}

// LearnerCalendar returns the calendar of the learner with this reference,
// within the actor's region.
func (s *Store) LearnerCalendar(ctx context.Context, learnerRef string) (*LearnerCalendar, error) {
	l, err := s.Learner(ctx, learnerRef)
	if err != nil {
		return nil, err
	}
	cal := &LearnerCalendar{Learner: l, Sessions: []CalendarSession{}}
	rows, err := s.query(ctx, `SELECT `+sessionColumns+`, c.kind, c.language, COALESCE(o.name, ''), c.region_code, COALESCE(c.teacher_id, 0)
		FROM enrolments e
		JOIN courses c ON c.id = e.course_id
		JOIN course_sessions cs ON cs.course_id = c.id
		LEFT JOIN offices o ON o.id = c.office_id
		WHERE e.learner_id = ? AND e.state = 'enrolled'
		ORDER BY cs.starts_at, c.ref`, l.ID)
	if err != nil {
		return nil, s.mapError("learner calendar", "learner "+learnerRef, err)
	}
	defer rows.Close()
	for rows.Next() {
		var cs CalendarSession
		if err := scanSession(rows, &cs.Session, &cs.Kind, &cs.Language, &cs.Office, &cs.RegionCode, &cs.TeacherID); err != nil {
			return nil, s.mapError("learner calendar", "learner "+learnerRef, err)
		}
		cal.Sessions = append(cal.Sessions, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, s.mapError("learner calendar", "learner "+learnerRef, err)
	}
	cal.Waiting, err = s.enrolments(ctx, "e.learner_id = ? AND e.state = 'waiting'", l.ID)
	return cal, err
}

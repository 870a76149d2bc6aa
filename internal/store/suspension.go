package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"traject"
)

// attendanceCourseQuery reads what attendance needs of a course.
const attendanceCourseQuery = `SELECT c.id, c.ref, c.region_code, COALESCE(c.teacher_id, 0), c.starts_on, c.ends_on, c.mode
	FROM courses c`

func scanAttendanceCourse(row interface{ Scan(...any) error }, c *traject.Course) error {
	return row.Scan(&c.ID, &c.Ref, &c.RegionCode, &c.TeacherID, dateCol{&c.StartsOn}, dateCol{&c.EndsOn}, &c.Mode)
}

// attendanceCourse reads a course by reference, when the actor may read its
// attendance; otherwise it is not found, as one that does not exist.
func attendanceCourse(r attendanceReader, actor *traject.User, ref string) (*traject.Course, error) {
	var c traject.Course
	if err := scanAttendanceCourse(r.queryRow(attendanceCourseQuery+` WHERE c.ref = ?`, ref), &c); err != nil {
		return nil, err
	}
	if err := attendanceRefusal(actor, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// attendanceRefusal says why actor may not read a course's attendance: not
// found when the course is outside their scope, as one that does not exist;
// forbidden when their role does not see learners (an analyst).
func attendanceRefusal(actor *traject.User, c *traject.Course) error {
	switch {
	case actor == nil || traject.CanReadAttendance(actor, c):
		return nil
	case !actor.Can(traject.PermLearnersRead) && traject.CanSeeCourse(actor, c):
		return traject.Errorf(traject.EFORBIDDEN, "attendance.learners.forbidden", "attendance names learners: your role sees its figures in the reports")
	}
	return sql.ErrNoRows
}

func courseSuspensions(r attendanceReader, courseID int64) ([]traject.CourseSuspension, error) {
	rows, err := r.query(`SELECT su.id, c.ref, su.starts_on, su.ends_on, su.reason, su.created_at
		FROM course_suspensions su JOIN courses c ON c.id = su.course_id
		WHERE su.course_id = ? ORDER BY su.starts_on, su.id`, courseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []traject.CourseSuspension
	for rows.Next() {
		var su traject.CourseSuspension
		if err := rows.Scan(&su.ID, &su.CourseRef, dateCol{&su.From}, dateCol{&su.Until}, &su.Reason, timeCol{&su.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, su)
	}
	return out, rows.Err()
}

// SuspendCourse records that a course did not take place for a period (a
// lockdown). In the same transaction every session in the period gets an
// automatic excused absence with the reason course_suspended for each of its
// learners, replacing what was recorded: those sessions count for no one.
// Periods of one course cannot overlap, and one must share a day with the
// course. It needs the right to change the course.
func (s *Store) SuspendCourse(ctx context.Context, courseRef string, su *traject.CourseSuspension) error {
	if err := su.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "suspend course", func(tx *Tx) error {
		c, err := tx.courseToChange(courseRef)
		if err != nil {
			return err
		}
		if err := tx.checkSuspension(c, su); err != nil {
			return err
		}
		su.ID, err = tx.insert(`INSERT INTO course_suspensions (course_id, starts_on, ends_on, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.ID, dateArg(su.From), dateArg(su.Until), su.Reason, attendanceActor(tx.ctx), tx.nowArg())
		if err != nil {
			return err
		}
		su.CourseRef, su.CreatedAt = c.Ref, tx.now
		if err := tx.audit("course.suspend", "course", c.Ref, c.RegionCode, nil, su); err != nil {
			return err
		}
		return tx.excuseSuspendedSessions(c, su)
	})
}

// courseToChange reads a course whose suspensions the actor may change, and
// locks it (on PostgreSQL): two suspensions at once must see each other, and
// a sheet recorded at the same time must see the suspension.
func (tx *Tx) courseToChange(ref string) (*traject.Course, error) {
	actor := traject.UserFromContext(tx.ctx)
	var id int64
	err := tx.queryRow(`SELECT id FROM courses WHERE ref = ?`, ref).Scan(&id)
	if err == nil {
		err = tx.lockCourse(id)
	}
	var c *traject.Course
	if err == nil {
		c, err = attendanceCourse(tx, actor, ref)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &traject.Error{Code: traject.ENOTFOUND, Key: "db.notfound", Args: map[string]any{"ID": ref},
			Message: "course " + ref + " not found; it may not exist, or it is outside your region"}
	}
	if err != nil {
		return nil, err
	}
	if actor != nil && !traject.CanEditCourse(actor, c) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "suspension.forbidden", "only a coordinator of the course's region can suspend it")
	}
	return c, nil
}

func (tx *Tx) checkSuspension(c *traject.Course, su *traject.CourseSuspension) error {
	if su.Until.Before(c.StartsOn) || su.From.After(c.EndsOn) {
		var v traject.Validation
		v.Add("from", "suspension.outside", "the suspension must share at least one day with the course", nil)
		return v.Err()
	}
	existing, err := courseSuspensions(tx, c.ID)
	if err != nil {
		return err
	}
	for _, o := range existing {
		if o.Overlaps(*su) {
			return &traject.Error{Code: traject.ECONFLICT, Key: "suspension.overlap",
				Args:    map[string]any{"From": o.From.Format(traject.DateLayout), "Until": o.Until.Format(traject.DateLayout)},
				Message: "the course is already suspended from " + o.From.Format(traject.DateLayout) + " to " + o.Until.Format(traject.DateLayout)}
		}
	}
	return nil
}

// suspendedSessions returns the ids of the course's sessions within su.
func (tx *Tx) suspendedSessions(courseID int64, su *traject.CourseSuspension) ([]int64, error) {
	rows, err := tx.query(`SELECT id, starts_at FROM course_sessions WHERE course_id = ? ORDER BY starts_at, id`, courseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var startsAt time.Time
		if err := rows.Scan(&id, timeCol{&startsAt}); err != nil {
			return nil, err
		}
		if su.Covers(traject.SessionDay(startsAt)) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// excuseSuspendedSessions gives every learner of every session in su an
// automatic excused absence, one audit row per session.
func (tx *Tx) excuseSuspendedSessions(c *traject.Course, su *traject.CourseSuspension) error {
	ids, err := tx.suspendedSessions(c.ID, su)
	if err != nil {
		return err
	}
	for _, id := range ids {
		sheet, err := loadSheet(tx, nil, id) // the actor's right was checked on the course
		if err != nil {
			return err
		}
		marks := make([]traject.AttendanceMark, 0, len(sheet.Rows))
		for _, r := range sheet.Rows {
			marks = append(marks, traject.AttendanceMark{SessionID: id, LearnerID: r.LearnerID, LearnerRef: r.LearnerRef,
				Status: traject.AttendanceExcused, Reason: traject.ExcuseCourseSuspended, Source: traject.SourceAuto})
		}
		if _, err := tx.saveMarks(sheet, marks, "attendance.suspend"); err != nil {
			return err
		}
	}
	return nil
}

// LiftSuspension removes a suspension entered by mistake, with the automatic
// excused absences it set; its sessions can then be recorded again. What a
// teacher records afterwards is theirs: only marks Traject set are removed.
func (s *Store) LiftSuspension(ctx context.Context, courseRef string, id int64) error {
	return s.write(ctx, "lift suspension", func(tx *Tx) error {
		c, err := tx.courseToChange(courseRef)
		if err != nil {
			return err
		}
		su, err := tx.suspension(c.ID, id)
		if err != nil {
			return err
		}
		if err := tx.clearSuspendedMarks(c, su); err != nil {
			return err
		}
		if err := expectOne(tx.exec(`DELETE FROM course_suspensions WHERE id = ?`, id)); err != nil {
			return err
		}
		return tx.audit("course.unsuspend", "course", c.Ref, c.RegionCode, su, nil)
	})
}

func (tx *Tx) suspension(courseID, id int64) (*traject.CourseSuspension, error) {
	list, err := courseSuspensions(tx, courseID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, &traject.Error{Code: traject.ENOTFOUND, Key: "db.notfound", Args: map[string]any{"ID": itoa(id)},
		Message: "suspension " + itoa(id) + " of this course not found"}
}

// clearSuspendedMarks deletes the automatic marks of su's sessions, one
// audit row per session that had any.
func (tx *Tx) clearSuspendedMarks(c *traject.Course, su *traject.CourseSuspension) error {
	ids, err := tx.suspendedSessions(c.ID, su)
	if err != nil {
		return err
	}
	for _, id := range ids {
		sheet, err := loadSheet(tx, nil, id)
		if err != nil {
			return err
		}
		before := sheetAudit{Course: c.Ref, Session: id, Marks: map[string]*markAudit{}}
		after := sheetAudit{Course: c.Ref, Session: id, Marks: map[string]*markAudit{}}
		for _, r := range sheet.Rows {
			if m := r.Mark; m != nil && m.Source == traject.SourceAuto && m.Reason == traject.ExcuseCourseSuspended {
				before.Marks[r.LearnerRef], after.Marks[r.LearnerRef] = &markAudit{m.Status, m.Reason, m.Source}, nil
			}
		}
		if len(before.Marks) == 0 {
			continue
		}
		if _, err := tx.exec(`DELETE FROM attendance WHERE session_id = ? AND source = 'auto' AND reason = 'course_suspended'`, id); err != nil {
			return err
		}
		if err := tx.audit("attendance.unsuspend", "attendance", itoa(id), c.RegionCode, before, after); err != nil {
			return err
		}
	}
	return nil
}

// attendanceActor is the acting staff member's id, or NULL for the command
// line and jobs.
func attendanceActor(ctx context.Context) any {
	if u := traject.UserFromContext(ctx); u != nil {
		return u.ID
	}
	return nil
}

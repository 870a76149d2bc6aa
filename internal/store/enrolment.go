package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"traject"
)

const enrolmentColumns = `e.id, e.course_id, c.ref, e.learner_id, l.ref, l.first_name, l.last_name, e.state, e.created_at, e.updated_at`

const enrolmentFrom = ` FROM enrolments e
	JOIN courses c ON c.id = e.course_id
	JOIN learners l ON l.id = e.learner_id`

func scanEnrolment(row interface{ Scan(...any) error }, e *traject.Enrolment) error {
	var first, last string
	err := row.Scan(&e.ID, &e.CourseID, &e.CourseRef, &e.LearnerID, &e.LearnerRef, &first, &last, &e.State,
		timeCol{&e.CreatedAt}, timeCol{&e.UpdatedAt})
	e.LearnerName = strings.TrimSpace(first + " " + last)
	return err
}

// Enrolments returns the learners of a course and its waiting list: the
// enrolled first, then the waiting, each in order of arrival.
func (s *Store) Enrolments(ctx context.Context, courseRef string) ([]traject.Enrolment, error) {
	c, err := s.Course(ctx, courseRef)
	if err != nil {
		return nil, err
	}
	return s.enrolments(ctx, "e.course_id = ? AND e.state IN ('enrolled', 'waiting')", c.ID)
}

func (s *Store) enrolments(ctx context.Context, where string, args ...any) ([]traject.Enrolment, error) {
	rows, err := s.query(ctx, `SELECT `+enrolmentColumns+enrolmentFrom+` WHERE `+where+
		` ORDER BY CASE e.state WHEN 'enrolled' THEN 0 ELSE 1 END, e.created_at, e.id`, args...)
	if err != nil {
		return nil, s.mapError("enrolments", "enrolments", err)
	}
	defer rows.Close()
	out := []traject.Enrolment{}
	for rows.Next() {
		var e traject.Enrolment
		if err := scanEnrolment(rows, &e); err != nil {
			return nil, s.mapError("enrolments", "enrolments", err)
		}
		out = append(out, e)
	}
	return out, s.mapError("enrolments", "enrolments", rows.Err())
}

// Enrol gives a learner a place in a course, or a place on its waiting list
// when the course is full. A learner who withdrew may enrol again, and then
// arrives anew at the back of the list.
func (s *Store) Enrol(ctx context.Context, courseRef, learnerRef string) (*traject.Enrolment, error) {
	var out *traject.Enrolment
	err := s.write(ctx, "enrol", func(tx *Tx) error {
		c, err := tx.editableCourse(courseRef)
		if err != nil {
			return s.mapError("enrol", "course "+courseRef, err)
		}
		l, _, err := tx.learner(strings.TrimSpace(learnerRef))
		if errors.Is(err, sql.ErrNoRows) {
			var v traject.Validation
			v.Add("learner", "enrolment.learner.unknown", "there is no learner "+learnerRef+" in your region",
				map[string]any{"Ref": learnerRef})
			return v.Err()
		}
		if err != nil {
			return err
		}
		e := &traject.Enrolment{CourseID: c.ID, CourseRef: c.Ref, LearnerID: l.ID, LearnerRef: l.Ref, LearnerName: l.FullName()}
		if err := tx.enrol(c, e); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// enrol writes the enrolment e of a locked course: enrolled while a place is
// free, else waiting.
func (tx *Tx) enrol(c *traject.Course, e *traject.Enrolment) error {
	var current traject.EnrolmentState
	err := tx.queryRow(`SELECT id, state FROM enrolments WHERE course_id = ? AND learner_id = ?`, c.ID, e.LearnerID).Scan(&e.ID, &current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := traject.CheckEnrol(current); err != nil {
		return err
	}
	var enrolled int
	if err := tx.queryRow(`SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND state = 'enrolled'`, c.ID).Scan(&enrolled); err != nil {
		return err
	}
	e.State, e.CreatedAt, e.UpdatedAt = traject.EnrolState(c.Capacity, enrolled), tx.now, tx.now
	if current == "" {
		if e.ID, err = tx.insert(`INSERT INTO enrolments (course_id, learner_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			c.ID, e.LearnerID, e.State, tx.nowArg(), tx.nowArg()); err != nil {
			return err
		}
	} else if err := expectOne(tx.exec(`UPDATE enrolments SET state = ?, created_at = ?, updated_at = ? WHERE id = ?`,
		e.State, tx.nowArg(), tx.nowArg(), e.ID)); err != nil {
		return err
	}
	return tx.audit("enrolment.create", "learner", e.LearnerRef, c.RegionCode, enrolmentAudit(c.Ref, current), enrolmentAudit(c.Ref, e.State))
}

// enrolmentAudit is what an enrolment's audit rows hold. They are filed under
// the learner, whose history (and subject-access export) then names every
// course they joined, waited for or left.
func enrolmentAudit(courseRef string, state traject.EnrolmentState) any {
	if state == "" {
		return nil
	}
	return map[string]any{"course": courseRef, "state": state}
}

// Withdraw takes a learner off a course or its waiting list, with the reason
// given. A place freed goes to whoever has waited longest; the learners
// promoted are returned.
func (s *Store) Withdraw(ctx context.Context, courseRef, learnerRef, reason string) ([]traject.Enrolment, error) {
	var promoted []traject.Enrolment
	err := s.write(ctx, "withdraw", func(tx *Tx) error {
		c, err := tx.editableCourse(courseRef)
		if err != nil {
			return s.mapError("withdraw", "course "+courseRef, err)
		}
		var e traject.Enrolment
		err = scanEnrolment(tx.queryRow(`SELECT `+enrolmentColumns+enrolmentFrom+` WHERE e.course_id = ? AND l.ref = ?`,
			c.ID, strings.TrimSpace(learnerRef)), &e)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := traject.CheckWithdraw(e.State); err != nil {
			return err
		}
		if err := tx.setEnrolmentState(c, &e, traject.EnrolmentWithdrawn, "enrolment.withdraw", strings.TrimSpace(reason)); err != nil {
			return err
		}
		promoted, err = tx.promote(c)
		return err
	})
	return promoted, err
}

// promote gives the places free in a locked course to the waiting list, in
// order of arrival, and audits each promotion.
func (tx *Tx) promote(c *traject.Course) ([]traject.Enrolment, error) {
	rows, err := tx.query(`SELECT `+enrolmentColumns+enrolmentFrom+` WHERE e.course_id = ? AND e.state IN ('enrolled', 'waiting')`, c.ID)
	if err != nil {
		return nil, err
	}
	var list []traject.Enrolment
	for rows.Next() {
		var e traject.Enrolment
		if err := scanEnrolment(rows, &e); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	promoted := traject.Promotions(c.Capacity, list)
	for i := range promoted {
		if err := tx.setEnrolmentState(c, &promoted[i], traject.EnrolmentEnrolled, "enrolment.promote", ""); err != nil {
			return nil, err
		}
	}
	return promoted, nil
}

// setEnrolmentState changes an enrolment's state and audits it. The time of
// arrival stays: it is the order of the waiting list.
func (tx *Tx) setEnrolmentState(c *traject.Course, e *traject.Enrolment, to traject.EnrolmentState, action, reason string) error {
	if err := expectOne(tx.exec(`UPDATE enrolments SET state = ?, updated_at = ? WHERE id = ? AND state = ?`,
		to, tx.nowArg(), e.ID, e.State)); err != nil {
		return err
	}
	before := e.State
	e.State, e.UpdatedAt = to, tx.now
	return tx.auditReason(action, "learner", e.LearnerRef, c.RegionCode, reason, enrolmentAudit(c.Ref, before), enrolmentAudit(c.Ref, to))
}

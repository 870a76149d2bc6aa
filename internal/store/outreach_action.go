package store

import (
	"database/sql"
	"errors"
	"time"

	"traject"
)

// followUpAction sets in motion what a call's outcome needs, inside the
// call's transaction, and returns the reference of what it created (or found
// already in place), or why there is none. The outreach permission is what
// allows it: a counsellor on the phone enrols a learner without holding
// courses:write, because the enrolment follows from the call.
func (tx *Tx) followUpAction(t *targetRow, o traject.CallOutcome) (ref, none string, err error) {
	switch o {
	case traject.OutcomeNeedsDevice:
		return tx.deviceAction(t)
	case traject.OutcomeNeedsPretrack:
		return tx.enrolAction(t, `c.kind = 'digital_pretrack'`, false, traject.NoActionNoPretrack)
	case traject.OutcomeNeedsOnsite:
		// The civic-orientation course is taught in the contact language.
		return tx.enrolAction(t, `c.kind = 'civic_orientation' AND c.mode = 'onsite'`, true, traject.NoActionNoOnsite)
	}
	return "", "", nil
}

// deviceAction requests a device (channel phone) for the learner's next
// online or blended course that has not ended. A request that already waits
// is the action; a device already held for that course needs none. The need
// follows the latest intake: 4G unless the learner has Wi-Fi at home.
func (tx *Tx) deviceAction(t *targetRow) (string, string, error) {
	today := traject.SessionDay(tx.now)
	var waiting string
	err := tx.queryRow(`SELECT ref FROM loan_requests WHERE learner_id = ? AND state = 'waiting' ORDER BY id LIMIT 1`, t.learnerID).Scan(&waiting)
	if err == nil {
		return waiting, traject.NoActionWaiting, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	var courseRef string
	var loans int
	err = tx.queryRow(`SELECT c.ref, (SELECT COUNT(*) FROM loans o WHERE o.learner_id = e.learner_id AND o.course_id = c.id
		AND o.state IN ('reserved', 'handed_out'))
		FROM enrolments e JOIN courses c ON c.id = e.course_id
		WHERE e.learner_id = ? AND e.state IN ('enrolled', 'waiting') AND c.mode IN ('online', 'blended') AND c.ends_on >= ?
		ORDER BY c.starts_on, c.id LIMIT 1`, t.learnerID, dateArg(today)).Scan(&courseRef, &loans)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", traject.NoActionNoCourse, nil
	case err != nil:
		return "", "", err
	case loans > 0:
		return "", traject.NoActionHasLoan, nil
	}
	need, err := tx.deviceNeed(t.learnerID)
	if err != nil {
		return "", "", err
	}
	req := &traject.LoanRequest{LearnerRef: t.LearnerRef, CourseRef: courseRef, Need: need, Channel: traject.ChannelPhone}
	if _, err := tx.request(req); err != nil {
		return "", "", err
	}
	return req.Ref, "", nil
}

// deviceNeed is the device the latest intake's internet at home calls for
// (traject.DeviceNeed); without an intake, one with its own data.
func (tx *Tx) deviceNeed(learnerID int64) (traject.Connectivity, error) {
	var internet string
	err := tx.queryRow(`SELECT internet FROM assessments WHERE learner_id = ? ORDER BY assessed_on DESC, id DESC LIMIT 1`, learnerID).Scan(&internet)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return traject.DeviceNeed(traject.Internet(internet)), nil
}

// enrolAction enrols the learner in the earliest course of their region that
// matches kind and has not started (with sameLanguage, one taught in their
// contact language comes first). When the learner already has a place (or waits) in such a course
// that is the action, and nothing new is made. none is the reason when no
// such course is planned.
func (tx *Tx) enrolAction(t *targetRow, kind string, sameLanguage bool, none string) (string, string, error) {
	today := traject.SessionDay(tx.now)
	var have string
	err := tx.queryRow(`SELECT c.ref FROM enrolments e JOIN courses c ON c.id = e.course_id
		WHERE e.learner_id = ? AND e.state IN ('enrolled', 'waiting') AND c.starts_on > ? AND `+kind+`
		ORDER BY c.starts_on, c.id LIMIT 1`, t.learnerID, dateArg(today)).Scan(&have)
	if err == nil {
		return have, "", nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	c, err := tx.nextCourse(t, kind, sameLanguage, today)
	if errors.Is(err, sql.ErrNoRows) {
		return "", none, nil
	}
	if err != nil {
		return "", "", err
	}
	if err := tx.lockCourse(c.ID); err != nil {
		return "", "", err
	}
	e := &traject.Enrolment{CourseID: c.ID, CourseRef: c.Ref, LearnerID: t.learnerID, LearnerRef: t.LearnerRef, LearnerName: t.LearnerName}
	if err := tx.enrol(c, e); err != nil {
		return "", "", err
	}
	return c.Ref, "", nil
}

// nextCourse is the region's earliest course of kind that starts after
// today; with sameLanguage, one in the learner's contact language first.
func (tx *Tx) nextCourse(t *targetRow, kind string, sameLanguage bool, today time.Time) (*traject.Course, error) {
	lang := ""
	if sameLanguage {
		lang = t.Language
	}
	var c traject.Course
	err := scanCourse(tx.queryRow(`SELECT `+courseColumns+courseFrom+`
		WHERE c.region_code = ? AND c.starts_on > ? AND `+kind+`
		ORDER BY CASE WHEN c.language = ? THEN 0 ELSE 1 END, c.starts_on, c.id LIMIT 1`,
		t.RegionCode, dateArg(today), lang), &c)
	return &c, err
}

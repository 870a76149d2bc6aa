package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"traject"
)

// AttendanceSheet is one session's attendance: the session, its course, the
// suspension that covers it (if any) and one row per learner, in name order.
// The rows are the course's enrolled learners and anyone already recorded for
// the session (a learner who withdrew later keeps their mark).
type AttendanceSheet struct {
	Session    traject.Session
	Course     traject.Course // its id, ref, region, teacher and period
	Suspension *traject.CourseSuspension
	Rows       []AttendanceRow
}

// AttendanceRow is one learner on a sheet, with their mark when recorded.
type AttendanceRow struct {
	LearnerID  int64
	LearnerRef string
	FirstName  string
	LastName   string
	Mark       *traject.AttendanceMark
}

// attendanceReader reads inside a write transaction (*Tx) or from the read
// pool (attendancePool), so that the sheet a change checks and the sheet a
// page shows come from the same code.
type attendanceReader interface {
	query(query string, args ...any) (*sql.Rows, error)
	queryRow(query string, args ...any) *sql.Row
}

// attendancePool reads from the store's read pool under one context.
type attendancePool struct {
	s   *Store
	ctx context.Context
}

func (p attendancePool) query(q string, args ...any) (*sql.Rows, error) {
	return p.s.query(p.ctx, q, args...)
}

func (p attendancePool) queryRow(q string, args ...any) *sql.Row {
	return p.s.queryRow(p.ctx, q, args...)
}

// AttendanceSheet returns a session's sheet, for anyone who may read the
// course's attendance; a session outside the actor's scope is not found.
func (s *Store) AttendanceSheet(ctx context.Context, sessionID int64) (*AttendanceSheet, error) {
	sheet, err := loadSheet(attendancePool{s, ctx}, traject.UserFromContext(ctx), sessionID)
	if err != nil {
		return nil, s.mapError("attendance sheet", "session "+itoa(sessionID), err)
	}
	return sheet, nil
}

const sheetSessionQuery = `SELECT s.id, s.starts_at, s.ends_at, s.mode,
	c.id, c.ref, c.region_code, COALESCE(c.teacher_id, 0), c.starts_on, c.ends_on, c.mode
	FROM course_sessions s JOIN courses c ON c.id = s.course_id WHERE s.id = ?`

func loadSheet(r attendanceReader, actor *traject.User, sessionID int64) (*AttendanceSheet, error) {
	sh := &AttendanceSheet{}
	ss, c := &sh.Session, &sh.Course
	err := r.queryRow(sheetSessionQuery, sessionID).Scan(&ss.ID, timeCol{&ss.StartsAt}, timeCol{&ss.EndsAt}, &ss.Mode,
		&c.ID, &c.Ref, &c.RegionCode, &c.TeacherID, dateCol{&c.StartsOn}, dateCol{&c.EndsOn}, &c.Mode)
	if err != nil {
		return nil, err
	}
	ss.CourseID, ss.CourseRef = c.ID, c.Ref
	if err := attendanceRefusal(actor, c); err != nil {
		return nil, err
	}
	suspensions, err := courseSuspensions(r, c.ID)
	if err != nil {
		return nil, err
	}
	day := traject.SessionDay(ss.StartsAt)
	for i := range suspensions {
		if suspensions[i].Covers(day) {
			sh.Suspension = &suspensions[i]
		}
	}
	sh.Rows, err = sheetRows(r, c.ID, ss.ID)
	return sh, err
}

func sheetRows(r attendanceReader, courseID, sessionID int64) ([]AttendanceRow, error) {
	// The learners are found through the enrolments' and the attendance's
	// own indexes, never by a scan of all learners.
	rows, err := r.query(`SELECT l.id, l.ref, l.first_name, l.last_name,
		a.status, a.reason, a.source, a.recorded_by, a.recorded_at
		FROM learners l
		LEFT JOIN attendance a ON a.learner_id = l.id AND a.session_id = ?
		WHERE l.id IN (SELECT learner_id FROM enrolments WHERE course_id = ? AND state = 'enrolled'
			UNION SELECT learner_id FROM attendance WHERE session_id = ?)
		ORDER BY l.last_norm, l.first_norm, l.id`, sessionID, courseID, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AttendanceRow
	for rows.Next() {
		var row AttendanceRow
		var status, reason, source sql.NullString
		var by sql.NullInt64
		var m traject.AttendanceMark
		if err := rows.Scan(&row.LearnerID, &row.LearnerRef, &row.FirstName, &row.LastName,
			&status, &reason, &source, &by, timeCol{&m.RecordedAt}); err != nil {
			return nil, err
		}
		if status.Valid {
			m.SessionID, m.LearnerID, m.LearnerRef = sessionID, row.LearnerID, row.LearnerRef
			m.Status, m.Reason = traject.AttendanceStatus(status.String), traject.ExcuseReason(reason.String)
			m.Source, m.RecordedBy = traject.AttendanceSource(source.String), by.Int64
			row.Mark = &m
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// RecordAttendance records a session's attendance in one transaction: the
// marks of some or all of its learners, named by id or by reference. Every
// mark is checked first, and one wrong mark changes nothing; its field is
// named marks[i].status, marks[i].reason or marks[i].learner after its place
// in the list. An absence on a day the agency kept the learner from taking
// part becomes an automatic excused absence (agencyPeriods). A mark equal to
// the one recorded is left as it is, with its author. It returns how many
// marks changed.
//
// The audit keeps one row per session and submission (action
// attendance.record, object attendance/SESSION_ID), whose before and after
// list the changed learners by reference: one submission is one act of the
// teacher, and twenty rows for one sheet would bury the audit log.
func (s *Store) RecordAttendance(ctx context.Context, sessionID int64, marks []traject.AttendanceMark) (int, error) {
	changed := 0
	err := s.write(ctx, "record attendance", func(tx *Tx) error {
		sheet, err := tx.sheetToChange(sessionID)
		if err != nil {
			return err
		}
		resolved, err := sheet.resolve(marks, tx)
		if err != nil {
			return err
		}
		periods, err := agencyPeriods(tx, sheet.learnerIDs())
		if err != nil {
			return err
		}
		for i := range resolved {
			traject.ApplyAgencyCause(&resolved[i], traject.SessionDay(sheet.Session.StartsAt), periods[resolved[i].LearnerID])
		}
		changed, err = tx.saveMarks(sheet, resolved, "attendance.record")
		return err
	})
	return changed, err
}

// sheetToChange loads a sheet the actor may record, of a session that is
// not suspended. The course is locked first (on PostgreSQL), so that a
// suspension cannot slip in between the check and the marks.
func (tx *Tx) sheetToChange(sessionID int64) (*AttendanceSheet, error) {
	actor := traject.UserFromContext(tx.ctx)
	var courseID int64
	err := tx.queryRow(`SELECT course_id FROM course_sessions WHERE id = ?`, sessionID).Scan(&courseID)
	if err == nil {
		err = tx.lockCourse(courseID)
	}
	var sheet *AttendanceSheet
	if err == nil {
		sheet, err = loadSheet(tx, actor, sessionID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &traject.Error{Code: traject.ENOTFOUND, Key: "db.notfound", Args: map[string]any{"ID": itoa(sessionID)},
			Message: fmt.Sprintf("session %d not found; it may not exist, or it is outside your region", sessionID)}
	}
	if err != nil {
		return nil, err
	}
	if actor != nil && !traject.CanTakeAttendance(actor, &sheet.Course) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "attendance.forbidden", "only the course's teacher or a coordinator of its region can record its attendance")
	}
	if sheet.Suspension != nil {
		return nil, traject.Errorf(traject.ECONFLICT, "attendance.suspended", "the course was suspended on this day: its attendance counts for no one and cannot be recorded")
	}
	return sheet, nil
}

// resolve checks every mark against the sheet and returns them with their
// learner's id and reference, or every wrong answer at once.
func (sh *AttendanceSheet) resolve(marks []traject.AttendanceMark, tx *Tx) ([]traject.AttendanceMark, error) {
	var v traject.Validation
	seen := map[int64]bool{}
	out := make([]traject.AttendanceMark, 0, len(marks))
	for i, m := range marks {
		m.Normalize()
		m.Source = traject.SourceManual // only Traject itself sets marks automatically
		field := func(name string) string { return fmt.Sprintf("marks[%d].%s", i, name) }
		row := sh.row(m.LearnerID, m.LearnerRef)
		switch {
		case row == nil:
			v.Add(field("learner"), "attendance.learner.unknown", "this learner is not enrolled in the course", map[string]any{"Learner": m.LearnerRef})
			continue
		case seen[row.LearnerID]:
			v.Add(field("learner"), "attendance.learner.twice", "this learner is in the list twice", map[string]any{"Learner": row.LearnerRef})
			continue
		}
		seen[row.LearnerID] = true
		m.SessionID, m.LearnerID, m.LearnerRef = sh.Session.ID, row.LearnerID, row.LearnerRef
		err := m.Validate()
		if err == nil {
			err = m.CheckTiming(sh.Session.StartsAt, tx.now)
		}
		if e, ok := traject.AsError(err); ok {
			for _, f := range e.Fields {
				v.Add(field(f.Field), f.Key, f.Message, f.Args)
			}
			continue
		}
		out = append(out, m)
	}
	return out, v.Err()
}

// row finds a learner of the sheet by id or, without one, by reference.
func (sh *AttendanceSheet) row(id int64, ref string) *AttendanceRow {
	for i := range sh.Rows {
		if r := &sh.Rows[i]; (id != 0 && r.LearnerID == id) || (id == 0 && ref != "" && r.LearnerRef == ref) {
			return r
		}
	}
	return nil
}

func (sh *AttendanceSheet) learnerIDs() []int64 {
	ids := make([]int64, len(sh.Rows))
	for i, r := range sh.Rows {
		ids[i] = r.LearnerID
	}
	return ids
}

// markAudit is how one learner's mark appears in an audit row.
type markAudit struct {
	Status traject.AttendanceStatus `json:"status"`
	Reason traject.ExcuseReason     `json:"reason,omitempty"`
	Source traject.AttendanceSource `json:"source"`
}

// sheetAudit is the before or after of an audit row of a session's sheet.
type sheetAudit struct {
	Course  string                `json:"course"`
	Session int64                 `json:"session"`
	Marks   map[string]*markAudit `json:"marks"`
}

// saveMarks writes the marks that differ from the recorded ones and adds one
// audit row for them all; it writes nothing when nothing changed.
func (tx *Tx) saveMarks(sh *AttendanceSheet, marks []traject.AttendanceMark, action string) (int, error) {
	before := sheetAudit{Course: sh.Course.Ref, Session: sh.Session.ID, Marks: map[string]*markAudit{}}
	after := sheetAudit{Course: sh.Course.Ref, Session: sh.Session.ID, Marks: map[string]*markAudit{}}
	by := attendanceActor(tx.ctx)
	for _, m := range marks {
		old := sh.row(m.LearnerID, "").Mark
		if old != nil && old.Status == m.Status && old.Reason == m.Reason {
			continue
		}
		if _, err := tx.exec(`INSERT INTO attendance (session_id, learner_id, status, reason, source, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (session_id, learner_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
				source = excluded.source, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
			m.SessionID, m.LearnerID, m.Status, m.Reason, m.Source, by, tx.nowArg()); err != nil {
			return 0, err
		}
		if old != nil {
			before.Marks[m.LearnerRef] = &markAudit{old.Status, old.Reason, old.Source}
		} else {
			before.Marks[m.LearnerRef] = nil
		}
		after.Marks[m.LearnerRef] = &markAudit{m.Status, m.Reason, m.Source}
	}
	if len(after.Marks) == 0 {
		return 0, nil
	}
	return len(after.Marks), tx.audit(action, "attendance", itoa(sh.Session.ID), sh.Course.RegionCode, before, after)
}

// agencyPeriods returns, per learner, the periods in which the agency kept
// them from taking part: a device requested and not yet handed out, a lent
// device that failed or was disabled, a data bundle that ran out. This is the
// one place those causes enter attendance (the queries are in agency.go), and
// recording, participation and the follow-up list all follow. A reason chosen
// by hand (no_device_yet, device_failure, no_data) is excused all the same.
func agencyPeriods(r attendanceReader, learnerIDs []int64) (map[int64][]traject.AgencyPeriod, error) {
	return loanAgencyPeriods(r, learnerIDs)
}

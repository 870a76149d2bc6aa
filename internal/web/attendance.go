package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// attendanceView is one session's attendance sheet: a row per learner with
// the status radios and the reason select, all sent in one submission.
type attendanceView struct {
	Sheet    *store.AttendanceSheet
	Rows     []attendanceRow
	Statuses []traject.AttendanceStatus
	Reasons  []traject.ExcuseReason
	CanTake  bool // the actor may record; else the sheet is read-only
	Early    bool // the lesson has not started: only excused absences can be recorded
}

// attendanceRow is one learner on the sheet, with the answer shown: the one
// just sent back with an error, else the one recorded.
type attendanceRow struct {
	store.AttendanceRow
	Name        string
	Status      string
	Reason      string
	Auto        bool // Traject set the recorded mark
	StatusError *fieldError
	ReasonError *fieldError
}

// StatusID is the id of the row's first radio, which the error summary links to.
func (r attendanceRow) StatusID() string { return "status-" + strconv.FormatInt(r.LearnerID, 10) }

// ReasonID is the id and name of the row's reason select.
func (r attendanceRow) ReasonID() string { return "reason-" + strconv.FormatInt(r.LearnerID, 10) }

func sessionIDOf(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, traject.Errorf(traject.ENOTFOUND, "db.notfound", "session %s not found", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) attendanceSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := sessionIDOf(r)
	if err != nil {
		return err
	}
	sheet, err := s.Store.AttendanceSheet(r.Context(), id)
	if err != nil {
		return err
	}
	view := s.newAttendanceView(r, sheet, nil)
	return s.render(w, r, http.StatusOK, "attendance", s.newPage(r, "attendance.title", view))
}

// recordAttendance saves the whole sheet at once. A wrong answer sends the
// sheet back with every answer kept, nothing saved, and the error summary
// naming each learner whose row needs a correction.
func (s *Server) recordAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := sessionIDOf(r)
	if err != nil {
		return err
	}
	sheet, err := s.Store.AttendanceSheet(r.Context(), id)
	if err != nil {
		return err
	}
	marks := sheetAnswers(r, sheet)
	n, err := s.Store.RecordAttendance(r.Context(), id, marks)
	if status, ok := formStatus(err); ok {
		view := s.newAttendanceView(r, sheet, marks)
		p := s.attendanceErrors(r, s.newPage(r, "attendance.title", view), view, err)
		return s.render(w, r, status, "attendance", p)
	}
	if err != nil {
		return err
	}
	s.flash(r, countText(s.localizer(r), "attendance.saved", n))
	http.Redirect(w, r, "/sessions/"+strconv.FormatInt(id, 10)+"/attendance", http.StatusSeeOther)
	return nil
}

// sheetAnswers reads one mark per learner on the sheet: status-ID and
// reason-ID. Fields for learners not on the sheet are ignored.
func sheetAnswers(r *http.Request, sheet *store.AttendanceSheet) []traject.AttendanceMark {
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	marks := make([]traject.AttendanceMark, len(sheet.Rows))
	for i, row := range sheet.Rows {
		id := strconv.FormatInt(row.LearnerID, 10)
		marks[i] = traject.AttendanceMark{LearnerID: row.LearnerID, LearnerRef: row.LearnerRef,
			Status: traject.AttendanceStatus(r.PostFormValue("status-" + id)),
			Reason: traject.ExcuseReason(r.PostFormValue("reason-" + id))}
	}
	return marks
}

// newAttendanceView shows the sheet with the answers sent (in the sheet's
// row order), or with what is recorded when answers is nil.
func (s *Server) newAttendanceView(r *http.Request, sheet *store.AttendanceSheet, answers []traject.AttendanceMark) *attendanceView {
	actor := traject.UserFromContext(r.Context())
	v := &attendanceView{Sheet: sheet, Statuses: traject.AttendanceStatuses, Reasons: traject.ManualExcuseReasons,
		CanTake: sheet.Suspension == nil && traject.CanTakeAttendance(actor, &sheet.Course),
		Early:   sheet.Session.StartsAt.After(time.Now().Add(time.Hour))}
	for i, row := range sheet.Rows {
		vr := attendanceRow{AttendanceRow: row, Name: strings.TrimSpace(row.FirstName + " " + row.LastName)}
		if m := row.Mark; m != nil {
			vr.Status, vr.Reason, vr.Auto = string(m.Status), string(m.Reason), m.Source == traject.SourceAuto
		}
		if answers != nil {
			vr.Status, vr.Reason, vr.Auto = string(answers[i].Status), string(answers[i].Reason), false
		}
		v.Rows = append(v.Rows, vr)
	}
	return v
}

// attendanceErrors places the store's errors on the learners' rows: a field
// marks[i].status belongs to the i-th row, and its message starts with the
// learner's name, so the error summary says whose row to correct.
func (s *Server) attendanceErrors(r *http.Request, p *page, v *attendanceView, err error) *page {
	loc := s.localizer(r)
	e, ok := traject.AsError(err)
	if !ok || len(e.Fields) == 0 || len(v.Rows) == 0 {
		first := "attendance-form"
		if len(v.Rows) > 0 {
			first = v.Rows[0].StatusID()
		}
		return s.withErrors(r, p, err, first)
	}
	for _, f := range e.Fields {
		i, part, ok := markField(f.Field)
		if !ok || i >= len(v.Rows) {
			continue
		}
		row := &v.Rows[i]
		fe := fieldError{Field: row.StatusID(), Message: row.Name + ": " + loc.Field(f)}
		if part == "reason" {
			fe.Field = row.ReasonID()
			row.ReasonError = &fe
		} else {
			row.StatusError = &fe
		}
		p.Errors = append(p.Errors, fe)
	}
	return p
}

// markField reads "marks[3].reason" as (3, "reason").
func markField(field string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, "marks[")
	if !ok {
		return 0, "", false
	}
	num, part, ok := strings.Cut(rest, "].")
	i, err := strconv.Atoi(num)
	return i, part, ok && err == nil && i >= 0
}

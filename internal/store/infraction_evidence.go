package store

import (
	"context"
	"database/sql"
	"time"

	"traject"
	"traject/internal/i18n"
)

// EvidenceSession is one session of the learner's courses in the file's
// period, with the mark recorded and whether it counts against the learner.
type EvidenceSession struct {
	SessionID int64
	CourseRef string
	StartsAt  time.Time
	Status    traject.AttendanceStatus // "" when not recorded
	Reason    traject.ExcuseReason
	Source    traject.AttendanceSource
	Counts    bool // an absence the learner caused: it counts against them
	Agency    bool // an absence the agency caused: it never counts
	Past      bool
}

// EvidenceSummary counts the sessions of the period.
type EvidenceSummary struct {
	Sessions   int
	Attended   int
	Absent     int // absences that count
	Excused    int // excused for the learner's own reasons
	Agency     int // absences the agency caused: never counted
	Unrecorded int // past sessions without a mark
}

// OutreachAttempt is one call to the learner since the period began.
type OutreachAttempt struct {
	CalledAt    time.Time
	Language    string
	Interpreter bool
	Outcome     string
	Note        string
	Caller      string
	InLanguage  bool // held in the learner's language, or with an interpreter
}

// FileLetter is one letter of a file, as sent.
type FileLetter struct {
	ID              int64
	Kind            traject.LetterKind
	Language        string
	Body            string
	Summary         string
	SummaryLanguage string
	SentOn          time.Time
}

// SignOff is one staff member's sign-off of a file.
type SignOff struct {
	UserID   int64
	Email    string
	Name     string
	SignedAt time.Time
}

// FileEvidence is everything a file is judged on: the participation with
// each absence and its reason, the outreach attempts, the letters, the
// sign-offs, the agency's causes open in the period, and the checklist.
type FileEvidence struct {
	File       traject.InfractionFile
	Sessions   []EvidenceSession
	Summary    EvidenceSummary
	Outreach   []OutreachAttempt
	Letters    []FileLetter
	SignOffs   []SignOff
	Causes     []traject.AgencyCauseOpen
	Exemptions int
	Checklist  []traject.CheckItem
	Procedure  traject.Procedure
	Proposed   int // the amount the scale proposes for a fine
}

// FileEvidence returns a file with its evidence, within the actor's region.
func (s *Store) FileEvidence(ctx context.Context, id int64) (*FileEvidence, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	ev, err := loadEvidence(attendancePool{s, ctx}, s.dialect, traject.UserFromContext(ctx), id, s.now())
	if err != nil {
		return nil, s.mapError("file evidence", "file "+itoa(id), err)
	}
	return ev, nil
}

func loadEvidence(r attendanceReader, d dialect, actor *traject.User, id int64, now time.Time) (*FileEvidence, error) {
	f, learnerID, err := loadFile(r, actor, id)
	if err != nil {
		return nil, err
	}
	ev := &FileEvidence{File: *f}
	if ev.Sessions, ev.Summary, err = evidenceSessions(r, d, learnerID, f, now); err != nil {
		return nil, err
	}
	if ev.Outreach, err = outreachAttempts(r, d, learnerID, f); err != nil {
		return nil, err
	}
	if ev.Letters, err = fileLetters(r, id); err != nil {
		return nil, err
	}
	if ev.SignOffs, err = fileSignOffs(r, id); err != nil {
		return nil, err
	}
	if ev.Causes, err = openCauses(r, d, learnerID, f.From, f.Until); err != nil {
		return nil, err
	}
	if err = r.queryRow(`SELECT COUNT(*) FROM exemptions WHERE learner_id = ? AND state = 'pending'`, learnerID).Scan(&ev.Exemptions); err != nil {
		return nil, err
	}
	if ev.Procedure, err = procedure(r); err != nil {
		return nil, err
	}
	var earlier int
	if err = r.queryRow(`SELECT COUNT(*) FROM infraction_files WHERE learner_id = ? AND outcome = 'fine' AND id <> ?`, learnerID, id).Scan(&earlier); err != nil {
		return nil, err
	}
	ev.Proposed = ev.Procedure.Scale.Propose(earlier)
	ev.Checklist = traject.FileChecklist(ev.facts(traject.SessionDay(now)))
	return ev, nil
}

// facts are the checklist's facts from the evidence.
func (ev *FileEvidence) facts(today time.Time) traject.CheckFacts {
	f := traject.CheckFacts{Type: ev.File.Type, NormPercent: ev.File.NormPercent, NormFrom: ev.File.NormFrom,
		Unrecorded: ev.Summary.Unrecorded, WarnedOn: ev.File.WarnedOn, Deadline: ev.File.WarningDeadline,
		Today: today, Exemptions: ev.Exemptions}
	for _, o := range ev.Outreach {
		if o.InLanguage {
			f.Outreach++
		}
	}
	return f
}

// ChecklistPassed reports whether the file may leave the agency as far as
// its checklist goes.
func (ev *FileEvidence) ChecklistPassed() bool { return traject.ChecklistPassed(ev.Checklist) }

// periodTimes returns the period as times: from the start of its first day
// in Brussels to the start of the day after its last.
func periodTimes(f *traject.InfractionFile) (time.Time, time.Time) {
	from := time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, i18n.Brussels)
	end := time.Date(f.Until.Year(), f.Until.Month(), f.Until.Day()+1, 0, 0, 0, 0, i18n.Brussels)
	return from, end
}

func evidenceSessions(r attendanceReader, d dialect, learnerID int64, f *traject.InfractionFile, now time.Time) ([]EvidenceSession, EvidenceSummary, error) {
	from, end := periodTimes(f)
	q := `SELECT s.id, c.ref, s.starts_at, COALESCE(a.status, ''), COALESCE(a.reason, ''), COALESCE(a.source, '')
		FROM course_sessions s JOIN courses c ON c.id = s.course_id
		LEFT JOIN attendance a ON a.session_id = s.id AND a.learner_id = ?
		WHERE s.course_id IN (SELECT course_id FROM enrolments WHERE learner_id = ? AND state <> 'waiting')
		AND s.starts_at >= ? AND s.starts_at < ?`
	args := []any{learnerID, learnerID, d.timeArg(from), d.timeArg(end)}
	if f.CourseRef != "" {
		q += ` AND c.ref = ?`
		args = append(args, f.CourseRef)
	}
	rows, err := r.query(q+` ORDER BY s.starts_at, s.id`, args...)
	if err != nil {
		return nil, EvidenceSummary{}, err
	}
	defer rows.Close()
	var out []EvidenceSession
	var sum EvidenceSummary
	for rows.Next() {
		var e EvidenceSession
		if err := rows.Scan(&e.SessionID, &e.CourseRef, timeCol{&e.StartsAt}, &e.Status, &e.Reason, &e.Source); err != nil {
			return nil, sum, err
		}
		e.Past = e.StartsAt.Before(now)
		sum.add(&e)
		out = append(out, e)
	}
	return out, sum, rows.Err()
}

// add counts one session; an excused absence with the agency's reason never
// counts (DESIGN invariant 7), whoever recorded it.
func (sum *EvidenceSummary) add(e *EvidenceSession) {
	sum.Sessions++
	switch {
	case e.Status.Present():
		sum.Attended++
	case e.Status == traject.AttendanceAbsent:
		e.Counts = true
		sum.Absent++
	case e.Status == traject.AttendanceExcused && e.Reason.AgencyCaused():
		e.Agency = true
		sum.Agency++
	case e.Status == traject.AttendanceExcused:
		sum.Excused++
	case e.Past:
		sum.Unrecorded++
	}
}

// outreachAttempts reads the calls to the learner since the period began. A
// call counts for the checklist when it was held in the learner's contact
// language, or with an interpreter, whatever its outcome: the checklist asks
// for an attempt, not for a learner who answered.
func outreachAttempts(r attendanceReader, d dialect, learnerID int64, f *traject.InfractionFile) ([]OutreachAttempt, error) {
	from, _ := periodTimes(f)
	rows, err := r.query(`SELECT oc.called_at, oc.language, oc.interpreter, oc.outcome, oc.note, COALESCE(u.email, ''), l.language
		FROM outreach_calls oc JOIN learners l ON l.id = oc.learner_id LEFT JOIN users u ON u.id = oc.caller_id
		WHERE oc.learner_id = ? AND oc.called_at >= ? ORDER BY oc.called_at, oc.id`, learnerID, d.timeArg(from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutreachAttempt
	for rows.Next() {
		var o OutreachAttempt
		var learnerLang string
		if err := rows.Scan(timeCol{&o.CalledAt}, &o.Language, &o.Interpreter, &o.Outcome, &o.Note, &o.Caller, &learnerLang); err != nil {
			return nil, err
		}
		o.InLanguage = o.Interpreter || o.Language == learnerLang
		out = append(out, o)
	}
	return out, rows.Err()
}

func fileLetters(r attendanceReader, fileID int64) ([]FileLetter, error) {
	rows, err := r.query(`SELECT id, kind, language, body, summary, summary_language, sent_on FROM letters
		WHERE file_id = ? ORDER BY sent_on, id`, fileID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FileLetter
	for rows.Next() {
		var l FileLetter
		if err := rows.Scan(&l.ID, &l.Kind, &l.Language, &l.Body, &l.Summary, &l.SummaryLanguage, dateCol{&l.SentOn}); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func fileSignOffs(r attendanceReader, fileID int64) ([]SignOff, error) {
	rows, err := r.query(`SELECT u.id, u.email, u.name, so.signed_at FROM file_signoffs so JOIN users u ON u.id = so.user_id
		WHERE so.file_id = ? ORDER BY so.signed_at, u.id`, fileID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SignOff
	for rows.Next() {
		var so SignOff
		if err := rows.Scan(&so.UserID, &so.Email, &so.Name, timeCol{&so.SignedAt}); err != nil {
			return nil, err
		}
		out = append(out, so)
	}
	return out, rows.Err()
}

// FileLetter returns one letter of a file, within the actor's region.
func (s *Store) FileLetter(ctx context.Context, fileID, letterID int64) (*traject.InfractionFile, *FileLetter, error) {
	ev, err := s.FileEvidence(ctx, fileID)
	if err != nil {
		return nil, nil, err
	}
	for i := range ev.Letters {
		if ev.Letters[i].ID == letterID {
			return &ev.File, &ev.Letters[i], nil
		}
	}
	return nil, nil, s.mapError("letter", "letter "+itoa(letterID), sql.ErrNoRows)
}

package store

import (
	"context"
	"strings"
	"time"

	"traject"
)

// The learner's own pages (/mijn/) read through these methods with no staff
// member in the context: the web layer has already tied the session to one
// learner, and asks only for that learner's rows.

// LearnerByID returns a learner by id, for the learner's own session.
func (s *Store) LearnerByID(ctx context.Context, id int64) (*traject.Learner, error) {
	var l traject.Learner
	err := scanLearner(s.queryRow(ctx, `SELECT `+learnerColumns+learnerFrom+` WHERE l.id = ?`, id), &l)
	if err != nil {
		return nil, s.mapError("learner", "learner "+itoa(id), err)
	}
	return &l, nil
}

func (tx *Tx) learnerByID(id int64) (*traject.Learner, error) {
	var l traject.Learner
	if err := scanLearner(tx.queryRow(`SELECT `+learnerColumns+learnerFrom+` WHERE l.id = ?`, id), &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// phoneDigits is the SQL that strips what people type between digits, as
// traject.Learner.Validate allows it: spaces, dots, dashes, slashes, brackets.
const phoneDigits = `REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(l.phone, ' ', ''), '.', ''), '-', ''), '/', ''), '(', ''), ')', '')`

// LearnersByPhone returns the learners whose phone number is number, however
// either was written (0470 12 34 56, +32 470 123 456, 0032470123456). A
// family may share a phone, so there may be several.
func (s *Store) LearnersByPhone(ctx context.Context, number string) ([]traject.Learner, error) {
	key := PhoneKey(number)
	if len(key) < 8 {
		return nil, nil
	}
	// The last eight digits find the few candidates in SQL; the exact key decides.
	rows, err := s.query(ctx, `SELECT `+learnerColumns+learnerFrom+` WHERE l.phone <> '' AND `+phoneDigits+` LIKE ? LIMIT 20`,
		"%"+key[len(key)-8:])
	if err != nil {
		return nil, s.mapError("learners by phone", "", err)
	}
	defer rows.Close()
	var out []traject.Learner
	for rows.Next() {
		var l traject.Learner
		if err := scanLearner(rows, &l); err != nil {
			return nil, s.mapError("learners by phone", "", err)
		}
		if PhoneKey(l.Phone) == key {
			out = append(out, l)
		}
	}
	return out, s.mapError("learners by phone", "", rows.Err())
}

// PhoneKey reduces a phone number to one form for comparison: Belgian
// numbers as 0 and the national digits, others as + and all digits. It
// returns "" for what is not a phone number.
func PhoneKey(number string) string {
	var b strings.Builder
	plus := strings.HasPrefix(strings.TrimSpace(number), "+")
	for _, r := range number {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-/()+", r):
		default:
			return ""
		}
	}
	d := b.String()
	if !plus && strings.HasPrefix(d, "00") {
		d, plus = d[2:], true
	}
	switch {
	case plus && strings.HasPrefix(d, "32"):
		d = "0" + d[2:]
	case plus:
		d = "+" + d
	}
	if len(d) < 8 || len(d) > 16 {
		return ""
	}
	return d
}

// LearnerHome is what a learner sees on their own home page.
type LearnerHome struct {
	Learner *traject.Learner
	Courses []LearnerCourse
	Loans   []LearnerLoan
	Waiting []traject.LoanRequest
}

// LearnerCourse is one of the learner's courses.
type LearnerCourse struct {
	Ref      string
	Kind     traject.CourseKind
	Language string
	Mode     traject.Mode
	Office   string
	StartsOn time.Time
	EndsOn   time.Time
	Waiting  bool // on the waiting list, not yet enrolled
	// Covered: a device is reserved or lent for this course, or requested.
	Covered bool
}

// LearnerLoan is one of the learner's loans with the device's model and the
// office the device is returned to.
type LearnerLoan struct {
	traject.Loan
	Model  string
	Office string
}

// Requestable returns the enrolled courses a device can still be asked for.
func (h *LearnerHome) Requestable() []LearnerCourse {
	var out []LearnerCourse
	for _, c := range h.Courses {
		if !c.Waiting && !c.Covered {
			out = append(out, c)
		}
	}
	return out
}

// LearnerHome returns a learner's courses, current loans and waiting requests.
func (s *Store) LearnerHome(ctx context.Context, learnerID int64) (*LearnerHome, error) {
	l, err := s.LearnerByID(ctx, learnerID)
	if err != nil {
		return nil, err
	}
	h := &LearnerHome{Learner: l}
	if h.Loans, err = s.learnerLoans(ctx, learnerID); err != nil {
		return nil, err
	}
	if h.Waiting, err = s.learnerWaiting(ctx, learnerID); err != nil {
		return nil, err
	}
	if h.Courses, err = s.learnerCourses(ctx, learnerID); err != nil {
		return nil, err
	}
	for i := range h.Courses {
		h.Courses[i].Covered = h.covers(h.Courses[i].Ref)
	}
	return h, nil
}

func (h *LearnerHome) covers(course string) bool {
	for _, l := range h.Loans {
		if l.CourseRef == course && l.State.Active() {
			return true
		}
	}
	for _, r := range h.Waiting {
		if r.CourseRef == course {
			return true
		}
	}
	return false
}

func (s *Store) learnerCourses(ctx context.Context, learnerID int64) ([]LearnerCourse, error) {
	rows, err := s.query(ctx, `SELECT c.ref, c.kind, c.language, c.mode, COALESCE(o.name, ''), c.starts_on, c.ends_on, e.state
		FROM enrolments e JOIN courses c ON c.id = e.course_id LEFT JOIN offices o ON o.id = c.office_id
		WHERE e.learner_id = ? AND e.state IN ('enrolled', 'waiting') ORDER BY c.starts_on, c.ref`, learnerID)
	if err != nil {
		return nil, s.mapError("learner courses", "", err)
	}
	defer rows.Close()
	var out []LearnerCourse
	for rows.Next() {
		var c LearnerCourse
		var state string
		if err := rows.Scan(&c.Ref, &c.Kind, &c.Language, &c.Mode, &c.Office, dateCol{&c.StartsOn}, dateCol{&c.EndsOn}, &state); err != nil {
			return nil, s.mapError("learner courses", "", err)
		}
		c.Waiting = state == string(traject.EnrolmentWaiting)
		out = append(out, c)
	}
	return out, s.mapError("learner courses", "", rows.Err())
}

// learnerLoans returns the loans that are not over, with where to return
// the device: its office, else the learner's office.
func (s *Store) learnerLoans(ctx context.Context, learnerID int64) ([]LearnerLoan, error) {
	rows, err := s.query(ctx, `SELECT `+loanColumns+`, d.model, COALESCE(od.name, ol.name, '')`+loanFrom+`
		LEFT JOIN offices od ON od.id = d.office_id LEFT JOIN offices ol ON ol.id = le.office_id
		WHERE l.learner_id = ? AND l.state IN ('reserved', 'handed_out') ORDER BY l.starts_on, l.id`, learnerID)
	if err != nil {
		return nil, s.mapError("learner loans", "", err)
	}
	defer rows.Close()
	var out []LearnerLoan
	for rows.Next() {
		var l loanRow
		var ll LearnerLoan
		err := rows.Scan(&l.ID, &l.LearnerRef, &l.LearnerName, &l.CourseRef, &l.RegionCode,
			&l.AssetTag, &l.Connectivity, &l.RequestRef, dateCol{&l.From}, dateCol{&l.Until}, dateCol{&l.Due}, &l.State,
			dateCol{&l.HandedOutOn}, dateCol{&l.ReturnedOn}, &l.Condition, &l.Accepted,
			timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt}, &l.deviceID, &l.learnerID, &ll.Model, &ll.Office)
		if err != nil {
			return nil, s.mapError("learner loans", "", err)
		}
		ll.Loan = l.Loan
		out = append(out, ll)
	}
	return out, s.mapError("learner loans", "", rows.Err())
}

func (s *Store) learnerWaiting(ctx context.Context, learnerID int64) ([]traject.LoanRequest, error) {
	rows, err := s.query(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.learner_id = ? AND r.state = 'waiting' ORDER BY r.id`, learnerID)
	if err != nil {
		return nil, s.mapError("learner requests", "", err)
	}
	defer rows.Close()
	var out []traject.LoanRequest
	for rows.Next() {
		var r traject.LoanRequest
		if err := scanRequest(rows, &r); err != nil {
			return nil, s.mapError("learner requests", "", err)
		}
		out = append(out, r)
	}
	return out, s.mapError("learner requests", "", rows.Err())
}

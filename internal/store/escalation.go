package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"traject"
)

// EscalationDays is how many days past due a loan is escalated to the
// course's teacher and the region's desk.
const EscalationDays = 7

// Recipient is a staff member who receives an escalation.
type Recipient struct {
	Email    string
	Name     string
	Language string
}

// EscalationDue is an overdue loan to escalate, with whom to tell.
type EscalationDue struct {
	LoanID      int64
	LearnerRef  string
	LearnerName string
	CourseRef   string
	Region      string
	AssetTag    string
	Model       string
	Due         time.Time
	DaysOverdue int
	Recipients  []Recipient // the course's teacher first, then the region's coordinators and desk staff
}

// EscalationsDue lists the handed-out loans that are at least EscalationDays
// past due on day and were never escalated, with their recipients: the
// course's teacher, and the active coordinators and desk staff of the loan's
// region, each once. Like RemindersDue, it reads every region.
func (s *Store) EscalationsDue(ctx context.Context, day time.Time) ([]EscalationDue, error) {
	day = traject.Date(day)
	rows, err := s.query(ctx, `SELECT l.id, le.ref, le.first_name || ' ' || le.last_name, COALESCE(c.ref, ''), l.region_code,
			d.asset_tag, d.model, l.due_on, COALESCE(u.email, ''), COALESCE(u.name, ''), COALESCE(u.language, '')
		FROM loans l
		JOIN learners le ON le.id = l.learner_id
		JOIN devices d ON d.id = l.device_id
		LEFT JOIN courses c ON c.id = l.course_id
		LEFT JOIN users u ON u.id = c.teacher_id AND u.active
		WHERE l.state = 'handed_out' AND l.due_on <= ?
		  AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.loan_id = l.id)
		ORDER BY l.id`, dateArg(day.AddDate(0, 0, -EscalationDays)))
	if err != nil {
		return nil, s.mapError("escalations due", "", err)
	}
	defer rows.Close()
	var out []EscalationDue
	for rows.Next() {
		var e EscalationDue
		var teacher Recipient
		if err := rows.Scan(&e.LoanID, &e.LearnerRef, &e.LearnerName, &e.CourseRef, &e.Region, &e.AssetTag, &e.Model,
			dateCol{&e.Due}, &teacher.Email, &teacher.Name, &teacher.Language); err != nil {
			return nil, s.mapError("escalations due", "", err)
		}
		e.DaysOverdue = traject.DaysBetween(e.Due, day)
		if teacher.Email != "" {
			e.Recipients = []Recipient{teacher}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.mapError("escalations due", "", err)
	}
	return out, s.addDeskRecipients(ctx, out)
}

// addDeskRecipients adds each region's coordinators and desk staff, read
// once per region, skipping an address already named (a coordinator who
// teaches the course).
func (s *Store) addDeskRecipients(ctx context.Context, list []EscalationDue) error {
	staff := map[string][]Recipient{}
	for i := range list {
		e := &list[i]
		desk, ok := staff[e.Region]
		if !ok {
			var err error
			if desk, err = s.deskStaff(ctx, e.Region); err != nil {
				return err
			}
			staff[e.Region] = desk
		}
		for _, r := range desk {
			if len(e.Recipients) == 0 || e.Recipients[0].Email != r.Email {
				e.Recipients = append(e.Recipients, r)
			}
		}
	}
	return nil
}

func (s *Store) deskStaff(ctx context.Context, region string) ([]Recipient, error) {
	rows, err := s.query(ctx, `SELECT email, name, language FROM users
		WHERE active AND region_code = ? AND role IN ('coordinator', 'desk') ORDER BY email`, region)
	if err != nil {
		return nil, s.mapError("desk staff", "", err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.Email, &r.Name, &r.Language); err != nil {
			return nil, s.mapError("desk staff", "", err)
		}
		out = append(out, r)
	}
	return out, s.mapError("desk staff", "", rows.Err())
}

// Emails returns the recipients' addresses.
func (e *EscalationDue) Emails() []string {
	out := make([]string, len(e.Recipients))
	for i, r := range e.Recipients {
		out[i] = r.Email
	}
	return out
}

// ClaimEscalation records, before anything is sent, that the loan is
// escalated on day. A loan is escalated once: when another process claimed it
// first, ok is false and nothing must be sent.
func (s *Store) ClaimEscalation(ctx context.Context, e *EscalationDue, day time.Time) (id int64, ok bool, err error) {
	err = s.write(ctx, "claim escalation", func(tx *Tx) error {
		err := tx.queryRow(`INSERT INTO escalations (loan_id, sent_on, recipients, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (loan_id) DO NOTHING RETURNING id`,
			e.LoanID, dateArg(traject.Date(day)), strings.Join(e.Emails(), ","), tx.nowArg()).Scan(&id)
		if err == sql.ErrNoRows {
			return nil // claimed by another process
		}
		if err != nil {
			return err
		}
		return tx.audit("loan.escalate", "loan", itoa(e.LoanID), e.Region, nil, map[string]any{
			"on": dateArg(traject.Date(day)), "days_overdue": e.DaysOverdue, "recipients": e.Emails()})
	})
	return id, id != 0, err
}

// ReleaseEscalation removes a claimed escalation that could not be sent to
// every recipient, so that the job's retry sends it again.
func (s *Store) ReleaseEscalation(ctx context.Context, e *EscalationDue, id int64, reason string) error {
	return s.write(ctx, "release escalation", func(tx *Tx) error {
		if err := expectOne(tx.exec(`DELETE FROM escalations WHERE id = ?`, id)); err != nil {
			return err
		}
		return tx.auditReason("loan.escalate.failed", "loan", itoa(e.LoanID), e.Region, reason, nil, nil)
	})
}

package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"traject"
)

// ReminderWindow is how many days before the due date a learner is reminded.
const ReminderWindow = 3

// ReminderItem is one loan a reminder names.
type ReminderItem struct {
	LoanID   int64
	AssetTag string
	Model    string
	Due      time.Time
	Overdue  bool
}

// ReminderDue is one learner to remind on a day, with every loan to name.
type ReminderDue struct {
	LearnerID  int64
	LearnerRef string
	FirstName  string
	Phone      string
	Email      string
	Language   string // as kept on the learner; the job chooses the message language
	Region     string
	Office     string // where to return: the learner's office, else the region's first
	Items      []ReminderItem
}

// Now is the store's clock, which tests may fix.
func (s *Store) Now() time.Time { return s.now() }

// Today is the day of the store's clock in Brussels, as a date.
func (s *Store) Today() time.Time { return traject.SessionDay(s.now()) }

// RemindersDue lists the learners to remind on day, each with all the loans
// to name: handed-out loans past due (named every day until they come back),
// and loans due within ReminderWindow days that no reminder named yet (so a
// day the job did not run is caught up). Learners reminded on day already are
// left out. The list is in learner order, items by due date. It reads every
// region: it serves the reminders job, Traject's own work, not a staff page.
func (s *Store) RemindersDue(ctx context.Context, day time.Time) ([]ReminderDue, error) {
	day = traject.Date(day)
	named, err := s.remindedLoans(ctx, day)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT l.id, le.id, le.ref, le.first_name, le.phone, le.email, le.language, l.region_code,
			COALESCE(o.name, (SELECT f.name FROM offices f WHERE f.region_code = l.region_code ORDER BY f.id LIMIT 1), ''),
			d.asset_tag, d.model, l.due_on
		FROM loans l
		JOIN learners le ON le.id = l.learner_id
		JOIN devices d ON d.id = l.device_id
		LEFT JOIN offices o ON o.id = le.office_id
		WHERE l.state = 'handed_out' AND l.due_on <= ?
		  AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.learner_id = l.learner_id AND r.sent_on = ?)
		ORDER BY le.id, l.due_on, d.asset_tag`, dateArg(day.AddDate(0, 0, ReminderWindow)), dateArg(day))
	if err != nil {
		return nil, s.mapError("reminders due", "", err)
	}
	defer rows.Close()
	var out []ReminderDue
	for rows.Next() {
		var r ReminderDue
		var it ReminderItem
		if err := rows.Scan(&it.LoanID, &r.LearnerID, &r.LearnerRef, &r.FirstName, &r.Phone, &r.Email, &r.Language, &r.Region,
			&r.Office, &it.AssetTag, &it.Model, dateCol{&it.Due}); err != nil {
			return nil, s.mapError("reminders due", "", err)
		}
		it.Overdue = it.Due.Before(day)
		if !it.Overdue && named[it.LoanID].After(it.Due.AddDate(0, 0, -ReminderWindow-1)) {
			continue // reminded of this due date already
		}
		if n := len(out); n > 0 && out[n-1].LearnerID == r.LearnerID {
			out[n-1].Items = append(out[n-1].Items, it)
			continue
		}
		r.Items = []ReminderItem{it}
		out = append(out, r)
	}
	return out, s.mapError("reminders due", "", rows.Err())
}

// remindedLoans returns, for each loan named in a reminder in the window
// before day, the last day it was named.
func (s *Store) remindedLoans(ctx context.Context, day time.Time) (map[int64]time.Time, error) {
	rows, err := s.query(ctx, `SELECT sent_on, loan_ids FROM reminders WHERE sent_on >= ? AND sent_on < ?`,
		dateArg(day.AddDate(0, 0, -ReminderWindow)), dateArg(day))
	if err != nil {
		return nil, s.mapError("reminded loans", "", err)
	}
	defer rows.Close()
	named := map[int64]time.Time{}
	for rows.Next() {
		var on time.Time
		var ids string
		if err := rows.Scan(dateCol{&on}, &ids); err != nil {
			return nil, s.mapError("reminded loans", "", err)
		}
		for _, id := range parseIDs(ids) {
			if on.After(named[id]) {
				named[id] = on
			}
		}
	}
	return named, s.mapError("reminded loans", "", rows.Err())
}

// LoanIDs returns the ids of the reminder's loans.
func (r *ReminderDue) LoanIDs() []int64 {
	ids := make([]int64, len(r.Items))
	for i, it := range r.Items {
		ids[i] = it.LoanID
	}
	return ids
}

// joinIDs and parseIDs keep reminders.loan_ids as "12,15,17".
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = itoa(id)
	}
	return strings.Join(parts, ",")
}

func parseIDs(s string) []int64 {
	var ids []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// ClaimReminder records, before anything is sent, that the learner is
// reminded on day. The row is unique per learner and day: when another
// process claimed it first, ok is false and nothing must be sent. The audit
// row names the loans and the channel, never the address or the text.
func (s *Store) ClaimReminder(ctx context.Context, r *ReminderDue, day time.Time, channel, language string) (id int64, ok bool, err error) {
	err = s.write(ctx, "claim reminder", func(tx *Tx) error {
		err := tx.queryRow(`INSERT INTO reminders (learner_id, sent_on, channel, language, loan_ids, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, sent_on) DO NOTHING RETURNING id`,
			r.LearnerID, dateArg(traject.Date(day)), channel, language, joinIDs(r.LoanIDs()), tx.nowArg()).Scan(&id)
		if err == sql.ErrNoRows {
			return nil // claimed by another process
		}
		if err != nil {
			return err
		}
		return tx.audit("reminder.send", "learner", r.LearnerRef, r.Region, nil, map[string]any{
			"on": dateArg(traject.Date(day)), "channel": channel, "language": language, "loans": r.LoanIDs()})
	})
	return id, id != 0, err
}

// ReleaseReminder removes a claimed reminder whose message could not be sent,
// so that the job's retry sends it; the audit keeps the failure.
func (s *Store) ReleaseReminder(ctx context.Context, r *ReminderDue, id int64, reason string) error {
	return s.write(ctx, "release reminder", func(tx *Tx) error {
		if err := expectOne(tx.exec(`DELETE FROM reminders WHERE id = ?`, id)); err != nil {
			return err
		}
		return tx.auditReason("reminder.failed", "learner", r.LearnerRef, r.Region, reason, nil, map[string]any{"loans": r.LoanIDs()})
	})
}

// RecordUnreachable records that the learner has neither a phone nor an
// e-mail address to be reminded on day: once a day, so that the desk can
// call or write instead.
func (s *Store) RecordUnreachable(ctx context.Context, r *ReminderDue, day time.Time) error {
	reason := "no phone number or e-mail address for the reminder of " + traject.Date(day).Format(traject.DateLayout)
	return s.write(ctx, "record unreachable", func(tx *Tx) error {
		if tx.d == dialectPostgres {
			// Serialises two processes on one learner; SQLite's writer lock already does.
			var got int64
			if err := tx.queryRow(`SELECT id FROM learners WHERE id = ? FOR UPDATE`, r.LearnerID).Scan(&got); err != nil {
				return err
			}
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'learner' AND object_id = ?
			AND action = 'reminder.unreachable' AND reason = ?`, r.LearnerRef, reason).Scan(&n); err != nil || n > 0 {
			return err
		}
		return tx.auditReason("reminder.unreachable", "learner", r.LearnerRef, r.Region, reason, nil, map[string]any{"loans": r.LoanIDs()})
	})
}

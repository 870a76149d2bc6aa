package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"traject"
	"traject/internal/i18n"
)

// procedure reads the procedure's settings.
func procedure(r attendanceReader) (traject.Procedure, error) {
	var p traject.Procedure
	var scale string
	err := r.queryRow(`SELECT warning_days, defence_days, payment_days, reminder_days, fine_scale FROM enforcement_settings WHERE id = 1`).
		Scan(&p.WarningDays, &p.DefenceDays, &p.PaymentDays, &p.ReminderDays, &scale)
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(scale), &p.Scale)
}

// Procedure returns the deadlines' day counts and the fine scale.
func (s *Store) Procedure(ctx context.Context) (traject.Procedure, error) {
	p, err := procedure(attendancePool{s, ctx})
	return p, s.mapError("procedure", "", err)
}

// SetProcedure changes the day counts and the fine scale. They are national:
// only a national role that may change files sets them. Deadlines already
// computed keep their day.
func (s *Store) SetProcedure(ctx context.Context, p traject.Procedure) error {
	if err := caseWriter(ctx); err != nil {
		return err
	}
	if u := traject.UserFromContext(ctx); u != nil && u.ScopeRegion() != "" {
		return traject.Errorf(traject.EFORBIDDEN, "case.procedure.national", "the procedure is national: a regional role cannot change it")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	scale, err := json.Marshal(p.Scale)
	if err != nil {
		return err
	}
	return s.write(ctx, "set procedure", func(tx *Tx) error {
		before, err := procedure(tx)
		if err != nil {
			return err
		}
		if err := expectOne(tx.exec(`UPDATE enforcement_settings SET warning_days = ?, defence_days = ?, payment_days = ?,
			reminder_days = ?, fine_scale = ?, updated_at = ? WHERE id = 1`, p.WarningDays, p.DefenceDays, p.PaymentDays,
			p.ReminderDays, string(scale), tx.nowArg())); err != nil {
			return err
		}
		return tx.audit("case.procedure", "enforcement_settings", "1", "", before, p)
	})
}

// DeadlinesPassed returns the files whose running deadline is before today:
// a warning, a defence, a payment or a reminder that ran out, oldest first.
// A nil actor (the daily job) sees every region.
func (s *Store) DeadlinesPassed(ctx context.Context) ([]traject.InfractionFile, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	where, args := `f.deadline IS NOT NULL AND f.deadline < ?`, []any{dateArg(traject.SessionDay(s.now()))}
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		where, args = where+` AND f.region_code = ?`, append(args, scope)
	}
	return s.fileRows(ctx, where+` ORDER BY f.deadline, f.id`, args...)
}

// RequestExemption records a learner's request to be exempted; while it is
// pending, none of the learner's files can leave the agency.
func (s *Store) RequestExemption(ctx context.Context, learnerRef, reason string, on time.Time) (int64, error) {
	if err := caseWriter(ctx); err != nil {
		return 0, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return 0, &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "say why",
			Fields: []traject.FieldError{{Field: "reason", Key: "case.exemption.reason", Message: "say why the learner asks to be exempted"}}}
	}
	var id int64
	err := s.write(ctx, "request exemption", func(tx *Tx) error {
		l, err := caseLearner(tx, traject.UserFromContext(ctx), learnerRef)
		if err != nil {
			return s.mapError("exemption", "learner "+learnerRef, err)
		}
		if id, err = tx.insert(`INSERT INTO exemptions (learner_id, reason, state, requested_on, created_at) VALUES (?, ?, 'pending', ?, ?)`,
			l.id, reason, dateArg(on), tx.nowArg()); err != nil {
			return err
		}
		return tx.audit("case.exemption.request", "exemption", itoa(id), l.region, nil, map[string]any{"learner": l.ref, "reason": reason})
	})
	return id, err
}

// DecideExemption grants or refuses a pending exemption.
func (s *Store) DecideExemption(ctx context.Context, id int64, granted bool) error {
	if err := caseWriter(ctx); err != nil {
		return err
	}
	state := map[bool]string{true: "granted", false: "refused"}[granted]
	return s.write(ctx, "decide exemption", func(tx *Tx) error {
		var region string
		err := tx.queryRow(`SELECT l.region_code FROM exemptions e JOIN learners l ON l.id = e.learner_id WHERE e.id = ? AND e.state = 'pending'`, id).Scan(&region)
		if u := traject.UserFromContext(ctx); err == nil && u != nil && !u.CanSeeRegion(region) {
			err = sql.ErrNoRows
		}
		if err != nil {
			return s.mapError("exemption", "exemption "+itoa(id), err)
		}
		if err := expectOne(tx.exec(`UPDATE exemptions SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			state, caseActor(ctx), tx.nowArg(), id)); err != nil {
			return err
		}
		return tx.audit("case.exemption."+state, "exemption", itoa(id), region, "pending", state)
	})
}

// FineStatsFilter selects the fines report: the months from..to (YYYY-MM,
// both included) and a region.
type FineStatsFilter struct {
	From, To string
	Region   string
}

// FineStats computes the fines report from the files, within the actor's
// region: per month by event and by infraction month with the year before,
// and the equity view. It reads every file of the two years the report
// spans, which are few: a file is a person's procedure, not a log line.
func (s *Store) FineStats(ctx context.Context, f FineStatsFilter) (*traject.FineStats, error) {
	if u := traject.UserFromContext(ctx); u != nil && !u.Can(traject.PermCasesRead) && !u.Can(traject.PermReportsRead) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "case.forbidden", "you may not read the fines report")
	}
	if traject.MonthRange(f.From, f.To) == nil {
		return nil, &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "enter the months as YYYY-MM, from before to",
			Fields: []traject.FieldError{{Field: "from", Key: "report.months.invalid", Message: "enter the months as YYYY-MM, the first not after the last"}}}
	}
	recs, err := s.fineRecords(ctx, f)
	if err != nil {
		return nil, s.mapError("fines report", "", err)
	}
	st := traject.SummarizeFines(recs, f.From, f.To)
	return &st, nil
}

func (s *Store) fineRecords(ctx context.Context, f FineStatsFilter) ([]traject.FineRecord, error) {
	where, args := []string{"1=1"}, []any{}
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		where, args = append(where, "f.region_code = ?"), append(args, scope)
	}
	if f.Region != "" {
		where, args = append(where, "f.region_code = ?"), append(args, f.Region)
	}
	rows, err := s.query(ctx, `SELECT f.period_until, f.opened_at, f.warned_on, f.referred_on, f.decided_on, f.outcome, f.amount,
		f.region_code, l.language, l.obligation,
		COALESCE((SELECT a.literacy FROM assessments a WHERE a.learner_id = f.learner_id ORDER BY a.id DESC LIMIT 1), 'unknown')
		FROM infraction_files f JOIN learners l ON l.id = f.learner_id WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []traject.FineRecord
	for rows.Next() {
		var r traject.FineRecord
		var until, warned, referred, decided, opened time.Time
		if err := rows.Scan(dateCol{&until}, timeCol{&opened}, dateCol{&warned}, dateCol{&referred}, dateCol{&decided},
			&r.Outcome, &r.Amount, &r.Region, &r.Language, &r.Obligation, &r.Literacy); err != nil {
			return nil, err
		}
		r.InfractionMonth, r.WarnedMonth, r.ReferredMonth, r.DecidedMonth = month(until), month(warned), month(referred), month(decided)
		r.OpenedMonth = month(opened.In(i18n.Brussels))
		out = append(out, r)
	}
	return out, rows.Err()
}

// month is YYYY-MM of a date, "" for none. Dates are days already; a time
// is converted to Brussels by the caller.
func month(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01")
}

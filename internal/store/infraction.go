package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"traject"
)

// caseReader refuses a signed-in actor who may not read infraction files;
// nil is Traject itself (jobs, the demo).
func caseReader(ctx context.Context) error {
	if u := traject.UserFromContext(ctx); u != nil && !u.Can(traject.PermCasesRead) {
		return traject.Errorf(traject.EFORBIDDEN, "case.forbidden", "only enforcement staff read infraction files")
	}
	return nil
}

// caseWriter refuses an actor who may not change infraction files.
func caseWriter(ctx context.Context) error {
	if u := traject.UserFromContext(ctx); u != nil && !u.Can(traject.PermCasesWrite) {
		return traject.Errorf(traject.EFORBIDDEN, "case.forbidden", "only enforcement staff change infraction files")
	}
	return nil
}

// caseLearnerRow is what a file needs of its learner.
type caseLearnerRow struct {
	id         int64
	ref        string
	region     string
	language   string
	obligation traject.Obligation
}

// caseLearner reads a learner by reference within the actor's region; one
// outside it is not found, as one that does not exist.
func caseLearner(r attendanceReader, actor *traject.User, ref string) (*caseLearnerRow, error) {
	var l caseLearnerRow
	err := r.queryRow(`SELECT id, ref, region_code, language, obligation FROM learners WHERE ref = ? AND anonymised_at IS NULL`, ref).
		Scan(&l.id, &l.ref, &l.region, &l.language, &l.obligation)
	if err != nil {
		return nil, err
	}
	if actor != nil && !actor.CanSeeRegion(l.region) {
		return nil, sql.ErrNoRows
	}
	return &l, nil
}

const fileQuery = `SELECT f.id, f.learner_id, l.ref, l.first_name, l.last_name, l.language, COALESCE(c.ref, ''), f.region_code,
	f.type, f.period_from, f.period_until, f.state, f.norm_percent, f.norm_from, f.note, COALESCE(u.email, ''), f.opened_at,
	f.warned_on, f.warning_deadline, f.complied_on, f.referred_on, f.defence_deadline, f.defence_on, f.defence_text,
	f.decided_on, f.outcome, f.amount, f.decision_note, f.payment_deadline, f.reminded_on, f.reminder_deadline,
	f.paid_on, f.collected_on, f.deadline, f.updated_at
	FROM infraction_files f JOIN learners l ON l.id = f.learner_id
	LEFT JOIN courses c ON c.id = f.course_id LEFT JOIN users u ON u.id = f.opened_by`

func scanFile(row interface{ Scan(...any) error }, f *traject.InfractionFile, learnerID *int64) error {
	var first, last string
	err := row.Scan(&f.ID, learnerID, &f.LearnerRef, &first, &last, &f.Language, &f.CourseRef, &f.RegionCode,
		&f.Type, dateCol{&f.From}, dateCol{&f.Until}, &f.State, &f.NormPercent, dateCol{&f.NormFrom}, &f.Note, &f.OpenedBy, timeCol{&f.OpenedAt},
		dateCol{&f.WarnedOn}, dateCol{&f.WarningDeadline}, dateCol{&f.CompliedOn}, dateCol{&f.ReferredOn}, dateCol{&f.DefenceDeadline},
		dateCol{&f.DefenceOn}, &f.DefenceText, dateCol{&f.DecidedOn}, &f.Outcome, &f.Amount, &f.DecisionNote,
		dateCol{&f.PaymentDeadline}, dateCol{&f.RemindedOn}, dateCol{&f.ReminderDeadline}, dateCol{&f.PaidOn},
		dateCol{&f.CollectedOn}, dateCol{&f.Deadline}, timeCol{&f.UpdatedAt})
	f.LearnerName = strings.TrimSpace(first + " " + last)
	return err
}

// loadFile reads one file within the actor's region, with its learner's id.
func loadFile(r attendanceReader, actor *traject.User, id int64) (*traject.InfractionFile, int64, error) {
	var f traject.InfractionFile
	var learnerID int64
	if err := scanFile(r.queryRow(fileQuery+` WHERE f.id = ?`, id), &f, &learnerID); err != nil {
		return nil, 0, err
	}
	if actor != nil && !actor.CanSeeRegion(f.RegionCode) {
		return nil, 0, sql.ErrNoRows
	}
	return &f, learnerID, nil
}

// InfractionFile returns one file, for enforcement staff within its region.
func (s *Store) InfractionFile(ctx context.Context, id int64) (*traject.InfractionFile, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	f, _, err := loadFile(attendancePool{s, ctx}, traject.UserFromContext(ctx), id)
	if err != nil {
		return nil, s.mapError("infraction file", "file "+itoa(id), err)
	}
	return f, nil
}

// FileFilter selects infraction files; zero fields do not filter.
type FileFilter struct {
	Region  string
	State   traject.FileState
	Learner string
	Limit   int // at most 500; 0 is 200
}

// InfractionFiles lists files within the actor's region, newest first.
func (s *Store) InfractionFiles(ctx context.Context, ff FileFilter) ([]traject.InfractionFile, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	where, args := []string{"1=1"}, []any{}
	add := func(cond string, a any) { where, args = append(where, cond), append(args, a) }
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		add("f.region_code = ?", scope)
	}
	if ff.Region != "" {
		add("f.region_code = ?", ff.Region)
	}
	if ff.State != "" {
		add("f.state = ?", string(ff.State))
	}
	if ff.Learner != "" {
		add("l.ref = ?", ff.Learner)
	}
	if ff.Limit <= 0 || ff.Limit > 500 {
		ff.Limit = 200
	}
	return s.fileRows(ctx, strings.Join(where, " AND ")+` ORDER BY f.id DESC LIMIT `+itoa(int64(ff.Limit)), args...)
}

func (s *Store) fileRows(ctx context.Context, where string, args ...any) ([]traject.InfractionFile, error) {
	rows, err := s.query(ctx, fileQuery+` WHERE `+where, args...)
	if err != nil {
		return nil, s.mapError("infraction files", "", err)
	}
	defer rows.Close()
	var out []traject.InfractionFile
	for rows.Next() {
		var f traject.InfractionFile
		var learnerID int64
		if err := scanFile(rows, &f, &learnerID); err != nil {
			return nil, s.mapError("infraction files", "", err)
		}
		out = append(out, f)
	}
	return out, s.mapError("infraction files", "", rows.Err())
}

// OpenFile opens a draft file. The fairness guard refuses it while the agency
// has a cause open for the learner in the period; the refusal names every
// cause, and is itself recorded (file_refusals and the audit log), so that
// refused attempts can be reviewed.
func (s *Store) OpenFile(ctx context.Context, o *traject.FileOpening) (*traject.InfractionFile, error) {
	if err := caseWriter(ctx); err != nil {
		return nil, err
	}
	if err := o.Validate(traject.SessionDay(s.now())); err != nil {
		return nil, err
	}
	var id int64
	var refusal error
	err := s.write(ctx, "open infraction file", func(tx *Tx) error {
		l, err := caseLearner(tx, traject.UserFromContext(ctx), o.LearnerRef)
		if err != nil {
			return s.mapError("open file", "learner "+o.LearnerRef, err)
		}
		if l.obligation != traject.Obliged {
			return traject.Errorf(traject.ECONFLICT, "case.learner.entitled", "only an obliged learner can be fined; %s is entitled", l.ref)
		}
		causes, err := openCauses(tx, tx.d, l.id, o.From, o.Until)
		if err != nil {
			return err
		}
		if len(causes) > 0 {
			refusal = traject.GuardError(causes)
			return recordRefusal(tx, l, o, causes)
		}
		id, err = insertFile(tx, l, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	return s.InfractionFile(ctx, id)
}

func recordRefusal(tx *Tx, l *caseLearnerRow, o *traject.FileOpening, causes []traject.AgencyCauseOpen) error {
	b, err := json.Marshal(causes)
	if err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO file_refusals (learner_id, region_code, type, period_from, period_until, causes, refused_by, refused_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.id, l.region, string(o.Type), dateArg(o.From), dateArg(o.Until), string(b), caseActor(tx.ctx), tx.nowArg())
	if err != nil {
		return err
	}
	return tx.audit("case.refused", "file_refusal", itoa(id), l.region, nil, map[string]any{"opening": o, "causes": causes})
}

// caseActor is the acting staff member's id, or NULL for Traject itself.
func caseActor(ctx context.Context) any {
	if u := traject.UserFromContext(ctx); u != nil {
		return u.ID
	}
	return nil
}

func insertFile(tx *Tx, l *caseLearnerRow, o *traject.FileOpening) (int64, error) {
	if err := refuseOverlap(tx, l.id, o); err != nil {
		return 0, err
	}
	var courseID any
	if o.CourseRef != "" {
		var cid int64
		if err := tx.queryRow(`SELECT id FROM courses WHERE ref = ?`, o.CourseRef).Scan(&cid); err != nil {
			if err == sql.ErrNoRows {
				return 0, &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "unknown course",
					Fields: []traject.FieldError{{Field: "course", Key: "case.course.unknown", Message: "no course has this reference"}}}
			}
			return 0, err
		}
		courseID = cid
	}
	percent, from, err := normAt(tx, o)
	if err != nil {
		return 0, err
	}
	id, err := tx.insert(`INSERT INTO infraction_files (learner_id, course_id, region_code, type, period_from, period_until, state,
		norm_percent, norm_from, note, opened_by, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
		l.id, courseID, l.region, string(o.Type), dateArg(o.From), dateArg(o.Until), percent, dateArg(from), o.Note,
		caseActor(tx.ctx), tx.nowArg(), tx.nowArg())
	if err != nil {
		return 0, err
	}
	return id, tx.audit("case.open", "infraction_file", itoa(id), l.region, nil, o)
}

// refuseOverlap refuses a second file of the same type for an overlapping
// period while the first is not closed.
func refuseOverlap(tx *Tx, learnerID int64, o *traject.FileOpening) error {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM infraction_files WHERE learner_id = ? AND type = ?
		AND period_from <= ? AND period_until >= ? AND state NOT IN ('complied', 'paid', 'collected')
		AND NOT (state = 'decided' AND outcome = 'no_fine')`, learnerID, string(o.Type), dateArg(o.Until), dateArg(o.From)).Scan(&n)
	if err == nil && n > 0 {
		return traject.Errorf(traject.ECONFLICT, "case.duplicate", "this learner already has an open file of this kind for this period")
	}
	return err
}

// normAt returns the participation norm that applied on the period's last
// day, and the first day of its version (zero for the programme's default).
func normAt(tx *Tx, o *traject.FileOpening) (int, time.Time, error) {
	if o.Type != traject.InfractionInsufficientParticipation {
		return 0, time.Time{}, nil
	}
	h, err := participationNorms(tx)
	if err != nil {
		return 0, time.Time{}, err
	}
	var from time.Time
	for _, n := range h {
		if !n.ValidFrom.After(o.Until) && !n.ValidFrom.Before(from) {
			from = n.ValidFrom
		}
	}
	return h.At(o.Until), from, nil
}

// FileRefusal is one attempt the fairness guard refused.
type FileRefusal struct {
	ID         int64
	LearnerRef string
	Type       traject.InfractionType
	From       time.Time
	Until      time.Time
	Causes     []traject.AgencyCauseOpen
	RefusedBy  string
	RefusedAt  time.Time
}

// FileRefusals lists the refused attempts within the actor's region, newest first.
func (s *Store) FileRefusals(ctx context.Context, limit int) ([]FileRefusal, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	where, args := "1=1", []any{}
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		where, args = "r.region_code = ?", []any{scope}
	}
	rows, err := s.query(ctx, `SELECT r.id, l.ref, r.type, r.period_from, r.period_until, r.causes, COALESCE(u.email, ''), r.refused_at
		FROM file_refusals r JOIN learners l ON l.id = r.learner_id LEFT JOIN users u ON u.id = r.refused_by
		WHERE `+where+` ORDER BY r.id DESC LIMIT `+itoa(int64(max(min(limit, 500), 1))), args...)
	if err != nil {
		return nil, s.mapError("file refusals", "", err)
	}
	defer rows.Close()
	var out []FileRefusal
	for rows.Next() {
		var f FileRefusal
		var causes string
		if err := rows.Scan(&f.ID, &f.LearnerRef, &f.Type, dateCol{&f.From}, dateCol{&f.Until}, &causes, &f.RefusedBy, timeCol{&f.RefusedAt}); err != nil {
			return nil, s.mapError("file refusals", "", err)
		}
		if err := json.Unmarshal([]byte(causes), &f.Causes); err != nil {
			return nil, s.mapError("file refusals", "", err)
		}
		out = append(out, f)
	}
	return out, s.mapError("file refusals", "", rows.Err())
}

// FileProposal is a learner on the follow-up list for whom a file for
// insufficient participation could be opened: a proposal, not a file.
type FileProposal struct {
	FollowUpEntry
	From  time.Time // the course's first day
	Until time.Time // its last day, or yesterday while it runs
}

// FileProposals returns the follow-up list's learners without a file for
// insufficient participation in the course's period.
func (s *Store) FileProposals(ctx context.Context) ([]FileProposal, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	list, err := s.FollowUpList(ctx, FollowUpFilter{Ended: true})
	if err != nil {
		return nil, err
	}
	yesterday := traject.SessionDay(s.now()).AddDate(0, 0, -1)
	var out []FileProposal
	for _, e := range list {
		p := FileProposal{FollowUpEntry: e, From: e.Course.StartsOn, Until: e.Course.EndsOn}
		if p.Until.After(yesterday) {
			p.Until = yesterday
		}
		if p.Until.Before(p.From) {
			continue
		}
		var n int
		err := s.queryRow(ctx, `SELECT COUNT(*) FROM infraction_files WHERE learner_id = ? AND type = 'insufficient_participation'
			AND period_from <= ? AND period_until >= ?`, e.LearnerID, dateArg(p.Until), dateArg(p.From)).Scan(&n)
		if err != nil {
			return nil, s.mapError("file proposals", "", err)
		}
		if n == 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

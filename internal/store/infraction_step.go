package store

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"traject"
)

// TakeStep moves a file one step through the procedure, in one audited
// transaction that also computes and stores the deadline the step starts
// and writes the step's letter. Every step that sends something out of the
// agency (the warning, the referral, the decision) asks the fairness guard
// again, since a cause can appear after the file was opened; the referral
// also needs the checklist and two sign-offs by different staff members.
func (s *Store) TakeStep(ctx context.Context, id int64, step traject.FileStep, in traject.StepInput) (*traject.InfractionFile, error) {
	if err := caseWriter(ctx); err != nil {
		return nil, err
	}
	today := traject.SessionDay(s.now())
	if in.On.IsZero() {
		in.On = today
	}
	if in.On.After(today) {
		return nil, &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "a step cannot happen in the future",
			Fields: []traject.FieldError{{Field: "on", Key: "case.on.future", Message: "enter today or an earlier day"}}}
	}
	err := s.write(ctx, "file step", func(tx *Tx) error {
		ev, err := loadEvidence(tx, tx.d, traject.UserFromContext(ctx), id, s.now())
		if err != nil {
			return s.mapError("file step", "file "+itoa(id), err)
		}
		if _, err := traject.CheckFileStep(ev.File.State, ev.File.Outcome, step); err != nil {
			return err
		}
		if err := stepAllowed(ev, step, in); err != nil {
			return err
		}
		return applyStep(tx, ev, step, in)
	})
	if err != nil {
		return nil, err
	}
	return s.InfractionFile(ctx, id)
}

// stepAllowed applies the guards of a step beyond the state table.
func stepAllowed(ev *FileEvidence, step traject.FileStep, in traject.StepInput) error {
	switch step {
	case traject.StepWarn, traject.StepDecide:
		return traject.GuardError(ev.Causes)
	case traject.StepRefer:
		return referAllowed(ev)
	case traject.StepDefence:
		if strings.TrimSpace(in.Text) == "" && !in.On.After(ev.File.DefenceDeadline) {
			return &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "enter the learner's response",
				Fields: []traject.FieldError{{Field: "text", Key: "case.defence.required",
					Message: "enter the learner's written response; without one, wait until the defence deadline has passed"}}}
		}
		if utf8.RuneCountInString(in.Text) > 20000 {
			return &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "the response is too long",
				Fields: []traject.FieldError{{Field: "text", Key: "case.defence.long", Message: "keep the response under 20,000 characters"}}}
		}
	}
	return nil
}

// referAllowed is the gate out of the agency: no open cause, the checklist,
// and two different staff members' sign-offs.
func referAllowed(ev *FileEvidence) error {
	if err := traject.GuardError(ev.Causes); err != nil {
		return err
	}
	if !ev.ChecklistPassed() {
		var failed []string
		for _, it := range ev.Checklist {
			if !it.Passed {
				failed = append(failed, it.Key)
			}
		}
		return &traject.Error{Code: traject.ECONFLICT, Key: "case.checklist.failed", Args: map[string]any{"Items": strings.Join(failed, ", ")},
			Message: "the checklist does not pass: " + strings.Join(failed, ", ")}
	}
	ids := make([]int64, len(ev.SignOffs))
	for i, so := range ev.SignOffs {
		ids[i] = so.UserID
	}
	if n := traject.DistinctSignOffs(ids); n < traject.SignOffsNeeded {
		return &traject.Error{Code: traject.ECONFLICT, Key: "case.signoffs.missing", Args: map[string]any{"Count": n},
			Message: "two different staff members must sign the file off first"}
	}
	return nil
}

// applyStep writes the step: its day, the deadline it starts, its letter and its audit row.
func applyStep(tx *Tx, ev *FileEvidence, step traject.FileStep, in traject.StepInput) error {
	before := ev.File
	f := &ev.File
	to, _ := traject.CheckFileStep(f.State, f.Outcome, step)
	f.State = to
	deadline, starts := ev.Procedure.Deadline(step, in.On)
	f.Deadline = time.Time{}
	if starts {
		f.Deadline = deadline
	}
	var letter traject.LetterKind
	switch step {
	case traject.StepWarn:
		f.WarnedOn, f.WarningDeadline, letter = in.On, deadline, traject.LetterWarning
	case traject.StepComply:
		f.CompliedOn = in.On
	case traject.StepRefer:
		f.ReferredOn, f.DefenceDeadline, letter = in.On, deadline, traject.LetterReferral
	case traject.StepDefence:
		f.DefenceOn, f.DefenceText = in.On, strings.TrimSpace(in.Text)
	case traject.StepDecide:
		d := in.Decision
		if err := d.Validate(); err != nil {
			return err
		}
		f.DecidedOn, f.Outcome, f.Amount, f.DecisionNote, letter = in.On, d.Outcome, d.Amount, d.Note, traject.LetterDecision
		if d.Outcome == traject.OutcomeFine {
			f.PaymentDeadline = deadline
		} else {
			f.Deadline = time.Time{}
		}
	case traject.StepPay:
		f.PaidOn = in.On
	case traject.StepRemind:
		f.RemindedOn, f.ReminderDeadline = in.On, deadline
	case traject.StepCollect:
		f.CollectedOn = in.On
	}
	if err := updateFile(tx, f); err != nil {
		return err
	}
	if letter != "" {
		if err := insertLetter(tx, f, letter, in.On); err != nil {
			return err
		}
	}
	return tx.audit("case.step."+string(step), "infraction_file", itoa(f.ID), f.RegionCode, before, f)
}

func updateFile(tx *Tx, f *traject.InfractionFile) error {
	return expectOne(tx.exec(`UPDATE infraction_files SET state = ?, warned_on = ?, warning_deadline = ?, complied_on = ?,
		referred_on = ?, defence_deadline = ?, defence_on = ?, defence_text = ?, decided_on = ?, outcome = ?, amount = ?,
		decision_note = ?, payment_deadline = ?, reminded_on = ?, reminder_deadline = ?, paid_on = ?, collected_on = ?,
		deadline = ?, updated_at = ? WHERE id = ?`,
		string(f.State), dateArg(f.WarnedOn), dateArg(f.WarningDeadline), dateArg(f.CompliedOn), dateArg(f.ReferredOn),
		dateArg(f.DefenceDeadline), dateArg(f.DefenceOn), f.DefenceText, dateArg(f.DecidedOn), string(f.Outcome), f.Amount,
		f.DecisionNote, dateArg(f.PaymentDeadline), dateArg(f.RemindedOn), dateArg(f.ReminderDeadline), dateArg(f.PaidOn),
		dateArg(f.CollectedOn), dateArg(f.Deadline), tx.nowArg(), f.ID))
}

// insertLetter writes the letter of a step as sent: the text is fixed now.
func insertLetter(tx *Tx, f *traject.InfractionFile, kind traject.LetterKind, on time.Time) error {
	l := traject.ComposeLetter(kind, traject.LetterFacts{FileID: f.ID, Learner: f.LearnerName, Type: f.Type, From: f.From,
		Until: f.Until, Deadline: f.Deadline, Outcome: f.Outcome, Amount: f.Amount}, f.Language)
	_, err := tx.insert(`INSERT INTO letters (file_id, kind, language, body, summary, summary_language, sent_on, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, string(kind), f.Language, l.Dutch, l.Summary, l.SummaryLanguage,
		dateArg(on), caseActor(tx.ctx), tx.nowArg())
	return err
}

// SignOff records that the signed-in staff member reviewed the file and
// agrees it may leave the agency. Only a person signs, once per file, while
// the warning runs or has run out, and only a file whose checklist passes.
func (s *Store) SignOff(ctx context.Context, id int64) error {
	if err := caseWriter(ctx); err != nil {
		return err
	}
	actor := traject.UserFromContext(ctx)
	if actor == nil {
		return traject.Errorf(traject.EFORBIDDEN, "case.signoff.person", "only a staff member can sign a file off")
	}
	return s.write(ctx, "sign off file", func(tx *Tx) error {
		ev, err := loadEvidence(tx, tx.d, actor, id, s.now())
		if err != nil {
			return s.mapError("sign off", "file "+itoa(id), err)
		}
		if ev.File.State != traject.FileWarningSent {
			return traject.Errorf(traject.ECONFLICT, "case.signoff.state", "a file is signed off after its warning, before it is referred")
		}
		for _, so := range ev.SignOffs {
			if so.UserID == actor.ID {
				return traject.Errorf(traject.ECONFLICT, "case.signoff.twice", "you already signed this file off; another staff member must sign too")
			}
		}
		if !ev.ChecklistPassed() {
			return traject.Errorf(traject.ECONFLICT, "case.signoff.checklist", "the checklist must pass before the file is signed off")
		}
		if _, err := tx.exec(`INSERT INTO file_signoffs (file_id, user_id, signed_at) VALUES (?, ?, ?)`, id, actor.ID, tx.nowArg()); err != nil {
			return err
		}
		return tx.audit("case.signoff", "infraction_file", itoa(id), ev.File.RegionCode, nil, map[string]any{"user": actor.Email})
	})
}

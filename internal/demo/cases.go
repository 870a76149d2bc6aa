package demo

import (
	"context"
	"fmt"
	"time"

	"traject"
	"traject/internal/store"
)

// enforcementOfficer is the demo account that opens and steps the files; the
// admin signs them off as the second, different staff member.
const enforcementOfficer = "handhaving@traject.test"

// casePlan is one demo file: the steps it takes, each a number of days
// after the previous one, starting from the end of its course.
type casePlan struct {
	steps    []traject.FileStep
	decision traject.Decision
}

// casePlans give a file at each state of the procedure.
var casePlans = []casePlan{
	{},
	{steps: []traject.FileStep{traject.StepWarn}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepComply}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepRefer}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepRefer, traject.StepDefence}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepRefer, traject.StepDefence, traject.StepDecide},
		decision: traject.Decision{Outcome: traject.OutcomeNoFine, Note: "Het verweer toont een medische reden."}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepRefer, traject.StepDefence, traject.StepDecide, traject.StepPay},
		decision: traject.Decision{Outcome: traject.OutcomeFine}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepRefer, traject.StepDefence, traject.StepDecide, traject.StepRemind},
		decision: traject.Decision{Outcome: traject.OutcomeFine}},
	{steps: []traject.FileStep{traject.StepWarn, traject.StepRefer, traject.StepDefence, traject.StepDecide, traject.StepRemind, traject.StepCollect},
		decision: traject.Decision{Outcome: traject.OutcomeFine}},
}

// SeedCases writes infraction files at each state of the procedure for
// learners of the 2020 follow-up list, after a call to each in their
// language, and records one attempt that the fairness guard refused. Every
// file goes through the store's own steps, so the demo shows what the
// procedure allows and nothing more.
func SeedCases(ctx context.Context, s *store.Store) error {
	admin, err := adminContext(ctx, s)
	if err != nil {
		return err
	}
	u, err := s.UserByEmail(ctx, enforcementOfficer)
	if err != nil {
		return fmt.Errorf("demo: cases need the enforcement account: %w", err)
	}
	officer := traject.NewContextWithUser(ctx, u)
	proposals, err := s.FileProposals(officer)
	if err != nil {
		return fmt.Errorf("demo: proposals: %w", err)
	}
	if err := phoneForCases(admin, s); err != nil {
		return err
	}
	plan := 0
	for _, p := range proposals {
		if plan == len(casePlans) {
			break
		}
		ok, err := seedCase(officer, admin, s, p, casePlans[plan])
		if err != nil {
			return err
		}
		if ok {
			plan++
		}
	}
	return seedRefusal(officer, admin, s)
}

// phoneForCases calls every learner who was not reached once, in their
// language (with an interpreter when it is not Dutch): the checklist asks
// for an attempt before a file leaves the agency.
func phoneForCases(admin context.Context, s *store.Store) error {
	c := &traject.Campaign{Name: "Belronde handhaving 2020: niet bereikt, vóór een dossier", Criteria: traject.CampaignCriteria{NotReached: true},
		RetryAfterDays: 3, MaxAttempts: 3}
	if err := s.CreateCampaign(admin, c); err != nil {
		return fmt.Errorf("demo: enforcement campaign: %w", err)
	}
	targets, err := campaignTargets(admin, s, c.ID)
	if err != nil {
		return err
	}
	for _, t := range targets {
		call := &traject.Call{Outcome: traject.OutcomeNoAnswer, Interpreter: t.Language != "nl", Note: "Geen antwoord; aanmaning volgt."}
		if _, err := s.RecordCall(admin, t.ID, call); err != nil {
			return fmt.Errorf("demo: call %s: %w", t.LearnerRef, err)
		}
	}
	return nil
}

// seedCase opens a file for a proposal and takes the plan's steps. It
// reports false, with nothing written but the refusal, when the guard or
// the checklist keeps the file from the state the plan needs; the next
// proposal then takes the plan.
func seedCase(officer, admin context.Context, s *store.Store, p store.FileProposal, plan casePlan) (bool, error) {
	f, err := s.OpenFile(officer, &traject.FileOpening{LearnerRef: p.LearnerRef, CourseRef: p.Course.Ref,
		Type: traject.InfractionInsufficientParticipation, From: p.From, Until: p.Until})
	if traject.ErrorCode(err) == traject.ECONFLICT {
		return false, nil // the guard refused it (and recorded the attempt), or the learner is entitled
	}
	if err != nil {
		return false, fmt.Errorf("demo: open file for %s: %w", p.LearnerRef, err)
	}
	if err := completeAttendance(officer, admin, s, f.ID, p.LearnerRef); err != nil {
		return false, err
	}
	proc, err := s.Procedure(officer)
	if err != nil {
		return false, err
	}
	day := p.Until.AddDate(0, 0, 7)
	for _, step := range plan.steps {
		if step == traject.StepRefer && !checklistPasses(officer, s, f.ID) {
			return false, nil // stays warned: the learner was not phoned in their language
		}
		if err := takeDemoStep(officer, admin, s, f.ID, step, day, plan.decision); err != nil {
			return false, fmt.Errorf("demo: file %d, %s: %w", f.ID, step, err)
		}
		day = day.AddDate(0, 0, stepGap(proc, step))
	}
	return true, nil
}

// stepGap is the days until the next step: past the deadline the step
// started, so that the checklist's "deadline passed" holds.
func stepGap(p traject.Procedure, step traject.FileStep) int {
	if d, ok := p.Deadline(step, time.Time{}); ok {
		return int(d.Sub(time.Time{}).Hours()/24) + 1
	}
	return 5
}

func takeDemoStep(officer, admin context.Context, s *store.Store, id int64, step traject.FileStep, day time.Time, d traject.Decision) error {
	in := traject.StepInput{On: day}
	switch step {
	case traject.StepRefer:
		for _, ctx := range []context.Context{officer, admin} {
			if err := s.SignOff(ctx, id); err != nil {
				return err
			}
		}
	case traject.StepDefence:
		in.Text = "Ik kon niet komen: mijn kind was ziek. Ik wil de lessen inhalen."
	case traject.StepDecide:
		ev, err := s.FileEvidence(officer, id)
		if err != nil {
			return err
		}
		in.Decision = d
		if d.Outcome == traject.OutcomeFine {
			in.Decision.Amount = ev.Proposed
		}
	}
	_, err := s.TakeStep(officer, id, step, in)
	return err
}

// completeAttendance records the sessions of the file's period that were
// left without a mark as absences, as the course's coordinator would before
// a file leaves the agency ("every absence has a status").
func completeAttendance(officer, admin context.Context, s *store.Store, id int64, learner string) error {
	ev, err := s.FileEvidence(officer, id)
	if err != nil {
		return err
	}
	for _, se := range ev.Sessions {
		if se.Status == "" && se.Past {
			mark := []traject.AttendanceMark{{LearnerRef: learner, Status: traject.AttendanceAbsent}}
			if _, err := s.RecordAttendance(admin, se.SessionID, mark); err != nil {
				return fmt.Errorf("demo: attendance of %s: %w", learner, err)
			}
		}
	}
	return nil
}

// checklistPasses reports whether a file may be signed off and referred.
func checklistPasses(ctx context.Context, s *store.Store, id int64) bool {
	ev, err := s.FileEvidence(ctx, id)
	return err == nil && ev.ChecklistPassed()
}

// seedRefusal tries to open a file for a learner whose device request
// still waits: the guard refuses it and records the attempt.
func seedRefusal(officer, admin context.Context, s *store.Store) error {
	today := traject.SessionDay(time.Now())
	for _, region := range traject.Regions {
		queue, err := s.Queue(admin, region.Code)
		if err != nil {
			return fmt.Errorf("demo: queue %s: %w", region.Code, err)
		}
		for _, r := range queue {
			if !r.Obliged {
				continue
			}
			_, err := s.OpenFile(officer, &traject.FileOpening{LearnerRef: r.LearnerRef, Type: traject.InfractionInsufficientParticipation,
				From: today.AddDate(0, 0, -60), Until: today})
			if traject.GuardCauses(err) != nil {
				return nil
			}
			if err != nil && traject.ErrorCode(err) != traject.ECONFLICT {
				return fmt.Errorf("demo: guarded file for %s: %w", r.LearnerRef, err)
			}
		}
	}
	return nil
}

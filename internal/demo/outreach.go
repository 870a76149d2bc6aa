package demo

import (
	"context"
	"fmt"
	"sort"

	"traject"
	"traject/internal/store"
)

// callPlans is what happened to the first targets of the demo campaign, one
// call per outcome, in order: every reached outcome at least once, learners
// reached at a second try, some who did not answer yet and come back after
// the delay, and a few given up after the last attempt. The targets after
// these are still to be called today.
var callPlans = [][]traject.CallOutcome{
	{traject.OutcomeJoinsOnline},
	{traject.OutcomeNeedsDevice},
	{traject.OutcomeNoAnswer, traject.OutcomeNeedsPretrack},
	{traject.OutcomeNeedsOnsite},
	{traject.OutcomeNoAnswer},
	{traject.OutcomeStopped},
	{traject.OutcomeVoicemail, traject.OutcomeJoinsOnline},
	{traject.OutcomeNoAnswer, traject.OutcomeNoAnswer, traject.OutcomeNoAnswer},
	{traject.OutcomeMoved},
	{traject.OutcomeVoicemail},
	{traject.OutcomeWrongNumber, traject.OutcomeNoAnswer, traject.OutcomeVoicemail},
	{traject.OutcomeJoinsOnline},
	{traject.OutcomeNoAnswer, traject.OutcomeNoAnswer},
	{traject.OutcomeNeedsDevice},
}

// callNotes are the notes callers left, by outcome; most calls have none.
var callNotes = map[traject.CallOutcome]string{
	traject.OutcomeNeedsDevice:   "Heeft geen laptop thuis; de kinderen delen één gsm.",
	traject.OutcomeNeedsPretrack: "Wil eerst leren inloggen en een video-les volgen.",
	traject.OutcomeNeedsOnsite:   "Leert liever in de klas.",
	traject.OutcomeStopped:       "Werkt nu voltijds en stopt met het traject.",
	traject.OutcomeMoved:         "Verhuisd naar Wallonië.",
	traject.OutcomeWrongNumber:   "Nummer niet in gebruik.",
}

// SeedOutreach writes the 2020 outreach campaign: every learner not reached
// in a 2020 course, phoned in their contact language. The Antwerp learners
// are phoned by the demo counsellor, the others by the demo admin. An outcome
// that needs a course finds none planned (the demo holds the 2020 courses
// only), and the call page says so.
func SeedOutreach(ctx context.Context, s *store.Store) error {
	admin, err := adminContext(ctx, s)
	if err != nil {
		return err
	}
	couns, err := s.UserByEmail(ctx, counsellorANT)
	if err != nil {
		return fmt.Errorf("demo: outreach needs the demo counsellor: %w", err)
	}
	counsellor := traject.NewContextWithUser(ctx, couns)
	c := &traject.Campaign{Name: "Belronde 2020: niet online bereikt", Criteria: traject.CampaignCriteria{NotReached: true},
		RetryAfterDays: 3, MaxAttempts: 3}
	if err := s.CreateCampaign(admin, c); err != nil {
		return fmt.Errorf("demo: campaign: %w", err)
	}
	targets, err := campaignTargets(admin, s, c.ID)
	if err != nil {
		return err
	}
	for i, t := range targets {
		if i >= len(callPlans) {
			break
		}
		caller := admin
		if t.RegionCode == "ANT" {
			caller = counsellor
		}
		if err := callTarget(caller, s, t, callPlans[i]); err != nil {
			return err
		}
	}
	return nil
}

// campaignTargets lists a campaign's targets over all its call lists, in the
// order they were selected.
func campaignTargets(ctx context.Context, s *store.Store, id int64) ([]traject.Target, error) {
	lists, err := s.CallLists(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("demo: call lists: %w", err)
	}
	var out []traject.Target
	for _, l := range lists {
		entries, err := s.CallList(ctx, id, l.Language)
		if err != nil {
			return nil, fmt.Errorf("demo: call list %s: %w", l.Language, err)
		}
		for _, e := range entries {
			out = append(out, e.Target)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// callTarget records the planned calls to one target; a call in another
// language than Dutch goes through an interpreter.
func callTarget(ctx context.Context, s *store.Store, t traject.Target, plan []traject.CallOutcome) error {
	for _, o := range plan {
		call := &traject.Call{Outcome: o, Interpreter: t.Language != "nl", Note: callNotes[o]}
		if _, err := s.RecordCall(ctx, t.ID, call); err != nil {
			return fmt.Errorf("demo: call %s (%s): %w", t.LearnerRef, o, err)
		}
	}
	return nil
}

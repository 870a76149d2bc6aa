package traject

import (
	"testing"
	"time"
)

func TestCampaignValidate(t *testing.T) {
	ok := Campaign{Name: "  Belronde   mei ", Criteria: CampaignCriteria{NotReached: true, Region: "Antwerpen"}, RetryAfterDays: 2, MaxAttempts: 3}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid campaign refused: %v", err)
	}
	if ok.Name != "Belronde mei" || ok.RegionCode != "ANT" || ok.Criteria.Region != "ANT" {
		t.Errorf("not normalised: %q %q", ok.Name, ok.RegionCode)
	}
	tests := []struct {
		name   string
		c      Campaign
		fields []string
	}{
		{"nothing", Campaign{}, []string{"name", "criteria", "max_attempts"}},
		{"course without not reached", Campaign{Name: "x", Criteria: CampaignCriteria{FollowUp: true, Course: "MO-1"}, MaxAttempts: 1}, []string{"course"}},
		{"bad region", Campaign{Name: "x", Criteria: CampaignCriteria{LoanOverdue: true, Region: "XX"}, MaxAttempts: 1}, []string{"region"}},
		{"limits", Campaign{Name: "x", Criteria: CampaignCriteria{NoDeviceNoRequest: true}, RetryAfterDays: 61, MaxAttempts: 11}, []string{"retry_after_days", "max_attempts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			e, ok := AsError(err)
			if !ok || e.Code != EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Errorf("fields %v, want %v", got, tt.fields)
				}
			}
		})
	}
}

func TestCallOutcomes(t *testing.T) {
	for _, o := range OutcomesReached {
		if !o.Valid() || !o.Reached() {
			t.Errorf("%s: want valid and reached", o)
		}
	}
	for _, o := range OutcomesNotReached {
		if !o.Valid() || o.Reached() || o.NeedsAction() {
			t.Errorf("%s: want valid, not reached, no action", o)
		}
	}
	want := map[CallOutcome]bool{OutcomeNeedsDevice: true, OutcomeNeedsPretrack: true, OutcomeNeedsOnsite: true}
	for _, o := range CallOutcomes {
		if o.NeedsAction() != want[o] {
			t.Errorf("%s: NeedsAction = %v", o, o.NeedsAction())
		}
	}
	if CallOutcome("busy").Valid() {
		t.Error("unknown outcome valid")
	}
}

func TestCallValidate(t *testing.T) {
	c := Call{Outcome: OutcomeNoAnswer, Language: " AR ", Note: "  later  "}
	if err := c.Validate(); err != nil || c.Language != "ar" || c.Note != "later" {
		t.Fatalf("valid call: %v %q %q", err, c.Language, c.Note)
	}
	bad := Call{Outcome: "busy", Language: "arabic", Note: string(make([]byte, MaxCallNote+1))}
	e, ok := AsError(bad.Validate())
	if !ok || len(e.Fields) != 3 {
		t.Fatalf("want 3 field errors, got %v", bad.Validate())
	}
}

// TestTargetRetries follows one learner through the retry rule: two
// unanswered calls bring them back after the delay, the third exhausts them.
func TestTargetRetries(t *testing.T) {
	day := time.Date(2020, 5, 20, 0, 0, 0, 0, time.UTC)
	tg := Target{State: TargetOpen}
	if !tg.DueOn(day) {
		t.Fatal("a new target is due at once")
	}
	if err := tg.Apply(OutcomeNoAnswer, day, 2, 3); err != nil {
		t.Fatal(err)
	}
	if tg.State != TargetOpen || tg.Attempts != 1 || !tg.NextCallOn.Equal(day.AddDate(0, 0, 2)) {
		t.Fatalf("after one no answer: %+v", tg)
	}
	if tg.DueOn(day.AddDate(0, 0, 1)) || !tg.DueOn(day.AddDate(0, 0, 2)) {
		t.Error("due only from the retry day on")
	}
	_ = tg.Apply(OutcomeVoicemail, day.AddDate(0, 0, 2), 2, 3)
	_ = tg.Apply(OutcomeWrongNumber, day.AddDate(0, 0, 4), 2, 3)
	if tg.State != TargetExhausted || tg.Attempts != 3 || !tg.NextCallOn.IsZero() || tg.DueOn(day.AddDate(0, 0, 9)) {
		t.Fatalf("after the last attempt: %+v", tg)
	}
	if err := tg.Apply(OutcomeJoinsOnline, day, 2, 3); ErrorCode(err) != ECONFLICT {
		t.Errorf("a call to an exhausted target: %v", err)
	}
	r := Target{State: TargetOpen, Attempts: 1}
	if err := r.Apply(OutcomeNeedsDevice, day, 2, 3); err != nil || r.State != TargetReached || r.Outcome != OutcomeNeedsDevice {
		t.Fatalf("reached: %v %+v", err, r)
	}
	one := Target{State: TargetOpen}
	_ = one.Apply(OutcomeNoAnswer, day, 0, 1)
	if one.State != TargetExhausted {
		t.Errorf("max one attempt: %+v", one)
	}
}

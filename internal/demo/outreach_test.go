package demo_test

import (
	"context"
	"testing"

	"traject"
	"traject/internal/demo"
	"traject/internal/store/storetest"
)

// TestSeedOutreach checks the demo campaign: every 2020 learner not reached
// is on it, every reached outcome occurs, some learners come back later and
// some were given up. SQLite only: the store's tests run the same code on
// both databases, and the whole demo is slow to write twice more.
func TestSeedOutreach(t *testing.T) {
	s := storetest.Open(t)
	if err := demo.Seed(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	// The enforcement demo phones the same learners in a campaign of its own
	// before it opens files; this test looks at the outreach one.
	list, err := s.Campaigns(admin())
	if err != nil {
		t.Fatal(err)
	}
	var c traject.Campaign
	for _, x := range list {
		if x.Name == "Belronde 2020: niet online bereikt" {
			c = x
		}
	}
	if c.ID == 0 {
		t.Fatalf("no outreach campaign among %+v", list)
	}
	notReached := 0
	phoned, err := s.PhonedLearners(admin(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range phoned {
		notReached += p.NotReached
	}
	if c.Targets < 15 || c.Targets > notReached {
		t.Errorf("%d targets for %d learners not reached", c.Targets, notReached)
	}
	p, err := s.CampaignProgress(admin(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range traject.OutcomesReached {
		if p.Outcomes[o] == 0 {
			t.Errorf("no call ended %s: %+v", o, p.Outcomes)
		}
	}
	if p.ByState[traject.TargetExhausted] < 2 || p.ByState[traject.TargetReached] < 6 || p.DueToday == 0 ||
		p.DueToday == p.ByState[traject.TargetOpen] {
		t.Errorf("progress: %+v (want some exhausted, some due today and some coming back later)", p)
	}
	lists, err := s.CallLists(admin(), c.ID)
	if err != nil || len(lists) < 3 {
		t.Errorf("call lists: %+v %v", lists, err)
	}
}

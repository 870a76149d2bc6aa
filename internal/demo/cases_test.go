package demo

import (
	"context"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestSeedCases checks that the demo holds a file at each state of the
// procedure and at least one attempt the fairness guard refused.
func TestSeedCases(t *testing.T) {
	s := storetest.Open(t)
	if err := Seed(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	officer := traject.NewContextWithUser(context.Background(), &traject.User{Role: traject.RoleEnforcement, Active: true})
	files, err := s.InfractionFiles(officer, store.FileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[traject.FileState]int{}
	for _, f := range files {
		seen[f.State]++
	}
	for _, st := range traject.FileStates {
		if seen[st] == 0 {
			t.Errorf("no demo file in state %s (have %v)", st, seen)
		}
	}
	if refusals, err := s.FileRefusals(officer, 10); err != nil || len(refusals) == 0 {
		t.Errorf("no refused attempt: %v", err)
	}
}

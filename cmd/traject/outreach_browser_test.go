package main

import (
	"fmt"
	"testing"

	"traject"
)

// TestBrowserOutreachAxe runs axe-core on the campaign pages, the call list
// and the call form, filled and in their error state, in Dutch and Arabic.
func TestBrowserOutreachAxe(t *testing.T) {
	b := newBrowser(t)
	f := newOutFixture(t)
	c := f.campaign(f.admin)
	target := f.targetID(c.ID, "L-001", "ar")
	if _, err := f.Store().RecordCall(f.admin, target, &traject.Call{Outcome: traject.OutcomeNoAnswer, Note: "Later terugbellen"}); err != nil {
		t.Fatal(err)
	}
	campaign, list, call := fmt.Sprintf("/outreach/%d", c.ID), fmt.Sprintf("/outreach/%d/lists/ar", c.ID), fmt.Sprintf("/outreach/targets/%d", target)
	tests := []struct {
		name, path, action string // action: submit this form empty first, for the error state
		status             int64
	}{
		{name: "campaigns nl", path: "/outreach?lang=nl"},
		{name: "new campaign error ar", path: "/outreach?lang=ar", action: "/outreach", status: 422},
		{name: "campaign nl", path: campaign + "?lang=nl"},
		{name: "campaign ar", path: campaign + "?lang=ar"},
		{name: "call list nl", path: list + "?lang=nl"},
		{name: "call list ar", path: list + "?lang=ar"},
		{name: "call form nl", path: call + "?lang=nl"},
		{name: "call form error ar", path: call + "?lang=ar", action: call + "/calls", status: 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := b.tab(t)
			signIn(t, ctx, f.testMain, outCoordANT)
			navigate(t, ctx, f.URL()+tt.path)
			if tt.action != "" {
				if status := submit(t, ctx, tt.action); status != tt.status {
					t.Fatalf("submit empty %s: status %d, want %d", tt.action, status, tt.status)
				}
			}
			checkAxe(t, ctx)
		})
	}
}

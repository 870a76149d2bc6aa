package main

import (
	"fmt"
	"testing"

	"traject"
)

// TestBrowserMaterialsAxe runs axe-core on the material and barrier pages,
// filled and in their error state, in Dutch and in Arabic.
func TestBrowserMaterialsAxe(t *testing.T) {
	b := newBrowser(t)
	f := newMatFixture(t)
	coord := staffEmail(traject.RoleCoordinator, "ANT")
	material, barrier := fmt.Sprintf("/materials/%d", f.material.ID), fmt.Sprintf("/barriers/%d", f.antBarrier.ID)
	tests := []struct {
		name, path, action string // action: submit this form empty first, for the error state
		status             int64
	}{
		{name: "catalogue", path: "/materials?lang=nl"},
		{name: "material with review form", path: material + "?lang=nl"},
		{name: "material review error", path: material + "?lang=nl", action: material + "/reviews", status: 422},
		{name: "new material error", path: "/materials/new?lang=nl", action: "/materials", status: 422},
		{name: "barriers ar", path: "/barriers?lang=ar"},
		{name: "new barrier error", path: "/barriers/new?lang=nl", action: "/barriers", status: 422},
		{name: "barrier status error", path: barrier + "?lang=nl", action: barrier + "/status", status: 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := b.tab(t)
			signIn(t, ctx, f.testMain, coord)
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

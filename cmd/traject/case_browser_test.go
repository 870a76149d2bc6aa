package main

import (
	"fmt"
	"testing"
)

// TestBrowserCasesAxe runs axe-core on the files list, one file, the guard's
// refusal and the fines report, in Dutch and in Arabic.
func TestBrowserCasesAxe(t *testing.T) {
	b := newBrowser(t)
	f := newCasePageFixture(t)
	file := fmt.Sprintf("/cases/%d", f.file.ID)
	tests := []struct {
		name, path, action string // action: submit this form first
		status             int64
	}{
		{name: "files nl", path: "/cases?lang=nl"},
		{name: "files ar", path: "/cases?lang=ar"},
		{name: "file nl", path: file + "?lang=nl"},
		{name: "file ar", path: file + "?lang=ar"},
		{name: "new file error", path: "/cases/new?lang=nl", action: "/cases", status: 422},
		{name: "guard refusal ar", path: "/cases/new?lang=ar&learner=CASE-SUSP&type=insufficient_participation&from=2020-10-19&until=2020-11-12", action: "/cases", status: 409},
		{name: "fines report", path: "/reports/fines?lang=nl&from=2020-01&to=2020-12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := b.tab(t)
			signIn(t, ctx, f.testMain, "enf1@example.org")
			navigate(t, ctx, f.URL()+tt.path)
			if tt.action != "" {
				if status := submit(t, ctx, tt.action); status != tt.status {
					t.Fatalf("submit %s: status %d, want %d", tt.action, status, tt.status)
				}
			}
			checkAxe(t, ctx)
		})
	}
}

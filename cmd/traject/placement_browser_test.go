package main

import (
	"testing"

	"traject"
)

// TestBrowserPlacementAxe runs axe-core on the intake, placement and rules
// pages, as they first show and after a refused form.
func TestBrowserPlacementAxe(t *testing.T) {
	b := newBrowser(t)
	f := newPlacementFixture(t)
	tm := f.tm
	c := tm.client()
	tm.login(c, staffEmail(traject.RoleCounsellor, "BRU"))
	if res := tm.post(c, "/learners/"+plBRU+"/assessment", intakeForm()); res.StatusCode != 303 {
		t.Fatalf("intake: %d", res.StatusCode)
	}
	tests := []struct {
		name, as, path, action string
	}{
		{"intake nl", staffEmail(traject.RoleCounsellor, "ANT"), "/learners/" + plANT + "/assessment?lang=nl", ""},
		{"intake error nl", staffEmail(traject.RoleCounsellor, "ANT"), "/learners/" + plANT + "/assessment?lang=nl", "/learners/" + plANT + "/assessment"},
		{"intake error ar", staffEmail(traject.RoleCounsellor, "ANT"), "/learners/" + plANT + "/assessment?lang=ar", "/learners/" + plANT + "/assessment"},
		{"no placement yet", staffEmail(traject.RoleCounsellor, "ANT"), "/learners/" + plANT + "/placement?lang=nl", ""},
		{"placement nl", staffEmail(traject.RoleCounsellor, "BRU"), "/learners/" + plBRU + "/placement?lang=nl", ""},
		{"placement ar", staffEmail(traject.RoleCounsellor, "BRU"), "/learners/" + plBRU + "/placement?lang=ar", ""},
		{"override error nl", staffEmail(traject.RoleCounsellor, "BRU"), "/learners/" + plBRU + "/placement?lang=nl", "/learners/" + plBRU + "/placement/override"},
		{"rules nl", staffEmail(traject.RoleAdmin, ""), "/admin/placement-rules?lang=nl", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := b.tab(t)
			signIn(t, ctx, tm, tt.as)
			navigate(t, ctx, tm.URL()+tt.path)
			if tt.action != "" {
				if status := submit(t, ctx, tt.action); status != 422 {
					t.Fatalf("submit %s: status %d, want 422", tt.action, status)
				}
			}
			checkAxe(t, ctx)
		})
	}
}

package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"traject"
	"traject/internal/demo"
)

var pdfPages = regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count (\d+)`)

// TestDeviceLabels prints label sheets of the demo fleet through the real
// server: by tag and by the device list's filters, within the actor's region,
// and refuses what it cannot print with a page that says why.
func TestDeviceLabels(t *testing.T) {
	tm := mustRun(t, "")
	if err := demo.SeedFleet(traject.NewContextWithActorLabel(context.Background(), "test"), tm.Store()); err != nil {
		t.Fatal(err)
	}
	tm.mustUser("desk@example.org", traject.RoleDesk, "ANT")
	tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	tm.mustUser("teacher@example.org", traject.RoleTeacher, "ANT")
	var tags []string
	for i := 1; i <= 25; i++ { // CB-0001 to CB-0033 are Antwerpen's first devices
		tags = append(tags, "tag="+demo.AssetTag(1, i))
	}
	var many []string
	for i := 1; i <= 1001; i++ {
		many = append(many, fmt.Sprintf("CB-%05d", i))
	}
	tests := []struct {
		name, user, path string
		status           int
		pages            string // for a PDF
		body             string // for an error page
	}{
		{"25 by tag", "desk", "/devices/labels?" + strings.Join(tags, "&"), 200, "2", ""},
		{"a delivery", "admin", "/devices/labels?delivery=LEV-2020-3", 200, "5", ""}, // 98 labels
		{"the region's 4G", "desk", "/devices/labels?connectivity=4g", 200, "1", ""}, // 16 labels
		{"other region", "desk", "/devices/labels?tag=CB-0040", 404, "", "Niet gevonden: CB-0040"},
		{"unknown tag", "admin", "/devices/labels?tag=NOPE-1", 404, "", "Niet gevonden: NOPE-1"},
		{"nothing", "admin", "/devices/labels?q=ZZZ", 422, "", "niets om af te drukken"},
		{"bad filter", "admin", "/devices/labels?state=gone", 422, "", "<main"},
		{"too many", "admin", "/devices/labels?" + url.Values{"tag": many}.Encode(), 422, "", "hoogstens 1000 etiketten"},
		{"no permission", "teacher", "/devices/labels?tag=CB-0001", 403, "", "devices:read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tm.client()
			tm.login(c, tc.user+"@example.org")
			res := tm.get(c, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", res.StatusCode, tc.status, res.Body)
			}
			if tc.pages != "" {
				m := pdfPages.FindStringSubmatch(res.Body)
				if res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") || m == nil || m[1] != tc.pages {
					t.Errorf("%s, %.10q, pages %v; want a PDF of %s pages", res.Header.Get("Content-Type"), res.Body, m, tc.pages)
				}
			}
			if !strings.Contains(res.Body, tc.body) || (tc.status >= 400 && strings.HasPrefix(res.Body, "%PDF")) {
				t.Errorf("body lacks %q: %.300s", tc.body, res.Body)
			}
		})
	}
}

package main

import (
	"encoding/json"
	"testing"

	"traject"
)

// TestProblemTypeIsTheErrorKey: every operation's refusal names its cause by
// the catalog key in the problem's type, not only the lending desk's.
func TestProblemTypeIsTheErrorKey(t *testing.T) {
	tm := mustRun(t, "")
	token := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	for path, want := range map[string]string{
		"/api/v1/learners/NOBODY": "urn:traject:problem:db.notfound",
		"/api/v1/devices/CB-NONE": "urn:traject:problem:db.notfound",
		"/api/v1/loans/999":       "urn:traject:problem:db.notfound",
	} {
		res := tm.apiJSON(token, "GET", path, "", nil)
		var p struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(res.Body), &p); err != nil || res.StatusCode != 404 || p.Type != want {
			t.Errorf("%s: %d %q, want 404 %q (%v)", path, res.StatusCode, p.Type, want, err)
		}
	}
}

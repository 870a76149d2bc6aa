package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"traject"
)

// TestSubjectAccessExport: an admin exports everything held about one
// learner as JSON (national number in clear) and as PDF; the export is
// audited; other roles are refused; and the logs never see the number.
func TestSubjectAccessExport(t *testing.T) {
	logs := &syncBuffer{}
	tm := mustRunLogged(t, logs)
	admin := tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	tm.mustUser("coord@example.org", traject.RoleCoordinator, "ANT")
	nn := leakNumbers()[0]
	birth, _ := traject.ParseDate("1985-07-30")
	l := &traject.Learner{Ref: "INB-2020-001", FirstName: "Amina", LastName: "El Idrissi", BirthDate: birth, NationalNumber: nn,
		Phone: "+32470000000", Language: "ar", RegionCode: "ANT", Obligation: traject.Obliged}
	if err := tm.Store().CreateLearner(traject.NewContextWithUser(context.Background(), admin), l); err != nil {
		t.Fatal(err)
	}

	c := tm.client()
	tm.login(c, "admin@example.org")
	if page := tm.get(c, "/learners/INB-2020-001"); !strings.Contains(page.Body, `action="/learners/INB-2020-001/export"`) {
		t.Errorf("the admin's learner page has no export form")
	}
	res := tm.post(c, "/learners/INB-2020-001/export", url.Values{"format": {"json"}})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Disposition") != `attachment; filename="traject-INB-2020-001.json"` {
		t.Fatalf("json export: %d %v", res.StatusCode, res.Header)
	}
	var rec struct {
		Learner struct {
			Ref       string `json:"ref"`
			FirstName string `json:"first_name"`
		} `json:"learner"`
		NationalNumber string            `json:"national_number"`
		History        []json.RawMessage `json:"history"`
	}
	if err := json.Unmarshal([]byte(res.Body), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.NationalNumber != string(nn) || rec.Learner.FirstName != "Amina" || len(rec.History) == 0 {
		t.Errorf("export = %+v", rec)
	}
	res = tm.post(c, "/learners/INB-2020-001/export", url.Values{"format": {"pdf"}})
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("pdf export: %d %q", res.StatusCode, res.Body[:min(20, len(res.Body))])
	}
	if res := tm.post(c, "/learners/NOPE/export", url.Values{"format": {"json"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown learner: %d", res.StatusCode)
	}

	coord := tm.client()
	tm.login(coord, "coord@example.org")
	if page := tm.get(coord, "/learners/INB-2020-001"); page.StatusCode != http.StatusOK || strings.Contains(page.Body, "/export") {
		t.Errorf("the coordinator's learner page: %d, offers the export: %v", page.StatusCode, strings.Contains(page.Body, "/export"))
	}
	if res := tm.post(coord, "/learners/INB-2020-001/export", url.Values{"format": {"json"}}); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, string(nn)) {
		t.Errorf("coordinator export: %d", res.StatusCode)
	}

	entries, err := tm.Store().AuditLog(traject.NewContextWithUser(context.Background(), admin),
		traject.AuditFilter{ObjectType: "learner", ObjectID: "INB-2020-001"})
	if err != nil {
		t.Fatal(err)
	}
	exports := 0
	for _, e := range entries {
		if e.Action == "learner.export" {
			exports++
			if strings.Contains(e.After+e.Before, string(nn)) {
				t.Error("the export's audit row holds the national number")
			}
		}
	}
	if exports != 2 {
		t.Errorf("audited exports = %d, want 2", exports)
	}
	if strings.Contains(logs.String(), string(nn)) {
		t.Error("the log holds the national number")
	}
}

package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"traject"
)

func TestAPIOutreach(t *testing.T) {
	f := newOutFixture(t)
	tok := func(email string) string {
		u, err := f.Store().UserByEmail(f.admin, email)
		if err != nil {
			t.Fatal(err)
		}
		return f.mustToken(u)
	}
	coord, couns, bru, desk := tok(outCoordANT), tok(outCounsANT), tok(outCoordBRU), tok(outDeskANT)

	// Bad input: 422 with the fields, and nothing stored.
	res := f.apiJSON(coord, "POST", "/api/v1/outreach/campaigns", `{"name":"x","course":"MO-NOW","max_attempts":11}`, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "criteria") || !strings.Contains(res.Body, "max_attempts") {
		t.Fatalf("bad campaign: %d %s", res.StatusCode, res.Body)
	}
	res = f.apiJSON(coord, "POST", "/api/v1/outreach/campaigns", `{"name":"x","not_reached":true,"region":"BRU"}`, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "own region") {
		t.Fatalf("campaign in another region: %d %s", res.StatusCode, res.Body)
	}
	var list struct{ Items []traject.Campaign }
	if f.apiJSON(coord, "GET", "/api/v1/outreach/campaigns", "", &list); len(list.Items) != 0 {
		t.Fatalf("refused campaigns were stored: %+v", list.Items)
	}

	// Create, then read with progress and lists.
	var created struct {
		traject.Campaign
		Progress traject.CampaignProgress
		Lists    []struct {
			Language string
			Targets  int
			DueToday int `json:"due_today"`
		}
	}
	res = f.apiJSON(coord, "POST", "/api/v1/outreach/campaigns", `{"name":"Niet bereikt","not_reached":true,"retry_after_days":1,"max_attempts":2}`, &created)
	if res.StatusCode != http.StatusCreated || created.Targets != 3 || created.RegionCode != "ANT" || len(created.Lists) != 2 ||
		created.Lists[0].Language != "ar" || created.Lists[0].DueToday != 2 || res.Header.Get("Location") != fmt.Sprintf("/api/v1/outreach/campaigns/%d", created.ID) {
		t.Fatalf("create campaign: %d %s", res.StatusCode, res.Body)
	}
	base := fmt.Sprintf("/api/v1/outreach/campaigns/%d", created.ID)
	var cl struct {
		Items []struct {
			ID         int64
			LearnerRef string `json:"learner"`
			Due        bool
		}
	}
	if res := f.apiJSON(couns, "GET", base+"/lists/ti", "", &cl); res.StatusCode != http.StatusOK || len(cl.Items) != 1 || cl.Items[0].LearnerRef != "L-003" || !cl.Items[0].Due {
		t.Fatalf("call list ti: %d %s", res.StatusCode, res.Body)
	}
	calls := fmt.Sprintf("/api/v1/outreach/targets/%d/calls", cl.Items[0].ID)

	// Calls: bad input changes nothing; two unanswered calls exhaust the target; another call conflicts.
	if res := f.apiJSON(couns, "POST", calls, `{"outcome":"busy","language":"tigrinya"}`, nil); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "outcome") || !strings.Contains(res.Body, "language") {
		t.Fatalf("bad call: %d %s", res.StatusCode, res.Body)
	}
	var rec struct {
		Call   traject.Call
		Target traject.Target
	}
	if res := f.apiJSON(couns, "POST", calls, `{"outcome":"no_answer"}`, &rec); res.StatusCode != http.StatusCreated ||
		rec.Target.State != traject.TargetOpen || rec.Target.Attempts != 1 || rec.Call.Language != "ti" {
		t.Fatalf("first call: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(couns, "POST", calls, `{"outcome":"voicemail","interpreter":true}`, &rec); res.StatusCode != http.StatusCreated ||
		rec.Target.State != traject.TargetExhausted {
		t.Fatalf("last attempt: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(couns, "POST", calls, `{"outcome":"joins_online"}`, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("a call to an exhausted target: %d %s", res.StatusCode, res.Body)
	}
	// needs_device makes a loan request by phone.
	ar := f.targetID(created.ID, "L-001", "ar")
	if res := f.apiJSON(couns, "POST", fmt.Sprintf("/api/v1/outreach/targets/%d/calls", ar), `{"outcome":"needs_device"}`, &rec); res.StatusCode != http.StatusCreated ||
		!strings.HasPrefix(rec.Call.ActionRef, "AV-") {
		t.Fatalf("needs_device: %d %s", res.StatusCode, res.Body)
	}
	if req, err := f.Store().LoanRequest(f.admin, rec.Call.ActionRef); err != nil || req.Channel != traject.ChannelPhone {
		t.Errorf("the request: %+v %v", req, err)
	}
	var got struct {
		Progress traject.CampaignProgress
	}
	if f.apiJSON(coord, "GET", base, "", &got); got.Progress.Calls != 3 || got.Progress.ByState[traject.TargetExhausted] != 1 ||
		got.Progress.ByState[traject.TargetReached] != 1 || got.Progress.Actions != 1 {
		t.Errorf("progress: %+v", got.Progress)
	}

	// Region scope: not found; a role without outreach: forbidden.
	for _, path := range []string{base, base + "/lists/ar"} {
		if res := f.apiJSON(bru, "GET", path, "", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("BRU GET %s: %d", path, res.StatusCode)
		}
	}
	if res := f.apiJSON(bru, "POST", fmt.Sprintf("/api/v1/outreach/targets/%d/calls", ar), `{"outcome":"no_answer"}`, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("BRU call: %d", res.StatusCode)
	}
	if res := f.apiJSON(desk, "GET", "/api/v1/outreach/campaigns", "", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("desk: %d", res.StatusCode)
	}
	if res := f.apiJSON(tok(outEnforcer), "POST", "/api/v1/outreach/campaigns", `{"name":"x","not_reached":true}`, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("enforcement creates: %d", res.StatusCode)
	}
}

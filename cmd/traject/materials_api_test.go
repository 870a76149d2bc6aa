package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"traject"
)

// matProblem is the part of a problem document the tests read.
type matProblem struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// mustMatProblem checks that res is a problem document with status and returns it.
func mustMatProblem(t *testing.T, res *response, status int) matProblem {
	t.Helper()
	var p matProblem
	if res.StatusCode != status || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d (%s), want a %d problem: %s", res.StatusCode, res.Header.Get("Content-Type"), status, res.Body)
	}
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil || p.Detail == "" {
		t.Fatalf("not a problem document with a detail: %v %s", err, res.Body)
	}
	return p
}

func TestAPIMaterials(t *testing.T) {
	tm := mustRun(t, "")
	teacher := tm.mustToken(tm.mustUser("teacher@example.org", traject.RoleTeacher, "ANT"))
	coord := tm.mustToken(tm.mustUser("coord@example.org", traject.RoleCoordinator, "BRU"))
	desk := tm.mustToken(tm.mustUser("desk@example.org", traject.RoleDesk, "BRU"))

	var m struct {
		ID        int64    `json:"id"`
		Status    string   `json:"status"`
		Languages []string `json:"languages"`
		Submitter string   `json:"submitter"`
		Reviews   []struct {
			Reviewer   string `json:"reviewer"`
			MobileData bool   `json:"mobile_data"`
			Decision   string `json:"decision"`
			Notes      string `json:"notes"`
		} `json:"reviews"`
	}
	res := tm.apiJSON(teacher, "POST", "/api/v1/materials", `{"title":"Werk zoeken","link":"https://example.org/werk","type":"video",
		"theme":"werk","languages":["nl","TI"],"track":"basic","works_offline":false}`, &m)
	if res.StatusCode != http.StatusCreated || m.ID == 0 || res.Header.Get("Location") != fmt.Sprintf("/api/v1/materials/%d", m.ID) ||
		m.Status != "submitted" || strings.Join(m.Languages, ",") != "nl,ti" || m.Submitter != "teacher" {
		t.Fatalf("create: %d %s %s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	for name, body := range map[string]string{
		"script link":     `{"title":"x","link":"javascript:alert(1)","type":"video","theme":"x","languages":["nl"],"track":"any"}`,
		"no languages":    `{"title":"x","link":"https://example.org/x","type":"video","theme":"x","languages":[],"track":"any"}`,
		"unknown type":    `{"title":"x","link":"https://example.org/x","type":"podcast","theme":"x","languages":["nl"],"track":"any"}`,
		"same link":       `{"title":"x","link":"https://example.org/werk","type":"video","theme":"x","languages":["nl"],"track":"any"}`,
		"not json":        `{"title":`,
		"too many values": `{"title":"x","link":"https://example.org/x","type":"video","theme":"x","languages":["nl"],"track":"any","colour":"red"}`,
	} {
		t.Run(name, func(t *testing.T) {
			res := tm.apiJSON(teacher, "POST", "/api/v1/materials", body, nil)
			if res.StatusCode != http.StatusBadRequest {
				mustMatProblem(t, res, http.StatusUnprocessableEntity)
			}
		})
	}
	p := mustMatProblem(t, tm.apiJSON(teacher, "POST", "/api/v1/materials", `{"title":"","link":"ftp://x","type":"video","theme":"x","languages":["xx"],"track":"any","works_offline":true}`, nil), http.StatusUnprocessableEntity)
	if len(p.Errors) != 3 || p.Errors[0].Location != "body.title" || p.Errors[1].Location != "body.link" || !strings.Contains(p.Errors[2].Message, "xx") {
		t.Errorf("field errors = %+v", p.Errors)
	}

	path := fmt.Sprintf("/api/v1/materials/%d/reviews", m.ID)
	full := `{"language_level":true,"accessible":true,"chromebook":true,"mobile_data":false,"decision":"approved","notes":"Needs Wi-Fi."}`
	mustMatProblem(t, tm.apiJSON(desk, "POST", path, full, nil), http.StatusForbidden)
	mustMatProblem(t, tm.apiJSON(teacher, "POST", path, full, nil), http.StatusForbidden) // no materials:review, and own material
	p = mustMatProblem(t, tm.apiJSON(coord, "POST", path, `{"language_level":true,"decision":"rejected"}`, nil), http.StatusUnprocessableEntity)
	if len(p.Errors) != 4 { // accessible, chromebook, mobile_data, notes
		t.Errorf("incomplete review errors = %+v", p.Errors)
	}
	mustMatProblem(t, tm.apiJSON(coord, "POST", "/api/v1/materials/999999/reviews", full, nil), http.StatusNotFound)
	res = tm.apiJSON(coord, "POST", path, full, &m)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != fmt.Sprintf("/api/v1/materials/%d", m.ID) ||
		m.Status != "approved" || len(m.Reviews) != 1 || m.Reviews[0].Reviewer != "coord" || m.Reviews[0].MobileData || m.Reviews[0].Notes != "Needs Wi-Fi." {
		t.Fatalf("review: %d %s", res.StatusCode, res.Body)
	}

	var list struct {
		Items []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"items"`
		Next int64 `json:"next"`
	}
	for query, want := range map[string]int{
		"":                             1,
		"?status=approved&track=basic": 1,
		"?language=ti":                 1,
		"?language=fr":                 0,
		"?track=intensive":             0,
	} {
		if res := tm.apiJSON(desk, "GET", "/api/v1/materials"+query, "", &list); res.StatusCode != http.StatusOK || len(list.Items) != want {
			t.Errorf("GET materials%s: %d, %d items, want %d", query, res.StatusCode, len(list.Items), want)
		}
	}
	mustMatProblem(t, tm.apiJSON(desk, "GET", "/api/v1/materials?type=podcast", "", nil), http.StatusUnprocessableEntity)
	mustMatProblem(t, tm.apiJSON(desk, "GET", "/api/v1/materials/999999", "", nil), http.StatusNotFound)
	mustMatProblem(t, tm.apiJSON("", "GET", "/api/v1/materials", "", nil), http.StatusUnauthorized)
}

func TestAPIBarriers(t *testing.T) {
	tm := mustRun(t, "")
	admin := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	antDesk := tm.mustToken(tm.mustUser("desk-ant@example.org", traject.RoleDesk, "ANT"))
	bruDesk := tm.mustToken(tm.mustUser("desk-bru@example.org", traject.RoleDesk, "BRU"))
	antCoord := tm.mustToken(tm.mustUser("coord-ant@example.org", traject.RoleCoordinator, "ANT"))

	var b struct {
		ID       int64  `json:"id"`
		Region   string `json:"region"`
		Status   string `json:"status"`
		Reporter string `json:"reporter"`
	}
	res := tm.apiJSON(antDesk, "POST", "/api/v1/barriers", `{"resource_kind":"software","resource":"Zoom","category":"language",
		"severity":"high","description":"Only in English."}`, &b)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != fmt.Sprintf("/api/v1/barriers/%d", b.ID) ||
		b.Region != "ANT" || b.Status != "open" || b.Reporter != "desk-ant" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(admin, "GET", res.Header.Get("Location"), "", nil); res.StatusCode != http.StatusOK {
		t.Errorf("GET Location: %d", res.StatusCode)
	}
	mustMatProblem(t, tm.apiJSON(bruDesk, "GET", fmt.Sprintf("/api/v1/barriers/%d", b.ID), "", nil), http.StatusNotFound)
	mustMatProblem(t, tm.apiJSON(antDesk, "POST", "/api/v1/barriers", `{"resource_kind":"software","resource":"Zoom","category":"language",
		"severity":"high","description":"x","region":"BRU"}`, nil), http.StatusForbidden)
	p := mustMatProblem(t, tm.apiJSON(admin, "POST", "/api/v1/barriers", `{"resource_kind":"website","resource":"x","category":"price",
		"severity":"critical","description":""}`, nil), http.StatusUnprocessableEntity)
	if len(p.Errors) != 4 { // category, severity, description, region
		t.Errorf("errors = %+v", p.Errors)
	}
	mustMatProblem(t, tm.apiJSON(admin, "POST", "/api/v1/barriers", `{"material_id":999,"category":"cost","severity":"low","description":"x","region":"LIM"}`, nil),
		http.StatusUnprocessableEntity)
	if res := tm.apiJSON(admin, "POST", "/api/v1/barriers", `{"resource_kind":"website","resource":"zoom","category":"device",
		"severity":"blocking","description":"x","region":"Brussel"}`, &b); res.StatusCode != http.StatusCreated || b.Region != "BRU" {
		t.Fatalf("national create: %d %s", res.StatusCode, res.Body)
	}

	// Status changes: barriers:write, in the region, a note to close.
	path := fmt.Sprintf("/api/v1/barriers/%d/status", b.ID)
	mustMatProblem(t, tm.apiJSON(bruDesk, "POST", path, `{"status":"in_progress"}`, nil), http.StatusForbidden)
	mustMatProblem(t, tm.apiJSON(antCoord, "POST", path, `{"status":"in_progress"}`, nil), http.StatusNotFound)
	mustMatProblem(t, tm.apiJSON(admin, "POST", path, `{"status":"wont_fix"}`, nil), http.StatusUnprocessableEntity)
	mustMatProblem(t, tm.apiJSON(admin, "POST", path, `{"status":"open"}`, nil), http.StatusConflict)
	if res := tm.apiJSON(admin, "POST", path, `{"status":"wont_fix","note":"The supplier will not change it."}`, &b); res.StatusCode != http.StatusOK || b.Status != "wont_fix" {
		t.Errorf("wont_fix: %d %s", res.StatusCode, res.Body)
	}

	var list struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	if res := tm.apiJSON(bruDesk, "GET", "/api/v1/barriers?region=ANT", "", &list); res.StatusCode != http.StatusOK || len(list.Items) != 0 {
		t.Errorf("BRU desk asking for ANT: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/barriers?status=wont_fix", "", &list); res.StatusCode != http.StatusOK || len(list.Items) != 1 {
		t.Errorf("admin by status: %d %s", res.StatusCode, res.Body)
	}

	var sum traject.BarrierSummary
	if res := tm.apiJSON(antDesk, "GET", "/api/v1/barriers/summary", "", &sum); res.StatusCode != http.StatusOK ||
		sum.Total != (traject.BarrierCount{Open: 1}) || len(sum.Categories) != 7 || len(sum.Resources) != 1 {
		t.Errorf("ANT summary: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/barriers/summary?from=2000-01-01", "", &sum); res.StatusCode != http.StatusOK ||
		sum.Total != (traject.BarrierCount{Open: 1, WontFix: 1}) || len(sum.Resources) != 2 {
		t.Errorf("national summary: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/barriers/summary?to=2000-01-01", "", &sum); res.StatusCode != http.StatusOK || sum.Total.Total() != 0 {
		t.Errorf("summary before 2000: %d %s", res.StatusCode, res.Body)
	}
	mustMatProblem(t, tm.apiJSON(admin, "GET", "/api/v1/barriers/summary?from=2020-13-45", "", nil), http.StatusUnprocessableEntity)
	mustMatProblem(t, tm.apiJSON(admin, "GET", "/api/v1/barriers/summary?from=yesterday", "", nil), http.StatusUnprocessableEntity)
}

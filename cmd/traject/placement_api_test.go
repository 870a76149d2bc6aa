package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"traject"
)

// intakeJSON is the intake of intakeForm as an API body.
const intakeJSON = `{"assessed_on": "2020-04-01", "device_access": "smartphone_only", "internet": "none",
	"skills": {"log_in": true, "open_website": true, "video_lesson": false, "email_attachment": false, "online_form": false},
	"literacy": "literate_other_script", "education": "primary", "dutch_level": "A1", "languages": ["ar", "fr"]}`

// apiPlacement is what the API answers about a placement.
type apiPlacement struct {
	ID           int64                    `json:"id"`
	Learner      string                   `json:"learner"`
	RulesVersion int                      `json:"rules_version"`
	Recommended  traject.PlacementOutcome `json:"recommended"`
	Final        traject.PlacementOutcome `json:"final"`
	Reasons      []struct {
		Field, Rule, Key, Text string
	} `json:"reasons"`
}

func TestAPIPlacement(t *testing.T) {
	f := newPlacementFixture(t)
	tm := f.tm
	token := func(email string) string {
		u, err := tm.Store().UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		return tm.mustToken(u)
	}
	ant, bru := token(staffEmail(traject.RoleCounsellor, "ANT")), token(staffEmail(traject.RoleCounsellor, "BRU"))
	desk := token(staffEmail(traject.RoleDesk, "ANT"))
	path := "/api/v1/learners/" + plANT

	res := tm.apiJSON(ant, "GET", path+"/placement", "", nil)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "no intake") {
		t.Errorf("placement before the intake: %d %s", res.StatusCode, res.Body)
	}
	var created struct {
		Assessment struct {
			ID          int64    `json:"id"`
			AssessedOn  string   `json:"assessed_on"`
			SkillsScore int      `json:"skills_score"`
			Languages   []string `json:"languages"`
		} `json:"assessment"`
		Placement apiPlacement `json:"placement"`
	}
	res = tm.apiJSON(ant, "POST", path+"/assessments", intakeJSON, &created)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != path+"/placement" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	p := created.Placement
	if created.Assessment.AssessedOn != "2020-04-01" || created.Assessment.SkillsScore != 2 || p.RulesVersion != 1 ||
		p.Recommended.Loan != traject.Loan4G || !p.Recommended.PreTrack || len(p.Reasons) != 4 {
		t.Errorf("created %+v", created)
	}
	if r := p.Reasons[3]; r.Field != "loan" || r.Rule != "loan_4g" || r.Text != "The learner has no computer and no internet. A 4G device with a data bundle is needed." {
		t.Errorf("loan reason = %+v", r)
	}
	checkAPIPlacementRead(t, tm, ant, path, p.ID)
	checkAPIAssessmentRefusals(t, tm, ant, bru, desk)
}

func checkAPIPlacementRead(t *testing.T, tm *testMain, token, path string, id int64) {
	t.Helper()
	var got apiPlacement
	res := tm.do(tm.client(), "GET", path+"/placement", nil, http.Header{"Authorization": {"Bearer " + token}, "Accept-Language": {"nl"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("get placement: %d %s", res.StatusCode, res.Body)
	}
	if !strings.Contains(res.Body, "De inburgeraar heeft geen computer en geen internet.") {
		t.Errorf("the Dutch reasons are missing: %s", res.Body)
	}
	tm.apiJSON(token, "GET", path+"/placement", "", &got)
	if got.ID != id || got.Final != got.Recommended || got.Learner != plANT {
		t.Errorf("placement = %+v", got)
	}
	var list struct{ Items []struct{ ID int64 } }
	if res := tm.apiJSON(token, "GET", path+"/assessments", "", &list); res.StatusCode != 200 || len(list.Items) != 1 {
		t.Errorf("assessments: %d %+v", res.StatusCode, list)
	}
}

// checkAPIAssessmentRefusals sends wrong intakes; none of them is kept.
func checkAPIAssessmentRefusals(t *testing.T, tm *testMain, ant, bru, desk string) {
	t.Helper()
	future := time.Now().AddDate(0, 0, 3).Format(traject.DateLayout)
	tests := []struct {
		name, token, ref, body string
		status                 int
		want                   string
	}{
		{"unknown literacy", ant, plANT, strings.Replace(intakeJSON, `"literate_other_script"`, `"literate"`, 1), 422, "literacy"},
		{"unknown language", ant, plANT, strings.Replace(intakeJSON, `["ar", "fr"]`, `["ar", "xx"]`, 1), 422, "not a language code"},
		{"no language", ant, plANT, strings.Replace(intakeJSON, `["ar", "fr"]`, `[]`, 1), 422, "languages"},
		{"a date that is not one", ant, plANT, strings.Replace(intakeJSON, `"2020-04-01"`, `"1/4/2020"`, 1), 422, "YYYY-MM-DD"},
		{"a date in the future", ant, plANT, strings.Replace(intakeJSON, `"2020-04-01"`, `"`+future+`"`, 1), 422, "future"},
		{"a skill missing", ant, plANT, strings.Replace(intakeJSON, `"online_form": false`, `"typing": true`, 1), 422, "online_form"},
		{"not JSON", ant, plANT, `{`, 400, ""},
		{"another region's learner", bru, plANT, intakeJSON, 404, "outside your region"},
		{"an unknown learner", ant, "INB-NONE", intakeJSON, 404, ""},
		{"a desk may not", desk, plANT, intakeJSON, 403, "learners:write"},
	}
	for _, tt := range tests {
		res := tm.apiJSON(tt.token, "POST", "/api/v1/learners/"+tt.ref+"/assessments", tt.body, nil)
		if res.StatusCode != tt.status || !strings.Contains(res.Body, tt.want) || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
			t.Errorf("%s: %d %s %s", tt.name, res.StatusCode, res.Header.Get("Content-Type"), res.Body)
		}
	}
	var list struct{ Items []struct{ ID int64 } }
	if tm.apiJSON(ant, "GET", "/api/v1/learners/"+plANT+"/assessments", "", &list); len(list.Items) != 1 {
		t.Errorf("refused intakes were kept: %d assessments", len(list.Items))
	}
	if res := tm.apiJSON(bru, "GET", "/api/v1/learners/"+plANT+"/placement", "", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another region's placement: %d", res.StatusCode)
	}
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/i18n"
)

// The learners of the placement tests: one in Antwerp, one in Brussels.
const (
	plANT = "INB-ANT-1"
	plBRU = "INB-BRU-1"
)

// newPlacementFixture is the scenario fixture (one account per role, regional
// roles in ANT and BRU) with a learner in each of the two regions.
func newPlacementFixture(t *testing.T) *scenarioFixture {
	t.Helper()
	f := newScenarioFixture(t)
	admin, err := f.tm.Store().UserByEmail(context.Background(), staffEmail(traject.RoleAdmin, ""))
	if err != nil {
		t.Fatal(err)
	}
	ctx := traject.NewContextWithUser(context.Background(), admin)
	for ref, region := range map[string]string{plANT: "ANT", plBRU: "BRU"} {
		l := &traject.Learner{Ref: ref, FirstName: "Amina", LastName: "Haddad", BirthDate: time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC),
			Language: "ar", RegionCode: region, Obligation: traject.Obliged}
		if err := f.tm.Store().CreateLearner(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// intakeForm is a whole intake: a smartphone without internet, two skills,
// literate in another script, primary school, a little Dutch.
func intakeForm() url.Values {
	y, m, d := time.Now().Date()
	return url.Values{"assessed_on_day": {fmt.Sprint(d)}, "assessed_on_month": {fmt.Sprint(int(m))}, "assessed_on_year": {fmt.Sprint(y)},
		"device_access": {"smartphone_only"}, "internet": {"none"}, "skills": {"log_in", "open_website"},
		"literacy": {"literate_other_script"}, "education": {"primary"}, "dutch_level": {"A1"}, "languages": {"ar, fr"}}
}

func TestPlacementPagesFlow(t *testing.T) {
	f := newPlacementFixture(t)
	tm, nl := f.tm, f.nl
	c := tm.client()
	tm.login(c, staffEmail(traject.RoleCounsellor, "ANT"))
	page := "/learners/" + plANT + "/placement"

	res := tm.get(c, page)
	if res.StatusCode != 200 || !strings.Contains(res.Body, escaped(nl.T("placement.noassessment"))) ||
		!strings.Contains(res.Body, `href="/learners/`+plANT+`/assessment"`) {
		t.Fatalf("placement before the intake: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	res = tm.get(c, "/learners/"+plANT+"/assessment")
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("assessmentpage.pagetitle", "Ref", plANT))
	if n := doc.Find(`input[type="radio"][name="device_access"]`).Length(); n != 4 {
		t.Errorf("%d device radios, want 4", n)
	}
	if n := doc.Find(`input[type="checkbox"][name="skills"]`).Length(); n != 5 {
		t.Errorf("%d skill checkboxes, want 5", n)
	}
	if got := doc.Find("#assessed_on-year").AttrOr("value", ""); got != fmt.Sprint(time.Now().Year()) {
		t.Errorf("the date does not start at today: year %q", got)
	}

	res = tm.post(c, "/learners/"+plANT+"/assessment", intakeForm())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("intake: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), excerpt(res.Body))
	}
	res = tm.get(c, page)
	for _, want := range []string{
		nl.T("assessmentpage.done"),
		nl.T("placement.why.pretrack_skills", "Score", 2, "Max", 5, "Threshold", 3),
		nl.T("placement.why.loan_4g"),
		nl.T("placement.why.mode_blended_skills", "Score", 2, "Max", 5, "Threshold", 3),
		nl.T("placement.loan.4g"),
		nl.T("placementpage.skills.score", "Score", 2, "Max", 5) + ": " + nl.T("assessment.skill.log_in"),
	} {
		if !strings.Contains(res.Body, escaped(want)) {
			t.Errorf("placement page lacks %q", want)
		}
	}
	if !strings.Contains(mustDoc(t, res.Body).Find("main").Text(), "versie 1 van de plaatsingsregels") {
		t.Error("the page does not name the rules version")
	}
	en := tm.get(c, page+"?lang=en")
	if want := "The learner has no computer and no internet. A 4G device with a data bundle is needed."; !strings.Contains(en.Body, want) {
		t.Errorf("English page lacks %q", want)
	}
	for _, lang := range i18n.Languages {
		loc := mustLocalizer(t, lang.Tag)
		checkPageFrame(t, tm.get(c, withLang(page, lang.Tag)).Body, lang, loc.T("placementpage.pagetitle", "Ref", plANT))
		checkPageFrame(t, tm.get(c, withLang("/learners/"+plANT+"/assessment", lang.Tag)).Body, lang, loc.T("assessmentpage.pagetitle", "Ref", plANT))
	}
	tm.get(c, page+"?lang=nl")
	checkOverride(t, f, c, page)
}

// checkOverride refuses an override without a reason, keeping the answers,
// then accepts one with a reason and shows it.
func checkOverride(t *testing.T, f *scenarioFixture, c *http.Client, page string) {
	tm, nl := f.tm, f.nl
	doc := mustDoc(t, tm.get(c, page).Body)
	id := doc.Find(`input[name="placement_id"]`).AttrOr("value", "")
	form := url.Values{"placement_id": {id}, "track": {"standard"}, "mode": {"onsite"}, "pretrack": {"true"}, "loan": {"4g"}, "reason": {" "}}
	res := tm.post(c, page+"/override", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("override without a reason: %d", res.StatusCode)
	}
	doc = checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("placementpage.pagetitle", "Ref", plANT))
	if doc.Find(`.error-summary a[href="#reason"]`).Length() != 1 || doc.Find("#reason-error").Length() != 1 {
		t.Error("the missing reason is not in the summary and at the field")
	}
	if _, ok := doc.Find("#mode-onsite").Attr("checked"); !ok {
		t.Error("the chosen mode was not kept")
	}
	form.Set("reason", "Werkt overdag; komt naar de avondklas.")
	if res = tm.post(c, page+"/override", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	body := tm.get(c, page).Body
	for _, want := range []string{nl.T("placementpage.override.done"), "Werkt overdag; komt naar de avondklas.", nl.T("placementpage.col.final")} {
		if !strings.Contains(body, escaped(want)) {
			t.Errorf("after the override the page lacks %q", want)
		}
	}
}

func TestAssessmentFormErrors(t *testing.T) {
	f := newPlacementFixture(t)
	tm := f.tm
	path := "/learners/" + plANT + "/assessment"
	for _, lang := range i18n.Languages {
		t.Run(lang.Tag, func(t *testing.T) {
			tm := tm.forTest(t)
			loc := mustLocalizer(t, lang.Tag)
			c := tm.client()
			tm.login(c, staffEmail(traject.RoleCounsellor, "ANT"))
			res := tm.post(c, withLang(path, lang.Tag), url.Values{"assessed_on_day": {"31"}, "assessed_on_month": {"2"}, "assessed_on_year": {"2020"}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			doc := checkPageFrame(t, res.Body, lang, loc.T("error.prefix")+" "+loc.T("assessmentpage.pagetitle", "Ref", plANT))
			checkFormErrors(t, doc, loc, formErrorCase{fields: map[string]string{
				"assessed_on": "assessment.date.invalid", "device_access": "assessment.device.invalid", "internet": "assessment.internet.invalid",
				"literacy": "assessment.literacy.invalid", "education": "assessment.education.invalid",
				"dutch_level": "assessment.dutch.invalid", "languages": "assessment.languages.required"}})
		})
	}
	c := tm.client()
	tm.login(c, staffEmail(traject.RoleCounsellor, "ANT"))
	form := intakeForm()
	form.Set("languages", "ar, xx")
	res := tm.post(c, path, form)
	doc := mustDoc(t, res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(".error-summary a").Length() != 1 {
		t.Fatalf("unknown language: status %d", res.StatusCode)
	}
	for _, id := range []string{"device_access-smartphone_only", "internet", "skills", "skills-open_website", "literacy-literate_other_script", "dutch_level-A1"} {
		if _, ok := doc.Find("#" + id).Attr("checked"); !ok {
			t.Errorf("#%s is no longer checked", id)
		}
	}
	if got := doc.Find("#languages").AttrOr("value", ""); got != "ar, xx" {
		t.Errorf("languages kept as %q", got)
	}
	if _, err := tm.Store().Placement(traject.NewContextWithUser(context.Background(), &traject.User{Role: traject.RoleAdmin, Active: true}), plANT); traject.ErrorCode(err) != traject.ENOTFOUND {
		t.Errorf("a refused intake left a placement: %v", err)
	}
}

// TestPlacementRoutesByRole runs the placement routes as every role (in
// Antwerp for a regional role) and as nobody; the expected answer follows
// from the roles' permissions.
func TestPlacementRoutesByRole(t *testing.T) {
	f := newPlacementFixture(t)
	forbidden := escaped(f.nl.T("errorpage.403"))
	routes := []struct {
		method, path string
		perm         traject.Permission
		form         url.Values
		ok           int
	}{
		{"GET", "/learners/" + plANT + "/placement", traject.PermLearnersRead, nil, 200},
		{"GET", "/learners/" + plANT + "/assessment", traject.PermLearnersWrite, nil, 200},
		{"POST", "/learners/" + plANT + "/assessment", traject.PermLearnersWrite, url.Values{}, 422},
		{"POST", "/learners/" + plANT + "/placement/override", traject.PermLearnersWrite, url.Values{"pretrack": {"true"}}, 404},
		{"POST", "/learners/" + plANT + "/placement", traject.PermLearnersWrite, nil, 404},
		{"GET", "/admin/placement-rules", traject.PermPlacementRules, nil, 200},
		{"POST", "/admin/placement-rules", traject.PermPlacementRules, url.Values{"rules": {"{"}}, 422},
	}
	var scenarios []scenario
	for _, r := range routes {
		for _, role := range traject.Roles {
			sc := scenario{name: r.method + " " + r.path + " as " + string(role), role: role, region: homeRegion(role),
				method: r.method, path: r.path, form: r.form, status: r.ok, notWant: []string{forbidden}}
			if !role.Can(r.perm) {
				sc.status, sc.want, sc.notWant = http.StatusForbidden, []string{forbidden}, nil
			}
			scenarios = append(scenarios, sc)
		}
		sc := scenario{name: r.method + " " + r.path + " as nobody", method: r.method, path: r.path, form: r.form, status: http.StatusUnauthorized}
		if r.method == http.MethodGet {
			sc.status, sc.location = http.StatusSeeOther, "/login?next="+url.QueryEscape(r.path)
		}
		scenarios = append(scenarios, sc)
	}
	notFound := escaped(f.nl.T("errorpage.404"))
	scenarios = append(scenarios,
		scenario{name: "another region's learner is not found", role: traject.RoleCounsellor, region: "BRU", method: "GET",
			path: "/learners/" + plANT + "/placement", status: 404, want: []string{notFound}},
		scenario{name: "no intake for another region's learner", role: traject.RoleCounsellor, region: "BRU", method: "POST",
			path: "/learners/" + plANT + "/assessment", form: intakeForm(), status: 404},
		scenario{name: "own region's learner", role: traject.RoleCounsellor, region: "BRU", method: "GET",
			path: "/learners/" + plBRU + "/assessment", status: 200},
		scenario{name: "an unknown learner", role: traject.RoleAdmin, method: "GET", path: "/learners/INB-NONE/placement", status: 404},
		scenario{name: "the rules menu for an admin", role: traject.RoleAdmin, method: "GET", path: "/", status: 200,
			want: []string{`href="/admin/placement-rules"`}},
		scenario{name: "no rules menu for a coordinator", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/", status: 200,
			notWant: []string{`href="/admin/placement-rules"`}},
		scenario{name: "a reader sees no forms", role: traject.RoleDesk, region: "ANT", method: "GET", path: "/learners/" + plANT + "/placement",
			status: 200, notWant: []string{`/assessment"`}},
	)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			f.run(t, sc)
		})
	}
}

func TestPlacementRulesPage(t *testing.T) {
	f := newPlacementFixture(t)
	tm, nl := f.tm, f.nl
	counsellor := tm.client()
	tm.login(counsellor, staffEmail(traject.RoleCounsellor, "ANT"))
	if res := tm.post(counsellor, "/learners/"+plANT+"/assessment", intakeForm()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("intake: %d", res.StatusCode)
	}
	admin := tm.client()
	tm.login(admin, staffEmail(traject.RoleAdmin, ""))
	for _, lang := range i18n.Languages {
		res := tm.get(admin, "/admin/placement-rules?lang="+lang.Tag)
		loc := mustLocalizer(t, lang.Tag)
		doc := checkPageFrame(t, res.Body, lang, loc.T("rulespage.title"))
		if got := doc.Find("textarea#rules").Text(); got != traject.DefaultPlacementRules {
			t.Errorf("%s: the form does not start from the active version", lang.Tag)
		}
	}
	tm.get(admin, "/admin/placement-rules?lang=nl")

	bad := strings.Replace(traject.DefaultPlacementRules, `"then": {"loan": "wifi"}`, `"then": {"loan": "5g"}`, 1)
	res := tm.post(admin, "/admin/placement-rules", url.Values{"rules": {bad}, "note": {"5G"}})
	doc := mustDoc(t, res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(".error-summary").Text(), "loan_wifi") ||
		doc.Find("textarea#rules").Text() != bad || doc.Find("#note").AttrOr("value", "") != "5G" {
		t.Errorf("invalid rules: status %d, summary %q", res.StatusCode, doc.Find(".error-summary").Text())
	}
	res = tm.post(admin, "/admin/placement-rules", url.Values{"rules": {"{\n\"rules\": [,]}"}})
	if want := nl.T("placement.rules.json", "Line", 2, "Column", 11); res.StatusCode != 422 || !strings.Contains(res.Body, escaped(want)) {
		t.Errorf("broken JSON: status %d, want %q", res.StatusCode, want)
	}

	intensive := `{"rules": [{"name": "all", "then": {"track": "intensive", "mode": "online", "pretrack": false, "loan": "none"}, "explain": "placement.why.rule"}]}`
	res = tm.post(admin, "/admin/placement-rules", url.Values{"rules": {intensive}, "note": {"Iedereen intensief"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	body := tm.get(admin, "/admin/placement-rules").Body
	if !strings.Contains(body, escaped(nl.T("rulespage.done", "Version", 2))) || !strings.Contains(body, "Iedereen intensief") {
		t.Error("the published version is not shown")
	}
	checkPlaceAgain(t, f, counsellor)
}

// checkPlaceAgain: after a new version, the placement keeps version 1 until
// a counsellor asks for a new proposal.
func checkPlaceAgain(t *testing.T, f *scenarioFixture, c *http.Client) {
	tm, nl := f.tm, f.nl
	page := "/learners/" + plANT + "/placement"
	body := tm.get(c, page).Body
	if !strings.Contains(body, escaped(nl.T("placementpage.newer", "Version", 2, "Old", 1))) ||
		!strings.Contains(body, escaped(nl.T("placement.why.loan_4g"))) {
		t.Fatalf("the page does not keep version 1 and offer version 2\n%s", excerpt(body))
	}
	if res := tm.post(c, page, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("place again: %d", res.StatusCode)
	}
	body = tm.get(c, page).Body
	if !strings.Contains(body, escaped(nl.T("placement.why.rule", "Rule", "all"))) || !strings.Contains(body, escaped(nl.T("placementpage.earlier"))) {
		t.Errorf("the new proposal or the earlier one is missing\n%s", excerpt(body))
	}
}

package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"traject"
	"traject/internal/config"
	"traject/internal/i18n"
)

// learnerFixture is a server with a secret key, staff of several roles and
// one learner in Antwerpen with a national number.
type learnerFixture struct {
	tm     *testMain
	number traject.NationalNumber
}

func newLearnerFixture(t *testing.T) *learnerFixture {
	t.Helper()
	tm := mustRun(t, "", func(c *config.Config) { c.SecretKey = testSecretKey })
	for _, u := range []struct {
		email  string
		role   traject.Role
		region string
	}{
		{"admin@example.org", traject.RoleAdmin, ""}, {"coord@example.org", traject.RoleCoordinator, "ANT"},
		{"coord.bru@example.org", traject.RoleCoordinator, "BRU"}, {"counsellor@example.org", traject.RoleCounsellor, "ANT"},
		{"teacher@example.org", traject.RoleTeacher, "ANT"}, {"analyst@example.org", traject.RoleAnalyst, ""},
	} {
		tm.mustUser(u.email, u.role, u.region)
	}
	birth, _ := traject.ParseDate("1985-07-30")
	f := &learnerFixture{tm: tm, number: traject.MakeNationalNumber(birth, 33)}
	l := &traject.Learner{Ref: "INB-0001", FirstName: "Amina", LastName: "El Amrani", BirthDate: birth, NationalNumber: f.number,
		Phone: "0470 12 34 56", Language: "ti", RegionCode: "ANT", Obligation: traject.Obliged, Counsellor: "counsellor@example.org"}
	if err := tm.Store().CreateLearner(traject.NewContextWithActorLabel(t.Context(), "test"), l); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *learnerFixture) as(email string) *http.Client {
	c := f.tm.client()
	f.tm.login(c, email)
	return c
}

// TestLearnerPagesPermissions is the role and region matrix of the learner
// pages: who may read, add, change and reveal, and that another region's
// learner does not exist for a regional role.
func TestLearnerPagesPermissions(t *testing.T) {
	f := newLearnerFixture(t)
	tests := []struct {
		as, method, path string
		want             int
	}{
		{"teacher@example.org", "GET", "/learners", 200},
		{"teacher@example.org", "GET", "/learners/INB-0001", 200},
		{"teacher@example.org", "GET", "/learners/new", 403},
		{"teacher@example.org", "GET", "/learners/INB-0001/edit", 403},
		{"teacher@example.org", "POST", "/learners/INB-0001/reveal", 403},
		{"analyst@example.org", "GET", "/learners", 403},
		{"analyst@example.org", "POST", "/learners/search", 403},
		{"coord@example.org", "GET", "/learners/new", 200},
		{"coord@example.org", "GET", "/learners/INB-0001/edit", 200},
		{"coord@example.org", "POST", "/learners/INB-0001/reveal", 403},
		{"coord.bru@example.org", "GET", "/learners/INB-0001", 404},
		{"coord.bru@example.org", "GET", "/learners/INB-0001/edit", 404},
		{"coord.bru@example.org", "POST", "/learners/INB-0001/reveal", 404},
		{"counsellor@example.org", "POST", "/learners/INB-0001/reveal", 200},
		{"admin@example.org", "POST", "/learners/INB-0001/reveal", 200},
	}
	for _, tt := range tests {
		c := f.as(tt.as)
		var res *response
		if tt.method == "GET" {
			res = f.tm.get(c, tt.path)
		} else {
			res = f.tm.post(c, tt.path, url.Values{})
		}
		if res.StatusCode != tt.want {
			t.Errorf("%s %s as %s: %d, want %d", tt.method, tt.path, tt.as, res.StatusCode, tt.want)
		}
		revealed := strings.Contains(res.Body, f.number.Format())
		if revealed != (strings.HasSuffix(tt.path, "/reveal") && tt.want == 200) {
			t.Errorf("%s %s as %s: number shown = %v", tt.method, tt.path, tt.as, revealed)
		}
	}
	res := f.tm.get(f.as("coord.bru@example.org"), "/learners")
	if strings.Contains(res.Body, "INB-0001") {
		t.Error("Brussels lists an Antwerp learner")
	}
	nav := f.tm.get(f.as("teacher@example.org"), "/")
	if !strings.Contains(nav.Body, `href="/learners"`) {
		t.Error("the menu lacks Inburgeraars for a teacher")
	}
	if strings.Contains(f.tm.get(f.as("analyst@example.org"), "/").Body, `href="/learners"`) {
		t.Error("the menu offers Inburgeraars to an analyst")
	}
}

// TestLearnerPagesInEveryLanguage opens the list, the form, the learner and
// the reveal answer in nl, en, fr and ar.
func TestLearnerPagesInEveryLanguage(t *testing.T) {
	f := newLearnerFixture(t)
	c := f.as("counsellor@example.org")
	for _, lang := range i18n.Languages {
		loc := mustLocalizer(t, lang.Tag)
		for _, p := range []struct{ method, path, title string }{
			{"GET", "/learners", loc.T("learners.title")},
			{"GET", "/learners/new", loc.T("learnerform.new")},
			{"GET", "/learners/INB-0001", "Amina El Amrani"},
			{"GET", "/learners/INB-0001/edit", loc.T("learnerform.edit")},
			{"POST", "/learners/INB-0001/reveal", "Amina El Amrani"},
			{"POST", "/learners/search", loc.T("learners.title")},
		} {
			var res *response
			if p.method == "GET" {
				res = f.tm.get(c, withLang(p.path, lang.Tag))
			} else {
				res = f.tm.post(c, withLang(p.path, lang.Tag), url.Values{"term": {"amina"}})
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", lang.Tag, p.path, res.StatusCode)
			}
			checkPageFrame(t, res.Body, lang, p.title)
		}
	}
	page := f.tm.get(c, "/learners/INB-0001?lang=en").Body
	for _, want := range []string{"Tigrinya (ti)", f.number.Mask(), "Obliged learner", "counsellor@example.org", "30 July 1985"} {
		if !strings.Contains(page, want) {
			t.Errorf("learner page lacks %q", want)
		}
	}
}

// TestLearnerFormErrors: a form with mistakes comes back with 422, the error
// summary and inline messages, the answers kept, but never the national
// number; nothing is stored.
func TestLearnerFormErrors(t *testing.T) {
	f := newLearnerFixture(t)
	c := f.as("coord@example.org")
	loc := mustLocalizer(t, "nl")
	typed := traject.NationalNumber(f.number.Digits()[:9] + "00")
	res := f.tm.post(c, "/learners?lang=nl", url.Values{"ref": {"INB-0002"}, "first_name": {"Jan"}, "last_name": {""},
		"birth_date_day": {"31"}, "birth_date_month": {"2"}, "birth_date_year": {"1990"}, "national_number": {typed.Format()},
		"phone": {"bel mij"}, "language": {"arabisch"}, "obligation": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], "")
	want := map[string]string{"last_name": "learner.lastname.invalid", "birth_date": "learnerform.birthdate.invalid",
		"national_number": "learner.nn.check", "phone": "learner.phone.invalid", "language": "learner.language.invalid",
		"obligation": "learner.obligation.invalid"}
	for field, key := range want {
		if doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 {
			t.Errorf("summary lacks a link to #%s", field)
		}
		if msg := doc.Find("#" + field + "-error").Text(); !strings.Contains(msg, loc.T(key)) {
			t.Errorf("#%s-error = %q, want %q", field, msg, loc.T(key))
		}
	}
	if doc.Find("#first_name").AttrOr("value", "") != "Jan" || doc.Find("#birth_date").AttrOr("value", "") != "31" {
		t.Error("answers not kept")
	}
	if strings.Contains(res.Body, typed.Digits()[:9]) {
		t.Error("the form repeats the typed national number")
	}
	if res := f.tm.get(c, "/learners/INB-0002"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a refused form stored a learner: %d", res.StatusCode)
	}
}

// TestLearnerCreateEditSearch walks the pages as a coordinator: add a
// learner, find it by name, number and reference, change it, and page
// through a long list.
func TestLearnerCreateEditSearch(t *testing.T) {
	f := newLearnerFixture(t)
	c := f.as("coord@example.org")
	birth, _ := traject.ParseDate("2001-03-04")
	n := traject.MakeNationalNumber(birth, 11)
	form := url.Values{"ref": {"INB-0002"}, "first_name": {"Mehmet"}, "last_name": {"Öztürk"}, "birth_date_day": {"4"},
		"birth_date_month": {"3"}, "birth_date_year": {"2001"}, "national_number": {n.Format()}, "phone": {"0470 00 00 00"},
		"language": {"TR"}, "office": {"1"}, "obligation": {"entitled"}, "counsellor": {"counsellor@example.org"}}
	res := f.tm.post(c, "/learners", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/learners/INB-0002" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for term, want := range map[string]string{"oztu": "INB-0002", "MEHMET": "INB-0002", n.Format(): "INB-0002", "INB-0001": "INB-0001", "el am": "INB-0001"} {
		res := f.tm.post(c, "/learners/search", url.Values{"term": {term}})
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="/learners/`+want+`"`) {
			t.Errorf("search %q: %d, want %s", term, res.StatusCode, want)
		}
	}
	form.Set("phone", "+32 470 99 99 99")
	form.Set("national_number", "")
	if res := f.tm.post(c, "/learners/INB-0002", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	page := f.tm.get(c, "/learners/INB-0002").Body
	if !strings.Contains(page, "470 99 99 99") || !strings.Contains(page, n.Mask()) || !strings.Contains(page, "Antwerpen") {
		t.Errorf("after the update: %s", page)
	}
	ctx := traject.NewContextWithActorLabel(t.Context(), "test")
	for i := range 60 {
		l := &traject.Learner{Ref: fmt.Sprintf("INB-1%03d", i), FirstName: "Jan", LastName: "Peeters",
			BirthDate: birth, Language: "nl", RegionCode: "ANT", Obligation: traject.Entitled}
		if err := f.tm.Store().CreateLearner(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	res = f.tm.post(c, "/learners/search", url.Values{"term": {"peeters"}})
	doc := mustDoc(t, res.Body)
	next := doc.Find(`a[rel="next"]`).AttrOr("href", "")
	if doc.Find("tbody tr").Length() != 50 || next != "/learners?after=INB-1049&q=peeters" {
		t.Fatalf("first page: %d rows, next %q", doc.Find("tbody tr").Length(), next)
	}
	if rows := mustDoc(t, f.tm.get(c, next).Body).Find("tbody tr").Length(); rows != 10 {
		t.Errorf("second page: %d rows", rows)
	}
}

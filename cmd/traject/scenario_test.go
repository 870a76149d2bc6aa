package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/auth"
	"traject/internal/i18n"
)

// scenario is one request through the real server: who sends it, what, and
// what must come back. The path may name fixture objects as {target} (an
// account to deactivate) and {token} (an API token of the admin).
type scenario struct {
	name     string
	role     traject.Role // "" is nobody signed in
	region   string       // the region of a regional role's account
	method   string
	path     string
	form     url.Values
	status   int
	location string   // for a redirect: the Location header
	want     []string // substrings of the body
	notWant  []string // substrings the body must not hold
}

// scenarioFixture is a server with one account per role (regional roles in
// ANT and in BRU), an account to deactivate and a token of the admin.
type scenarioFixture struct {
	tm      *testMain
	target  *traject.User
	tokenID int64
	nl      *i18n.Localizer
}

// scenarioRegions are the regions the fixture puts regional accounts in.
var scenarioRegions = []string{"ANT", "BRU"}

// staffEmail is the fixture address of the account with role in region.
func staffEmail(role traject.Role, region string) string {
	if region == "" {
		return string(role) + "@example.org"
	}
	return string(role) + "-" + strings.ToLower(region) + "@example.org"
}

// homeRegion is the region the matrix signs in from: ANT for a regional role.
func homeRegion(role traject.Role) string {
	if role.National() {
		return ""
	}
	return "ANT"
}

func newScenarioFixture(t *testing.T) *scenarioFixture {
	t.Helper()
	tm := mustRun(t, "")
	f := &scenarioFixture{tm: tm, nl: mustLocalizer(t, "nl")}
	var admin *traject.User
	for _, role := range traject.Roles {
		if role.National() {
			u := tm.mustUser(staffEmail(role, ""), role, "")
			if role == traject.RoleAdmin {
				admin = u
			}
			continue
		}
		for _, region := range scenarioRegions {
			tm.mustUser(staffEmail(role, region), role, region)
		}
	}
	f.target = tm.mustUser("target-bru@example.org", traject.RoleTeacher, "BRU")
	_, hash, prefix, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tm.Store().CreateToken(traject.NewContextWithUser(context.Background(), admin), admin, "fixture", hash, prefix)
	if err != nil {
		t.Fatal(err)
	}
	f.tokenID = tok.ID
	return f
}

// mustLocalizer returns the translator of one language, so that tests expect
// the catalog's words instead of copying them.
func mustLocalizer(t testing.TB, lang string) *i18n.Localizer {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer(lang)
}

// forTest returns tm reporting to t, so that a subtest's failure stops the
// subtest, not its parent.
func (tm *testMain) forTest(t testing.TB) *testMain {
	c := *tm
	c.t = t
	return &c
}

func (f *scenarioFixture) expand(path string) string {
	return strings.NewReplacer("{target}", fmt.Sprint(f.target.ID), "{token}", fmt.Sprint(f.tokenID)).Replace(path)
}

// run sends sc as a freshly signed-in browser and checks the answer.
func (f *scenarioFixture) run(t *testing.T, sc scenario) *response {
	t.Helper()
	tm := f.tm.forTest(t)
	c := tm.client()
	if sc.role != "" {
		tm.login(c, staffEmail(sc.role, sc.region))
	}
	path := f.expand(sc.path)
	var res *response
	switch sc.method {
	case http.MethodGet:
		res = tm.get(c, path)
	case http.MethodPost:
		res = tm.post(c, path, sc.form)
	default:
		t.Fatalf("scenario %q: method %q", sc.name, sc.method)
	}
	if res.StatusCode != sc.status {
		t.Errorf("%s %s as %s: status %d, want %d\n%s", sc.method, path, scenarioWho(sc), res.StatusCode, sc.status, excerpt(res.Body))
	}
	if sc.location != "" {
		if got := res.Header.Get("Location"); got != sc.location {
			t.Errorf("%s %s as %s: Location %q, want %q", sc.method, path, scenarioWho(sc), got, sc.location)
		}
	}
	for _, w := range sc.want {
		if !strings.Contains(res.Body, w) {
			t.Errorf("%s %s as %s: body lacks %q\n%s", sc.method, path, scenarioWho(sc), w, excerpt(res.Body))
		}
	}
	for _, w := range sc.notWant {
		if strings.Contains(res.Body, w) {
			t.Errorf("%s %s as %s: body holds %q", sc.method, path, scenarioWho(sc), w)
		}
	}
	return res
}

func scenarioWho(sc scenario) string {
	if sc.role == "" {
		return "nobody"
	}
	return staffEmail(sc.role, sc.region)
}

// excerpt shortens a body for a failure message.
func excerpt(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// escaped is a catalog text as html/template writes it.
func escaped(s string) string { return html.EscapeString(s) }

// matrixRoute is one route of internal/web/routes.go with the permission it
// needs ("" for any signed-in user) and what a permitted request gets.
type matrixRoute struct {
	method, path string
	perm         traject.Permission
	form         url.Values
	okStatus     int
	okLocation   string
	okWant       func(role traject.Role) []string
}

// matrixRoutes repeats the route table's permissions on purpose: the matrix
// checks the route table against the roles' permission data.
func matrixRoutes() []matrixRoute {
	own := func(role traject.Role) []string { return []string{staffEmail(role, homeRegion(role))} }
	name := func(role traject.Role) []string {
		n, _, _ := strings.Cut(staffEmail(role, homeRegion(role)), "@")
		return []string{"<bdi>" + n + "</bdi>"}
	}
	return []matrixRoute{
		{method: "GET", path: "/", okStatus: 200, okWant: name},
		{method: "GET", path: "/staff", perm: traject.PermUsersRead, okStatus: 200, okWant: func(role traject.Role) []string {
			return []string{"desk-ant@example.org"}
		}},
		{method: "GET", path: "/staff/new", perm: traject.PermUsersWrite, okStatus: 200, okWant: func(traject.Role) []string {
			return []string{`action="/staff"`, `name="password"`}
		}},
		{method: "GET", path: "/audit", perm: traject.PermAuditRead, okStatus: 200, okWant: func(traject.Role) []string {
			return []string{`action="/audit"`}
		}},
		{method: "GET", path: "/account", perm: traject.PermTokensWrite, okStatus: 200, okWant: own},
		{method: "POST", path: "/staff", perm: traject.PermUsersWrite, okStatus: 303, okLocation: "/staff"},
		{method: "POST", path: "/staff/{target}/deactivate", perm: traject.PermUsersWrite, okStatus: 303, okLocation: "/staff"},
		{method: "POST", path: "/staff/{target}/activate", perm: traject.PermUsersWrite, okStatus: 303, okLocation: "/staff"},
		{method: "POST", path: "/account/tokens", perm: traject.PermTokensWrite, form: url.Values{"name": {"matrix"}},
			okStatus: 303, okLocation: "/account"},
	}
}

// madeBy is the address POST /staff tries to create when role sends it.
func madeBy(role traject.Role) string { return "made-by-" + string(role) + "@example.org" }

func staffForm(role traject.Role) url.Values {
	return url.Values{"name": {"Made by " + string(role)}, "email": {madeBy(role)}, "role": {"teacher"},
		"region": {"ANT"}, "password": {"a long enough password"}}
}

// matrixScenarios derives the expectation of every role on every route from
// traject.Role.Can, and adds the anonymous visitor.
func (f *scenarioFixture) matrixScenarios() []scenario {
	forbidden := escaped(f.nl.T("errorpage.403"))
	var out []scenario
	for _, r := range matrixRoutes() {
		for _, role := range traject.Roles {
			sc := scenario{name: fmt.Sprintf("%s %s as %s", r.method, r.path, role), role: role, region: homeRegion(role),
				method: r.method, path: r.path, form: r.form}
			if r.path == "/staff" && r.method == "POST" {
				sc.form = staffForm(role)
			}
			if r.perm == "" || role.Can(r.perm) {
				sc.status, sc.location = r.okStatus, r.okLocation
				if r.okWant != nil {
					sc.want = r.okWant(role)
				}
				sc.notWant = []string{forbidden}
			} else {
				sc.status, sc.want = http.StatusForbidden, []string{forbidden}
			}
			out = append(out, sc)
		}
		sc := scenario{name: fmt.Sprintf("%s %s as nobody", r.method, r.path), method: r.method, path: r.path, form: r.form}
		if r.method == http.MethodGet {
			sc.status, sc.location = http.StatusSeeOther, "/login?next="+url.QueryEscape(r.path)
		} else {
			sc.status, sc.want = http.StatusUnauthorized, []string{escaped(f.nl.T("errorpage.401"))}
		}
		out = append(out, sc)
	}
	return out
}

// fixedScenarios are written out by hand, so that a mistake in the
// derivation above (or in the permission data) cannot pass unnoticed.
func (f *scenarioFixture) fixedScenarios() []scenario {
	forbidden := escaped(f.nl.T("errorpage.403"))
	notFound := escaped(f.nl.T("errorpage.404"))
	return []scenario{
		{name: "desk may not list staff", role: traject.RoleDesk, region: "ANT", method: "GET", path: "/staff", status: 403, want: []string{forbidden}},
		{name: "coordinator lists staff", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/staff", status: 200,
			want: []string{"coordinator-ant@example.org"}, notWant: []string{`href="/staff/new"`}},
		{name: "coordinator may not create staff", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/staff/new", status: 403},
		{name: "analyst may not read the audit log", role: traject.RoleAnalyst, method: "GET", path: "/audit", status: 403, want: []string{forbidden}},
		{name: "coordinator reads the audit log", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/audit", status: 200},
		{name: "teacher may not create staff", role: traject.RoleTeacher, region: "ANT", method: "POST", path: "/staff",
			form: staffForm(traject.RoleTeacher), status: 403},
		{name: "enforcement may not deactivate", role: traject.RoleEnforcement, method: "POST", path: "/staff/{target}/deactivate", status: 403},
		{name: "admin sees the new-account button", role: traject.RoleAdmin, method: "GET", path: "/staff", status: 200,
			want: []string{`href="/staff/new"`, `/deactivate"`}},
		{name: "desk home has no staff or audit menu", role: traject.RoleDesk, region: "ANT", method: "GET", path: "/", status: 200,
			want: []string{`href="/account"`}, notWant: []string{`href="/staff"`, `href="/audit"`}},
		{name: "coordinator home has staff and audit menu", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/", status: 200,
			want: []string{`href="/staff"`, `href="/audit"`, `href="/account"`}},
		{name: "deactivating an unknown account", role: traject.RoleAdmin, method: "POST", path: "/staff/999999/deactivate", status: 404, want: []string{notFound}},
		{name: "deactivating a malformed id", role: traject.RoleAdmin, method: "POST", path: "/staff/abc/deactivate", status: 404, want: []string{notFound}},
		{name: "admin revokes own token", role: traject.RoleAdmin, method: "POST", path: "/account/tokens/{token}/revoke", status: 303, location: "/account"},
		{name: "desk cannot revoke the admin's token", role: traject.RoleDesk, region: "ANT", method: "POST", path: "/account/tokens/{token}/revoke", status: 404},
		{name: "revoke needs sign-in", method: "POST", path: "/account/tokens/{token}/revoke", status: 401},
		{name: "empty token name", role: traject.RoleTeacher, region: "ANT", method: "POST", path: "/account/tokens", form: url.Values{"name": {" "}},
			status: 422, want: []string{`href="#name"`}},
		{name: "login page for nobody", method: "GET", path: "/login", status: 200, want: []string{`name="password"`}},
		{name: "login page for a signed-in user goes home", role: traject.RoleDesk, region: "ANT", method: "GET", path: "/login", status: 303, location: "/"},
		{name: "logout", role: traject.RoleDesk, region: "ANT", method: "POST", path: "/logout", status: 303, location: "/login"},
		{name: "logout for nobody", method: "POST", path: "/logout", status: 303, location: "/login"},
		{name: "single sign-on is off", method: "GET", path: "/auth/oidc/start", status: 404, want: []string{notFound}},
		{name: "single sign-on callback is off", method: "GET", path: "/auth/oidc/callback?state=x", status: 404},
		{name: "unknown page", role: traject.RoleAdmin, method: "GET", path: "/no/such/page", status: 404, want: []string{notFound}},
		{name: "unknown page for nobody", method: "GET", path: "/no/such/page", status: 404},
	}
}

// TestScenarioRoleMatrix runs every route of the staff pages as every role and
// as nobody.
func TestScenarioRoleMatrix(t *testing.T) {
	f := newScenarioFixture(t)
	scenarios := append(f.matrixScenarios(), f.fixedScenarios()...)
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				f.run(t, sc)
			})
		}
	})
	// A refused POST /staff created nothing; the admin's created the account.
	ctx := context.Background()
	for _, role := range traject.Roles {
		_, err := f.tm.Store().UserByEmail(ctx, madeBy(role))
		switch {
		case role.Can(traject.PermUsersWrite) && err != nil:
			t.Errorf("POST /staff as %s: account %s not created: %v", role, madeBy(role), err)
		case !role.Can(traject.PermUsersWrite) && traject.ErrorCode(err) != traject.ENOTFOUND:
			t.Errorf("POST /staff as %s was refused but account %s exists (err %v)", role, madeBy(role), err)
		}
	}
}

// TestScenarioRegionScope checks that a regional role sees its own region's
// staff and audit rows only, and a national role sees every region.
func TestScenarioRegionScope(t *testing.T) {
	f := newScenarioFixture(t)
	none := escaped(f.nl.T("audit.none"))
	scenarios := []scenario{
		{name: "ANT coordinator sees ANT staff only", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/staff", status: 200,
			want:    []string{"desk-ant@example.org", "teacher-ant@example.org", "counsellor-ant@example.org"},
			notWant: []string{"desk-bru@example.org", "coordinator-bru@example.org", "target-bru@example.org", "admin@example.org"}},
		{name: "BRU coordinator sees BRU staff only", role: traject.RoleCoordinator, region: "BRU", method: "GET", path: "/staff", status: 200,
			want:    []string{"desk-bru@example.org", "target-bru@example.org"},
			notWant: []string{"desk-ant@example.org", "coordinator-ant@example.org", "admin@example.org"}},
		{name: "ANT coordinator cannot search into BRU", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/staff?q=bru", status: 200,
			notWant: []string{"desk-bru@example.org", "coordinator-bru@example.org"}},
		{name: "admin sees every region's staff", role: traject.RoleAdmin, method: "GET", path: "/staff", status: 200,
			want: []string{"desk-ant@example.org", "desk-bru@example.org", "analyst@example.org", "target-bru@example.org"}},
		{name: "ANT coordinator sees ANT audit rows", role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/audit", status: 200,
			want: []string{"desk-ant@example.org"}, notWant: []string{"desk-bru@example.org", "target-bru@example.org"}},
		{name: "ANT coordinator filtering for a BRU object finds nothing", role: traject.RoleCoordinator, region: "ANT", method: "GET",
			path: "/audit?object_id=desk-bru@example.org", status: 200, want: []string{none}, notWant: []string{"desk-bru@example.org</bdi>"}},
		{name: "admin sees every region's audit rows", role: traject.RoleAdmin, method: "GET", path: "/audit", status: 200,
			want: []string{"desk-ant@example.org", "desk-bru@example.org"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { f.run(t, sc) })
	}

	t.Run("audit rows of a regional role are all in its region", func(t *testing.T) {
		res := f.run(t, scenario{role: traject.RoleCoordinator, region: "ANT", method: "GET", path: "/audit", status: 200})
		regions := auditRegions(t, res.Body)
		if len(regions) == 0 {
			t.Fatal("no audit rows shown")
		}
		for i, r := range regions {
			if r != f.nl.T("region.ANT") {
				t.Errorf("row %d: region %q, want only %q", i, r, f.nl.T("region.ANT"))
			}
		}
	})
	t.Run("audit rows of a national role span regions", func(t *testing.T) {
		res := f.run(t, scenario{role: traject.RoleAdmin, method: "GET", path: "/audit", status: 200})
		seen := map[string]bool{}
		for _, r := range auditRegions(t, res.Body) {
			seen[r] = true
		}
		for _, code := range scenarioRegions {
			if !seen[f.nl.T("region."+code)] {
				t.Errorf("admin's audit log shows no row of %s; saw %v", code, seen)
			}
		}
	})
}

// auditRegions returns the region column of every row of the audit table.
func auditRegions(t *testing.T, body string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	doc.Find("table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if tds := tr.Find("td"); tds.Length() == 6 {
			out = append(out, strings.TrimSpace(tds.Eq(4).Text()))
		}
	})
	return out
}

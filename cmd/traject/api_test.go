package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/api"
)

// apiRoles is one account of every role; regional roles sit in Limburg.
var apiRoles = []struct {
	role   traject.Role
	region string
}{
	{traject.RoleAdmin, ""}, {traject.RoleAnalyst, ""}, {traject.RoleCoordinator, "LIM"}, {traject.RoleDesk, "LIM"},
	{traject.RoleCounsellor, "LIM"}, {traject.RoleTeacher, "LIM"}, {traject.RoleEnforcement, ""},
}

// goErrorText is text that only an internal error leaks; no API answer may
// carry it, whatever the status.
var goErrorText = []string{"sql:", "store:", "runtime error", "goroutine ", "panic", "SQLSTATE", "sqlite", "pgx", ".go:", "%!"}

// apiScenario is one request to the API and what its answer must be.
type apiScenario struct {
	name    string
	method  string // GET when empty
	path    string
	header  http.Header
	status  int
	want    []string // in the body
	notWant []string // not in the body
}

// run sends the scenario with c (or a cookie-less client) and checks the
// answer: status, body, no Go error text, and errors as problem documents.
func (sc apiScenario) run(t *testing.T, tm *testMain, c *http.Client) *response {
	t.Helper()
	if c == nil {
		c = tm.client()
	}
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	res := tm.do(c, method, sc.path, nil, sc.header)
	if res.StatusCode != sc.status {
		t.Fatalf("%s %s: status %d, want %d; body %s", method, sc.path, res.StatusCode, sc.status, res.Body)
	}
	for _, s := range sc.want {
		if !strings.Contains(res.Body, s) {
			t.Errorf("body lacks %q: %s", s, res.Body)
		}
	}
	for _, s := range append(sc.notWant, goErrorText...) {
		if strings.Contains(res.Body, s) {
			t.Errorf("body holds %q: %s", s, res.Body)
		}
	}
	if res.StatusCode >= 400 {
		checkProblem(t, res)
	} else if ct := res.Header.Get("Content-Type"); ct != "application/json" && ct != "application/openapi+json" {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	return res
}

// problem is an RFC 9457 problem document as the API writes it.
type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

// checkProblem asserts that res is a complete problem document.
func checkProblem(t *testing.T, res *response) problem {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Fatalf("body is not a problem document: %v: %s", err, res.Body)
	}
	if p.Status != res.StatusCode || p.Title != http.StatusText(res.StatusCode) || p.Detail == "" {
		t.Errorf("problem = %+v, want status %d, its title and a detail", p, res.StatusCode)
	}
	return p
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

func TestAPIMeForEveryRole(t *testing.T) {
	tm := mustRun(t, "")
	for _, r := range apiRoles {
		t.Run(string(r.role), func(t *testing.T) {
			u := tm.mustUser(string(r.role)+"@example.org", r.role, r.region)
			res := apiScenario{path: "/api/v1/me", header: bearer(tm.mustToken(u)), status: http.StatusOK}.run(t, tm, nil)
			var got api.Me
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatalf("%v: %s", err, res.Body)
			}
			want := api.Me{ID: u.ID, Email: u.Email, Name: u.Name, Role: r.role, Region: r.region, Language: "nl",
				Permissions: r.role.Permissions()}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("me (-want +got):\n%s", diff)
			}
			if r.region == "" && strings.Contains(res.Body, `"region"`) {
				t.Errorf("national role has a region: %s", res.Body)
			}
		})
	}
}

func TestAPIRegionsForEveryRole(t *testing.T) {
	tm := mustRun(t, "")
	for _, r := range apiRoles {
		t.Run(string(r.role), func(t *testing.T) {
			u := tm.mustUser(string(r.role)+"@example.org", r.role, r.region)
			res := apiScenario{path: "/api/v1/regions", header: bearer(tm.mustToken(u)), status: http.StatusOK}.run(t, tm, nil)
			var got struct{ Items []traject.Region }
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatalf("%v: %s", err, res.Body)
			}
			var codes []string
			for _, reg := range got.Items {
				codes = append(codes, reg.Code)
			}
			if diff := cmp.Diff([]string{"ANT", "BRU", "LIM", "OVL", "VBR", "WVL"}, codes); diff != "" {
				t.Errorf("region codes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(traject.Regions, got.Items); diff != "" {
				t.Errorf("regions (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAPIUnauthorized covers every way to be refused with 401: no
// credentials, a malformed header, and a token that is unknown, revoked or
// of a deactivated account. Each answer tells the client what to do.
func TestAPIUnauthorized(t *testing.T) {
	tm := mustRun(t, "")
	ctx := context.Background()
	admin := tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	desk := tm.mustUser("desk@example.org", traject.RoleDesk, "ANT")
	revoked := tm.mustToken(desk)
	tokens, err := tm.Store().Tokens(ctx, desk.ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v, %v", tokens, err)
	}
	if err := tm.Store().RevokeToken(traject.NewContextWithUser(ctx, desk), desk, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	live := tm.mustToken(desk)
	gone := tm.mustUser("gone@example.org", traject.RoleTeacher, "WVL")
	goneToken := tm.mustToken(gone)
	if _, err := tm.Store().SetUserActive(traject.NewContextWithUser(ctx, admin), gone.ID, false); err != nil {
		t.Fatal(err)
	}
	const invalid = "The API token is unknown or revoked, or its account is deactivated."
	for _, sc := range []apiScenario{
		{name: "no credentials", path: "/api/v1/me", want: []string{"Authorization: Bearer TOKEN"}},
		{name: "no credentials, regions", path: "/api/v1/regions", want: []string{"Authorization: Bearer TOKEN"}},
		{name: "other scheme", path: "/api/v1/me", header: http.Header{"Authorization": {"Token x"}},
			want: []string{"Send the token as: Authorization: Bearer TOKEN"}},
		{name: "empty bearer", path: "/api/v1/me", header: http.Header{"Authorization": {"Bearer "}},
			want: []string{"Send the token as: Authorization: Bearer TOKEN"}},
		{name: "lower-case scheme", path: "/api/v1/me", header: http.Header{"Authorization": {"bearer " + live}},
			want: []string{"Authorization: Bearer TOKEN"}},
		{name: "unknown token", path: "/api/v1/me", header: bearer("trj_unknown"), want: []string{invalid}},
		{name: "revoked token", path: "/api/v1/me", header: bearer(revoked), want: []string{invalid}},
		{name: "revoked token, regions", path: "/api/v1/regions", header: bearer(revoked), want: []string{invalid}},
		{name: "deactivated account", path: "/api/v1/me", header: bearer(goneToken), want: []string{invalid}},
		{name: "Dutch, no credentials", path: "/api/v1/me", header: http.Header{"Accept-Language": {"nl-BE,nl;q=0.9"}},
			want: []string{"Bearer"}, notWant: []string{"Sign in"}},
		{name: "Dutch, unknown token", path: "/api/v1/me",
			header: http.Header{"Authorization": {"Bearer trj_unknown"}, "Accept-Language": {"nl"}},
			want:   []string{"Het API-token is onbekend of ingetrokken"}, notWant: []string{invalid}},
		{name: "Accept text/html still gets a problem", path: "/api/v1/me", header: http.Header{"Accept": {"text/html"}}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			sc.status = http.StatusUnauthorized
			sc.notWant = append(sc.notWant, live, revoked, goneToken)
			sc.run(t, tm, nil)
		})
	}
	// The live token of the same account still works: only the revoked one stopped.
	apiScenario{path: "/api/v1/me", header: bearer(live), status: http.StatusOK, want: []string{desk.Email}}.run(t, tm, nil)
}

// TestAPIDutchDetail checks that the 401 of a client without credentials is
// fully Dutch, not the English text.
func TestAPIDutchDetail(t *testing.T) {
	tm := mustRun(t, "")
	en := checkProblem(t, apiScenario{path: "/api/v1/me", status: http.StatusUnauthorized}.run(t, tm, nil))
	nl := checkProblem(t, apiScenario{path: "/api/v1/me", header: http.Header{"Accept-Language": {"nl"}},
		status: http.StatusUnauthorized}.run(t, tm, nil))
	if nl.Detail == en.Detail || !strings.Contains(nl.Detail, "Meld u aan") {
		t.Errorf("Dutch detail = %q, English %q", nl.Detail, en.Detail)
	}
}

// TestAPISession shows that a staff member signed in on the pages reaches the
// API with the session cookie alone, and loses it when deactivated.
func TestAPISession(t *testing.T) {
	tm := mustRun(t, "")
	admin := tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	u := tm.mustUser("counsellor@example.org", traject.RoleCounsellor, "OVL")
	c := tm.client()
	tm.login(c, u.Email)
	apiScenario{path: "/api/v1/me", status: http.StatusOK, want: []string{`"email":"counsellor@example.org"`, `"region":"OVL"`}}.run(t, tm, c)
	apiScenario{path: "/api/v1/regions", status: http.StatusOK, want: []string{"WVL"}}.run(t, tm, c)
	// A bad token wins over a good session: the client asked to be someone else.
	apiScenario{path: "/api/v1/me", header: bearer("trj_unknown"), status: http.StatusUnauthorized}.run(t, tm, c)

	if _, err := tm.Store().SetUserActive(traject.NewContextWithUser(context.Background(), admin), u.ID, false); err != nil {
		t.Fatal(err)
	}
	apiScenario{path: "/api/v1/me", status: http.StatusUnauthorized}.run(t, tm, c)
}

// TestAPIOtherAnswers covers the rest of the surface: the OpenAPI document,
// paths and methods without an operation, and the cross-origin refusal, a
// 403 written before any operation runs.
func TestAPIOtherAnswers(t *testing.T) {
	tm := mustRun(t, "")
	token := tm.mustToken(tm.mustUser("teacher@example.org", traject.RoleTeacher, "BRU"))
	for _, sc := range []apiScenario{
		{name: "openapi without credentials", path: "/api/v1/openapi.json", status: http.StatusOK,
			want: []string{`"openapi":"3.1.`, `"/me"`, `"/regions"`, `"bearer"`}},
		{name: "unknown path", path: "/api/v1/nope", header: bearer(token), status: http.StatusNotFound,
			want: []string{"/api/v1/openapi.json"}},
		{name: "unknown path without credentials", path: "/api/v1/nope", status: http.StatusNotFound},
		{name: "trailing slash", path: "/api/v1/me/", header: bearer(token), status: http.StatusNotFound},
		{name: "prefix alone", path: "/api/v1/", header: bearer(token), status: http.StatusNotFound},
		{name: "wrong method", method: http.MethodDelete, path: "/api/v1/me", header: bearer(token), status: http.StatusNotFound},
		{name: "cross-origin write", method: http.MethodPost, path: "/api/v1/me",
			header: http.Header{"Authorization": {"Bearer " + token}, "Sec-Fetch-Site": {"cross-site"}},
			status: http.StatusForbidden, want: []string{"another site"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			res := sc.run(t, tm, nil)
			if sc.status == http.StatusOK {
				var doc map[string]any
				if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
					t.Errorf("not JSON: %v", err)
				}
			}
		})
	}
}

// TestAPIForbidden walks the roles through GET /api/v1/users, the first
// operation whose permission (users:read) some roles lack: they get a 403
// problem naming it, the others 200.
func TestAPIForbidden(t *testing.T) {
	tm := mustRun(t, "")
	for _, r := range apiRoles {
		t.Run(string(r.role), func(t *testing.T) {
			token := tm.mustToken(tm.mustUser(string(r.role)+"@example.org", r.role, r.region))
			sc := apiScenario{path: "/api/v1/users", header: bearer(token), status: http.StatusOK}
			if !r.role.Can(traject.PermUsersRead) {
				sc.status, sc.want = http.StatusForbidden, []string{string(traject.PermUsersRead), "coordinator"}
			}
			sc.run(t, tm, nil)
		})
	}
	t.Run("nl", func(t *testing.T) {
		token := tm.mustToken(tm.mustUser("leraar@example.org", traject.RoleTeacher, "ANT"))
		apiScenario{path: "/api/v1/users", header: http.Header{"Authorization": {"Bearer " + token}, "Accept-Language": {"nl"}},
			status: http.StatusForbidden, want: []string{"Uw rol heeft de toelating users:read niet"}}.run(t, tm, nil)
	})
}

// TestAPIValidation checks that huma's own refusal of bad input is a problem
// document too, that it names the parameter, and that it comes only after
// authentication.
func TestAPIValidation(t *testing.T) {
	tm := mustRun(t, "")
	token := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	for _, sc := range []apiScenario{
		{name: "unknown role", path: "/api/v1/users?role=king", header: bearer(token),
			status: http.StatusUnprocessableEntity, want: []string{"query.role", "king"}},
		{name: "unknown region", path: "/api/v1/users?region=XXX", header: bearer(token),
			status: http.StatusUnprocessableEntity, want: []string{"query.region"}},
		{name: "query too long", path: "/api/v1/users?q=" + strings.Repeat("a", 101), header: bearer(token),
			status: http.StatusUnprocessableEntity, want: []string{"query.q"}},
		{name: "bad input without credentials", path: "/api/v1/users?role=king",
			status: http.StatusUnauthorized, notWant: []string{"query.role"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			res := sc.run(t, tm, nil)
			if sc.status != http.StatusUnprocessableEntity {
				return
			}
			var p struct {
				Errors []struct{ Location, Message string }
			}
			if err := json.Unmarshal([]byte(res.Body), &p); err != nil || len(p.Errors) == 0 || p.Errors[0].Message == "" {
				t.Errorf("problem lacks its errors list (%v): %s", err, res.Body)
			}
		})
	}
}

// TestAPIDatabaseDown checks that a store failure while checking a token is
// a 500 problem carrying the request id to quote, and none of its Go text.
func TestAPIDatabaseDown(t *testing.T) {
	tm := mustRun(t, "")
	token := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	if err := tm.Store().Close(); err != nil {
		t.Fatal(err)
	}
	res := apiScenario{path: "/api/v1/me", header: bearer(token), status: http.StatusInternalServerError,
		notWant: []string{"closed"}}.run(t, tm, nil)
	if id := res.Header.Get("X-Request-Id"); id == "" || !strings.Contains(res.Body, id) {
		t.Errorf("body does not quote the request id %q: %s", id, res.Body)
	}
}

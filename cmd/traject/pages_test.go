package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/i18n"
)

// titleSuffix ends the <title> of every page.
const titleSuffix = " – Traject – Vlaanderen"

// mustDoc parses a page for CSS-selector checks.
func mustDoc(t testing.TB, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	return doc
}

// withLang adds ?lang= (or &lang=) to path.
func withLang(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}

// checkPageFrame checks what every page has in every language: the language
// and direction on <html>, one <h1>, no untranslated key, the title pattern.
func checkPageFrame(t testing.TB, body string, lang i18n.Language, title string) *goquery.Document {
	t.Helper()
	if want := `<html lang="` + lang.Tag + `" dir="` + lang.Dir + `">`; !strings.Contains(body, want) {
		t.Errorf("page lacks %s", want)
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("page has %d <h1>, want exactly 1", n)
	}
	if i18n.MissingMarker(body) {
		i := strings.Index(body, "[[")
		t.Errorf("page holds an untranslated key: %s", body[i:min(len(body), i+60)])
	}
	doc := mustDoc(t, body)
	got := doc.Find("title").Text()
	if !strings.HasSuffix(got, titleSuffix) {
		t.Errorf("title %q does not end in %q", got, titleSuffix)
	}
	if title != "" && got != title+titleSuffix {
		t.Errorf("title %q, want %q", got, title+titleSuffix)
	}
	if cur := doc.Find(`.lang-nav a[aria-current="true"]`); cur.AttrOr("lang", "") != lang.Tag {
		t.Errorf("language switch marks %q as current, want %q", cur.AttrOr("lang", ""), lang.Tag)
	}
	return doc
}

// TestPagesRenderInEveryLanguage opens every page in nl, en, fr and ar.
func TestPagesRenderInEveryLanguage(t *testing.T) {
	tm := mustRun(t, "")
	tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	tm.mustUser("desk@example.org", traject.RoleDesk, "ANT")
	pages := []struct {
		name     string
		as       string // "" is nobody
		path     string
		status   int
		titleKey string
	}{
		{"home", "admin@example.org", "/", 200, "home.pagetitle"},
		{"staff", "admin@example.org", "/staff", 200, "staff.title"},
		{"staff search", "admin@example.org", "/staff?q=desk", 200, "staff.title"},
		{"new account", "admin@example.org", "/staff/new", 200, "staffnew.title"},
		{"audit", "admin@example.org", "/audit", 200, "audit.title"},
		{"account", "admin@example.org", "/account", 200, "account.title"},
		{"login", "", "/login", 200, "login.title"},
		{"not found", "admin@example.org", "/no/such/page", 404, "errorpage.404"},
		{"not found for nobody", "", "/no/such/page", 404, "errorpage.404"},
		{"forbidden", "desk@example.org", "/staff", 403, "errorpage.403"},
		{"desk home", "desk@example.org", "/", 200, "home.pagetitle"},
	}
	for _, lang := range i18n.Languages {
		loc := mustLocalizer(t, lang.Tag)
		for _, p := range pages {
			t.Run(lang.Tag+"/"+p.name, func(t *testing.T) {
				t.Parallel()
				tm := tm.forTest(t)
				c := tm.client()
				if p.as != "" {
					tm.login(c, p.as)
				}
				res := tm.get(c, withLang(p.path, lang.Tag))
				if res.StatusCode != p.status {
					t.Fatalf("status %d, want %d", res.StatusCode, p.status)
				}
				checkPageFrame(t, res.Body, lang, loc.T(p.titleKey))
			})
		}
	}
}

// errorPrefixes are written out for two languages so that a broken catalog
// cannot pass by agreeing with itself.
var errorPrefixes = map[string]string{"nl": "Fout:", "ar": "خطأ:"}

// formErrorCase is one form submitted with mistakes.
type formErrorCase struct {
	name      string
	as        string // "" is nobody
	path      string
	form      url.Values
	fields    map[string]string // field id -> catalog key of its message
	notFields []string          // fields that must not be in error
	kept      map[string]string // input id -> value the form must keep
	checked   []string          // radio ids that must stay checked
	titleKey  string
}

// TestPagesFormErrors submits forms with mistakes in every language and checks
// the GOV.UK error pattern: the title prefix, a summary linking to each field,
// the inline message, and the answers kept.
func TestPagesFormErrors(t *testing.T) {
	tm := mustRun(t, "")
	tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	cases := []formErrorCase{
		{name: "login with empty fields", path: "/login", form: url.Values{"email": {""}, "password": {""}},
			fields: map[string]string{"email": "login.email.missing", "password": "login.password.missing"}, titleKey: "login.title"},
		{name: "login without password", path: "/login", form: url.Values{"email": {"someone@example.org"}, "password": {""}},
			fields: map[string]string{"password": "login.password.missing"}, notFields: []string{"email"},
			kept: map[string]string{"email": "someone@example.org"}, titleKey: "login.title"},
		{name: "login with wrong password", path: "/login", form: url.Values{"email": {"admin@example.org"}, "password": {"wrong password"}},
			fields: map[string]string{"email": "login.wrong"}, kept: map[string]string{"email": "admin@example.org", "password": ""},
			titleKey: "login.title"},
		{name: "new account with bad data", as: "admin@example.org", path: "/staff",
			form:   url.Values{"name": {"Ann Peeters"}, "email": {"ann@"}, "role": {"desk"}, "region": {"ANT"}, "password": {"short"}},
			fields: map[string]string{"email": "user.email.invalid", "password": "user.password.length"}, notFields: []string{"name", "role", "region"},
			kept:    map[string]string{"name": "Ann Peeters", "email": "ann@", "password": ""},
			checked: []string{"role-desk", "region-ANT"}, titleKey: "staffnew.title"},
		{name: "new account with a national role in a region", as: "admin@example.org", path: "/staff",
			form:   url.Values{"name": {"Bo"}, "email": {"bo@example.org"}, "role": {"analyst"}, "region": {"BRU"}, "password": {testPassword}},
			fields: map[string]string{"region": "user.region.national"}, notFields: []string{"email", "password"},
			kept: map[string]string{"email": "bo@example.org"}, checked: []string{"role-analyst", "region-BRU"}, titleKey: "staffnew.title"},
	}
	for _, lang := range i18n.Languages {
		loc := mustLocalizer(t, lang.Tag)
		for _, tc := range cases {
			t.Run(lang.Tag+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				tm := tm.forTest(t)
				c := tm.client()
				if tc.as != "" {
					tm.login(c, tc.as)
				}
				res := tm.post(c, withLang(tc.path, lang.Tag), tc.form)
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422\n%s", res.StatusCode, excerpt(res.Body))
				}
				prefix := loc.T("error.prefix")
				if p, ok := errorPrefixes[lang.Tag]; ok && p != prefix {
					t.Errorf("catalog error prefix %q, want %q", prefix, p)
				}
				doc := checkPageFrame(t, res.Body, lang, prefix+" "+loc.T(tc.titleKey))
				checkFormErrors(t, doc, loc, tc)
			})
		}
	}
}

func checkFormErrors(t *testing.T, doc *goquery.Document, loc *i18n.Localizer, tc formErrorCase) {
	t.Helper()
	summary := doc.Find(`.error-summary[role="alert"]`)
	if summary.Length() != 1 {
		t.Fatalf("%d error summaries with role=alert, want 1", summary.Length())
	}
	if n := summary.Find("a").Length(); n != len(tc.fields) {
		t.Errorf("summary links %d fields, want %d", n, len(tc.fields))
	}
	for field, key := range tc.fields {
		msg := loc.TMap(key, map[string]any{"Min": traject.PasswordMinLength})
		link := summary.Find(`a[href="#` + field + `"]`)
		if link.Length() != 1 || strings.TrimSpace(link.Text()) != msg {
			t.Errorf("summary link to #%s: %d links, text %q, want %q", field, link.Length(), link.Text(), msg)
		}
		if doc.Find("#"+field).Length() != 1 {
			t.Errorf("the summary links to #%s, which is not on the page", field)
		}
		inline := doc.Find("#" + field + "-error")
		if !strings.Contains(inline.Text(), msg) || !strings.Contains(inline.Text(), loc.T("error.prefix")) {
			t.Errorf("inline error of %s = %q, want the prefix and %q", field, inline.Text(), msg)
		}
	}
	for _, field := range tc.notFields {
		if doc.Find("#"+field+"-error").Length() != 0 || doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 0 {
			t.Errorf("field %s is marked in error", field)
		}
	}
	for id, want := range tc.kept {
		if got := doc.Find("input#"+id).AttrOr("value", ""); got != want {
			t.Errorf("input #%s value %q, want %q", id, got, want)
		}
	}
	for _, id := range tc.checked {
		if _, ok := doc.Find("input#" + id).Attr("checked"); !ok {
			t.Errorf("radio #%s is no longer checked", id)
		}
	}
}

// TestPagesLoginThrottle checks that after five wrong passwords even the right
// one is refused, without being checked, and that other accounts are not
// affected.
func TestPagesLoginThrottle(t *testing.T) {
	tm := mustRun(t, "")
	u := tm.mustUser("guessed@example.org", traject.RoleDesk, "ANT")
	tm.mustUser("other@example.org", traject.RoleDesk, "ANT")
	nl := mustLocalizer(t, "nl")
	c := tm.client()
	for i := range traject.LoginMaxFailures {
		res := tm.post(c, "/login", url.Values{"email": {u.Email}, "password": {"wrong password"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password %d: status %d, want 422", i+1, res.StatusCode)
		}
	}
	for _, attempt := range []string{"right password", "right password again"} {
		t.Run(attempt, func(t *testing.T) {
			tm := tm.forTest(t)
			before := lastAuditID(t, tm.Store())
			res := tm.post(c, "/login", url.Values{"email": {u.Email}, "password": {testPassword}})
			if res.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("status %d, want 429", res.StatusCode)
			}
			doc := mustDoc(t, res.Body)
			if msg := nl.T("login.throttled"); !strings.Contains(doc.Find(".error-summary").Text(), msg) {
				t.Errorf("the page does not say %q", msg)
			}
			if home := tm.get(c, "/"); home.StatusCode != http.StatusSeeOther {
				t.Errorf("after a throttled sign-in GET / = %d, want 303 to the login page", home.StatusCode)
			}
			rows := auditSince(t, tm.Store(), before)
			if len(rows) != 1 || rows[0].Action != "auth.login" || !strings.Contains(rows[0].After, `"throttled"`) {
				t.Errorf("audit rows %+v, want one auth.login with outcome throttled", rows)
			}
		})
	}
	t.Run("other accounts still sign in", func(t *testing.T) {
		tm := tm.forTest(t)
		tm.login(tm.client(), "other@example.org")
	})
}

// TestPagesNotFound checks that an unknown address gets a page in the
// interface's words with a request id, and nothing of Go's own error text.
func TestPagesNotFound(t *testing.T) {
	tm := mustRun(t, "")
	tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	nl := mustLocalizer(t, "nl")
	tests := []struct {
		name, as, method, path string
	}{
		{"unknown page", "", "GET", "/no/such/page"},
		{"unknown page signed in", "admin@example.org", "GET", "/no/such/page"},
		{"unknown page with a query", "admin@example.org", "GET", "/staffing?x=<script>"},
		{"wrong method on an action", "admin@example.org", "GET", "/staff/1/deactivate"},
		{"unknown account", "admin@example.org", "POST", "/staff/424242/activate"},
		{"malformed token id", "admin@example.org", "POST", "/account/tokens/x/revoke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := tm.forTest(t)
			c := tm.client()
			if tt.as != "" {
				tm.login(c, tt.as)
			}
			var res *response
			if tt.method == "GET" {
				res = tm.get(c, tt.path)
			} else {
				res = tm.post(c, tt.path, nil)
			}
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d, want 404", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want an HTML page", ct)
			}
			id := res.Header.Get("X-Request-Id")
			doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("errorpage.404"))
			if id == "" || !strings.Contains(doc.Find("main code").Text(), id) {
				t.Errorf("the page does not show the request id %q", id)
			}
			for _, leak := range []string{"page not found", "no such", "not_found", "goroutine", ".go:", "<script>"} {
				if strings.Contains(res.Body, leak) {
					t.Errorf("the page holds %q", leak)
				}
			}
		})
	}
}

// TestPagesSecurityHeaders checks the protective headers on every kind of answer.
func TestPagesSecurityHeaders(t *testing.T) {
	tm := mustRun(t, "")
	c := tm.client()
	css := mustDoc(t, tm.get(c, "/login").Body).Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	tests := []struct {
		name, method, path string
		status             int
		noStore            bool
	}{
		{"login page", "GET", "/login", 200, true},
		{"form error", "POST", "/login", 422, true},
		{"sign-in redirect", "GET", "/staff", 303, false},
		{"not found", "GET", "/nope", 404, true},
		{"refused POST", "POST", "/staff", 401, true},
		{"asset", "GET", css, 200, false},
		{"health", "GET", "/healthz", 200, false},
		{"metrics", "GET", "/metrics", 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := tm.forTest(t)
			var res *response
			if tt.method == "GET" {
				res = tm.get(c, tt.path)
			} else {
				res = tm.post(c, tt.path, url.Values{})
			}
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			for _, part := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, part) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, part)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy %q allows inline code", csp)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			if got := h.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("X-Frame-Options %q, want DENY", got)
			}
			if tt.noStore && h.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store on a staff page", h.Get("Cache-Control"))
			}
		})
	}
}

// TestPagesCrossOrigin checks that a form posted from another site is refused
// before it does anything, and that same-origin posts and cross-site reads pass.
func TestPagesCrossOrigin(t *testing.T) {
	tm := mustRun(t, "")
	u := tm.mustUser("desk@example.org", traject.RoleDesk, "ANT")
	nl := mustLocalizer(t, "nl")
	creds := url.Values{"email": {u.Email}, "password": {testPassword}}
	tests := []struct {
		name    string
		method  string
		header  http.Header
		status  int
		refused bool
	}{
		{"cross-site post", "POST", http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403, true},
		{"same-site post", "POST", http.Header{"Sec-Fetch-Site": {"same-site"}}, 403, true},
		{"foreign Origin without Sec-Fetch-Site", "POST", http.Header{"Origin": {"https://evil.example"}}, 403, true},
		{"same-origin post", "POST", http.Header{"Sec-Fetch-Site": {"same-origin"}}, 303, false},
		{"cross-site read", "GET", http.Header{"Sec-Fetch-Site": {"cross-site"}}, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := tm.forTest(t)
			c := tm.client()
			before := lastAuditID(t, tm.Store())
			var res *response
			if tt.method == "POST" {
				h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
				for k, v := range tt.header {
					h[k] = v
				}
				res = tm.do(c, "POST", "/login", strings.NewReader(creds.Encode()), h)
			} else {
				res = tm.do(c, "GET", "/login", nil, tt.header)
			}
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, tt.status, excerpt(res.Body))
			}
			if !tt.refused {
				return
			}
			if msg := nl.T("error.crossorigin"); !strings.Contains(mustDoc(t, res.Body).Find("main").Text(), msg) {
				t.Errorf("the page does not say %q", msg)
			}
			if rows := auditSince(t, tm.Store(), before); len(rows) != 0 {
				t.Errorf("a refused sign-in left audit rows: %+v", rows)
			}
			if home := tm.get(c, "/"); home.StatusCode != http.StatusSeeOther {
				t.Errorf("after a refused sign-in GET / = %d, want 303 to the login page", home.StatusCode)
			}
		})
	}
}

// TestPagesStaticAssets checks that the assets a page links are served with a
// year of caching under their content hash, and that a stale hash is not.
func TestPagesStaticAssets(t *testing.T) {
	tm := mustRun(t, "")
	c := tm.client()
	doc := mustDoc(t, tm.get(c, "/login").Body)
	assets := map[string]string{
		doc.Find(`link[rel="stylesheet"]`).AttrOr("href", ""): "text/css",
		doc.Find(`script[src]`).AttrOr("src", ""):             "javascript",
	}
	for path, mime := range assets {
		t.Run(path, func(t *testing.T) {
			tm := tm.forTest(t)
			if !strings.HasPrefix(path, "/static/") {
				t.Fatalf("asset %q is not under /static/", path)
			}
			res := tm.get(c, path)
			if res.StatusCode != 200 || len(res.Body) == 0 {
				t.Fatalf("status %d, %d bytes", res.StatusCode, len(res.Body))
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", got)
			}
			if got := res.Header.Get("Content-Type"); !strings.Contains(got, mime) {
				t.Errorf("Content-Type %q, want %s", got, mime)
			}
			parts := strings.SplitN(path, "/", 4) // "", "static", hash, name
			stale := "/static/000000000000/" + parts[3]
			if res := tm.get(c, stale); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", stale, res.StatusCode)
			} else if res.Header.Get("Cache-Control") == "public, max-age=31536000, immutable" {
				t.Errorf("a stale asset address is cached for a year")
			}
		})
	}
}

// TestPagesOperations checks the endpoints that operators and monitoring use.
func TestPagesOperations(t *testing.T) {
	tm := mustRun(t, "")
	c := tm.client()
	tm.get(c, "/login")
	tm.get(c, "/no/such/page")
	tests := []struct {
		path    string
		want    []string
		notWant []string
	}{
		{path: "/healthz", want: []string{"ok"}},
		{path: "/readyz", want: []string{"ok"}},
		{path: "/metrics", want: []string{
			"traject_http_requests_total", `route="GET /login"`, `method="GET"`, `code="200"`,
			"traject_http_request_duration_seconds",
			`route="/"`, // the unknown page is counted under the catch-all pattern
		}, notWant: []string{"/no/such/page"}}, // routes are patterns, not paths: no label per address
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			tm := tm.forTest(t)
			res := tm.get(c, tt.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(res.Body, w) {
					t.Errorf("body holds %q", w)
				}
			}
		})
	}
}

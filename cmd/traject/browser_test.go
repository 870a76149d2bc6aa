package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"traject"
)

// The browser tests drive Debian's Chromium through chromedp against the real
// server (mustRun): the sign-in form, the error summary with and without
// JavaScript, and axe-core on the pages in Dutch and Arabic. They skip when
// no Chromium is installed, unless TRAJECT_TEST_BROWSER_REQUIRED=1 (CI).

// browserTimeout bounds one test function, browser start included, so that a
// stuck page can never hang the suite.
const browserTimeout = 60 * time.Second

// axeTags are the axe-core rule sets the pages must pass: WCAG 2.2 AA
// (target-size is the only wcag22aa rule) plus axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeSource is axe-core 4.14.1, vendored with its licence for these tests.
var axeSource = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile("../../internal/web/testdata/axe.min.js")
})

// chromiumPath returns the browser to run, or skips the test when there is
// none; with TRAJECT_TEST_BROWSER_REQUIRED=1 a missing browser fails instead.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "no Chromium at /usr/bin/chromium or on PATH (apt-get install -y chromium)"
	if os.Getenv("TRAJECT_TEST_BROWSER_REQUIRED") == "1" {
		t.Fatalf("%s, and TRAJECT_TEST_BROWSER_REQUIRED=1", msg)
	}
	t.Skipf("%s; skipping browser test", msg)
	return ""
}

// browser is one headless Chromium, shared by the subtests of one test
// function; each tab gets its own browser context, so its own cookies.
type browser struct {
	t   *testing.T
	ctx context.Context
}

// newBrowser starts Chromium for t and stops it when t ends, or when
// browserTimeout runs out.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	var out lockedBuffer
	opts = append(opts, chromedp.CombinedOutput(&out))
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	t.Cleanup(func() {
		if t.Failed() && out.Len() > 0 {
			t.Logf("chromium output:\n%s", out.String())
		}
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return &browser{t: t, ctx: bctx}
}

// tab opens a tab in a fresh browser context, closed when t ends.
func (b *browser) tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

// lockedBuffer collects Chromium's output, written from another goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// navigate opens url in the tab and fails the test otherwise.
func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
}

// submit clicks the submit button of the form posting to action, waits for
// the answer page and returns its HTTP status.
func submit(t *testing.T, ctx context.Context, action string) int64 {
	t.Helper()
	sel := chromedp.CSS(`main form[action="` + action + `"] button[type=submit]`)
	res, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		t.Fatalf("submit %s: %v", action, err)
	}
	return res.Status
}

// typeInto types text into the field with the given id, as a person would.
func typeInto(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(id), text)); err != nil {
		t.Fatalf("type into #%s: %v", id, err)
	}
}

// signIn signs the tab in through the login form as email, with testPassword.
func signIn(t *testing.T, ctx context.Context, tm *testMain, email string) {
	t.Helper()
	navigate(t, ctx, tm.URL()+"/login?lang=nl")
	typeInto(t, ctx, "email", email)
	typeInto(t, ctx, "password", testPassword)
	if status := submit(t, ctx, "/login"); status != 200 {
		t.Fatalf("sign in as %s: landed with status %d", email, status)
	}
}

// evaluate runs js in the page and decodes its value into T.
func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

func TestBrowserLogin(t *testing.T) {
	b := newBrowser(t)
	tm := mustRun(t, "")
	tm.mustUser("beheer@example.be", traject.RoleAdmin, "")
	ctx := b.tab(t)

	signIn(t, ctx, tm, "beheer@example.be")

	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if want := tm.URL() + "/"; loc != want {
		t.Errorf("after sign-in at %s, want %s", loc, want)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h1, "Welkom") {
		t.Errorf("home h1 = %q, want it to contain %q", h1, "Welkom")
	}
}

// errorState is what the browser shows of a page with an error summary.
type errorState struct {
	Present bool     `json:"present"`
	Role    string   `json:"role"`
	Focused bool     `json:"focused"`
	Title   string   `json:"title"`
	Links   []string `json:"links"`
	Missing []string `json:"missing"`
}

// errorStateJS reads the error summary. DevTools evaluation works even when
// the page's own scripts are disabled.
const errorStateJS = `(() => {
  const s = document.querySelector(".error-summary");
  const links = s ? [...s.querySelectorAll("a")].map(a => a.getAttribute("href")) : [];
  return {
    present: !!s,
    role: (s && s.getAttribute("role")) || "",
    focused: !!s && document.activeElement === s,
    title: document.title,
    links: links,
    missing: links.filter(h => !h.startsWith("#") || !document.getElementById(h.slice(1))),
  };
})()`

// readErrorState waits briefly for autofocus, which the browser applies
// during a rendering update after load, then reads the error summary.
func readErrorState(t *testing.T, ctx context.Context) errorState {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st := evaluate[errorState](t, ctx, errorStateJS)
		if st.Focused || !st.Present || time.Now().After(deadline) {
			return st
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBrowserErrorSummary(t *testing.T) {
	b := newBrowser(t)
	tm := mustRun(t, "")
	tm.mustUser("beheer@example.be", traject.RoleAdmin, "")

	tests := []struct {
		name      string
		noJS      bool
		signIn    bool
		path      string
		fill      map[string]string // field id → text
		action    string
		wantTitle string   // prefix
		wantLinks []string // links the summary must hold, each to a failing field
	}{
		{name: "login without JavaScript", noJS: true, path: "/login?lang=nl",
			fill: map[string]string{"email": "beheer@example.be"}, action: "/login", wantTitle: "Fout: ", wantLinks: []string{"#password"}},
		{name: "login in Arabic", path: "/login?lang=ar",
			fill: map[string]string{"email": "beheer@example.be"}, action: "/login", wantTitle: "خطأ: ", wantLinks: []string{"#password"}},
		{name: "new staff account", signIn: true, path: "/staff/new?lang=nl",
			fill: map[string]string{"email": "geen-adres"}, action: "/staff", wantTitle: "Fout: ", wantLinks: []string{"#name", "#email", "#password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := b.tab(t)
			if tt.noJS {
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
					emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.signIn {
				signIn(t, ctx, tm, "beheer@example.be")
			}
			navigate(t, ctx, tm.URL()+tt.path)
			for id, text := range tt.fill {
				typeInto(t, ctx, id, text)
			}
			if status := submit(t, ctx, tt.action); status != 422 {
				t.Errorf("status %d, want 422", status)
			}
			if tt.noJS && evaluate[bool](t, ctx, `typeof window.htmx !== "undefined"`) {
				t.Fatal("page scripts ran, though script execution is disabled")
			}
			st := readErrorState(t, ctx)
			if !st.Present {
				t.Fatalf("no error summary; title %q", st.Title)
			}
			if st.Role != "alert" {
				t.Errorf("error summary role = %q, want alert", st.Role)
			}
			if !st.Focused {
				t.Error("the error summary does not have focus (autofocus)")
			}
			if !strings.HasPrefix(st.Title, tt.wantTitle) {
				t.Errorf("title %q, want prefix %q", st.Title, tt.wantTitle)
			}
			for _, want := range tt.wantLinks {
				if !slices.Contains(st.Links, want) {
					t.Errorf("summary links %q, want one to %q", st.Links, want)
				}
			}
			if len(st.Missing) > 0 {
				t.Errorf("summary links to fields that do not exist: %q", st.Missing)
			}
		})
	}
}

// axeViolation is one failed axe rule and the elements that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// runAxe injects axe-core into the page in the tab and returns the
// violations of axeTags.
func runAxe(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ["` + strings.Join(axeTags, `","`) + `"]},
	  resultTypes: ["violations"]}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
	  nodes: v.nodes.map(n => ({target: n.target}))})))`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return violations
}

// checkAxe runs axe-core on the page in the tab and fails the test for every
// violation, naming the rule and the failing elements.
func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, v := range runAxe(t, ctx) {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		t.Errorf("axe %s (%s): %s\n\ton %s", v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}

func TestBrowserAxe(t *testing.T) {
	b := newBrowser(t)
	tm := mustRun(t, "")
	tm.mustUser("beheer@example.be", traject.RoleAdmin, "")

	tests := []struct {
		name   string
		signIn bool
		path   string
		action string // when set, submit this form empty first: the error state
	}{
		{name: "login nl", path: "/login?lang=nl"},
		{name: "login ar", path: "/login?lang=ar"},
		{name: "login error nl", path: "/login?lang=nl", action: "/login"},
		{name: "login error ar", path: "/login?lang=ar", action: "/login"},
		{name: "home nl", signIn: true, path: "/?lang=nl"},
		{name: "new staff error nl", signIn: true, path: "/staff/new?lang=nl", action: "/staff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each subtest has its own tab and cookies; axe is the slow part
			ctx := b.tab(t)
			if tt.signIn {
				signIn(t, ctx, tm, "beheer@example.be")
			}
			navigate(t, ctx, tm.URL()+tt.path)
			if tt.action != "" {
				if status := submit(t, ctx, tt.action); status != 422 {
					t.Fatalf("submit empty %s: status %d, want 422", tt.action, status)
				}
			}
			checkAxe(t, ctx)
		})
	}
}

// TestBrowserArabicDirection checks that the Arabic page is right-to-left in
// the markup itself, not only in CSS (UX convention 11).
func TestBrowserArabicDirection(t *testing.T) {
	b := newBrowser(t)
	tm := mustRun(t, "")
	ctx := b.tab(t)
	navigate(t, ctx, tm.URL()+"/login?lang=ar")
	attrs, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	if attrs["dir"] != "rtl" || attrs["lang"] != "ar" {
		t.Errorf(`<html dir=%q lang=%q>, want dir="rtl" lang="ar"`, attrs["dir"], attrs["lang"])
	}
	if dir := evaluate[string](t, ctx, `getComputedStyle(document.body).direction`); dir != "rtl" {
		t.Errorf("computed direction of body = %q, want rtl", dir)
	}
}

// TestBrowserAxeFindsProblems proves the harness is not blind: a page with
// known faults must give the violations axe is known to report for them.
func TestBrowserAxeFindsProblems(t *testing.T) {
	b := newBrowser(t)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><html><head><title>x</title></head><body>`+
			`<img src="data:,"><input type="text"><p style="color:#ccc">low contrast</p></body></html>`)
	}))
	defer bad.Close()
	ctx := b.tab(t)
	navigate(t, ctx, bad.URL)
	var got []string
	for _, v := range runAxe(t, ctx) {
		got = append(got, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label", "color-contrast", "page-has-heading-one"} {
		if !slices.Contains(got, want) {
			t.Errorf("axe violations %q lack %q", got, want)
		}
	}
}

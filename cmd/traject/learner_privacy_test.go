package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"traject"
	"traject/internal/config"
	"traject/internal/store/storetest"
)

// syncBuffer is a log destination the server's goroutines share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testSecretKey is TRAJECT_SECRET_KEY for end-to-end tests with learners.
var testSecretKey = hex.EncodeToString([]byte("end-to-end test key of 32 bytes!"))

// mustRunLogged is mustRun with a secret key and every log line, down to
// debug, written as JSON to logs.
func mustRunLogged(t *testing.T, logs *syncBuffer) *testMain {
	t.Helper()
	cfg := config.Default()
	cfg.Addr, cfg.DB, cfg.SecretKey = "127.0.0.1:0", storetest.SQLiteURL(t), testSecretKey
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := &Main{Config: cfg, Logger: logger, DBFlagSet: true}
	if err := m.Open(context.Background()); err != nil {
		t.Fatalf("open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tm := &testMain{Main: m, t: t, cancel: cancel, done: make(chan error, 1)}
	go func() { tm.done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-tm.done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	})
	return tm
}

// leakWatch records every answer of a test, and whether the answer may hold
// a national number (a permitted reveal). check then scans everything.
type leakWatch struct {
	t       *testing.T
	numbers []traject.NationalNumber
	seen    []watched
}

type watched struct {
	what    string
	text    string
	allowed bool
}

func (w *leakWatch) add(what string, res *response, allowed bool) *response {
	var b strings.Builder
	for k, v := range res.Header {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(v, ", "))
	}
	b.WriteString(res.Body)
	w.seen = append(w.seen, watched{what: what, text: b.String(), allowed: allowed})
	return res
}

func (w *leakWatch) text(what, text string) {
	w.seen = append(w.seen, watched{what: what, text: text})
}

// needles are the ways a number can be written: bare, grouped, spaced, and
// its first nine digits (all but the check digits, which the mask shows).
func needles(n traject.NationalNumber) []string {
	d := n.Digits()
	return []string{d, n.Format(), d[:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:9] + " " + d[9:], d[:9]}
}

// check fails for every clear number outside a permitted reveal, and for a
// permitted reveal that does not show its number.
func (w *leakWatch) check() {
	w.t.Helper()
	for _, s := range w.seen {
		for _, n := range w.numbers {
			for _, needle := range needles(n) {
				if strings.Contains(s.text, needle) && !s.allowed {
					w.t.Errorf("%s holds national number %s (as %q)", s.what, n.Mask(), strings.ReplaceAll(needle, n.Digits()[:9], "…"))
				}
			}
		}
	}
}

// numbers are the national numbers of the test, each made by the rule.
func leakNumbers() []traject.NationalNumber {
	var out []traject.NationalNumber
	for i, birth := range []string{"1985-07-30", "2001-03-04", "1979-12-31", "1990-01-01", "1992-04-17", "2003-11-08", "1988-05-05", "1970-10-10"} {
		d, _ := traject.ParseDate(birth)
		out = append(out, traject.MakeNationalNumber(d, 101+2*i))
	}
	return out
}

// TestNationalNumberNeverLeaks is the first "Done when": a national
// number never appears in a log line, a URL, an export or an API answer
// unless the role may see it. It creates learners with numbers through the
// API, the pages and both imports; searches by number through the pages and
// the API; reveals with and without the right; makes mistakes; reads the
// audit log and the OpenAPI document; then scans every answer (headers,
// Location, body), the log, the audit log and the stored rows for every
// number, bare, grouped and spaced.
func TestNationalNumberNeverLeaks(t *testing.T) {
	logs := &syncBuffer{}
	tm := mustRunLogged(t, logs)
	nn := leakNumbers()
	w := &leakWatch{t: t, numbers: nn}
	tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	admin := tm.mustToken(tm.mustUser("api.admin@example.org", traject.RoleAdmin, ""))
	counsellor := tm.mustToken(tm.mustUser("counsellor@example.org", traject.RoleCounsellor, "ANT"))
	desk := tm.mustToken(tm.mustUser("desk@example.org", traject.RoleDesk, "ANT"))
	tm.mustUser("coord@example.org", traject.RoleCoordinator, "ANT")

	leakThroughAPI(t, tm, w, nn, admin, counsellor, desk)
	leakThroughPages(t, tm, w, nn)
	leakThroughImports(t, tm, w, nn, admin)
	leakThroughReads(t, tm, w)

	w.text("the log", logs.String())
	if !strings.Contains(logs.String(), `"path":"/learners/search"`) {
		t.Error("the log recorded no request: is the logger wired?")
	}
	w.check()
	checkRevealAudit(t, tm)
}

func leakThroughAPI(t *testing.T, tm *testMain, w *leakWatch, nn []traject.NationalNumber, admin, counsellor, desk string) {
	t.Helper()
	api := func(token, method, path, body string, allowed bool) *response {
		return w.add(method+" "+path, tm.apiJSON(token, method, path, body, nil), allowed)
	}
	learner := func(ref, birth string, n traject.NationalNumber) string {
		return fmt.Sprintf(`{"ref":%q,"first_name":"Amina","last_name":"El Amrani","birth_date":%q,"national_number":%q,
			"language":"ar","region":"ANT","obligation":"obliged"}`, ref, birth, n.Format())
	}
	res := api(admin, "POST", "/api/v1/learners", learner("INB-A1", "1985-07-30", nn[0]), false)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/learners/INB-A1" ||
		!strings.Contains(res.Body, nn[0].Mask()) {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	statuses := []struct {
		name, token, method, path, body string
		want                            int
	}{
		{"duplicate number", admin, "POST", "/api/v1/learners", learner("INB-A2", "1985-07-30", nn[0]), 409},
		{"bad check digits", admin, "POST", "/api/v1/learners", strings.Replace(learner("INB-A2", "1985-07-30", nn[0]), nn[0].Format(), nn[0].Format()[:13]+"00", 1), 422},
		{"number of another birth date", admin, "POST", "/api/v1/learners", learner("INB-A2", "1986-07-30", nn[0]), 422},
		{"number as a JSON number", admin, "POST", "/api/v1/learners/search", `{"national_number":` + nn[0].Digits() + `}`, 422},
		{"number beside an unknown field", admin, "POST", "/api/v1/learners/search", `{"national_number":"` + nn[0].Digits() + `","x":1}`, 422},
		{"search by number", counsellor, "POST", "/api/v1/learners/search", `{"national_number":"` + nn[0].Format() + `"}`, 200},
		{"search by a mistyped number", counsellor, "POST", "/api/v1/learners/search", `{"national_number":"` + nn[0].Digits()[:10] + `"}`, 422},
		{"get", desk, "GET", "/api/v1/learners/INB-A1", "", 200},
		{"list", desk, "GET", "/api/v1/learners?q=el", "", 200},
		{"number in a URL", desk, "GET", "/api/v1/learners?q=" + nn[0].Digits(), "", 422},
		{"number as a reference in a URL", desk, "GET", "/api/v1/learners?ref=" + url.QueryEscape(nn[0].Format()), "", 422},
		{"update with a new number", admin, "PUT", "/api/v1/learners/INB-A1", strings.Replace(learner("", "1988-05-05", nn[6]), `"ref":"",`, "", 1), 200},
		{"refused reveal", desk, "POST", "/api/v1/learners/INB-A1/reveal", "", 403},
	}
	for _, s := range statuses {
		if res := api(s.token, s.method, s.path, s.body, false); res.StatusCode != s.want {
			t.Errorf("%s: %d, want %d: %s", s.name, res.StatusCode, s.want, res.Body)
		}
	}
	res = api(counsellor, "POST", "/api/v1/learners/INB-A1/reveal", "", true)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, nn[6].Format()) || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("reveal: %d %q %s", res.StatusCode, res.Header.Get("Cache-Control"), res.Body)
	}
}

func leakThroughPages(t *testing.T, tm *testMain, w *leakWatch, nn []traject.NationalNumber) {
	t.Helper()
	coord, counsellor, desk := tm.client(), tm.client(), tm.client()
	tm.login(coord, "coord@example.org")
	tm.login(counsellor, "counsellor@example.org")
	tm.login(desk, "desk@example.org")
	form := func(ref string, n traject.NationalNumber, phone string) url.Values {
		return url.Values{"ref": {ref}, "first_name": {"Mehmet"}, "last_name": {"Öztürk"}, "birth_date_day": {"4"},
			"birth_date_month": {"3"}, "birth_date_year": {"2001"}, "national_number": {n.Format()}, "phone": {phone},
			"language": {"tr"}, "obligation": {"entitled"}}
	}
	page := func(c *http.Client, method, path string, f url.Values, want int, allowed bool) *response {
		t.Helper()
		var res *response
		if method == "GET" {
			res = tm.get(c, path)
		} else {
			res = tm.post(c, path, f)
		}
		if res.StatusCode != want {
			t.Errorf("%s %s: %d, want %d", method, path, res.StatusCode, want)
		}
		return w.add(method+" "+path, res, allowed)
	}
	page(coord, "POST", "/learners", form("INB-P1", nn[1], "0470 12 34 56"), 303, false)
	res := page(coord, "POST", "/learners", form("INB-P2", nn[7], "call me"), 422, false)
	if !strings.Contains(res.Body, `id="national_number" name="national_number" value=""`) {
		t.Error("the form shown again lost its empty number field")
	}
	page(coord, "POST", "/learners", form("INB-P3", nn[1], "0470 12 34 56"), 422, false) // a taken number
	res = page(coord, "POST", "/learners/search", url.Values{"term": {nn[1].Format()}}, 200, false)
	if !strings.Contains(res.Body, "/learners/INB-P1") || !strings.Contains(res.Body, nn[1].Mask()) {
		t.Errorf("search by number found nothing: %s", res.Body)
	}
	page(coord, "POST", "/learners/search", url.Values{"term": {nn[1].Digits()[:10]}}, 422, false)
	page(coord, "GET", "/learners?q="+nn[1].Digits(), nil, 422, false) // typed into a URL: refused, not echoed
	page(coord, "GET", "/learners/INB-P1", nil, 200, false)
	page(coord, "GET", "/learners/INB-P1/edit", nil, 200, false)
	page(desk, "POST", "/learners/INB-P1/reveal", nil, 403, false)
	page(coord, "POST", "/learners/INB-P1/reveal", nil, 403, false)
	res = page(counsellor, "POST", "/learners/INB-P1/reveal", nil, 200, true)
	if !strings.Contains(res.Body, nn[1].Format()) || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("reveal page: %q %s", res.Header.Get("Cache-Control"), res.Body)
	}
	page(counsellor, "GET", "/learners/INB-P1", nil, 200, false) // shown once: not on the next visit
}

func leakThroughImports(t *testing.T, tm *testMain, w *leakWatch, nn []traject.NationalNumber, admin string) {
	t.Helper()
	header := "ref,first_name,last_name,birth_date,national_number,region,phone,email,language,obligation\n"
	row := func(ref, birth string, n traject.NationalNumber) string {
		return ref + ",Elif,Çelik," + birth + "," + n.Format() + ",ANT,,,tr,obliged\n"
	}
	bad := header + row("INB-I1", "1979-12-31", nn[2]) + row("INB-I2", "1979-12-31", nn[2]) + row("INB-I3", "1985-07-30", nn[6])
	post := func(body string) *response {
		h := http.Header{"Authorization": {"Bearer " + admin}, "Content-Type": {"text/csv"}}
		return w.add("POST /api/v1/imports/learners", tm.do(tm.client(), "POST", "/api/v1/imports/learners", strings.NewReader(body), h), false)
	}
	if res := post(bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "line 3, national_number") ||
		!strings.Contains(res.Body, "line 4, national_number") {
		t.Errorf("bad file: %d %s", res.StatusCode, res.Body)
	}
	if res := post(header + row("INB-I1", "1979-12-31", nn[2])); res.StatusCode != http.StatusOK {
		t.Errorf("good file: %d %s", res.StatusCode, res.Body)
	}
	c := tm.client()
	tm.login(c, "coord@example.org")
	res := upload(t, tm, c, "learners", "learners.csv", header+row("INB-W1", "1990-01-01", nn[3])+row("INB-W2", "1990-01-01", nn[3]))
	w.add("POST /imports (bad)", res, false)
	res = upload(t, tm, c, "learners", "learners.csv", header+row("INB-W1", "1990-01-01", nn[3])+row("INB-W2", "1992-04-17", nn[4]))
	w.add("POST /imports", res, false)
	confirm(t, tm, c, "/learners")

	file := writeFile(t, "learners.csv", header+row("INB-C1", "2003-11-08", nn[5])+row("INB-C2", "2003-11-08", nn[5]))
	vars := map[string]string{"TRAJECT_DB": tm.Config.DB, "TRAJECT_SECRET_KEY": testSecretKey}
	code, stdout, stderr := runCLI(t, vars, "", "import", "learners", file)
	if code != exitRejected || !strings.Contains(stderr, ":3: national_number: this national number is also on line 2") {
		t.Errorf("CLI import: exit %d, %s", code, stderr)
	}
	w.text("the command line's output", stdout+stderr)
}

// leakThroughReads reads what staff read: lists, the audit log as a page and
// in the store, the OpenAPI document, and the stored rows themselves.
func leakThroughReads(t *testing.T, tm *testMain, w *leakWatch) {
	t.Helper()
	c := tm.client()
	tm.login(c, "admin@example.org")
	for _, path := range []string{"/learners", "/audit", "/audit?object_type=learner", "/learners/INB-I1", "/api/v1/openapi.json"} {
		w.add("GET "+path, tm.get(c, path), false)
	}
	ctx := traject.NewContextWithUser(context.Background(), &traject.User{Email: "admin@example.org", Role: traject.RoleAdmin, Active: true})
	entries, err := tm.Store().AuditLog(ctx, traject.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var audit strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&audit, "%s %s %s %s %s\n", e.Action, e.ObjectID, e.Before, e.After, e.Reason)
	}
	w.text("the audit log", audit.String())
	var rows strings.Builder
	for _, q := range []string{`SELECT * FROM learners`, `SELECT * FROM audit_log`} {
		dumpRows(t, tm, q, &rows)
	}
	w.text("the database", rows.String())
}

func dumpRows(t *testing.T, tm *testMain, q string, out *strings.Builder) {
	t.Helper()
	rows, err := tm.Store().ReadDB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(out, "%v|", v)
		}
		out.WriteString("\n")
	}
}

// checkRevealAudit: every reveal is audited, and so is every refused one.
func checkRevealAudit(t *testing.T, tm *testMain) {
	t.Helper()
	ctx := traject.NewContextWithUser(context.Background(), &traject.User{Email: "admin@example.org", Role: traject.RoleAdmin, Active: true})
	count := map[string]int{}
	for _, ref := range []string{"INB-A1", "INB-P1"} {
		entries, err := tm.Store().AuditLog(ctx, traject.AuditFilter{ObjectType: "learner", ObjectID: ref})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			count[e.Action+" "+ref+" "+e.ActorLabel]++
		}
	}
	for _, want := range []string{
		"learner.reveal INB-A1 counsellor@example.org", "learner.reveal.refused INB-A1 desk@example.org",
		"learner.reveal INB-P1 counsellor@example.org", "learner.reveal.refused INB-P1 desk@example.org",
		"learner.reveal.refused INB-P1 coord@example.org",
	} {
		if count[want] != 1 {
			t.Errorf("audit rows %q: %d, want 1 (all: %v)", want, count[want], count)
		}
	}
}

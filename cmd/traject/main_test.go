package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/auth"
	"traject/internal/config"
	"traject/internal/notify"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// testMain is a running Traject server on a fresh database, for end-to-end
// tests: the same Main the command runs, on 127.0.0.1:0.
type testMain struct {
	*Main
	t      testing.TB
	cancel context.CancelFunc
	done   chan error
}

// fastHash keeps test sign-ins quick; production uses auth.DefaultParams.
var fastHash = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// testPassword is the password of every account made by mustUser.
const testPassword = "correct horse battery"

// mustRun starts a server on dbURL (a fresh SQLite file when empty) and stops
// it when the test ends.
func mustRun(t testing.TB, dbURL string, edit ...func(*config.Config)) *testMain {
	t.Helper()
	cfg := config.Default()
	cfg.Addr = "127.0.0.1:0"
	cfg.DB = dbURL
	if cfg.DB == "" {
		cfg.DB = storetest.SQLiteURL(t)
	}
	for _, e := range edit {
		e(&cfg)
	}
	m := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler), DBFlagSet: true, Sender: &notify.Memory{}}
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

// sent returns the messages the server has sent to learners and staff.
func (tm *testMain) sent() []notify.Message { return tm.Sender.(*notify.Memory).Sent() }

// Store returns the server's store.
func (tm *testMain) Store() *store.Store { return tm.store }

// mustUser creates an account with testPassword.
func (tm *testMain) mustUser(email string, role traject.Role, region string) *traject.User {
	tm.t.Helper()
	hash, err := auth.HashPassword(testPassword, fastHash)
	if err != nil {
		tm.t.Fatal(err)
	}
	u := &traject.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, RegionCode: region}
	ctx := traject.NewContextWithActorLabel(context.Background(), "test")
	if err := tm.store.CreateUser(ctx, u, hash); err != nil {
		tm.t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// mustToken creates an API token for u and returns it.
func (tm *testMain) mustToken(u *traject.User) string {
	tm.t.Helper()
	token, hash, prefix, err := auth.NewToken()
	if err != nil {
		tm.t.Fatal(err)
	}
	if _, err := tm.store.CreateToken(traject.NewContextWithUser(context.Background(), u), u, "test", hash, prefix); err != nil {
		tm.t.Fatal(err)
	}
	return token
}

// client is a browser-like HTTP client with a cookie jar that does not follow
// redirects, so tests can see each 303.
func (tm *testMain) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: time.Minute, // a hung server fails the test instead of the whole run
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs c in as email with testPassword and fails the test otherwise.
func (tm *testMain) login(c *http.Client, email string) {
	tm.t.Helper()
	res := tm.post(c, "/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		tm.t.Fatalf("login %s: status %d", email, res.StatusCode)
	}
}

// get fetches path with c.
func (tm *testMain) get(c *http.Client, path string) *response {
	tm.t.Helper()
	return tm.do(c, http.MethodGet, path, nil, nil)
}

// post submits a form as a same-origin browser would.
func (tm *testMain) post(c *http.Client, path string, form url.Values) *response {
	tm.t.Helper()
	return tm.do(c, http.MethodPost, path, strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"},
	})
}

// response is an HTTP response with its body read.
type response struct {
	*http.Response
	Body string
}

func (tm *testMain) do(c *http.Client, method, path string, body io.Reader, h http.Header) *response {
	tm.t.Helper()
	req, err := http.NewRequest(method, tm.URL()+path, body)
	if err != nil {
		tm.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		tm.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = io.Copy(&buf, res.Body)
	return &response{Response: res, Body: buf.String()}
}

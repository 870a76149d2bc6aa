package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/auth"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// auditReader is a national reader of the audit log, for tests.
var auditReader = &traject.User{ID: -1, Email: "auditor@example.org", Role: traject.RoleAdmin, Active: true}

// auditSince returns the audit rows with an id above after, oldest first.
func auditSince(t testing.TB, s *store.Store, after int64) []traject.AuditEntry {
	t.Helper()
	rows, err := s.AuditLog(traject.NewContextWithUser(context.Background(), auditReader), traject.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	var out []traject.AuditEntry
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].ID > after {
			out = append(out, rows[i])
		}
	}
	return out
}

// lastAuditID returns the id of the newest audit row, or 0.
func lastAuditID(t testing.TB, s *store.Store) int64 {
	t.Helper()
	rows := auditSince(t, s, 0)
	if len(rows) == 0 {
		return 0
	}
	return rows[len(rows)-1].ID
}

// auditWant is what one audit row must say. Before and After list keys of the
// JSON snapshots and the values they must hold; a nil Before or After wants
// no snapshot at all.
type auditWant struct {
	ActorLabel string
	ActorID    int64
	Action     string
	ObjectType string
	ObjectID   string
	Region     string
	Before     map[string]any
	After      map[string]any
	RequestID  string // when set, the X-Request-Id of the request that wrote the row
}

// checkAuditRow compares e with w and reports every difference.
func checkAuditRow(t testing.TB, e traject.AuditEntry, w auditWant) {
	t.Helper()
	got := [6]string{e.ActorLabel, fmt.Sprint(e.ActorID), e.Action, e.ObjectType, e.ObjectID, e.RegionCode}
	want := [6]string{w.ActorLabel, fmt.Sprint(w.ActorID), w.Action, w.ObjectType, w.ObjectID, w.Region}
	if got != want {
		t.Errorf("audit row (actor, actor id, action, type, object, region) = %q, want %q", got, want)
	}
	checkSnapshot(t, "before", e.Before, w.Before)
	checkSnapshot(t, "after", e.After, w.After)
	if w.RequestID != "" && e.RequestID != w.RequestID {
		t.Errorf("audit row request id %q, want the request's %q", e.RequestID, w.RequestID)
	}
	for _, secret := range []string{"password_hash", "argon2", `"hash"`} {
		if strings.Contains(e.Before+e.After, secret) {
			t.Errorf("audit row %s holds %q: %s / %s", e.Action, secret, e.Before, e.After)
		}
	}
}

func checkSnapshot(t testing.TB, which, raw string, want map[string]any) {
	t.Helper()
	if want == nil {
		if raw != "" {
			t.Errorf("%s = %s, want none", which, raw)
		}
		return
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Errorf("%s = %q: not a JSON object: %v", which, raw, err)
		return
	}
	for k, v := range want {
		switch v {
		case present:
			if got[k] == nil {
				t.Errorf("%s[%q] missing in %s", which, k, raw)
			}
		case absent:
			if got[k] != nil {
				t.Errorf("%s[%q] = %v, want none, in %s", which, k, got[k], raw)
			}
		default:
			if fmt.Sprint(got[k]) != fmt.Sprint(v) {
				t.Errorf("%s[%q] = %v, want %v, in %s", which, k, got[k], v, raw)
			}
		}
	}
}

// present and absent stand for "any non-null value" and "null or missing" in auditWant snapshots.
const (
	present = "<present>"
	absent  = "<absent>"
)

// TestAuditWebWrites performs every write of the staff pages in turn and
// checks the one audit row each leaves behind.
func TestAuditWebWrites(t *testing.T) {
	tm := mustRun(t, "")
	s := tm.Store()
	admin := tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	ac := tm.client()
	tm.login(ac, admin.Email)
	var newbie *traject.User // the account created on the page
	var tokenID int64
	var tokenText string
	nc := tm.client() // the new account's browser

	steps := []struct {
		name string
		do   func(tm *testMain) *response
		want func() auditWant
	}{
		{
			name: "create an account",
			do: func(tm *testMain) *response {
				res := tm.post(ac, "/staff", url.Values{"name": {"Nieuwe Balie"}, "email": {"New.Desk@Example.org"}, "role": {"desk"},
					"region": {"ANT"}, "password": {testPassword}})
				var err error
				if newbie, err = s.UserByEmail(context.Background(), "new.desk@example.org"); err != nil {
					tm.t.Fatalf("account not created: %v", err)
				}
				return res
			},
			want: func() auditWant {
				return auditWant{ActorLabel: admin.Email, ActorID: admin.ID, Action: "user.create", ObjectType: "user",
					ObjectID: "new.desk@example.org", Region: "ANT",
					After: map[string]any{"id": newbie.ID, "email": "new.desk@example.org", "name": "Nieuwe Balie",
						"role": "desk", "region": "ANT", "active": true}}
			},
		},
		{
			name: "deactivate it",
			do:   func(tm *testMain) *response { return tm.post(ac, fmt.Sprintf("/staff/%d/deactivate", newbie.ID), nil) },
			want: func() auditWant {
				return auditWant{ActorLabel: admin.Email, ActorID: admin.ID, Action: "user.deactivate", ObjectType: "user",
					ObjectID: newbie.Email, Region: "ANT",
					Before: map[string]any{"active": true, "deactivated_at": absent, "role": "desk"},
					After:  map[string]any{"active": false, "deactivated_at": present, "role": "desk"}}
			},
		},
		{
			name: "reactivate it",
			do:   func(tm *testMain) *response { return tm.post(ac, fmt.Sprintf("/staff/%d/activate", newbie.ID), nil) },
			want: func() auditWant {
				return auditWant{ActorLabel: admin.Email, ActorID: admin.ID, Action: "user.activate", ObjectType: "user",
					ObjectID: newbie.Email, Region: "ANT",
					Before: map[string]any{"active": false, "deactivated_at": present},
					After:  map[string]any{"active": true, "deactivated_at": absent}}
			},
		},
		{
			name: "create a token",
			do: func(tm *testMain) *response {
				res := tm.post(ac, "/account/tokens", url.Values{"name": {"nightly export"}})
				tokens, err := s.Tokens(context.Background(), admin.ID)
				if err != nil || len(tokens) != 1 {
					tm.t.Fatalf("tokens after create: %v, %v", tokens, err)
				}
				tokenID = tokens[0].ID
				tokenText = shownToken(tm, ac)
				return res
			},
			want: func() auditWant {
				return auditWant{ActorLabel: admin.Email, ActorID: admin.ID, Action: "token.create", ObjectType: "api_token",
					ObjectID: fmt.Sprint(tokenID),
					After:    map[string]any{"id": tokenID, "user_id": admin.ID, "name": "nightly export", "revoked_at": absent}}
			},
		},
		{
			name: "revoke the token",
			do: func(tm *testMain) *response {
				return tm.post(ac, fmt.Sprintf("/account/tokens/%d/revoke", tokenID), nil)
			},
			want: func() auditWant {
				return auditWant{ActorLabel: admin.Email, ActorID: admin.ID, Action: "token.revoke", ObjectType: "api_token",
					ObjectID: fmt.Sprint(tokenID),
					Before:   map[string]any{"name": "nightly export", "revoked_at": absent},
					After:    map[string]any{"name": "nightly export", "revoked_at": present}}
			},
		},
		{
			name: "sign in",
			do: func(tm *testMain) *response {
				return tm.post(nc, "/login", url.Values{"email": {newbie.Email}, "password": {testPassword}})
			},
			want: func() auditWant {
				return auditWant{ActorLabel: newbie.Email, ActorID: newbie.ID, Action: "auth.login", ObjectType: "user",
					ObjectID: newbie.Email, Region: "ANT", After: map[string]any{"outcome": "ok"}}
			},
		},
		{
			name: "fail to sign in",
			do: func(tm *testMain) *response {
				return tm.post(tm.client(), "/login", url.Values{"email": {newbie.Email}, "password": {"not the password"}})
			},
			want: func() auditWant {
				return auditWant{ActorLabel: newbie.Email, ActorID: newbie.ID, Action: "auth.login", ObjectType: "user",
					ObjectID: newbie.Email, Region: "ANT", After: map[string]any{"outcome": "wrong_password"}}
			},
		},
		{
			name: "sign out",
			do:   func(tm *testMain) *response { return tm.post(nc, "/logout", nil) },
			want: func() auditWant {
				return auditWant{ActorLabel: newbie.Email, ActorID: newbie.ID, Action: "auth.logout", ObjectType: "user",
					ObjectID: newbie.Email, Region: "ANT"}
			},
		},
	}
	wantStatus := map[string]int{"fail to sign in": http.StatusUnprocessableEntity}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			tm := tm.forTest(t)
			before := lastAuditID(t, s)
			res := step.do(tm)
			status := http.StatusSeeOther
			if st, ok := wantStatus[step.name]; ok {
				status = st
			}
			if res.StatusCode != status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, status, excerpt(res.Body))
			}
			rows := auditSince(t, s, before)
			if len(rows) != 1 {
				t.Fatalf("%d new audit rows, want 1: %+v", len(rows), rows)
			}
			w := step.want()
			w.RequestID = res.Header.Get("X-Request-Id")
			checkAuditRow(t, rows[0], w)
			if tokenText != "" && strings.Contains(rows[0].Before+rows[0].After, tokenText) {
				t.Errorf("audit row holds the API token itself: %s", rows[0].After)
			}
		})
	}
}

// shownToken returns the token the account page shows once after creation.
func shownToken(tm *testMain, c *http.Client) string {
	tm.t.Helper()
	res := tm.get(c, "/account")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(res.Body))
	if err != nil {
		tm.t.Fatal(err)
	}
	tok := strings.TrimSpace(doc.Find("code.token").Text())
	if tok == "" {
		tm.t.Fatalf("the account page shows no new token:\n%s", excerpt(res.Body))
	}
	if again := tm.get(c, "/account"); strings.Contains(again.Body, tok) {
		tm.t.Errorf("the new token is shown a second time")
	}
	return tok
}

// cliEnv is an environment with no TRAJECT_* variables and the given stdin.
func cliEnv(stdin string, stdout, stderr *bytes.Buffer) env {
	return env{getenv: func(string) string { return "" }, stdin: strings.NewReader(stdin), stdout: stdout, stderr: stderr}
}

// TestAuditCLIWrites runs user add and token create as the command does and
// checks that each leaves an audit row with the command line as its actor,
// and that a refused command leaves none.
func TestAuditCLIWrites(t *testing.T) {
	db := storetest.SQLiteURL(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		rows     int
		want     auditWant
		wantUser string // an account that must exist afterwards
	}{
		{
			name: "user add", args: []string{"user", "add", "--email", "Cli.User@Example.org", "--role", "counsellor", "--region", "Limburg",
				"--password-stdin"}, stdin: testPassword + "\n", code: exitOK, rows: 1, wantUser: "cli.user@example.org",
			want: auditWant{ActorLabel: traject.ActorCLI, Action: "user.create", ObjectType: "user", ObjectID: "cli.user@example.org",
				Region: "LIM", After: map[string]any{"email": "cli.user@example.org", "name": "Cli.User", "role": "counsellor",
					"region": "LIM", "active": true}},
		},
		{
			name: "token create", args: []string{"token", "create", "--email", "cli.user@example.org", "--name", "backup script"},
			code: exitOK, rows: 1,
			want: auditWant{ActorLabel: traject.ActorCLI, Action: "token.create", ObjectType: "api_token", Region: "LIM",
				After: map[string]any{"name": "backup script", "revoked_at": absent}},
		},
		{
			name: "user add with a bad address", args: []string{"user", "add", "--email", "not an address", "--role", "desk", "--region", "ANT",
				"--password-stdin"}, stdin: testPassword + "\n", code: exitRejected,
		},
		{
			name: "user add twice", args: []string{"user", "add", "--email", "cli.user@example.org", "--role", "desk", "--region", "ANT",
				"--password-stdin"}, stdin: testPassword + "\n", code: exitRejected,
		},
		{
			name: "token create for nobody", args: []string{"token", "create", "--email", "nobody@example.org"}, code: exitRejected,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			s := storetest.OpenURL(t, db) // migrates on the first run, reads the rows after
			before := lastAuditID(t, s)
			code := run(ctx, append(tt.args, "--db", db), cliEnv(tt.stdin, &stdout, &stderr))
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q, stderr %q", code, tt.code, stdout.String(), stderr.String())
			}
			rows := auditSince(t, s, before)
			if len(rows) != tt.rows {
				t.Fatalf("%d new audit rows, want %d: %+v", len(rows), tt.rows, rows)
			}
			if tt.rows == 0 {
				return
			}
			w := tt.want
			if w.Action == "token.create" {
				token := strings.TrimSpace(stdout.String())
				u, err := s.UserByTokenHash(ctx, auth.HashToken(token))
				if err != nil || u.Email != "cli.user@example.org" {
					t.Fatalf("printed token %q does not act as cli.user: %v, %v", token, u, err)
				}
				if strings.Contains(rows[0].After, token) {
					t.Errorf("audit row holds the token itself")
				}
				w.ObjectID = rows[0].ObjectID
				w.After["user_id"] = u.ID
			}
			checkAuditRow(t, rows[0], w)
			if tt.wantUser != "" {
				if _, err := s.UserByEmail(ctx, tt.wantUser); err != nil {
					t.Errorf("account %s: %v", tt.wantUser, err)
				}
			}
		})
	}
}

// TestAuditRefusedWrites checks that a refused write changes nothing: no
// audit row, no account, no token.
func TestAuditRefusedWrites(t *testing.T) {
	tm := mustRun(t, "")
	s := tm.Store()
	admin := tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	tm.mustUser("desk@example.org", traject.RoleDesk, "ANT")
	valid := url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "role": {"desk"}, "region": {"ANT"}, "password": {testPassword}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range valid {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name   string
		as     string
		path   string
		form   url.Values
		header http.Header
		status int
	}{
		{name: "invalid e-mail", as: admin.Email, path: "/staff", form: with("email", "ann@"), status: 422},
		{name: "short password", as: admin.Email, path: "/staff", form: with("password", "short"), status: 422},
		{name: "national role with a region", as: admin.Email, path: "/staff", form: with("role", "analyst"), status: 422},
		{name: "unknown role", as: admin.Email, path: "/staff", form: with("role", "superuser"), status: 422},
		{name: "existing e-mail", as: admin.Email, path: "/staff", form: with("email", "desk@example.org"), status: 422},
		{name: "without permission", as: "desk@example.org", path: "/staff", form: valid, status: 403},
		{name: "from another site", as: admin.Email, path: "/staff", form: valid, header: http.Header{"Sec-Fetch-Site": {"cross-site"}}, status: 403},
		{name: "deactivate oneself", as: admin.Email, path: fmt.Sprintf("/staff/%d/deactivate", admin.ID), status: 409},
		{name: "token without a name", as: admin.Email, path: "/account/tokens", form: url.Values{"name": {""}}, status: 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := tm.forTest(t)
			c := tm.client()
			tm.login(c, tt.as)
			usersBefore := countUsers(t, s)
			before := lastAuditID(t, s)
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}}
			for k, v := range tt.header {
				h[k] = v
			}
			res := tm.do(c, http.MethodPost, tt.path, strings.NewReader(tt.form.Encode()), h)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, tt.status, excerpt(res.Body))
			}
			if rows := auditSince(t, s, before); len(rows) != 0 {
				t.Errorf("a refused write added audit rows: %+v", rows)
			}
			if n := countUsers(t, s); n != usersBefore {
				t.Errorf("%d accounts, want %d", n, usersBefore)
			}
			if _, err := s.UserByEmail(context.Background(), "ann@example.org"); traject.ErrorCode(err) != traject.ENOTFOUND {
				t.Errorf("ann@example.org exists after a refused create (err %v)", err)
			}
			if tokens, _ := s.Tokens(context.Background(), admin.ID); len(tokens) != 0 {
				t.Errorf("a token was created: %+v", tokens)
			}
			if me, err := s.User(context.Background(), admin.ID); err != nil || !me.Active {
				t.Errorf("admin after refused write: %+v, %v", me, err)
			}
		})
	}
}

func countUsers(t testing.TB, s *store.Store) int {
	t.Helper()
	n, err := s.CountUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

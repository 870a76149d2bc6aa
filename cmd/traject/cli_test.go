package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traject"
	"traject/internal/store/storetest"
)

// runCLI runs one command line in-process and returns its exit code and output.
func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{
		getenv: func(k string) string { return vars[k] },
		stdin:  strings.NewReader(stdin), stdout: &stdout, stderr: &stderr,
	})
	return code, stdout.String(), stderr.String()
}

func TestCLIRejectsBadConfigurationWithOneLineAndExit2(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"db flag", nil, []string{"migrate", "--db", "mysql://x"}, "--db"},
		{"db variable", map[string]string{"TRAJECT_DB": "mysql://x"}, []string{"migrate"}, "TRAJECT_DB"},
		{"addr", nil, []string{"serve", "--addr", "nonsense", "--db", "sqlite:" + filepath.Join(t.TempDir(), "x.db")}, "--addr"},
		{"log format", map[string]string{"TRAJECT_LOG_FORMAT": "xml"}, []string{"migrate"}, "--log-format"},
		{"unknown flag", nil, []string{"migrate", "--dbb", "x"}, "unknown flag"},
		{"unknown command", nil, []string{"frobnicate"}, "frobnicate"},
		{"user add without role", nil, []string{"user", "add", "--email", "a@example.org"}, "--role"},
		{"backup without file", nil, []string{"backup"}, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.vars, "", tt.args...)
			if code != exitUsage {
				t.Errorf("exit code = %d, want 2", code)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "traject: ") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not name %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q", stdout)
			}
		})
	}
}

func TestCLICorruptSQLiteFileIsLeftUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "traject.db")
	content := []byte("PK\x03\x04 this is a zip file, not a database")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	for _, args := range [][]string{{"migrate"}, {"serve", "--addr", "127.0.0.1:0"}, {"backup", filepath.Join(t.TempDir(), "b.db")}} {
		code, _, stderr := runCLI(t, nil, "", append(args, "--db", "sqlite:"+path)...)
		if code != exitRejected {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		if !strings.Contains(stderr, "not a SQLite database") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: stderr %q", args, stderr)
		}
		got, _ := os.ReadFile(path)
		if sha256.Sum256(got) != sum {
			t.Fatalf("%v changed the file", args)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("files next to the database: %v", entries)
	}
}

func TestCLIUnreachablePostgres(t *testing.T) {
	code, _, stderr := runCLI(t, nil, "", "migrate", "--db", "postgres://u:topsecret@127.0.0.1:1/traject?connect_timeout=2")
	if code != exitRejected || !strings.Contains(stderr, "cannot reach PostgreSQL at 127.0.0.1:1") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stderr, "topsecret") {
		t.Errorf("stderr shows the password: %q", stderr)
	}
}

func TestCLIMigrateIsIdempotent(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			for range 2 {
				code, stdout, stderr := runCLI(t, nil, "", "migrate", "--db", db.URL)
				if code != exitOK || !strings.Contains(stdout, "schema is at version") {
					t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
				}
			}
		})
	}
}

func TestCLIUserAddAndTokenCreate(t *testing.T) {
	db := storetest.SQLiteURL(t)
	vars := map[string]string{"TRAJECT_DB": db}
	code, stdout, stderr := runCLI(t, vars, "a long enough password\n", "user", "add", "--email", "Coord@Example.org",
		"--role", "coordinator", "--region", "Antwerpen", "--password-stdin")
	if code != exitOK || !strings.Contains(stdout, "created coord@example.org (coordinator)") {
		t.Fatalf("user add: exit %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, vars, "", "user", "add", "--email", "admin@example.org", "--role", "admin")
	if code != exitOK || !strings.Contains(stdout, "password: ") {
		t.Fatalf("user add with a generated password: exit %d, %q", code, stdout)
	}
	code, _, stderr = runCLI(t, vars, "", "user", "add", "--email", "coord@example.org", "--role", "admin")
	if code != exitRejected || !strings.Contains(stderr, "already exists") {
		t.Errorf("duplicate: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, vars, "short\n", "user", "add", "--email", "x@example.org", "--role", "admin", "--password-stdin")
	if code != exitRejected || !strings.Contains(stderr, "12 characters") {
		t.Errorf("short password: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, vars, "", "user", "add", "--email", "x@example.org", "--role", "desk")
	if code != exitRejected || !strings.Contains(stderr, "region") {
		t.Errorf("desk without region: exit %d, %q", code, stderr)
	}
	code, stdout, _ = runCLI(t, vars, "", "token", "create", "--email", "coord@example.org", "--name", "nightly export")
	token := strings.TrimSpace(stdout)
	if code != exitOK || !strings.HasPrefix(token, "trj_") {
		t.Fatalf("token create: exit %d, %q", code, stdout)
	}
	code, _, stderr = runCLI(t, vars, "", "token", "create", "--email", "nobody@example.org")
	if code != exitRejected || !strings.Contains(stderr, "no account nobody@example.org") {
		t.Errorf("token for unknown account: exit %d, %q", code, stderr)
	}

	s := storetest.OpenURL(t, db)
	admin, err := s.UserByEmail(context.Background(), "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditLog(traject.NewContextWithUser(context.Background(), admin), traject.AuditFilter{Actor: traject.ActorCLI})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "token.create,user.create,user.create" {
		t.Errorf("CLI audit actions = %v", actions)
	}
}

func TestCLIBackup(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "traject.db")
	if code, _, stderr := runCLI(t, nil, "", "backup", filepath.Join(dir, "b.db"), "--db", db); code != exitRejected || !strings.Contains(stderr, "no database") {
		t.Errorf("backup of a missing database: exit %d, %q", code, stderr)
	}
	runCLI(t, nil, "", "user", "add", "--email", "a@example.org", "--role", "admin", "--db", db)
	out := filepath.Join(dir, "backup.db")
	if code, stdout, stderr := runCLI(t, nil, "", "backup", out, "--db", db); code != exitOK || !strings.Contains(stdout, out) {
		t.Fatalf("backup: exit %d, %q, %q", code, stdout, stderr)
	}
	if n, err := storetest.OpenURL(t, "sqlite:"+out).CountUsers(context.Background()); err != nil || n != 1 {
		t.Errorf("backup holds %d users, %v", n, err)
	}
	if code, _, _ := runCLI(t, nil, "", "backup", out, "--db", db); code != exitRejected {
		t.Errorf("backup over an existing file: exit %d", code)
	}
	if code, _, stderr := runCLI(t, nil, "", "backup", out, "--db", "postgres://u@127.0.0.1:1/x?connect_timeout=1"); code == exitOK || stderr == "" {
		t.Errorf("backup of postgres: exit %d", code)
	}
}

func TestCLIDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.db")
	code, stdout, stderr := runCLI(t, nil, "", "demo", "--out", out)
	if code != exitOK || !strings.Contains(stdout, "traject-demo") {
		t.Fatalf("demo: exit %d, %q, %q", code, stdout, stderr)
	}
	if n, _ := storetest.OpenURL(t, "sqlite:"+out).CountUsers(context.Background()); n != 8 {
		t.Errorf("demo accounts = %d", n)
	}
	if code, _, _ := runCLI(t, nil, "", "demo", "--out", out); code != exitRejected {
		t.Errorf("demo over an existing file: exit %d", code)
	}
}

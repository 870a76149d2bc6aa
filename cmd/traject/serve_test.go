package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"traject/internal/config"
	"traject/internal/store/storetest"
)

// TestGracefulShutdownFinishesRequestsInFlight stops the server while a slow
// request runs; the request must complete and Serve must return cleanly.
func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	cfg := config.Default()
	cfg.Addr, cfg.DB = "127.0.0.1:0", storetest.SQLiteURL(t)
	m := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler), DBFlagSet: true}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	started := make(chan struct{})
	inner := m.server.Handler
	m.server.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			time.Sleep(500 * time.Millisecond)
			_, _ = io.WriteString(w, "finished")
			return
		}
		inner.ServeHTTP(w, r)
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx) }()

	body := make(chan string, 1)
	go func() {
		res, err := http.Get(m.URL() + "/slow")
		if err != nil {
			body <- "error: " + err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		body <- string(b)
	}()
	<-started
	cancel() // as SIGTERM does
	if got := <-body; got != "finished" {
		t.Errorf("request in flight got %q", got)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if _, err := http.Get(m.URL() + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}

func TestServeDemoOnPostgresAndRefusesNonEmptyDatabase(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Addr, cfg.DB, cfg.Demo = "127.0.0.1:0", db.URL, true
			m := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler), DBFlagSet: true}
			if err := m.Open(context.Background()); err != nil {
				t.Fatalf("demo on an empty %s: %v", db.Name, err)
			}
			m.Close()
			m2 := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler), DBFlagSet: true}
			err := m2.Open(context.Background())
			m2.Close()
			if err == nil || exitCode(err) != exitUsage || !strings.Contains(err.Error(), "empty database") {
				t.Errorf("demo on a used database: %v", err)
			}
		})
	}
}

func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "traject.db")
	tm := mustRun(t, db)
	tm.mustUser("admin@example.org", "admin", "")
	c := tm.client()
	tm.login(c, "admin@example.org")
	out := filepath.Join(dir, "live-backup.db")
	code, _, stderr := runCLI(t, nil, "", "backup", out, "--db", db)
	if code != exitOK {
		t.Fatalf("backup while serving: exit %d, %s", code, stderr)
	}
	if res := tm.get(c, "/"); res.StatusCode != http.StatusOK {
		t.Errorf("the server stopped answering: %d", res.StatusCode)
	}
	if n, err := storetest.OpenURL(t, "sqlite:"+out).CountUsers(context.Background()); err != nil || n != 1 {
		t.Errorf("backup holds %d users, %v", n, err)
	}
}

// TestBinaryStopsOnSIGTERM builds the real binary, starts the demo, reads the
// printed address, signs in, and stops it with SIGTERM: it must exit 0.
func TestBinaryStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "traject")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TRAJECT_DB=", "TMPDIR="+t.TempDir())
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	url := readDemoURL(t, stdout)
	res, err := http.Get(url + "/login")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: %v %v", res, err)
	}
	res.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop within 15 s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), `"msg":"traject stopped"`) {
		t.Errorf("no JSON stop line in the log:\n%s", stderr.String())
	}
}

func readDemoURL(t *testing.T, r io.Reader) string {
	t.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the demo printed no address")
			}
			if rest, found := strings.CutPrefix(line, "Traject demo is running at "); found {
				go func() {
					for range lines { // keep draining so the server never blocks on stdout
					}
				}()
				return strings.TrimSpace(rest)
			}
		case <-timeout:
			t.Fatal("the demo did not start within 20 s")
		}
	}
}

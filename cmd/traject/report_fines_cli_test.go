package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traject/internal/report"
)

// TestCLIReportFines runs `traject report fines` as the command does: the
// same usage rules and output as the other reports.
func TestCLIReportFines(t *testing.T) {
	db := demoDB(t)
	code, stdout, stderr := runCLI(t, nil, "", "report", "fines", "--from", "2020-01", "--to", "2020-12", "--format", "csv", "--db", db)
	if code != exitOK || !strings.HasPrefix(stdout, strings.Join(report.FinesColumns, ",")) {
		t.Fatalf("exit %d, %s\n%s", code, stderr, stdout)
	}
	out := filepath.Join(t.TempDir(), "fines.json")
	if code, _, stderr := runCLI(t, nil, "", "report", "fines", "--from", "2020-01", "--to", "2020-12", "--out", out, "--db", db); code != exitOK || !strings.Contains(stderr, "wrote "+out) {
		t.Fatalf("--out: exit %d, %s", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
		t.Errorf("--out by extension is not JSON: %v %.40s", err, b)
	}
	for _, args := range [][]string{{"--at", "2020-01-01"}, {"--format", "xlsx"}, {"--format", "pdf"}} {
		if code, _, _ := runCLI(t, nil, "", append([]string{"report", "fines", "--db", db}, args...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, _ := runCLI(t, nil, "", "report", "fines", "--from", "2020-13", "--db", db); code != exitRejected {
		t.Errorf("a month that is not one: exit %d, want %d", code, exitRejected)
	}
}

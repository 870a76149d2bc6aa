package main

import (
	"path/filepath"
	"strconv"
	"testing"
)

// TestReportScaledDemo writes a demo three times the 2020 programme: every
// figure of device-usage is three times the original's, loans included.
func TestReportScaledDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "scaled.db")
	if code, _, stderr := runCLI(t, nil, "", "demo", "--out", out, "--scale", "3"); code != exitOK {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	args := []string{"report", "device-usage", "--from", "2020-05", "--to", "2020-12", "--format", "csv"}
	code, scaled, stderr := runCLI(t, nil, "", append(args, "--db", "sqlite:"+out)...)
	if code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	_, single, _ := runCLI(t, nil, "", append(args, "--db", demoDB(t))...)
	one, three := readCSV(t, single), readCSV(t, scaled)
	if len(one) != len(three) || len(one) < 25 {
		t.Fatalf("%d rows scaled, %d in the demo", len(three), len(one))
	}
	for i := range one {
		for _, col := range []string{"stock_wifi", "stock_4g", "lent_wifi", "lent_4g", "reserved_wifi", "reserved_4g"} {
			if three[i][col] != times3(one[i][col]) {
				t.Errorf("%s %s %s: %s, want 3 x %s", one[i]["region"], one[i]["period_from"], col, three[i][col], one[i][col])
			}
		}
	}
}

func times3(s string) string {
	n, _ := strconv.Atoi(s) // a bad cell fails the comparison
	return strconv.Itoa(3 * n)
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestCLIDemoScale writes a fleet three times the 2020 one, and refuses a
// scale outside 1 to 10,000 as wrong usage without writing a file.
func TestCLIDemoScale(t *testing.T) {
	out := filepath.Join(t.TempDir(), "scale.db")
	code, stdout, stderr := runCLI(t, nil, "", "demo", "--out", out, "--scale", "3")
	if code != exitOK || !strings.Contains(stdout, "3000 devices") {
		t.Fatalf("demo --scale 3: exit %d, %q, %q", code, stdout, stderr)
	}
	s := storetest.OpenURL(t, "sqlite:"+out)
	ctx := traject.NewContextWithUser(context.Background(), &traject.User{ID: 1, Role: traject.RoleAdmin, Active: true})
	n := 0
	for f := (store.DeviceFilter{Limit: 500}); ; {
		page, err := s.Devices(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Devices)
		if f.After = page.Next; f.After == "" {
			break
		}
	}
	deliveries, err := s.Deliveries(ctx)
	if err != nil || n != 3000 || len(deliveries) != 12 {
		t.Errorf("%d devices and %d deliveries (%v), want 3000 and 12", n, len(deliveries), err)
	}
	for _, bad := range []string{"0", "10001", "-2", "many"} {
		out := filepath.Join(t.TempDir(), "bad.db")
		if code, _, stderr := runCLI(t, nil, "", "demo", "--out", out, "--scale", bad); code != exitUsage || !strings.Contains(stderr, "scale") {
			t.Errorf("--scale %s: exit %d, %q", bad, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--scale %s wrote %s", bad, out)
		}
	}
}

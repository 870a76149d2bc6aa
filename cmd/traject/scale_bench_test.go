package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/demo"
)

// benchDevicesEnv sizes the fleet of BenchmarkScale; the figure, and
// the default, is a million devices.
const benchDevicesEnv = "TRAJECT_BENCH_DEVICES"

// BenchmarkScale measures the first and a deep page of the device list at a
// million devices on SQLite: through the whole HTTP handler as the JSON API
// and as the HTML page (as a national admin, and as a desk in Antwerpen), and
// as the raw SQL of the same keyset query on a plain connection, the floor
// under the others. Each reports its p95 latency and the process's peak
// memory (VmHWM) since the fleet was written. The fleet is written once per
// run by `traject demo --scale`, into a temporary file the sub-benchmarks share.
func BenchmarkScale(b *testing.B) {
	copies := benchCopies(b)
	path := filepath.Join(b.TempDir(), "scale.db")
	start := time.Now()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--out", path, "--scale", strconv.Itoa(copies)},
		env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}); code != exitOK {
		b.Fatalf("traject demo --scale %d: exit %d: %s", copies, code, stderr.String())
	}
	b.Logf("traject demo --scale %d wrote %d devices in %s", copies, copies*demo.FleetSize, time.Since(start).Round(time.Millisecond))
	resetPeakMemory(b)

	tm := mustRun(b, "sqlite:"+path)
	admin := tm.mustToken(tm.mustUser("bench-admin@example.org", traject.RoleAdmin, ""))
	desk := tm.mustToken(tm.mustUser("bench-desk@example.org", traject.RoleDesk, "ANT"))
	// Near the end: device 500 of the last copy, and for the desk device 10,
	// an Antwerpen one, with 155 more of Antwerpen after it in that copy.
	deep, deskDeep := demo.AssetTag(copies, 500), demo.AssetTag(copies, 10)
	for _, p := range []struct{ name, after, deskAfter string }{{"first", "", ""}, {"deep", deep, deskDeep}} {
		b.Run("sql/"+p.name, func(b *testing.B) { benchRawDevices(b, path, p.after) })
		b.Run("api/"+p.name, func(b *testing.B) { benchGet(b, tm, admin, "/api/v1/devices", p.after) })
		b.Run("html/"+p.name, func(b *testing.B) { benchGet(b, tm, admin, "/devices", p.after) })
		b.Run("html-desk/"+p.name, func(b *testing.B) { benchGet(b, tm, desk, "/devices", p.deskAfter) })
	}
}

// benchCopies reads the fleet's size from TRAJECT_BENCH_DEVICES, in copies of
// the 2020 fleet of 1,000 devices.
func benchCopies(b *testing.B) int {
	n := 1_000_000
	if v := os.Getenv(benchDevicesEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > demo.MaxScale*demo.FleetSize {
			b.Fatalf("%s=%q: want a number of devices from 1 to %d", benchDevicesEnv, v, demo.MaxScale*demo.FleetSize)
		}
	}
	return (n + demo.FleetSize - 1) / demo.FleetSize
}

// benchGet requests one page of a device list through the server's handler,
// in process, with a bearer token.
func benchGet(b *testing.B, tm *testMain, token, path, after string) {
	if after != "" {
		path += "?after=" + after
	}
	h := tm.server.Handler
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		lat = append(lat, time.Since(t0))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "CB-") {
			b.Fatalf("GET %s: status %d: %.200s", path, rec.Code, rec.Body.String())
		}
	}
	reportLatency(b, lat)
}

// rawDevicesSQL is the query store.Devices runs for a national actor: the
// same columns and joins, 50 rows and one to know there is a next page.
const rawDevicesSQL = `SELECT d.id, d.asset_tag, d.serial, d.model, d.kind, d.connectivity, d.region_code,
	COALESCE(d.office_id, 0), COALESCE(dl.reference, ''), d.state, COALESCE(d.transit_to, ''), d.created_at, d.updated_at,
	s.id, s.iccid, s.phone, s.bundle_until, s.state
	FROM devices d
	LEFT JOIN deliveries dl ON dl.id = d.delivery_id
	LEFT JOIN sims s ON s.device_id = d.id AND s.state <> 'terminated'
	WHERE d.asset_tag > ? ORDER BY d.asset_tag LIMIT 51`

// benchRawDevices is the baseline: the keyset query on a plain database/sql
// connection to the same file, scanned into plain values.
func benchRawDevices(b *testing.B, path, after string) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if n := rawDevicesPage(b, db, after); n != 51 {
			b.Fatalf("%d rows, want 51", n)
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

func rawDevicesPage(b *testing.B, db *sql.DB, after string) int {
	rows, err := db.Query(rawDevicesSQL, after)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, office int64
		var tag, serial, model, kind, conn, region, delivery, state, transit, created, updated string
		var simID sql.NullInt64
		var iccid, phone, bundle, simState sql.NullString
		if err := rows.Scan(&id, &tag, &serial, &model, &kind, &conn, &region, &office, &delivery, &state, &transit,
			&created, &updated, &simID, &iccid, &phone, &bundle, &simState); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

// reportLatency reports the 95th percentile of the iterations' durations, and
// the process's peak memory so far.
func reportLatency(b *testing.B, lat []time.Duration) {
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		p95 := lat[(len(lat)*95+99)/100-1]
		b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	}
	if kb, ok := procStatusKB("VmHWM"); ok {
		b.ReportMetric(float64(kb)/1024, "peak-rss-MB")
	}
}

// resetPeakMemory returns what writing the fleet took to the system and
// restarts the kernel's count of peak memory (VmHWM), so that the figure the
// sub-benchmarks report is the server's, not the generator's.
func resetPeakMemory(b *testing.B) {
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("peak memory cannot be reset (%v): peak-rss-MB includes writing the fleet", err)
	}
}

// procStatusKB reads one "Name: N kB" line of /proc/self/status (Linux).
func procStatusKB(name string) (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

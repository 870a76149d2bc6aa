package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// BenchmarkReports times loans-by-month and device-usage over N loans
// (TRAJECT_BENCH_LOANS, default 200,000) on SQLite and PostgreSQL, beside
// the plain GROUP BY over the loans table that each would be without the
// summaries, in the same run. The loans are written once through the bulk
// path. TRAJECT_BENCH_DIR keeps the SQLite file between runs, and
// TRAJECT_BENCH_POSTGRES names a PostgreSQL database to keep them in,
// so that ten million loans are generated once. TRAJECT_BENCH_ONLY=sqlite
// or postgres runs one database only.
func BenchmarkReports(b *testing.B) {
	n := 200_000
	if v := os.Getenv("TRAJECT_BENCH_LOANS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("TRAJECT_BENCH_LOANS=%q: want a whole number", v)
		}
	}
	for _, db := range benchDBs(b, n) {
		b.Run(db.Name, func(b *testing.B) {
			s := storetest.OpenURL(b, db.URL)
			ctx := context.Background()
			fillBenchLoans(b, ctx, s, n)
			filter := months(b, "2016-01", "2025-12")
			b.Run("loans-by-month", func(b *testing.B) {
				for b.Loop() {
					if rows, err := s.LoansByMonth(ctx, filter); err != nil || len(rows) != 120*12 {
						b.Fatalf("%d rows, %v", len(rows), err)
					}
				}
			})
			b.Run("device-usage", func(b *testing.B) {
				for b.Loop() {
					if rows, err := s.DeviceUsage(ctx, filter); err != nil || len(rows) == 0 {
						b.Fatalf("%d rows, %v", len(rows), err)
					}
				}
			})
			month := map[string]string{"sqlite": "substr(handed_out_on, 1, 7)", "postgres": "to_char(handed_out_on, 'YYYY-MM')"}[s.Dialect()]
			b.Run("plain-group-by-month", func(b *testing.B) {
				for b.Loop() {
					benchCount(b, s, `SELECT `+month+`, region_code, connectivity, COUNT(*) FROM loans
						WHERE handed_out_on IS NOT NULL GROUP BY 1, 2, 3`)
				}
			})
			pf := map[string]string{"sqlite": "substr(starts_on, 1, 7), substr(ends_on, 1, 7)", "postgres": "to_char(starts_on, 'YYYY-MM'), to_char(ends_on, 'YYYY-MM')"}[s.Dialect()]
			b.Run("plain-group-by-period", func(b *testing.B) {
				for b.Loop() {
					benchCount(b, s, `SELECT region_code, `+pf+`, connectivity,
						SUM(CASE WHEN handed_out_on IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'reserved' THEN 1 ELSE 0 END)
						FROM loans GROUP BY 1, 2, 3, 4`)
				}
			})
		})
	}
}

// benchDBs are the databases of the benchmark: kept ones when named, fresh
// ones otherwise.
func benchDBs(b *testing.B, n int) []storetest.DB {
	dbs := storetest.DBs(b)
	if dir := os.Getenv("TRAJECT_BENCH_DIR"); dir != "" {
		dbs[0].URL = "sqlite:" + filepath.Join(dir, fmt.Sprintf("bench-loans-%d.db", n))
	}
	if u := os.Getenv("TRAJECT_BENCH_POSTGRES"); u != "" {
		if len(dbs) == 1 {
			dbs = append(dbs, storetest.DB{Name: "postgres"})
		}
		dbs[1].URL = u
	}
	if only := os.Getenv("TRAJECT_BENCH_ONLY"); only != "" {
		for _, db := range dbs {
			if db.Name == only {
				return []storetest.DB{db}
			}
		}
		b.Fatalf("TRAJECT_BENCH_ONLY=%q: want sqlite or postgres (with TRAJECT_BENCH_POSTGRES or TRAJECT_TEST_POSTGRES)", only)
	}
	return dbs
}

func benchCount(b *testing.B, s *store.Store, q string) {
	rows, err := s.ReadDB().Query(q)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil || n == 0 {
		b.Fatalf("%d rows, %v", n, err)
	}
}

// Bench fleet: 100 devices per region, one in four 4G, for the loans that
// are over; and 2,000 more that each hold 20 reservations after each other.
const (
	benchFleet     = 600
	benchReserving = 2000
	benchPerDevice = 20
)

// fillBenchLoans writes n loans through the bulk path unless the database
// holds them already: handed out from 2016 to 2025 for 30 to 90 agreed days,
// mostly returned, some lost or cancelled, and 2% still reserved.
func fillBenchLoans(b *testing.B, ctx context.Context, s *store.Store, n int) {
	have := store.CountRows(ctx, s, "loans")
	if have >= n {
		b.Logf("%s holds %d loans", s.Dialect(), have)
		return
	}
	if have > 0 {
		b.Fatalf("%s holds %d loans, not %d: use a new database", s.Dialect(), have, n)
	}
	start := time.Now()
	devices, learner := benchFleetOf(b, ctx, s)
	reserved := min(n/50, benchReserving*benchPerDevice)
	const batch = 100_000
	loans := make([]store.BulkLoan, 0, batch)
	written, last := 0, time.Now()
	flush := func() {
		if len(loans) == 0 {
			return
		}
		if err := s.CreateLoansBulk(ctx, loans); err != nil {
			b.Fatal(err)
		}
		written += len(loans)
		if written%1_000_000 == 0 || os.Getenv("TRAJECT_BENCH_PROGRESS") != "" {
			b.Logf("%s: %d loans, %s", s.Dialect(), written, time.Since(last).Round(time.Millisecond))
			last = time.Now()
		}
		loans = loans[:0]
	}
	base := date("2016-01-01")
	for i := range n {
		l := store.BulkLoan{LearnerID: learner}
		if i < reserved {
			d := devices[benchFleet+i%benchReserving]
			l.DeviceID, l.RegionCode, l.Connectivity, l.State = d.id, d.region, d.conn, traject.LoanReserved
			l.StartsOn = base.AddDate(0, 0, 120*(i/benchReserving))
			l.EndsOn = l.StartsOn.AddDate(0, 0, 60)
		} else {
			d := devices[i%benchFleet]
			l.DeviceID, l.RegionCode, l.Connectivity = d.id, d.region, d.conn
			// In the order of their start, as a desk records them: the
			// indexes on dates then grow at their end instead of taking
			// each batch's rows all over, which at ten million loans
			// rewrote most of their pages at every commit.
			l.StartsOn = base.AddDate(0, 0, (i-reserved)*3650/(n-reserved))
			l.EndsOn = l.StartsOn.AddDate(0, 0, 29+i%61)
			l.HandedOutOn = l.StartsOn.AddDate(0, 0, i%3)
			switch {
			case i%40 == 0:
				l.State, l.HandedOutOn = traject.LoanCancelled, time.Time{}
			case i%97 == 0:
				l.State = traject.LoanLost
			default:
				l.State, l.ReturnedOn = traject.LoanReturned, l.EndsOn.AddDate(0, 0, i%11-3)
			}
		}
		loans = append(loans, l)
		if len(loans) == batch {
			flush()
		}
	}
	flush()
	b.Logf("%s: wrote %d loans in %s", s.Dialect(), n, time.Since(start).Round(time.Second))
}

func benchFleetOf(b *testing.B, ctx context.Context, s *store.Store) ([]propertyDevice, int64) {
	fleet := &store.Fleet{}
	for i := range benchFleet + benchReserving {
		d := traject.Device{AssetTag: fmt.Sprintf("CB-B%05d", i), Serial: fmt.Sprintf("SN-B%05d", i), Model: "Chromebook 11",
			Kind: traject.KindChromebook, Connectivity: traject.WiFi, RegionCode: traject.Regions[i%6].Code}
		if i%4 == 0 {
			d.Connectivity, d.SIM = traject.Mobile, &traject.SIM{ICCID: iccid(10_000 + i), BundleUntil: date("2030-06-30")}
		}
		fleet.Devices = append(fleet.Devices, d)
	}
	if err := s.CreateFleet(ctx, fleet); err != nil {
		b.Fatal(err)
	}
	var out []propertyDevice
	for _, d := range fleet.Devices {
		out = append(out, propertyDevice{store.IDOf(ctx, s, "devices", "asset_tag", d.AssetTag), d.RegionCode, d.Connectivity})
	}
	l := &traject.Learner{Ref: "B-L1", FirstName: "Amal", LastName: "B", BirthDate: date("1990-01-01"), Language: "ar",
		RegionCode: "ANT", Obligation: traject.Obliged}
	if err := s.CreateLearner(ctx, l); err != nil {
		b.Fatal(err)
	}
	return out, store.IDOf(ctx, s, "learners", "ref", "B-L1")
}

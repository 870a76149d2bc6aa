package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// The reservation benchmarks compare one reservation through the whole HTTP
// API with the same transaction in plain SQL, on each database, one client
// at a time. Each operation reserves the next free day of the same Wi-Fi
// device. Every retireEvery operations, with the clock stopped, the loans so
// far are cancelled, so the overlap check of both sides always looks at a
// handful of active loans, as on a real device, not at thousands.
//
//	go test -run '^$' -bench 'Reserve' -benchtime 2s ./cmd/traject

const retireEvery = 50

// benchDay is the i-th day of the benchmark's reservations.
func benchDay(i int) string {
	return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(traject.DateLayout)
}

// retireLoans cancels every active loan, past the API, for the next round.
func retireLoans(b *testing.B, db *sql.DB) {
	b.Helper()
	if _, err := db.Exec(`UPDATE loans SET state = 'cancelled' WHERE state = 'reserved'`); err != nil {
		b.Fatal(err)
	}
}

// reportRate adds reservations per second beside ns/op.
func reportRate(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "reservations/s")
	}
}

// BenchmarkReserveAPI: POST /api/v1/loans with a bearer token through the
// server's whole handler chain (request id, logging, metrics, security
// headers, session, token look-up, huma's decoding and validation, the
// store), in process as BenchmarkAPIMe does, so that the figure is
// Traject's and not the loopback network's.
func BenchmarkReserveAPI(b *testing.B) {
	for _, db := range storetest.DBs(b) {
		tm := mustRun(b, db.URL)
		d := newLoanDesk(tm)
		token := tm.mustToken(tm.mustUser("desk.ant@example.org", traject.RoleDesk, "ANT"))
		d.device("CB-BENCH", "ANT", traject.WiFi)
		d.learner("L-BENCH", "ANT")
		writer := rawWriter(b, db.Name, db.URL)
		h := tm.server.Handler
		day := 0
		b.Run(db.Name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if i > 0 && i%retireEvery == 0 {
					b.StopTimer()
					retireLoans(b, writer)
					b.StartTimer()
				}
				reserveOnce(b, h, token, benchDay(day))
				day++
			}
			reportRate(b)
		})
	}
}

func reserveOnce(b *testing.B, h http.Handler, token, day string) {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/loans", strings.NewReader(reserveBody("L-BENCH", "", day, day)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		b.Fatalf("reserve %s: %d %s", day, rec.Code, rec.Body)
	}
}

// BenchmarkReserveRawSQL is the baseline of BenchmarkReserveAPI: the same
// transaction in plain database/sql on the same kind of database, with the
// same schema, pragmas and overlap guard, without Traject around it: begin
// (IMMEDIATE on SQLite), pick a free device with the same NOT EXISTS, insert
// the loan, insert its audit row, commit.
func BenchmarkReserveRawSQL(b *testing.B) {
	for _, db := range storetest.DBs(b) {
		s := storetest.OpenURL(b, db.URL)
		learnerID := rawFixture(b, s)
		raw := rawWriter(b, db.Name, db.URL)
		day := 0
		b.Run(db.Name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if i > 0 && i%retireEvery == 0 {
					b.StopTimer()
					retireLoans(b, raw)
					b.StartTimer()
				}
				if err := rawReserve(raw, db.Name == "postgres", learnerID, benchDay(day)); err != nil {
					b.Fatal(err)
				}
				day++
			}
			reportRate(b)
		})
	}
}

// rawFixture makes the device and the learner through the store and returns
// the learner's id.
func rawFixture(b *testing.B, s *store.Store) int64 {
	ctx := traject.NewContextWithActorLabel(context.Background(), "bench")
	birth, _ := traject.ParseDate("1990-01-01")
	le := &traject.Learner{Ref: "L-BENCH", FirstName: "Amal", LastName: "Bench", BirthDate: birth, Language: "ar",
		RegionCode: "ANT", Obligation: traject.Obliged}
	if err := s.CreateLearner(ctx, le); err != nil {
		b.Fatal(err)
	}
	dev := &traject.Device{AssetTag: "CB-BENCH", Serial: "SN-BENCH", Model: "Chromebook 11", Kind: traject.KindChromebook,
		Connectivity: traject.WiFi, RegionCode: "ANT", State: traject.StateInStock}
	if err := s.CreateDevice(ctx, dev); err != nil {
		b.Fatal(err)
	}
	return le.ID
}

// rawWriter opens a plain database/sql pool on the database: on SQLite one
// connection with Traject's pragmas and BEGIN IMMEDIATE, as Traject writes.
func rawWriter(b *testing.B, dialect, dbURL string) *sql.DB {
	b.Helper()
	var db *sql.DB
	var err error
	if dialect == "postgres" {
		db, err = sql.Open("pgx", dbURL)
	} else {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)",
			"wal_autocheckpoint(4000)", "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		db, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(dbURL, "sqlite:")+"?"+q.Encode()+"&_txlock=immediate")
		if db != nil {
			db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// rawReserve is one reservation in plain SQL.
func rawReserve(db *sql.DB, postgres bool, learnerID int64, day string) error {
	ph := func(q string) string {
		if !postgres {
			return q
		}
		for n := 1; strings.Contains(q, "?"); n++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", n), 1)
		}
		return q
	}
	var now any = time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	pick := `SELECT d.id FROM devices d
		LEFT JOIN sims s ON s.device_id = d.id AND s.state <> 'terminated'
		WHERE d.region_code = ? AND d.connectivity = ? AND d.state IN ('in_stock', 'on_loan', 'quarantine')
		  AND (d.connectivity = 'wifi' OR s.state = 'active')
		  AND NOT EXISTS (SELECT 1 FROM loans o WHERE o.device_id = d.id AND o.state IN ('reserved', 'handed_out')
		                  AND o.starts_on <= ? AND (? <= o.due_on OR o.state = 'handed_out'))
		ORDER BY CASE WHEN d.state = 'in_stock' THEN 0 ELSE 1 END, d.asset_tag LIMIT 1`
	if postgres {
		pick += ` FOR UPDATE OF d SKIP LOCKED`
		now = time.Now().UTC()
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var deviceID, loanID int64
	if err := tx.QueryRow(ph(pick), "ANT", "wifi", day, day).Scan(&deviceID); err != nil {
		return fmt.Errorf("pick %s: %w", day, err)
	}
	if err := tx.QueryRow(ph(`INSERT INTO loans (learner_id, course_id, device_id, region_code, connectivity, request_id, starts_on, ends_on, due_on, state, created_at, updated_at)
		VALUES (?, NULL, ?, 'ANT', 'wifi', NULL, ?, ?, ?, 'reserved', ?, ?) RETURNING id`),
		learnerID, deviceID, day, day, day, now, now).Scan(&loanID); err != nil {
		return fmt.Errorf("insert loan %s: %w", day, err)
	}
	after := fmt.Sprintf(`{"id":%d,"learner_id":%d,"device_id":%d,"from":%q,"until":%q,"state":"reserved"}`, loanID, learnerID, deviceID, day, day)
	if _, err := tx.Exec(ph(`INSERT INTO audit_log (at, actor_id, actor_label, action, object_type, object_id, region_code, before, after, request_id, reason)
		VALUES (?, NULL, 'bench', 'loan.reserve', 'loan', ?, 'ANT', NULL, ?, '', '')`), now, fmt.Sprint(loanID), after); err != nil {
		return fmt.Errorf("audit %s: %w", day, err)
	}
	return tx.Commit()
}

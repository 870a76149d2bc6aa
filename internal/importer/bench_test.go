package importer_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"traject/internal/importer"
	"traject/internal/store/storetest"
)

const benchRows = 100_000

// BenchmarkImportDevicesCSV imports 100,000 devices from CSV into a fresh
// SQLite database per iteration, with every check, SIM and audit row.
func BenchmarkImportDevicesCSV(b *testing.B) {
	data := deviceCSV(benchRows, nil)
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		s := storetest.Open(b)
		mustDeliveries(b, s)
		b.StartTimer()
		start := time.Now()
		res, err := importer.Import(cliCtx(), s, importer.Devices, bytes.NewReader(data), importer.Options{Format: importer.CSV})
		elapsed += time.Since(start)
		if err != nil || res.Imported != benchRows {
			b.Fatalf("imported %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
}

// BenchmarkImportDevicesRawSQL is the baseline: the same INSERTs (device, SIM,
// audit row) from the same CSV with plain database/sql in one transaction,
// without Traject's parsing, checks or duplicate look-ups.
func BenchmarkImportDevicesRawSQL(b *testing.B) {
	data := deviceCSV(benchRows, nil)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "raw.db")
		storetest.OpenURL(b, "sqlite:"+path).Close() // the schema
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(4000)")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := rawInsert(db, lines); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
}

func rawInsert(db *sql.DB, lines []string) error {
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	dev, err := tx.PrepareContext(ctx, `INSERT INTO devices (asset_tag, serial, model, kind, connectivity, region_code, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'in_stock', ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	sim, err := tx.PrepareContext(ctx, `INSERT INTO sims (iccid, bundle_until, state, device_id, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?)`)
	if err != nil {
		return err
	}
	audit, err := tx.PrepareContext(ctx, `INSERT INTO audit_log (at, actor_label, action, object_type, object_id, region_code, after)
		VALUES (?, 'bench', 'device.create', 'device', ?, ?, '{}')`)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	regions := map[string]string{"West-Vlaanderen": "WVL"}
	for _, line := range lines {
		c := strings.Split(line, ",")
		region := c[5]
		if code, ok := regions[region]; ok {
			region = code
		}
		var id int64
		if err := dev.QueryRowContext(ctx, c[0], c[1], c[2], c[3], c[4], region, now, now).Scan(&id); err != nil {
			return err
		}
		if c[8] != "" {
			if _, err := sim.ExecContext(ctx, c[8], c[9], id, now, now); err != nil {
				return err
			}
		}
		if _, err := audit.ExecContext(ctx, now, c[0], region); err != nil {
			return err
		}
	}
	return tx.Commit()
}

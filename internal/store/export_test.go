package store

import (
	"context"

	"traject"
)

// Columns exposes the schema reader to the external tests.
func Columns(ctx context.Context, s *Store) (map[string][]string, error) { return s.columns(ctx) }

// ForceDeviceState sets a device's state with a bare UPDATE, skipping the
// domain's table, to prove what the database itself refuses.
func ForceDeviceState(ctx context.Context, s *Store, assetTag string, state traject.DeviceState) error {
	return s.write(ctx, "force state", func(tx *Tx) error {
		_, err := tx.exec(`UPDATE devices SET state = ? WHERE asset_tag = ?`, state, assetTag)
		return err
	})
}

// InsertRawDevice inserts a device with a bare INSERT, skipping validation.
func InsertRawDevice(ctx context.Context, s *Store, d *traject.Device) error {
	return s.write(ctx, "raw insert", func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO devices (asset_tag, serial, model, kind, connectivity, region_code, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.AssetTag, d.Serial, d.Model, d.Kind, d.Connectivity, d.RegionCode, d.State, tx.nowArg(), tx.nowArg())
		return err
	})
}

// InsertRawLoan inserts a reserved loan with a bare INSERT, skipping every
// check of the application, to prove what the database itself refuses.
func InsertRawLoan(ctx context.Context, s *Store, assetTag, learner, from, until string) error {
	return s.write(ctx, "raw loan", func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO loans (learner_id, device_id, region_code, connectivity, starts_on, ends_on, due_on, state, created_at, updated_at)
			SELECT le.id, d.id, d.region_code, d.connectivity, ?, ?, ?, 'reserved', ?, ? FROM learners le, devices d WHERE le.ref = ? AND d.asset_tag = ?`,
			from, until, until, tx.nowArg(), tx.nowArg(), learner, assetTag)
		return err
	})
}

// CountRows counts a table's rows.
func CountRows(ctx context.Context, s *Store, table string) int {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		return -1
	}
	return n
}

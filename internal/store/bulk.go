package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"traject"
)

// Fleet is a batch of new deliveries and the devices they brought, written at
// once by CreateFleet.
type Fleet struct {
	Deliveries []*traject.Delivery
	// Devices name their delivery by reference: one of Deliveries, or one
	// stored before. Each is validated as CreateDevice validates it.
	Devices []traject.Device
}

// CreateFleet writes a fleet in one transaction through prepared statements:
// the fast path for generated fleets (the demo and its synthetic copies for
// scale tests), where CreateDevice's transaction per device would take minutes
// for a million devices. It checks every device before it writes anything, and
// writes everything or nothing.
//
// Each delivery gets its own audit row, as CreateDelivery gives it. The devices
// get one audit row per delivery and call, which records how many devices (and
// SIMs) were created, the first and last asset tag and the count per region,
// instead of a row per device: the devices are created by one act of one actor
// at one time, a per-device row would only repeat the device row it sits
// beside, and at a million devices it would double the time and the size of
// the database. Every later change of a device is audited one by one.
func (s *Store) CreateFleet(ctx context.Context, f *Fleet) error {
	for _, d := range f.Deliveries {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("delivery %s: %w", d.Reference, err)
		}
	}
	actor := traject.UserFromContext(ctx)
	for i := range f.Devices {
		d := &f.Devices[i]
		if d.State == "" {
			d.State = traject.StateInStock
		}
		if r, ok := traject.ParseRegion(d.RegionCode); ok {
			d.RegionCode = r.Code
		}
		if err := validateNewDevice(d); err != nil {
			return fmt.Errorf("device %s: %w", d.AssetTag, err)
		}
		if actor != nil && !actor.CanSeeRegion(d.RegionCode) {
			return traject.Errorf(traject.EFORBIDDEN, "device.region.forbidden", "you can add devices only to your own region")
		}
	}
	return s.write(ctx, "create fleet", func(tx *Tx) error {
		for _, d := range f.Deliveries {
			if err := tx.createDelivery(d); err != nil {
				return err
			}
		}
		return tx.createDevices(f.Devices)
	})
}

// bulkRows is how many rows one INSERT writes. Each statement crosses
// database/sql and the driver once, so 64 rows a statement cut that cost 64
// times; more rows gain little and make longer SQL.
const bulkRows = 64

// bulkSummary is what the audit row of one delivery's devices records.
type bulkSummary struct {
	Count   int            `json:"count"`
	SIMs    int            `json:"sims"`
	First   string         `json:"first"`
	Last    string         `json:"last"`
	Regions map[string]int `json:"regions"`
}

func (tx *Tx) createDevices(devices []traject.Device) error {
	if tx.d == dialectSQLite {
		restore, err := tx.bulkPragmas()
		if err != nil {
			return err
		}
		defer restore()
	}
	ins := newFleetInserter(tx)
	defer ins.close()
	summaries := map[string]*bulkSummary{}
	var order []string // deliveries in the order first met, for a stable audit
	for i := range devices {
		d := &devices[i]
		if err := ins.add(d); err != nil {
			return err
		}
		sum, ok := summaries[d.Delivery]
		if !ok {
			sum = &bulkSummary{First: d.AssetTag, Regions: map[string]int{}}
			summaries[d.Delivery] = sum
			order = append(order, d.Delivery)
		}
		sum.Count++
		sum.Last = d.AssetTag
		sum.Regions[d.RegionCode]++
		if d.SIM != nil {
			sum.SIMs++
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	for _, ref := range order {
		if err := tx.audit("device.bulk_create", "delivery", ref, "", nil, summaries[ref]); err != nil {
			return err
		}
	}
	return nil
}

// bulkPragmas tunes the SQLite connection for a bulk write and returns what
// puts it back, so that the server's writer keeps its usual footprint. A 64 MB
// page cache (the default is 2 MB) keeps the indexes' hot pages in memory and
// saved a sixth at a million devices. (The statement journals that every
// INSERT keeps with foreign keys on stay in memory through temp_store, set
// for every connection in sqlite.go: in a temporary file they cost a quarter
// of the time.)
func (tx *Tx) bulkPragmas() (func(), error) {
	var cacheSize int64
	if err := tx.queryRow(`PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return nil, err
	}
	if _, err := tx.exec(`PRAGMA cache_size = -65536`); err != nil {
		return nil, err
	}
	return func() {
		// Best effort: a failure leaves a larger writer cache, not a wrong one.
		_, _ = tx.exec(`PRAGMA cache_size = ` + itoa(cacheSize))
	}, nil
}

// fleetInserter writes devices and their SIMs in multi-row INSERTs. A SIM
// finds its device by asset tag, so the devices are flushed before the SIMs.
type fleetInserter struct {
	tx         *Tx
	devices    *rowInserter
	sims       *rowInserter
	deliveries map[string]any    // reference -> id, looked up once each
	seen       map[string]string // "serial X" -> asset tag, to name duplicates
	now        any               // the transaction's time, formatted once
}

func newFleetInserter(tx *Tx) *fleetInserter {
	return &fleetInserter{tx: tx, deliveries: map[string]any{}, seen: map[string]string{}, now: tx.nowArg(),
		devices: &rowInserter{tx: tx,
			head:  `INSERT INTO devices (asset_tag, serial, model, kind, connectivity, region_code, office_id, delivery_id, state, created_at, updated_at) VALUES `,
			tuple: `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		sims: &rowInserter{tx: tx,
			head:  `INSERT INTO sims (iccid, phone, bundle_until, state, device_id, created_at, updated_at) VALUES `,
			tuple: `(?, ?, ?, ?, (SELECT id FROM devices WHERE asset_tag = ?), ?, ?)`},
	}
}

// add queues one validated device and its SIM. Duplicates within the fleet
// are named here; a clash with a stored device is a conflict at the INSERT.
func (f *fleetInserter) add(d *traject.Device) error {
	if err := f.unique(d); err != nil {
		return err
	}
	delivery, err := f.deliveryID(d.Delivery)
	if err != nil {
		return fmt.Errorf("device %s: %w", d.AssetTag, err)
	}
	var office any
	if d.OfficeID != 0 {
		office = d.OfficeID
	}
	now := f.now
	d.CreatedAt, d.UpdatedAt = f.tx.now, f.tx.now
	if f.devices.full() {
		if err := f.devices.flush(); err != nil {
			return err
		}
	}
	f.devices.add(d.AssetTag, d.Serial, d.Model, d.Kind, d.Connectivity, d.RegionCode, office, delivery, d.State, now, now)
	if d.SIM == nil {
		return nil
	}
	d.SIM.AssetTag = d.AssetTag
	if f.sims.full() {
		if err := f.flush(); err != nil {
			return err
		}
	}
	f.sims.add(d.SIM.ICCID, d.SIM.Phone, dateArg(d.SIM.BundleUntil), d.SIM.State, d.AssetTag, now, now)
	return nil
}

func (f *fleetInserter) unique(d *traject.Device) error {
	keys := []string{"asset tag " + d.AssetTag, "serial " + d.Serial}
	if d.SIM != nil {
		keys = append(keys, "ICCID "+d.SIM.ICCID)
	}
	for _, k := range keys {
		if other, dup := f.seen[k]; dup {
			return traject.Errorf(traject.ECONFLICT, "device.duplicate", "devices %s and %s have the same %s", other, d.AssetTag, k)
		}
		f.seen[k] = d.AssetTag
	}
	return nil
}

// flush writes the queued devices, then the queued SIMs.
func (f *fleetInserter) flush() error {
	if err := f.devices.flush(); err != nil {
		return err
	}
	return f.sims.flush()
}

func (f *fleetInserter) close() {
	f.devices.close()
	f.sims.close()
}

// deliveryID returns the id of the delivery with this reference, nil for none.
func (f *fleetInserter) deliveryID(ref string) (any, error) {
	if ref == "" {
		return nil, nil
	}
	if id, ok := f.deliveries[ref]; ok {
		return id, nil
	}
	var id int64
	if err := f.tx.queryRow(`SELECT id FROM deliveries WHERE reference = ?`, ref).Scan(&id); err != nil {
		if err == sql.ErrNoRows {
			return nil, traject.Errorf(traject.EINVALID, "device.delivery.unknown", "there is no delivery %s", ref)
		}
		return nil, err
	}
	f.deliveries[ref] = id
	return id, nil
}

// rowInserter queues rows for one table and writes them bulkRows at a time
// through one prepared statement; the last, shorter INSERT is built once.
// It never flushes by itself, because SIMs must wait for their devices.
type rowInserter struct {
	tx          *Tx
	head, tuple string
	args        []any
	n           int
	stmt        *sql.Stmt // for a full INSERT of bulkRows rows, prepared on first use
}

func (r *rowInserter) full() bool { return r.n == bulkRows }

// add queues a row; the caller flushes a full inserter before adding.
func (r *rowInserter) add(args ...any) {
	r.args = append(r.args, args...)
	r.n++
}

func (r *rowInserter) flush() error {
	if r.n == 0 {
		return nil
	}
	var err error
	if r.full() {
		if r.stmt == nil {
			if r.stmt, err = r.tx.tx.PrepareContext(r.tx.ctx, r.tx.d.rebind(r.sql(bulkRows))); err != nil {
				return err
			}
		}
		_, err = r.stmt.ExecContext(r.tx.ctx, r.args...)
	} else {
		_, err = r.tx.exec(r.sql(r.n), r.args...)
	}
	r.args, r.n = r.args[:0], 0
	return err
}

func (r *rowInserter) sql(rows int) string {
	return r.head + strings.Repeat(r.tuple+", ", rows-1) + r.tuple
}

func (r *rowInserter) close() {
	if r.stmt != nil {
		r.stmt.Close()
	}
}

package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"traject"
)

// CreateDelivery announces a delivery with its allocation per region.
func (s *Store) CreateDelivery(ctx context.Context, d *traject.Delivery) error {
	if err := d.Validate(); err != nil {
		return err
	}
	err := s.write(ctx, "create delivery", func(tx *Tx) error { return tx.createDelivery(d) })
	if traject.ErrorCode(err) == traject.ECONFLICT {
		var v traject.Validation
		v.Add("reference", "delivery.reference.taken", "a delivery with this reference already exists", nil)
		return v.Err()
	}
	return err
}

func (tx *Tx) createDelivery(d *traject.Delivery) error {
	id, err := tx.insert(`INSERT INTO deliveries (reference, supplier, planned_on, planned_count, arrived_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, d.Reference, d.Supplier, dateArg(d.PlannedOn), d.PlannedCount, dateArg(d.ArrivedOn), tx.nowArg())
	if err != nil {
		return err
	}
	d.ID = id
	for _, code := range sortedKeys(d.Allocation) {
		r, _ := traject.ParseRegion(code)
		if _, err := tx.exec(`INSERT INTO delivery_allocations (delivery_id, region_code, planned_count) VALUES (?, ?, ?)`,
			id, r.Code, d.Allocation[code]); err != nil {
			return err
		}
	}
	return tx.audit("delivery.create", "delivery", d.Reference, "", nil, d)
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

const deliveryColumns = `dl.id, dl.reference, dl.supplier, dl.planned_on, dl.planned_count, dl.arrived_on`

func scanDelivery(row interface{ Scan(...any) error }, d *traject.Delivery, extra ...any) error {
	return row.Scan(append([]any{&d.ID, &d.Reference, &d.Supplier, dateCol{&d.PlannedOn}, &d.PlannedCount, dateCol{&d.ArrivedOn}}, extra...)...)
}

// DeliverySummary is a delivery with how many of its devices were received.
type DeliverySummary struct {
	traject.Delivery
	Received int `json:"received_count"`
}

// Deliveries lists every delivery by planned date. Deliveries are national:
// every region sees the whole plan.
func (s *Store) Deliveries(ctx context.Context) ([]DeliverySummary, error) {
	rows, err := s.query(ctx, `SELECT `+deliveryColumns+`,
		(SELECT COUNT(*) FROM devices d WHERE d.delivery_id = dl.id AND d.state <> 'expected')
		FROM deliveries dl ORDER BY dl.planned_on, dl.reference`)
	if err != nil {
		return nil, s.mapError("deliveries", "deliveries", err)
	}
	defer rows.Close()
	var out []DeliverySummary
	for rows.Next() {
		var d DeliverySummary
		if err := scanDelivery(rows, &d.Delivery, &d.Received); err != nil {
			return nil, s.mapError("deliveries", "deliveries", err)
		}
		out = append(out, d)
	}
	return out, s.mapError("deliveries", "deliveries", rows.Err())
}

// RegionReceipt compares plan and receipt for one region of a delivery.
type RegionReceipt struct {
	Region   string `json:"region"`
	Planned  int    `json:"planned"`
	Received int    `json:"received"`
}

// DeliveryReport is a delivery's page: plan against receipt per region, the
// announced serials still missing, and serials received but never announced.
type DeliveryReport struct {
	traject.Delivery
	Regions     []RegionReceipt `json:"regions"`
	Received    int             `json:"received_count"`
	Missing     []string        `json:"missing_serials"`
	Unannounced []string        `json:"unannounced_serials"`
}

// Delivery returns the report of one delivery.
func (s *Store) Delivery(ctx context.Context, reference string) (*DeliveryReport, error) {
	var r DeliveryReport
	if err := scanDelivery(s.queryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries dl WHERE dl.reference = ?`, reference), &r.Delivery); err != nil {
		return nil, s.mapError("delivery", "delivery "+reference, err)
	}
	var err error
	if r.Regions, err = s.deliveryRegions(ctx, r.ID); err != nil {
		return nil, err
	}
	for _, rr := range r.Regions {
		r.Received += rr.Received
	}
	if r.Missing, err = s.strings(ctx, `SELECT serial FROM devices WHERE delivery_id = ? AND state = 'expected' ORDER BY serial`, r.ID); err != nil {
		return nil, err
	}
	if r.Unannounced, err = s.strings(ctx, `SELECT serial FROM delivery_unannounced WHERE delivery_id = ? ORDER BY serial`, r.ID); err != nil {
		return nil, err
	}
	return &r, nil
}

func (s *Store) deliveryRegions(ctx context.Context, id int64) ([]RegionReceipt, error) {
	rows, err := s.query(ctx, `SELECT r.code, COALESCE(a.planned_count, 0),
		(SELECT COUNT(*) FROM devices d WHERE d.delivery_id = ? AND d.state <> 'expected'
			AND d.region_code = r.code)
		FROM regions r LEFT JOIN delivery_allocations a ON a.region_code = r.code AND a.delivery_id = ?
		ORDER BY r.position`, id, id)
	if err != nil {
		return nil, s.mapError("delivery regions", "delivery", err)
	}
	defer rows.Close()
	var out []RegionReceipt
	for rows.Next() {
		var rr RegionReceipt
		if err := rows.Scan(&rr.Region, &rr.Planned, &rr.Received); err != nil {
			return nil, s.mapError("delivery regions", "delivery", err)
		}
		out = append(out, rr)
	}
	return out, s.mapError("delivery regions", "delivery", rows.Err())
}

func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, s.mapError("list", "list", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, s.mapError("list", "list", err)
		}
		out = append(out, v)
	}
	return out, s.mapError("list", "list", rows.Err())
}

// ReceiveResult says what a receipt did with each serial.
type ReceiveResult struct {
	Received    []string `json:"received"`    // announced, now in stock
	Already     []string `json:"already"`     // announced and received before
	Unannounced []string `json:"unannounced"` // not announced with this delivery: kept aside
}

// ReceiveSerials records the serials that arrived with a delivery: announced
// devices go in stock, other serials are kept as unannounced. The arrival date
// is set to day when the delivery had none.
func (s *Store) ReceiveSerials(ctx context.Context, reference string, serials []string, day time.Time) (*ReceiveResult, error) {
	res := &ReceiveResult{}
	err := s.write(ctx, "receive serials", func(tx *Tx) error {
		var d traject.Delivery
		if err := scanDelivery(tx.queryRow(`SELECT `+deliveryColumns+` FROM deliveries dl WHERE dl.reference = ?`, reference), &d); err != nil {
			return s.mapError("receive serials", "delivery "+reference, err)
		}
		if d.ArrivedOn.IsZero() {
			if err := tx.setArrival(&d, day); err != nil {
				return err
			}
		}
		for _, serial := range cleanSerials(serials) {
			if err := tx.receiveSerial(&d, serial, res); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

func cleanSerials(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (tx *Tx) receiveSerial(dl *traject.Delivery, serial string, res *ReceiveResult) error {
	var d traject.Device
	err := scanDevice(tx.queryRow(`SELECT `+deviceColumns+deviceFrom+` WHERE d.serial = ? AND d.delivery_id = ?`, serial, dl.ID), &d)
	switch {
	case err == sql.ErrNoRows:
		if _, err := tx.exec(`INSERT INTO delivery_unannounced (delivery_id, serial, received_at) VALUES (?, ?, ?)
			ON CONFLICT (delivery_id, serial) DO NOTHING`, dl.ID, serial, tx.nowArg()); err != nil {
			return err
		}
		res.Unannounced = append(res.Unannounced, serial)
		return tx.audit("delivery.unannounced", "delivery", dl.Reference, "", nil, map[string]any{"serial": serial})
	case err != nil:
		return err
	case d.State != traject.StateExpected:
		res.Already = append(res.Already, serial)
		return nil
	}
	if actor := traject.UserFromContext(tx.ctx); actor != nil && !actor.CanSeeRegion(d.RegionCode) {
		return traject.Errorf(traject.EFORBIDDEN, "delivery.receive.region", "serial %s belongs to another region's part of the delivery", serial)
	}
	if _, err := tx.setDeviceState(&d, traject.StateInStock, "", "device.receive", ""); err != nil {
		return err
	}
	res.Received = append(res.Received, serial)
	return nil
}

// RecordArrival sets the date a delivery arrived.
func (s *Store) RecordArrival(ctx context.Context, reference string, day time.Time) error {
	return s.write(ctx, "record arrival", func(tx *Tx) error {
		var d traject.Delivery
		if err := scanDelivery(tx.queryRow(`SELECT `+deliveryColumns+` FROM deliveries dl WHERE dl.reference = ?`, reference), &d); err != nil {
			return s.mapError("record arrival", "delivery "+reference, err)
		}
		return tx.setArrival(&d, day)
	})
}

func (tx *Tx) setArrival(d *traject.Delivery, day time.Time) error {
	if day.IsZero() {
		var v traject.Validation
		v.Add("arrived_on", "delivery.arrivedon.invalid", "enter the arrival date as YYYY-MM-DD", nil)
		return v.Err()
	}
	if _, err := tx.exec(`UPDATE deliveries SET arrived_on = ? WHERE id = ?`, dateArg(day), d.ID); err != nil {
		return err
	}
	before := d.ArrivedOn
	d.ArrivedOn = day
	return tx.audit("delivery.arrival", "delivery", d.Reference, "", map[string]any{"arrived_on": dateArg(before)}, map[string]any{"arrived_on": dateArg(day)})
}

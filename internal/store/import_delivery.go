package store

import (
	"context"

	"traject"
)

// DeliveryImport is a deliveries import in progress: ImportDeliveries hands
// it to the caller, which adds the file's deliveries one by one.
type DeliveryImport struct {
	*importTx
	exists, delivery, allocation stmt
}

// ImportDeliveries runs feed in one transaction; feed adds every row of a
// file with Add. The deliveries are committed only when feed returns nil and
// no row was rejected; a dry run checks every row and writes nothing. It
// returns how many deliveries were imported.
func (s *Store) ImportDeliveries(ctx context.Context, dryRun bool, feed func(*DeliveryImport) error) (int, error) {
	return runKind(ctx, s, "import deliveries", dryRun, func(it *importTx) *DeliveryImport { return &DeliveryImport{importTx: it} }, feed)
}

func (imp *DeliveryImport) prepareAll() error {
	var err error
	prep := func(dst *stmt, query string) {
		if err == nil {
			*dst, err = imp.prepare(query)
		}
	}
	prep(&imp.exists, `SELECT COUNT(*) FROM deliveries WHERE reference = ?`)
	prep(&imp.delivery, `INSERT INTO deliveries (reference, supplier, planned_on, planned_count, arrived_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`)
	prep(&imp.allocation, `INSERT INTO delivery_allocations (delivery_id, region_code, planned_count) VALUES (?, ?, ?)`)
	imp.prepareAudit()
	return err
}

// Add checks deliveries against the rules and the database and returns the
// problems of each, index by index, each naming its column; none means the
// delivery is good. While every row so far passed and this is no dry run, the
// deliveries are inserted with their allocation and audit rows.
func (imp *DeliveryImport) Add(ds []*traject.Delivery) ([][]traject.FieldError, error) {
	return addEach(imp.importTx, ds, "reference", imp.problemsOf, imp.insert)
}

// problemsOf returns the problems of one delivery: the domain's rules and a
// reference the database already holds.
func (imp *DeliveryImport) problemsOf(d *traject.Delivery) ([]traject.FieldError, error) {
	var fields []traject.FieldError
	if err := d.Validate(); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	var n int64
	if err := imp.check(imp.exists, []any{&n}, d.Reference); err != nil {
		return nil, err
	}
	if n > 0 {
		fields = append(fields, traject.FieldError{Field: "reference", Key: "import.exists.reference", Args: map[string]any{"Value": d.Reference},
			Message: "a delivery with reference " + d.Reference + " already exists"})
	}
	return fields, nil
}

// insert writes a checked delivery, its allocation per region and its audit
// row, as tx.createDelivery does.
func (imp *DeliveryImport) insert(d *traject.Delivery) error {
	ctx := imp.tx.ctx
	if err := imp.delivery.st.QueryRowContext(ctx, d.Reference, d.Supplier, dateArg(d.PlannedOn), d.PlannedCount,
		dateArg(d.ArrivedOn), imp.tx.nowArg()).Scan(&d.ID); err != nil {
		return err
	}
	for _, code := range sortedKeys(d.Allocation) {
		r, _ := traject.ParseRegion(code)
		if _, err := imp.allocation.st.ExecContext(ctx, d.ID, r.Code, d.Allocation[code]); err != nil {
			return err
		}
	}
	args, err := imp.auditArgs(nil, "delivery.create", "delivery", d.Reference, "", d)
	if err != nil {
		return err
	}
	return imp.audit.exec(args, nil)
}

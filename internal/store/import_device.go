package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"traject"
)

// DeviceImport is a devices import in progress: ImportDevices hands it to the
// caller, which adds the file's devices a batch at a time.
type DeviceImport struct {
	*importTx
	exists, delivery stmt
	devices, sims    *multiInsert
	deliveries       map[string]importedDelivery // reference -> what a device needs of it
	args             []any                       // the parameters of a statement, reused
}

// importedDelivery is what a device row needs of its delivery.
type importedDelivery struct {
	id      int64
	arrived bool
	known   bool
}

// ImportDevices runs feed in one transaction; feed adds every row of a file
// with Add. The devices are committed only when feed returns nil and no row
// was rejected; a dry run checks every row and writes nothing. It returns how
// many devices were imported.
func (s *Store) ImportDevices(ctx context.Context, dryRun bool, feed func(*DeviceImport) error) (int, error) {
	return runKind(ctx, s, "import devices", dryRun, func(it *importTx) *DeviceImport {
		return &DeviceImport{importTx: it, deliveries: map[string]importedDelivery{}}
	}, feed)
}

func (imp *DeviceImport) prepareAll() error {
	// One round trip finds which keys of a whole batch exist; unused places
	// hold NULL, which equals nothing.
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", importBatch), ", ") + ")"
	var err error
	imp.exists, err = imp.prepare(`SELECT 1, asset_tag FROM devices WHERE asset_tag IN ` + in +
		` UNION ALL SELECT 2, serial FROM devices WHERE serial IN ` + in +
		` UNION ALL SELECT 3, iccid FROM sims WHERE iccid IN ` + in)
	if err == nil {
		imp.delivery, err = imp.prepare(`SELECT id, arrived_on FROM deliveries WHERE reference = ?`)
	}
	imp.devices = newMultiInsert(imp.importTx, `INSERT INTO devices
		(asset_tag, serial, model, kind, connectivity, region_code, delivery_id, state, created_at, updated_at) VALUES`,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", " RETURNING id, asset_tag")
	imp.sims = newMultiInsert(imp.importTx, `INSERT INTO sims (iccid, phone, bundle_until, state, device_id, created_at, updated_at) VALUES`,
		"(?, ?, ?, ?, ?, ?, ?)", " RETURNING id, iccid")
	imp.prepareAudit()
	return err
}

// Add checks devices against the rules and the database and returns the
// problems of each, index by index, each naming its column; none means the
// device is good. While every row so far passed and this is no dry run, the
// devices are inserted with their SIMs and audit rows. An empty state becomes
// in_stock, or expected while the device's delivery has not arrived. Batches
// of up to 100 devices are fastest: the checks and inserts of a batch are a
// few statements.
func (imp *DeviceImport) Add(ds []*traject.Device) ([][]traject.FieldError, error) {
	return inBatches(ds, imp.addBatch)
}

func (imp *DeviceImport) addBatch(ds []*traject.Device, problems [][]traject.FieldError) error {
	deliveryIDs := make([]any, len(ds))
	for i, d := range ds {
		dl, err := imp.lookupDelivery(d.Delivery)
		if err != nil {
			return err
		}
		if dl.id != 0 {
			deliveryIDs[i] = dl.id
		}
		problems[i] = imp.deviceProblems(d, dl)
	}
	if err := imp.duplicates(ds, problems); err != nil {
		return err
	}
	for _, p := range problems {
		if len(p) > 0 {
			imp.failed = true
		}
	}
	if !imp.writes() {
		return nil
	}
	if err := imp.insert(ds, deliveryIDs); err != nil {
		// A batch that passed every check and still failed: another writer
		// won a race. The first row carries the reason; nothing is committed.
		fields, err := imp.insertFailed("asset_tag", err)
		problems[0] = append(problems[0], fields...)
		return err
	}
	imp.added += len(ds)
	return nil
}

// deviceProblems checks one device on its own: the domain's rules, its
// delivery and state, and the actor's region.
func (imp *DeviceImport) deviceProblems(d *traject.Device, dl importedDelivery) []traject.FieldError {
	if r, ok := traject.ParseRegion(d.RegionCode); ok {
		d.RegionCode = r.Code
	}
	fields := deviceStateProblems(d, dl)
	if err := validateNewDevice(d); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	if actor := traject.UserFromContext(imp.tx.ctx); actor != nil && d.RegionCode != "" && !actor.CanSeeRegion(d.RegionCode) {
		fields = append(fields, traject.FieldError{Field: "region", Key: "import.region.forbidden",
			Message: "you can import devices only into your own region"})
	}
	return fields
}

// deviceStateProblems fills in an empty state and refuses a device that is
// said to be here while its delivery has not arrived.
func deviceStateProblems(d *traject.Device, dl importedDelivery) []traject.FieldError {
	if d.Delivery != "" && !dl.known {
		if d.State == "" {
			d.State = traject.StateInStock // whatever the delivery would decide: only the delivery is wrong
		}
		return []traject.FieldError{{Field: "delivery", Key: "import.delivery.unknown", Args: map[string]any{"Reference": d.Delivery},
			Message: "there is no delivery " + d.Delivery + ": import the deliveries first"}}
	}
	pending := d.Delivery != "" && !dl.arrived
	switch {
	case d.State == "" && pending:
		d.State = traject.StateExpected
	case d.State == "":
		d.State = traject.StateInStock
	case pending:
		return []traject.FieldError{{Field: "state", Key: "import.state.notarrived", Args: map[string]any{"Reference": d.Delivery},
			Message: "delivery " + d.Delivery + " has not arrived: leave the state empty (the device is then expected) or record the arrival first"}}
	}
	return nil
}

// lookupDelivery finds a delivery by reference, once per reference: a file
// names a handful of deliveries many times.
func (imp *DeviceImport) lookupDelivery(ref string) (importedDelivery, error) {
	if ref == "" {
		return importedDelivery{}, nil
	}
	if dl, ok := imp.deliveries[ref]; ok {
		return dl, nil
	}
	var dl importedDelivery
	var arrived time.Time
	err := imp.check(imp.delivery, []any{&dl.id, dateCol{&arrived}}, ref)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return dl, err
	default:
		dl.known, dl.arrived = true, !arrived.IsZero()
	}
	if len(imp.deliveries) < 10_000 { // bounded: a file of unknown references must not grow it without end
		imp.deliveries[ref] = dl
	}
	return dl, nil
}

// duplicates adds the problem of every asset tag, serial and ICCID of a
// batch that the database already holds.
func (imp *DeviceImport) duplicates(ds []*traject.Device, problems [][]traject.FieldError) error {
	args := make([]any, 3*importBatch) // NULL where a batch is shorter
	for i, d := range ds {
		args[i], args[importBatch+i] = d.AssetTag, d.Serial
		if d.SIM != nil {
			args[2*importBatch+i] = d.SIM.ICCID
		}
	}
	found := map[[2]string]bool{}
	err := imp.checkRows(imp.exists, args, func(rows *sql.Rows) error {
		var kind int
		var key string
		if err := rows.Scan(&kind, &key); err != nil {
			return err
		}
		found[[2]string{[]string{"", "asset_tag", "serial", "sim_iccid"}[kind], key}] = true
		return nil
	})
	if err != nil || len(found) == 0 {
		return err
	}
	for i, d := range ds {
		if found[[2]string{"asset_tag", d.AssetTag}] {
			problems[i] = append(problems[i], traject.FieldError{Field: "asset_tag", Key: "import.exists.assettag",
				Args: map[string]any{"Value": d.AssetTag}, Message: "a device with asset tag " + d.AssetTag + " already exists"})
		}
		if found[[2]string{"serial", d.Serial}] {
			problems[i] = append(problems[i], traject.FieldError{Field: "serial", Key: "import.exists.serial",
				Args: map[string]any{"Value": d.Serial}, Message: "a device with serial " + d.Serial + " already exists"})
		}
		if d.SIM != nil && found[[2]string{"sim_iccid", d.SIM.ICCID}] {
			problems[i] = append(problems[i], traject.FieldError{Field: "sim_iccid", Key: "import.exists.iccid",
				Args: map[string]any{"Value": d.SIM.ICCID}, Message: "SIM " + d.SIM.ICCID + " is already registered"})
		}
	}
	return nil
}

// insert writes checked devices, then their SIMs, then their audit rows, as
// tx.createDevice does one by one.
func (imp *DeviceImport) insert(ds []*traject.Device, deliveryIDs []any) error {
	now := imp.tx.nowArg()
	byTag := make(map[string]*traject.Device, len(ds))
	args := imp.args[:0]
	for i, d := range ds {
		byTag[d.AssetTag] = d
		args = append(args, d.AssetTag, d.Serial, d.Model, d.Kind, d.Connectivity, d.RegionCode, deliveryIDs[i], d.State, now, now)
	}
	// RETURNING promises no order: each id is matched to its device by tag.
	err := imp.devices.exec(args, func(rows *sql.Rows) error {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		if d := byTag[tag]; d != nil {
			d.ID, d.CreatedAt, d.UpdatedAt = id, imp.tx.now, imp.tx.now
		}
		return nil
	})
	imp.args = args[:0]
	if err != nil {
		return err
	}
	if err := imp.insertSIMs(ds); err != nil {
		return err
	}
	return imp.insertAudit(ds)
}

func (imp *DeviceImport) insertSIMs(ds []*traject.Device) error {
	now := imp.tx.nowArg()
	args := imp.args[:0]
	byICCID := map[string]*traject.SIM{}
	for _, d := range ds {
		if sim := d.SIM; sim != nil {
			sim.AssetTag = d.AssetTag
			byICCID[sim.ICCID] = sim
			args = append(args, sim.ICCID, sim.Phone, dateArg(sim.BundleUntil), sim.State, d.ID, now, now)
		}
	}
	err := imp.sims.exec(args, func(rows *sql.Rows) error {
		var id int64
		var iccid string
		if err := rows.Scan(&id, &iccid); err != nil {
			return err
		}
		if sim := byICCID[iccid]; sim != nil {
			sim.ID = id
		}
		return nil
	})
	imp.args = args[:0]
	return err
}

func (imp *DeviceImport) insertAudit(ds []*traject.Device) error {
	args := imp.args[:0]
	for _, d := range ds {
		var err error
		if args, err = imp.auditArgs(args, "device.create", "device", d.AssetTag, d.RegionCode, d); err != nil {
			return err
		}
	}
	err := imp.audit.exec(args, nil)
	imp.args = args[:0]
	return err
}

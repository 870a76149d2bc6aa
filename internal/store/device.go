package store

import (
	"context"
	"database/sql"
	"strings"

	"traject"
)

const deviceColumns = `d.id, d.asset_tag, d.serial, d.model, d.kind, d.connectivity, d.region_code,
	COALESCE(d.office_id, 0), COALESCE(dl.reference, ''), d.state, COALESCE(d.transit_to, ''), d.created_at, d.updated_at,
	s.id, s.iccid, s.phone, s.bundle_until, s.state`

// deviceFrom joins the delivery's reference and the device's live SIM (a
// terminated SIM no longer belongs to the device).
const deviceFrom = ` FROM devices d
	LEFT JOIN deliveries dl ON dl.id = d.delivery_id
	LEFT JOIN sims s ON s.device_id = d.id AND s.state <> 'terminated'`

func scanDevice(row interface{ Scan(...any) error }, d *traject.Device) error {
	var simID sql.NullInt64
	var iccid, phone, simState sql.NullString
	var sim traject.SIM
	err := row.Scan(&d.ID, &d.AssetTag, &d.Serial, &d.Model, &d.Kind, &d.Connectivity, &d.RegionCode,
		&d.OfficeID, &d.Delivery, &d.State, &d.TransitTo, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt},
		&simID, &iccid, &phone, dateCol{&sim.BundleUntil}, &simState)
	if err != nil {
		return err
	}
	d.SIM = nil
	if simID.Valid {
		sim.ID, sim.ICCID, sim.Phone, sim.State, sim.AssetTag = simID.Int64, iccid.String, phone.String, traject.SIMState(simState.String), d.AssetTag
		d.SIM = &sim
	}
	return nil
}

// Device returns the device with this asset tag, within the actor's region.
func (s *Store) Device(ctx context.Context, assetTag string) (*traject.Device, error) {
	var d traject.Device
	err := scanDevice(s.queryRow(ctx, `SELECT `+deviceColumns+deviceFrom+` WHERE d.asset_tag = ?`, assetTag), &d)
	if err == nil && !traject.UserFromContext(ctx).CanSeeRegion(d.RegionCode) {
		err = sql.ErrNoRows // outside the region is the same as not there
	}
	return &d, s.mapError("device", "device "+assetTag, err)
}

func (tx *Tx) device(assetTag string) (*traject.Device, error) {
	var d traject.Device
	if err := scanDevice(tx.queryRow(`SELECT `+deviceColumns+deviceFrom+` WHERE d.asset_tag = ?`, assetTag), &d); err != nil {
		return nil, err
	}
	if !traject.UserFromContext(tx.ctx).CanSeeRegion(d.RegionCode) {
		return nil, sql.ErrNoRows
	}
	return &d, nil
}

// DeviceFilter selects devices; zero fields do not filter.
type DeviceFilter struct {
	Region       string
	State        traject.DeviceState
	Connectivity traject.Connectivity
	Delivery     string // reference
	TransitTo    string // devices on their way to this region (they keep their origin region until received)
	Query        string // the start of an asset tag or serial
	After        string // keyset: asset tags after this one
	Limit        int
}

// DevicePage is one page of the device list; Next is the After of the next
// page, empty on the last.
type DevicePage struct {
	Devices []traject.Device
	Next    string
}

// Devices lists devices in asset-tag order within the actor's region. Pages
// are keyset pages, so a deep page costs what the first does.
func (s *Store) Devices(ctx context.Context, f DeviceFilter) (DevicePage, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	where, args := deviceWhere(traject.UserFromContext(ctx), f)
	rows, err := s.query(ctx, `SELECT `+deviceColumns+deviceFrom+` WHERE `+where+
		` ORDER BY d.asset_tag LIMIT `+itoa(int64(limit+1)), args...)
	if err != nil {
		return DevicePage{}, s.mapError("devices", "devices", err)
	}
	defer rows.Close()
	var page DevicePage
	for rows.Next() {
		var d traject.Device
		if err := scanDevice(rows, &d); err != nil {
			return DevicePage{}, s.mapError("devices", "devices", err)
		}
		page.Devices = append(page.Devices, d)
	}
	if len(page.Devices) > limit {
		page.Devices = page.Devices[:limit]
		page.Next = page.Devices[limit-1].AssetTag
	}
	return page, s.mapError("devices", "devices", rows.Err())
}

// prefixEnd is above every string that starts with a given prefix, in the
// byte order both dialects use for these columns.
const prefixEnd = "\uffff"

func deviceWhere(actor *traject.User, f DeviceFilter) (string, []any) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if scope := actor.ScopeRegion(); scope != "" || actor == nil {
		if f.TransitTo != "" {
			// A device in transit still belongs to its origin region; the
			// destination sees it too, so that it can receive it.
			add("(d.region_code = ? OR d.transit_to = ?)", scope, scope)
		} else {
			add("d.region_code = ?", scope)
		}
	}
	if f.TransitTo != "" {
		add("d.transit_to = ?", f.TransitTo)
	}
	if f.Region != "" {
		add("d.region_code = ?", f.Region)
	}
	if f.State != "" {
		add("d.state = ?", f.State)
	}
	if f.Connectivity != "" {
		add("d.connectivity = ?", f.Connectivity)
	}
	if f.Delivery != "" {
		add("dl.reference = ?", f.Delivery)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		add("((d.asset_tag >= ? AND d.asset_tag < ?) OR (d.serial >= ? AND d.serial < ?))", q, q+prefixEnd, q, q+prefixEnd)
	}
	if f.After != "" {
		add("d.asset_tag > ?", f.After)
	}
	return strings.Join(where, " AND "), args
}

// CreateDevice adds a device, with its SIM when it has one, in the actor's
// region. A 4G device needs a SIM; a Wi-Fi device cannot have one.
func (s *Store) CreateDevice(ctx context.Context, d *traject.Device) error {
	if d.State == "" {
		d.State = traject.StateInStock
	}
	if r, ok := traject.ParseRegion(d.RegionCode); ok {
		d.RegionCode = r.Code
	}
	if err := validateNewDevice(d); err != nil {
		return err
	}
	if !traject.UserFromContext(ctx).CanSeeRegion(d.RegionCode) && traject.UserFromContext(ctx) != nil {
		return traject.Errorf(traject.EFORBIDDEN, "device.region.forbidden", "you can add devices only to your own region")
	}
	err := s.write(ctx, "create device", func(tx *Tx) error { return tx.createDevice(d) })
	if traject.ErrorCode(err) == traject.ECONFLICT {
		return traject.Errorf(traject.ECONFLICT, "device.duplicate", "a device with asset tag %s, serial %s or this SIM already exists", d.AssetTag, d.Serial)
	}
	return err
}

func validateNewDevice(d *traject.Device) error {
	var fields []traject.FieldError
	if err := d.Validate(); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	switch {
	case d.Connectivity == traject.Mobile && d.SIM == nil:
		fields = append(fields, traject.FieldError{Field: "sim_iccid", Key: "device.sim.required", Message: "a 4G device needs the ICCID of its SIM"})
	case d.Connectivity == traject.WiFi && d.SIM != nil:
		fields = append(fields, traject.FieldError{Field: "sim_iccid", Key: "device.sim.wifi", Message: "a Wi-Fi device has no SIM: leave the ICCID empty"})
	case d.SIM != nil:
		if d.SIM.State == "" {
			d.SIM.State = traject.SIMActive
		}
		if err := d.SIM.Validate(); err != nil {
			e, _ := traject.AsError(err)
			fields = append(fields, e.Fields...)
		}
	}
	if len(fields) > 0 {
		return &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "Some answers need to be corrected", Fields: fields}
	}
	return nil
}

// createDevice inserts a validated device and its SIM, and audits it.
func (tx *Tx) createDevice(d *traject.Device) error {
	var deliveryID any
	if d.Delivery != "" {
		var id int64
		if err := tx.queryRow(`SELECT id FROM deliveries WHERE reference = ?`, d.Delivery).Scan(&id); err != nil {
			if err == sql.ErrNoRows {
				return traject.Errorf(traject.EINVALID, "device.delivery.unknown", "there is no delivery %s", d.Delivery)
			}
			return err
		}
		deliveryID = id
	}
	var office any
	if d.OfficeID != 0 {
		office = d.OfficeID
	}
	id, err := tx.insert(`INSERT INTO devices (asset_tag, serial, model, kind, connectivity, region_code, office_id, delivery_id, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.AssetTag, d.Serial, d.Model, d.Kind, d.Connectivity, d.RegionCode, office, deliveryID, d.State, tx.nowArg(), tx.nowArg())
	if err != nil {
		return err
	}
	d.ID, d.CreatedAt, d.UpdatedAt = id, tx.now, tx.now
	if d.SIM != nil {
		d.SIM.AssetTag = d.AssetTag
		if d.SIM.ID, err = tx.insert(`INSERT INTO sims (iccid, phone, bundle_until, state, device_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.SIM.ICCID, d.SIM.Phone, dateArg(d.SIM.BundleUntil), d.SIM.State, id, tx.nowArg(), tx.nowArg()); err != nil {
			return err
		}
	}
	return tx.audit("device.create", "device", d.AssetTag, d.RegionCode, nil, d)
}

// TransitionDevice changes a device's state by hand, with a reason; the
// domain's table decides what is allowed. A refused change writes nothing.
func (s *Store) TransitionDevice(ctx context.Context, assetTag string, to traject.DeviceState, reason string) (*traject.Device, error) {
	var after *traject.Device
	err := s.write(ctx, "transition device", func(tx *Tx) error {
		d, err := tx.device(assetTag)
		if err != nil {
			return s.mapError("transition device", "device "+assetTag, err)
		}
		if err := traject.CheckTransition(d.State, to, "", reason); err != nil {
			return err
		}
		after, err = tx.setDeviceState(d, to, "", "device.transition", strings.TrimSpace(reason))
		return err
	})
	return after, err
}

// setDeviceState writes a new state (and the transit destination), and audits
// the change with its reason.
func (tx *Tx) setDeviceState(d *traject.Device, to traject.DeviceState, transitTo, action, reason string) (*traject.Device, error) {
	if err := expectOne(tx.exec(`UPDATE devices SET state = ?, transit_to = ?, updated_at = ? WHERE id = ? AND state = ?`,
		to, nullString(transitTo), tx.nowArg(), d.ID, d.State)); err != nil {
		return nil, err
	}
	after := *d
	after.State, after.TransitTo, after.UpdatedAt = to, transitTo, tx.now
	return &after, tx.auditReason(action, "device", d.AssetTag, d.RegionCode, reason,
		map[string]any{"state": d.State, "region": d.RegionCode, "transit_to": d.TransitTo},
		map[string]any{"state": to, "region": after.RegionCode, "transit_to": transitTo})
}

// DeviceTimeline returns the device's history, newest first: every audited
// change of the device.
func (s *Store) DeviceTimeline(ctx context.Context, assetTag string) ([]traject.AuditEntry, error) {
	if _, err := s.Device(ctx, assetTag); err != nil {
		return nil, err
	}
	// The device is within the actor's scope; its history is shown whole, even
	// the part that happened in another region before a transfer.
	return s.auditOf(ctx, "device", assetTag)
}

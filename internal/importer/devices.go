package importer

import (
	"context"
	"strings"

	"traject"
	"traject/internal/store"
)

// importStates are the states a device may be imported in; an empty state
// means in stock, or expected while its delivery has not arrived.
var importStates = []traject.DeviceState{traject.StateInStock, traject.StateSpare, traject.StateInRepair, traject.StateRetired}

// importDevices adds every device row to one store import, which checks it
// against the database and commits only a file without a bad row.
func importDevices(ctx context.Context, s *store.Store, t *table, dryRun bool, rep *reporter) error {
	seen := newKeys("asset_tag", "serial", "sim_iccid")
	parse := func(r *row) *traject.Device {
		d := parseDevice(r)
		seen.check(r, "asset_tag", d.AssetTag)
		seen.check(r, "serial", d.Serial)
		if d.SIM != nil {
			seen.check(r, "sim_iccid", d.SIM.ICCID)
		}
		return d
	}
	n, err := s.ImportDevices(ctx, dryRun, func(imp *store.DeviceImport) error {
		return feed(ctx, t, rep, batchSize, parse, imp.Add, imp.Reject)
	})
	rep.res.Imported = n
	return err
}

// parseDevice reads the cells of a device row; the store checks the rest.
func parseDevice(r *row) *traject.Device {
	d := &traject.Device{
		AssetTag: r.get("asset_tag"), Serial: r.get("serial"), Model: r.get("model"),
		Kind:         traject.DeviceKind(strings.ToLower(r.get("kind"))),
		Connectivity: traject.Connectivity(strings.ToLower(r.get("connectivity"))),
		RegionCode:   r.get("region"), Delivery: r.get("delivery"),
	}
	if st := traject.DeviceState(strings.ToLower(r.get("state"))); st != "" {
		if !oneOf(st, importStates) {
			r.fail("state", "import.device.state", "use in_stock, spare, in_repair or retired, or leave it empty", nil)
		}
		d.State = st
	}
	iccid := r.get("sim_iccid")
	if iccid != "" {
		iccid = traject.NormalizeICCID(iccid)
	}
	until := r.date("sim_bundle_until")
	switch {
	case iccid != "":
		d.SIM = &traject.SIM{ICCID: iccid, BundleUntil: until}
	case !until.IsZero():
		r.fail("sim_bundle_until", "import.device.bundlewithoutsim", "a bundle end date needs the ICCID of the SIM in sim_iccid", nil)
	}
	return d
}

func oneOf(s traject.DeviceState, list []traject.DeviceState) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

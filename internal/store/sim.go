package store

import (
	"context"
	"database/sql"
	"time"

	"traject"
)

const simColumns = `s.id, s.iccid, s.phone, s.bundle_until, s.state, COALESCE(d.asset_tag, '')`

func scanSIM(row interface{ Scan(...any) error }, sim *traject.SIM) error {
	return row.Scan(&sim.ID, &sim.ICCID, &sim.Phone, dateCol{&sim.BundleUntil}, &sim.State, &sim.AssetTag)
}

// sim returns a SIM and the region of the device it is in ("" when in none).
// A SIM in a device of another region is not found for a regional actor.
func (tx *Tx) sim(iccid string) (*traject.SIM, string, error) {
	var sim traject.SIM
	var region sql.NullString
	err := tx.queryRow(`SELECT `+simColumns+`, d.region_code FROM sims s LEFT JOIN devices d ON d.id = s.device_id WHERE s.iccid = ?`, iccid).
		Scan(&sim.ID, &sim.ICCID, &sim.Phone, dateCol{&sim.BundleUntil}, &sim.State, &sim.AssetTag, &region)
	if err != nil {
		return nil, "", err
	}
	if actor := traject.UserFromContext(tx.ctx); region.Valid && actor != nil && !actor.CanSeeRegion(region.String) {
		return nil, "", sql.ErrNoRows
	}
	return &sim, region.String, nil
}

// MoveSIM puts a SIM into another 4G device, which must not carry a live SIM
// already. Both devices' histories show the move.
func (s *Store) MoveSIM(ctx context.Context, iccid, toAssetTag string) error {
	iccid = traject.NormalizeICCID(iccid)
	return s.write(ctx, "move sim", func(tx *Tx) error {
		sim, fromRegion, err := tx.sim(iccid)
		if err != nil {
			return s.mapError("move sim", "SIM "+iccid, err)
		}
		to, err := tx.device(toAssetTag)
		if err != nil {
			return s.mapError("move sim", "device "+toAssetTag, err)
		}
		if err := checkSIMTarget(sim, to); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE sims SET device_id = ?, updated_at = ? WHERE id = ?`, to.ID, tx.nowArg(), sim.ID); err != nil {
			return err
		}
		before := map[string]any{"device": sim.AssetTag}
		after := map[string]any{"device": to.AssetTag}
		if err := tx.audit("sim.move", "sim", sim.ICCID, to.RegionCode, before, after); err != nil {
			return err
		}
		if sim.AssetTag != "" {
			if err := tx.audit("device.sim.remove", "device", sim.AssetTag, fromRegion, map[string]any{"sim": sim.ICCID}, nil); err != nil {
				return err
			}
		}
		return tx.audit("device.sim.insert", "device", to.AssetTag, to.RegionCode, nil, map[string]any{"sim": sim.ICCID})
	})
}

func checkSIMTarget(sim *traject.SIM, to *traject.Device) error {
	switch {
	case sim.State == traject.SIMTerminated:
		return traject.Errorf(traject.ECONFLICT, "sim.terminated", "SIM %s is terminated and cannot be used again", sim.ICCID)
	case to.Connectivity != traject.Mobile:
		return traject.Errorf(traject.ECONFLICT, "sim.wifidevice", "%s is a Wi-Fi device and takes no SIM", to.AssetTag)
	case to.SIM != nil && to.SIM.ID != sim.ID:
		return traject.Errorf(traject.ECONFLICT, "sim.occupied", "%s already carries SIM %s; move or terminate that one first", to.AssetTag, to.SIM.ICCID)
	case to.SIM != nil:
		return traject.Errorf(traject.ECONFLICT, "sim.already", "SIM %s is already in %s", sim.ICCID, to.AssetTag)
	}
	return nil
}

// SetSIMState suspends, reactivates or terminates a SIM's subscription.
func (s *Store) SetSIMState(ctx context.Context, iccid string, state traject.SIMState) error {
	iccid = traject.NormalizeICCID(iccid)
	return s.write(ctx, "set sim state", func(tx *Tx) error {
		sim, region, err := tx.sim(iccid)
		if err != nil {
			return s.mapError("set sim state", "SIM "+iccid, err)
		}
		if sim.State == traject.SIMTerminated {
			return traject.Errorf(traject.ECONFLICT, "sim.terminated", "SIM %s is terminated and cannot be used again", sim.ICCID)
		}
		check := traject.SIM{ICCID: sim.ICCID, State: state}
		if err := check.Validate(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE sims SET state = ?, updated_at = ? WHERE id = ?`, state, tx.nowArg(), sim.ID); err != nil {
			return err
		}
		return tx.audit("sim.state", "sim", sim.ICCID, region, map[string]any{"state": sim.State}, map[string]any{"state": state})
	})
}

// BundlesEnding lists the live SIMs whose bundle ends on or before today plus
// days, soonest first, within the actor's region.
func (s *Store) BundlesEnding(ctx context.Context, today time.Time, days int) ([]traject.SIM, error) {
	q := `SELECT ` + simColumns + ` FROM sims s LEFT JOIN devices d ON d.id = s.device_id
		WHERE s.state <> 'terminated' AND s.bundle_until IS NOT NULL AND s.bundle_until <= ?`
	args := []any{dateArg(today.AddDate(0, 0, days))}
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" || traject.UserFromContext(ctx) == nil {
		q += ` AND d.region_code = ?`
		args = append(args, scope)
	}
	rows, err := s.query(ctx, q+` ORDER BY s.bundle_until, s.iccid`, args...)
	if err != nil {
		return nil, s.mapError("bundles ending", "SIMs", err)
	}
	defer rows.Close()
	var out []traject.SIM
	for rows.Next() {
		var sim traject.SIM
		if err := scanSIM(rows, &sim); err != nil {
			return nil, s.mapError("bundles ending", "SIMs", err)
		}
		out = append(out, sim)
	}
	return out, s.mapError("bundles ending", "SIMs", rows.Err())
}

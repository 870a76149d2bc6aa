package store

import (
	"context"

	"traject"
)

// TransferDevices sends devices in stock to another region: each goes
// in_transit with the destination noted, all or none.
func (s *Store) TransferDevices(ctx context.Context, assetTags []string, toRegion string) error {
	r, ok := traject.ParseRegion(toRegion)
	if !ok {
		var v traject.Validation
		v.Add("to", "device.region.invalid", "use one of ANT BRU LIM OVL VBR WVL or the region's name", nil)
		return v.Err()
	}
	return s.eachDevice(ctx, "transfer devices", assetTags, func(tx *Tx, d *traject.Device) error {
		if d.RegionCode == r.Code {
			return deviceError(d, traject.Errorf(traject.ECONFLICT, "transfer.same", "%s is already in %s", d.AssetTag, r.Name))
		}
		if err := traject.CheckTransition(d.State, traject.StateInTransit, traject.ViaTransfer, ""); err != nil {
			return deviceError(d, err)
		}
		_, err := tx.setDeviceState(d, traject.StateInTransit, r.Code, "device.transfer.out", "")
		return err
	})
}

// ReceiveTransfers records that devices in transit arrived: each is in stock
// in its destination region. The destination's staff receive them, so the
// scope check is on the destination, not on where the device came from.
func (s *Store) ReceiveTransfers(ctx context.Context, assetTags []string) error {
	actor := traject.UserFromContext(ctx)
	return s.write(ctx, "receive transfers", func(tx *Tx) error {
		for _, tag := range assetTags {
			var d traject.Device
			if err := scanDevice(tx.queryRow(`SELECT `+deviceColumns+deviceFrom+` WHERE d.asset_tag = ?`, tag), &d); err != nil {
				return tagError(tag, s.mapError("receive transfers", "device "+tag, err))
			}
			if d.State != traject.StateInTransit || (actor != nil && !actor.CanSeeRegion(d.TransitTo)) {
				return tagError(tag, traject.Errorf(traject.ECONFLICT, "transfer.notincoming", "%s is not on its way to your region", tag))
			}
			if err := expectOne(tx.exec(`UPDATE devices SET state = ?, region_code = ?, transit_to = NULL, office_id = NULL, updated_at = ?
				WHERE id = ? AND state = ?`, traject.StateInStock, d.TransitTo, tx.nowArg(), d.ID, d.State)); err != nil {
				return err
			}
			if err := tx.auditReason("device.transfer.in", "device", d.AssetTag, d.TransitTo, "",
				map[string]any{"state": d.State, "region": d.RegionCode},
				map[string]any{"state": traject.StateInStock, "region": d.TransitTo}); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachDevice runs fn for every asset tag in one transaction; the first error
// stops and undoes all.
func (s *Store) eachDevice(ctx context.Context, op string, assetTags []string, fn func(*Tx, *traject.Device) error) error {
	if len(assetTags) == 0 {
		var v traject.Validation
		v.Add("asset_tags", "device.none", "choose at least one device", nil)
		return v.Err()
	}
	return s.write(ctx, op, func(tx *Tx) error {
		for _, tag := range assetTags {
			d, err := tx.device(tag)
			if err != nil {
				return tagError(tag, s.mapError(op, "device "+tag, err))
			}
			if err := fn(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

// deviceError names the device in a refused change, so that a bulk action
// says which one stopped it.
func deviceError(d *traject.Device, err error) error {
	if e, ok := traject.AsError(err); ok {
		out := *e
		out.Message = d.AssetTag + ": " + e.Message
		return tagError(d.AssetTag, &out)
	}
	return err
}

// tagError adds the asset tag to a domain error's Args as AssetTag, so that a
// page can name the device that stopped a bulk action in any language.
func tagError(tag string, err error) error {
	e, ok := traject.AsError(err)
	if !ok {
		return err
	}
	out := *e
	out.Args = map[string]any{"AssetTag": tag}
	for k, v := range e.Args {
		out.Args[k] = v
	}
	return &out
}

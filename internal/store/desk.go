package store

import (
	"context"

	"traject"
)

// WipeReason is the reason the audit row of a confirmed wipe carries.
const WipeReason = "wipe confirmed"

// ConfirmWipe records that a returned device was wiped and checked: it leaves
// quarantine for the stock. A device is then free again, so the region's
// waiting queue is served at once; served says how many requests got a device.
func (s *Store) ConfirmWipe(ctx context.Context, assetTag string) (d *traject.Device, served int, err error) {
	err = s.write(ctx, "confirm wipe", func(tx *Tx) error {
		dev, err := tx.device(assetTag)
		if err != nil {
			return notFound(err, "device", assetTag)
		}
		if dev.State != traject.StateQuarantine {
			return &traject.Error{Code: traject.ECONFLICT, Key: "loan.wipe.state", Args: map[string]any{"State": string(dev.State)},
				Message: "device " + dev.AssetTag + " is " + string(dev.State) + ": only a device in quarantine is wiped"}
		}
		if err := traject.CheckTransition(dev.State, traject.StateInStock, "", WipeReason); err != nil {
			return err
		}
		d, err = tx.setDeviceState(dev, traject.StateInStock, "", "device.wipe", WipeReason)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	served, err = s.AllocateWaiting(ctx, d.RegionCode)
	return d, served, err
}

package notify

import (
	"context"
	"log/slog"
)

// Disabler asks the device-management system (the MDM or the Chromebook
// admin console) to disable a lost or stolen device remotely. Disabling must
// be idempotent: the job may ask twice for one device after a crash.
type Disabler interface {
	Disable(ctx context.Context, assetTag, serial string) error
}

// DisableLog is the default Disabler while no device-management system is
// connected: it logs the request, which the ICT team then carries out by hand.
type DisableLog struct{ Logger *slog.Logger }

// Disable implements Disabler.
func (d DisableLog) Disable(ctx context.Context, assetTag, serial string) error {
	if d.Logger != nil {
		d.Logger.WarnContext(ctx, "remote disable requested: disable this device in the device-management console",
			"asset_tag", assetTag, "serial", serial)
	}
	return nil
}

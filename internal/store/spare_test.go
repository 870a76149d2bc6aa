package store_test

import (
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestSpareDeviceIsNeverLent tries every path a device can take towards a
// learner today: the manual state change, a direct UPDATE that skips the
// state table (the database refuses it), and creating a device already on
// loan. The loans issue adds reservations, which check the same state.
func TestSpareDeviceIsNeverLent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "CB-SPARE", "BRU", traject.WiFi, traject.StateSpare)
		if _, err := s.TransitionDevice(v.admin, "CB-SPARE", traject.StateOnLoan, "a learner needs one"); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("manual spare -> on_loan: %v", err)
		}
		if err := store.ForceDeviceState(v.admin, s, "CB-SPARE", traject.StateOnLoan); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("a raw UPDATE spare -> on_loan passed the database: %v", err)
		}
		for _, state := range []traject.DeviceState{traject.StateOnLoan, traject.StateInTransit, traject.StateQuarantine} {
			d := &traject.Device{AssetTag: "CB-NEW-" + string(state[:2]), Serial: "S-" + string(state), Model: "m", Kind: "laptop",
				Connectivity: "wifi", RegionCode: "BRU", State: state}
			if err := s.CreateDevice(v.admin, d); traject.ErrorCode(err) != traject.EINVALID {
				t.Errorf("created %s: %v", state, err)
			}
			if err := store.InsertRawDevice(v.admin, s, d); traject.ErrorCode(err) != traject.ECONFLICT {
				t.Errorf("a raw INSERT of a device %s passed the database: %v", state, err)
			}
		}
		d, err := s.Device(v.admin, "CB-SPARE")
		if err != nil || d.State != traject.StateSpare || d.LendBlocker() != "device.blocked.spare" {
			t.Errorf("after the attempts: %+v, %v", d, err)
		}
		// The way out of the pool is a release to stock with a reason; only then
		// can the desk hand it out.
		if err := store.ForceDeviceState(v.admin, s, "CB-SPARE", traject.StateInStock); err != nil {
			t.Fatal(err)
		}
		if err := store.ForceDeviceState(v.admin, s, "CB-SPARE", traject.StateOnLoan); err != nil {
			t.Errorf("in_stock -> on_loan refused by the guard: %v", err)
		}
	})
}

package store_test

import (
	"fmt"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestStockLendable counts what LendBlocker allows: in stock, and a 4G device
// only with an active SIM; spare, repair and SIM-less devices do not count.
func TestStockLendable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "CB-W1", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-W2", "ANT", traject.WiFi, traject.StateSpare)
		v.device(t, "CB-W3", "ANT", traject.WiFi, traject.StateInRepair)
		v.device(t, "CB-M1", "ANT", traject.Mobile, traject.StateInStock)
		m2 := v.device(t, "CB-M22", "ANT", traject.Mobile, traject.StateInStock)
		v.device(t, "CB-B1", "BRU", traject.WiFi, traject.StateInStock)
		if err := s.SetSIMState(v.admin, m2.SIM.ICCID, traject.SIMSuspended); err != nil {
			t.Fatal(err)
		}
		got, err := s.Lendable(v.admin)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "map[ANT:2 BRU:1]" {
			t.Errorf("lendable = %v, want ANT 2 (CB-W1, CB-M1) and BRU 1", got)
		}
		bru := mustCreateUser(t, s, &traject.User{Email: "b@example.org", Name: "B", Role: traject.RoleDesk, RegionCode: "BRU"})
		if got, _ := s.Lendable(adminCtx(bru)); fmt.Sprint(got) != "map[BRU:1]" {
			t.Errorf("BRU sees lendable %v", got)
		}
		// The count agrees with the domain's rule, device by device.
		page, _ := s.Devices(v.admin, store.DeviceFilter{Region: "ANT"})
		n := 0
		for _, d := range page.Devices {
			if d.LendBlocker() == "" {
				n++
			}
		}
		if n != got["ANT"] {
			t.Errorf("LendBlocker allows %d ANT devices, Lendable counts %d", n, got["ANT"])
		}
	})
}

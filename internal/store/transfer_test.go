package store_test

import (
	"context"
	"slices"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestTransferIncomingList: a device in transit keeps its origin region until
// it is received, yet the destination sees it in its list of incoming devices,
// and nobody else does.
func TestTransferIncomingList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-0002", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-0003", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-0004", "LIM", traject.WiFi, traject.StateInStock)
		if err := s.TransferDevices(v.admin, []string{"CB-0001", "CB-0002"}, "BRU"); err != nil {
			t.Fatal(err)
		}
		if err := s.TransferDevices(v.admin, []string{"CB-0004"}, "OVL"); err != nil {
			t.Fatal(err)
		}
		user := func(email string, role traject.Role, region string) context.Context {
			return adminCtx(mustCreateUser(t, s, &traject.User{Email: email, Name: email, Role: role, RegionCode: region}))
		}
		bru := user("bru@example.org", traject.RoleDesk, "BRU")
		ant := user("ant@example.org", traject.RoleCoordinator, "ANT")
		lim := user("lim@example.org", traject.RoleDesk, "LIM")
		incoming := store.DeviceFilter{State: traject.StateInTransit, TransitTo: "BRU"}
		tests := []struct {
			name string
			ctx  context.Context
			f    store.DeviceFilter
			want []string
		}{
			{"destination sees its incoming devices", bru, incoming, []string{"CB-0001", "CB-0002"}},
			{"destination's own list leaves them out", bru, store.DeviceFilter{}, nil},
			{"destination's list in transit leaves them out", bru, store.DeviceFilter{State: traject.StateInTransit}, nil},
			{"origin sees what it sent", ant, incoming, []string{"CB-0001", "CB-0002"}},
			{"origin still lists them as its own", ant, store.DeviceFilter{State: traject.StateInTransit}, []string{"CB-0001", "CB-0002"}},
			{"a third region sees none of it", lim, incoming, nil},
			{"a third region sees its own outgoing device", lim, store.DeviceFilter{TransitTo: "OVL"}, []string{"CB-0004"}},
			{"a regional role cannot widen its scope to another destination", bru, store.DeviceFilter{TransitTo: "OVL"}, nil},
			{"national role sees every destination", v.admin, store.DeviceFilter{State: traject.StateInTransit}, []string{"CB-0001", "CB-0002", "CB-0004"}},
			{"national role filters on a destination", v.admin, store.DeviceFilter{TransitTo: "OVL"}, []string{"CB-0004"}},
			{"the destination filter combines with the others", bru, store.DeviceFilter{TransitTo: "BRU", Query: "CB-0002"}, []string{"CB-0002"}},
		}
		for _, tt := range tests {
			page, err := s.Devices(tt.ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var got []string
			for _, d := range page.Devices {
				got = append(got, d.AssetTag)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
		if err := s.ReceiveTransfers(bru, []string{"CB-0001"}); err != nil {
			t.Fatal(err)
		}
		page, _ := s.Devices(bru, incoming)
		if len(page.Devices) != 1 || page.Devices[0].AssetTag != "CB-0002" {
			t.Errorf("after receiving CB-0001 BRU's incoming list = %+v", page.Devices)
		}
		page, _ = s.Devices(bru, store.DeviceFilter{})
		if len(page.Devices) != 1 || page.Devices[0].AssetTag != "CB-0001" || page.Devices[0].TransitTo != "" {
			t.Errorf("after receiving CB-0001 BRU's own list = %+v", page.Devices)
		}
	})
}

// TestTransferErrorsNameTheDevice: a bulk action that one device stops says
// which device, as an argument a page can show in any language.
func TestTransferErrorsNameTheDevice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-0002", "ANT", traject.WiFi, traject.StateInRepair)
		v.device(t, "CB-0003", "BRU", traject.WiFi, traject.StateInStock)
		tests := []struct {
			name, key, tag string
			err            error
		}{
			{"device in repair", "device.transition.refused", "CB-0002",
				s.TransferDevices(v.admin, []string{"CB-0001", "CB-0002"}, "BRU")},
			{"already in the region", "transfer.same", "CB-0003",
				s.TransferDevices(v.admin, []string{"CB-0001", "CB-0003"}, "BRU")},
			{"unknown device", "db.notfound", "CB-9999",
				s.TransferDevices(v.admin, []string{"CB-0001", "CB-9999"}, "BRU")},
			{"receiving a device not in transit", "transfer.notincoming", "CB-0001",
				s.ReceiveTransfers(v.admin, []string{"CB-0001"})},
		}
		for _, tt := range tests {
			e, ok := traject.AsError(tt.err)
			if !ok {
				t.Errorf("%s: %v is not a domain error", tt.name, tt.err)
				continue
			}
			if e.Key != tt.key || e.Args["AssetTag"] != tt.tag {
				t.Errorf("%s: key %q args %v, want %q naming %s", tt.name, e.Key, e.Args, tt.key, tt.tag)
			}
		}
		e, _ := traject.AsError(s.TransferDevices(v.admin, []string{"CB-0002"}, "BRU"))
		if e == nil || e.Args["From"] != "in_repair" || e.Args["To"] != "in_transit" {
			t.Errorf("the domain's own arguments are lost: %+v", e)
		}
		if d, _ := s.Device(v.admin, "CB-0001"); d.State != traject.StateInStock {
			t.Errorf("a refused bulk transfer moved CB-0001 to %s", d.State)
		}
	})
}

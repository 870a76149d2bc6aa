package store_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// fleet makes a delivery of n devices, every tenth a 4G one, more than one
// multi-row INSERT's worth so that the chunking is exercised.
func fleet(ref string, n int) *store.Fleet {
	f := &store.Fleet{Deliveries: []*traject.Delivery{{Reference: ref, Supplier: "S", PlannedOn: date("2020-03-31"),
		ArrivedOn: date("2020-05-11"), PlannedCount: n}}}
	for i := 1; i <= n; i++ {
		d := traject.Device{AssetTag: fmt.Sprintf("%s-%04d", ref, i), Serial: fmt.Sprintf("SN-%s-%d", ref, i), Model: "Chromebook 11",
			Kind: traject.KindChromebook, Connectivity: traject.WiFi, RegionCode: traject.Regions[i%6].Name, Delivery: ref}
		if i%10 == 0 {
			d.Connectivity = traject.Mobile
			d.SIM = &traject.SIM{ICCID: iccid(len(ref)*100000 + i), BundleUntil: date("2021-06-30")}
		}
		f.Devices = append(f.Devices, d)
	}
	return f
}

// TestCreateFleet writes 1,000 devices at once, each 4G one with its SIM, and
// one audit row that counts them.
func TestCreateFleet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		if err := s.CreateFleet(v.admin, fleet("DL1", 1000)); err != nil {
			t.Fatal(err)
		}
		r, err := s.Delivery(v.admin, "DL1")
		if err != nil || r.Received != 1000 {
			t.Fatalf("delivery DL1: %v, received %d", err, r.Received)
		}
		for _, tag := range []string{"DL1-0001", "DL1-0640", "DL1-1000"} {
			d, err := s.Device(v.admin, tag)
			if err != nil {
				t.Fatal(err)
			}
			if wantSIM := strings.HasSuffix(tag, "0"); (d.SIM != nil) != wantSIM || d.State != traject.StateInStock || d.Delivery != "DL1" {
				t.Errorf("%s: %+v, SIM %+v", tag, d, d.SIM)
			}
		}
		audit, _ := s.AuditLog(v.admin, traject.AuditFilter{ObjectType: "delivery", ObjectID: "DL1"})
		var after struct{ Count, SIMs int }
		if len(audit) != 2 || audit[0].Action != "device.bulk_create" || json.Unmarshal([]byte(audit[0].After), &after) != nil ||
			after.Count != 1000 || after.SIMs != 100 {
			t.Errorf("audit = %+v", audit)
		}
	})
}

// TestCreateFleetAllOrNothing: a bad device, a duplicate inside the fleet or
// against the database, or an unknown delivery writes nothing at all.
func TestCreateFleetAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "TAKEN-1", "ANT", traject.WiFi, traject.StateInStock)
		cases := []struct {
			name string
			edit func(f *store.Fleet)
			code string
		}{
			{"invalid region", func(f *store.Fleet) { f.Devices[500].RegionCode = "XX" }, traject.EINVALID},
			{"4G without SIM", func(f *store.Fleet) { f.Devices[9].SIM = nil }, traject.EINVALID},
			{"serial twice", func(f *store.Fleet) { f.Devices[700].Serial = f.Devices[3].Serial }, traject.ECONFLICT},
			{"tag in the database", func(f *store.Fleet) { f.Devices[999].AssetTag = "TAKEN-1" }, traject.ECONFLICT},
			{"unknown delivery", func(f *store.Fleet) { f.Devices[300].Delivery = "NOPE" }, traject.EINVALID},
		}
		for _, c := range cases {
			f := fleet("DL2", 1000)
			c.edit(f)
			if err := s.CreateFleet(v.admin, f); traject.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
			if _, err := s.Delivery(v.admin, "DL2"); traject.ErrorCode(err) != traject.ENOTFOUND {
				t.Errorf("%s: delivery DL2 was written: %v", c.name, err)
			}
			if page, _ := s.Devices(v.admin, store.DeviceFilter{Query: "DL2-"}); len(page.Devices) != 0 {
				t.Errorf("%s: %d devices were written", c.name, len(page.Devices))
			}
		}
	})
}

package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

func date(s string) time.Time {
	t, ok := traject.ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

// iccid returns a valid 19-digit ICCID numbered n.
func iccid(n int) string {
	base := fmt.Sprintf("893200%012d", n)
	for d := 0; d < 10; d++ {
		if c := base + fmt.Sprint(d); traject.ValidICCID(c) {
			return c
		}
	}
	panic("no check digit")
}

type inv struct {
	s     *store.Store
	admin context.Context
}

func newInv(t *testing.T, s *store.Store) inv {
	admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
	return inv{s: s, admin: adminCtx(admin)}
}

func (v inv) device(t *testing.T, tag, region string, conn traject.Connectivity, state traject.DeviceState) *traject.Device {
	t.Helper()
	d := &traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
		Connectivity: conn, RegionCode: region, State: state}
	if conn == traject.Mobile {
		d.SIM = &traject.SIM{ICCID: iccid(len(tag) * int(tag[len(tag)-1])), BundleUntil: date("2020-12-31")}
	}
	if err := v.s.CreateDevice(v.admin, d); err != nil {
		t.Fatalf("create %s: %v", tag, err)
	}
	return d
}

func TestDeviceCreateAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		d := v.device(t, "CB-0001", "Antwerpen", traject.Mobile, traject.StateInStock)
		got, err := s.Device(v.admin, "CB-0001")
		if err != nil {
			t.Fatal(err)
		}
		if got.RegionCode != "ANT" || got.SIM == nil || got.SIM.ICCID != d.SIM.ICCID || got.SIM.BundleUntil != date("2020-12-31") {
			t.Errorf("device = %+v, sim %+v", got, got.SIM)
		}
		if got.LendBlocker() != "" {
			t.Errorf("a 4G device with an active SIM is blocked: %s", got.LendBlocker())
		}
		err = s.CreateDevice(v.admin, &traject.Device{AssetTag: "CB-0001", Serial: "other", Model: "m", Kind: "laptop", Connectivity: "wifi", RegionCode: "ANT"})
		if traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("duplicate tag: %v", err)
		}
		err = s.CreateDevice(v.admin, &traject.Device{AssetTag: "CB-0002", Serial: "x", Model: "m", Kind: "laptop", Connectivity: "4g", RegionCode: "ANT"})
		if traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("4G without SIM: %v", err)
		}
		coord := mustCreateUser(t, s, &traject.User{Email: "c@example.org", Name: "C", Role: traject.RoleCoordinator, RegionCode: "BRU"})
		if _, err := s.Device(adminCtx(coord), "CB-0001"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another region's device: %v", err)
		}
		err = s.CreateDevice(adminCtx(coord), &traject.Device{AssetTag: "CB-0003", Serial: "y", Model: "m", Kind: "laptop", Connectivity: "wifi", RegionCode: "ANT"})
		if traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("creating in another region: %v", err)
		}
	})
}

// TestRefusedTransitionLeavesNoTrace: the device and the audit log are as before.
func TestRefusedTransitionLeavesNoTrace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		before, _ := s.AuditLog(v.admin, traject.AuditFilter{})
		for _, tc := range []struct {
			to     traject.DeviceState
			reason string
			code   string
		}{
			{traject.StateOnLoan, "because", traject.ECONFLICT},    // only through a hand-out
			{traject.StateInTransit, "because", traject.ECONFLICT}, // only through a transfer
			{traject.StateQuarantine, "because", traject.ECONFLICT},
			{traject.StateSpare, "", traject.EINVALID}, // no reason
			{"borrowed", "because", traject.EINVALID},
		} {
			if _, err := s.TransitionDevice(v.admin, "CB-0001", tc.to, tc.reason); traject.ErrorCode(err) != tc.code {
				t.Errorf("-> %s: %v, want %s", tc.to, err, tc.code)
			}
		}
		after, _ := s.AuditLog(v.admin, traject.AuditFilter{})
		if len(after) != len(before) {
			t.Errorf("refused transitions wrote %d audit rows", len(after)-len(before))
		}
		d, _ := s.Device(v.admin, "CB-0001")
		if d.State != traject.StateInStock {
			t.Errorf("state = %s", d.State)
		}
		d, err := s.TransitionDevice(v.admin, "CB-0001", traject.StateSpare, "kept by ICT for tests")
		if err != nil || d.State != traject.StateSpare {
			t.Fatalf("to spare: %v", err)
		}
		if d.LendBlocker() != "device.blocked.spare" {
			t.Errorf("a spare device is lendable")
		}
		timeline, _ := s.DeviceTimeline(v.admin, "CB-0001")
		if len(timeline) != 2 || timeline[0].Action != "device.transition" || timeline[0].Reason != "kept by ICT for tests" {
			t.Errorf("timeline = %+v", timeline)
		}
	})
}

func TestTransfers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-0002", "ANT", traject.WiFi, traject.StateInStock)
		v.device(t, "CB-0003", "ANT", traject.WiFi, traject.StateInRepair)
		if err := s.TransferDevices(v.admin, []string{"CB-0001", "CB-0003"}, "BRU"); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Fatalf("a device in repair was sent: %v", err)
		}
		if d, _ := s.Device(v.admin, "CB-0001"); d.State != traject.StateInStock {
			t.Errorf("a failed bulk transfer moved CB-0001 to %s", d.State)
		}
		if err := s.TransferDevices(v.admin, []string{"CB-0001", "CB-0002"}, "Brussel"); err != nil {
			t.Fatal(err)
		}
		desk := mustCreateUser(t, s, &traject.User{Email: "d@example.org", Name: "D", Role: traject.RoleDesk, RegionCode: "LIM"})
		if err := s.ReceiveTransfers(adminCtx(desk), []string{"CB-0001"}); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("LIM received BRU's device: %v", err)
		}
		bru := mustCreateUser(t, s, &traject.User{Email: "b@example.org", Name: "B", Role: traject.RoleDesk, RegionCode: "BRU"})
		if err := s.ReceiveTransfers(adminCtx(bru), []string{"CB-0001", "CB-0002"}); err != nil {
			t.Fatal(err)
		}
		d, err := s.Device(adminCtx(bru), "CB-0002")
		if err != nil || d.RegionCode != "BRU" || d.State != traject.StateInStock || d.TransitTo != "" {
			t.Errorf("received = %+v, %v", d, err)
		}
		stock, _ := s.Stock(v.admin)
		want := map[string]int{"ANT/in_repair": 1, "BRU/in_stock": 2}
		got := map[string]int{}
		for _, r := range stock {
			got[r.Region+"/"+string(r.State)] += r.Count
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stock = %v, want %v", got, want)
		}
	})
}

func TestDeviceListKeysetAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		for i := range 7 {
			region := "ANT"
			if i%2 == 1 {
				region = "BRU"
			}
			v.device(t, fmt.Sprintf("CB-%04d", i), region, traject.WiFi, traject.StateInStock)
		}
		var all []string
		f := store.DeviceFilter{Limit: 3}
		for {
			page, err := s.Devices(v.admin, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range page.Devices {
				all = append(all, d.AssetTag)
			}
			if page.Next == "" {
				break
			}
			f.After = page.Next
		}
		if len(all) != 7 || !slices.IsSorted(all) {
			t.Errorf("pages = %v", all)
		}
		coord := mustCreateUser(t, s, &traject.User{Email: "c@example.org", Name: "C", Role: traject.RoleCoordinator, RegionCode: "BRU"})
		page, _ := s.Devices(adminCtx(coord), store.DeviceFilter{})
		if len(page.Devices) != 3 {
			t.Errorf("BRU sees %d devices, want 3", len(page.Devices))
		}
		for _, d := range page.Devices {
			if d.RegionCode != "BRU" {
				t.Errorf("BRU sees %s of %s", d.AssetTag, d.RegionCode)
			}
		}
		page, _ = s.Devices(v.admin, store.DeviceFilter{Query: "SN-CB-0004"})
		if len(page.Devices) != 1 || page.Devices[0].AssetTag != "CB-0004" {
			t.Errorf("serial search = %+v", page.Devices)
		}
		page, _ = s.Devices(v.admin, store.DeviceFilter{Query: "CB-000", Region: "ANT"})
		if len(page.Devices) != 4 {
			t.Errorf("prefix search in ANT = %d", len(page.Devices))
		}
	})
}

func TestDeliveryAgainstPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		dl := &traject.Delivery{Reference: "LEV-1", Supplier: "Acme", PlannedOn: date("2020-03-31"), PlannedCount: 3,
			Allocation: map[string]int{"ANT": 2, "BRU": 1}}
		if err := s.CreateDelivery(v.admin, dl); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateDelivery(v.admin, &traject.Delivery{Reference: "LEV-1", Supplier: "x", PlannedOn: date("2020-01-01")}); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("duplicate reference: %v", err)
		}
		for i, region := range []string{"ANT", "ANT", "BRU"} {
			d := &traject.Device{AssetTag: fmt.Sprintf("CB-%d", i+1), Serial: fmt.Sprintf("S%d", i+1), Model: "m", Kind: "chromebook",
				Connectivity: "wifi", RegionCode: region, Delivery: "LEV-1", State: traject.StateExpected}
			if err := s.CreateDevice(v.admin, d); err != nil {
				t.Fatal(err)
			}
		}
		res, err := s.ReceiveSerials(v.admin, "LEV-1", []string{"S1", " S3 ", "S9", "S1"}, date("2020-05-11"))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(res.Received) != "[S1 S3]" || fmt.Sprint(res.Unannounced) != "[S9]" {
			t.Errorf("receipt = %+v", res)
		}
		res, _ = s.ReceiveSerials(v.admin, "LEV-1", []string{"S1"}, date("2020-05-12"))
		if fmt.Sprint(res.Already) != "[S1]" {
			t.Errorf("second receipt = %+v", res)
		}
		r, err := s.Delivery(v.admin, "LEV-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.ArrivedOn != date("2020-05-11") || r.DelayDays(time.Now()) != 41 || r.Received != 2 {
			t.Errorf("report = %+v", r)
		}
		if fmt.Sprint(r.Missing) != "[S2]" || fmt.Sprint(r.Unannounced) != "[S9]" {
			t.Errorf("missing %v, unannounced %v", r.Missing, r.Unannounced)
		}
		if r.Regions[0].Region != "ANT" || r.Regions[0].Planned != 2 || r.Regions[0].Received != 1 || r.Regions[1].Received != 1 {
			t.Errorf("regions = %+v", r.Regions)
		}
		list, _ := s.Deliveries(v.admin)
		if len(list) != 1 || list[0].Received != 2 {
			t.Errorf("deliveries = %+v", list)
		}
	})
}

func TestSIMMoveAndBundles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		a := v.device(t, "CB-A1", "ANT", traject.Mobile, traject.StateInStock)
		v.device(t, "CB-B2", "ANT", traject.Mobile, traject.StateInStock)
		v.device(t, "CB-W3", "ANT", traject.WiFi, traject.StateInStock)
		if err := s.MoveSIM(v.admin, a.SIM.ICCID, "CB-B2"); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("into an occupied device: %v", err)
		}
		if err := s.MoveSIM(v.admin, a.SIM.ICCID, "CB-W3"); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("into a Wi-Fi device: %v", err)
		}
		b, _ := s.Device(v.admin, "CB-B2")
		if err := s.SetSIMState(v.admin, b.SIM.ICCID, traject.SIMTerminated); err != nil {
			t.Fatal(err)
		}
		b, _ = s.Device(v.admin, "CB-B2")
		if b.SIM != nil || b.LendBlocker() != "device.blocked.sim" {
			t.Errorf("after termination: sim %+v, blocker %q", b.SIM, b.LendBlocker())
		}
		if err := s.MoveSIM(v.admin, a.SIM.ICCID, "CB-B2"); err != nil {
			t.Fatal(err)
		}
		a2, _ := s.Device(v.admin, "CB-A1")
		b, _ = s.Device(v.admin, "CB-B2")
		if a2.SIM != nil || b.SIM == nil || b.SIM.ICCID != a.SIM.ICCID {
			t.Errorf("after the move: A %+v, B %+v", a2.SIM, b.SIM)
		}
		timeline, _ := s.DeviceTimeline(v.admin, "CB-A1")
		if timeline[0].Action != "device.sim.remove" {
			t.Errorf("A's timeline = %+v", timeline[0])
		}
		ending, err := s.BundlesEnding(v.admin, date("2020-12-05"), 30)
		if err != nil || len(ending) != 1 || ending[0].AssetTag != "CB-B2" {
			t.Errorf("ending = %+v, %v", ending, err)
		}
		if ending, _ := s.BundlesEnding(v.admin, date("2020-11-01"), 30); len(ending) != 0 {
			t.Errorf("ending in November = %+v", ending)
		}
	})
}

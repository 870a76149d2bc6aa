package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/demo"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// admin is a national actor, who sees every region.
func admin() context.Context {
	return traject.NewContextWithUser(context.Background(), &traject.User{ID: 1, Email: "a@example.org", Role: traject.RoleAdmin, Active: true})
}

// devices pages through the whole device list that f selects.
func devices(t *testing.T, s *store.Store, f store.DeviceFilter) []traject.Device {
	t.Helper()
	var out []traject.Device
	f.Limit = 500
	for {
		page, err := s.Devices(admin(), f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Devices...)
		if page.Next == "" {
			return out
		}
		f.After = page.Next
	}
}

// TestSeedFleet checks the 2020 fleet against the minister's figures: 1,000
// devices, 98 with an active SIM, 8 spares, four deliveries with their delays,
// and the regional stock of the table.
func TestSeedFleet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := demo.SeedFleet(traject.NewContextWithActorLabel(context.Background(), "demo"), s); err != nil {
			t.Fatal(err)
		}
		all := devices(t, s, store.DeviceFilter{})
		if len(all) != 1000 || all[0].AssetTag != "CB-0001" || all[999].AssetTag != "CB-1000" {
			t.Fatalf("%d devices from %s to %s, want CB-0001 to CB-1000", len(all), all[0].AssetTag, all[len(all)-1].AssetTag)
		}
		checkSIMs(t, all)
		checkSpares(t, s)
		checkDeliveries(t, s)
		checkStock(t, s)
	})
}

// checkSIMs: every 4G device, and only those, carries an active SIM with a
// valid, unique ICCID and a bundle end date.
func checkSIMs(t *testing.T, all []traject.Device) {
	t.Helper()
	iccids := map[string]bool{}
	serials := map[string]bool{}
	for _, d := range all {
		serials[d.Serial] = true
		if (d.Connectivity == traject.Mobile) != (d.SIM != nil) {
			t.Fatalf("%s: %s with SIM %v", d.AssetTag, d.Connectivity, d.SIM)
		}
		if d.SIM == nil {
			continue
		}
		if d.SIM.State != traject.SIMActive || !traject.ValidICCID(d.SIM.ICCID) || d.SIM.BundleUntil.IsZero() || iccids[d.SIM.ICCID] {
			t.Errorf("%s: SIM %+v", d.AssetTag, *d.SIM)
		}
		iccids[d.SIM.ICCID] = true
		if d.LendBlocker() != "" {
			t.Errorf("%s cannot be lent: %s", d.AssetTag, d.LendBlocker())
		}
	}
	if len(iccids) != 98 || len(serials) != 1000 {
		t.Errorf("%d active SIMs and %d serials, want 98 and 1000", len(iccids), len(serials))
	}
}

// checkSpares: the ICT team's 8 devices are Wi-Fi, at the head office, spare.
func checkSpares(t *testing.T, s *store.Store) {
	t.Helper()
	spares := devices(t, s, store.DeviceFilter{State: traject.StateSpare})
	if len(spares) != 8 {
		t.Fatalf("%d spares, want 8", len(spares))
	}
	for _, d := range spares {
		if d.Connectivity != traject.WiFi || d.RegionCode != demo.HeadOffice || d.LendBlocker() != "device.blocked.spare" {
			t.Errorf("spare %s: %s in %s, blocker %q", d.AssetTag, d.Connectivity, d.RegionCode, d.LendBlocker())
		}
	}
}

type deliveryRow struct {
	Ref              string
	Planned, Arrived string
	Count, Received  int
	Delay            int
}

// checkDeliveries: four deliveries, planned and actual, all received.
func checkDeliveries(t *testing.T, s *store.Store) {
	t.Helper()
	list, err := s.Deliveries(admin())
	if err != nil {
		t.Fatal(err)
	}
	var got []deliveryRow
	for _, d := range list {
		got = append(got, deliveryRow{d.Reference, d.PlannedOn.Format(time.DateOnly), d.ArrivedOn.Format(time.DateOnly),
			d.PlannedCount, d.Received, d.DelayDays(time.Now())})
	}
	want := []deliveryRow{
		{"LEV-2020-1", "2020-03-31", "2020-05-11", 200, 200, 41},
		{"LEV-2020-2", "2020-06-01", "2020-06-03", 302, 302, 2},
		{"LEV-2020-3", "2020-07-01", "2020-07-01", 98, 98, 0},
		{"LEV-2020-4", "2020-07-01", "2020-08-17", 400, 400, 47},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	r, err := s.Delivery(admin(), "LEV-2020-3")
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range r.Regions {
		want := 16
		if rr.Region == demo.HeadOffice {
			want = 18 // the 2 4G devices outside the table
		}
		if rr.Planned != want || rr.Received != want {
			t.Errorf("LEV-2020-3 in %s: planned %d, received %d, want %d", rr.Region, rr.Planned, rr.Received, want)
		}
	}
	if len(r.Missing) != 0 || len(r.Unannounced) != 0 {
		t.Errorf("LEV-2020-3: missing %v, unannounced %v", r.Missing, r.Unannounced)
	}
}

// checkStock: after 2020-08-17 the table has 149 Wi-Fi and 16 4G devices in
// stock in every region; the head office holds the 2 4G devices outside the
// table, and the 8 spares, which are not stock.
func checkStock(t *testing.T, s *store.Store) {
	t.Helper()
	rows, err := s.Stock(admin())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		got[r.Region+" "+string(r.Connectivity)+" "+string(r.State)] += r.Count
	}
	want := map[string]int{}
	for _, r := range traject.Regions {
		want[r.Code+" wifi in_stock"] = 149
		want[r.Code+" 4g in_stock"] = 16
	}
	want[demo.HeadOffice+" 4g in_stock"] += 2
	want[demo.HeadOffice+" wifi spare"] = 8
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stock (-want +got):\n%s", diff)
	}
}

// TestSeedScale grows the fleet to three times its size with synthetic
// copies, and refuses a scale outside 1 to 10,000.
func TestSeedScale(t *testing.T) {
	s := storetest.Open(t)
	ctx := traject.NewContextWithActorLabel(context.Background(), "demo")
	if err := demo.SeedFleet(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedScale(ctx, s, 3); err != nil {
		t.Fatal(err)
	}
	all := devices(t, s, store.DeviceFilter{})
	if len(all) != 3000 || all[1000].AssetTag != "CB-S00002-0001" || all[2999].AssetTag != "CB-S00003-1000" {
		t.Fatalf("%d devices, [1000] %s, last %s", len(all), all[1000].AssetTag, all[len(all)-1].AssetTag)
	}
	if n := len(devices(t, s, store.DeviceFilter{State: traject.StateSpare})); n != 24 {
		t.Errorf("%d spares, want 24", n)
	}
	if n := len(devices(t, s, store.DeviceFilter{Delivery: "LEV-S00003-3", Connectivity: traject.Mobile})); n != 98 {
		t.Errorf("LEV-S00003-3 has %d 4G devices, want 98", n)
	}
	for _, n := range []int{0, -1, demo.MaxScale + 1} {
		if err := demo.SeedScale(ctx, s, n); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("scale %d: %v", n, err)
		}
	}
}

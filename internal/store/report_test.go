package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// reportFixture is a small, hand-made programme whose every figure is
// worked out by hand in the tests below.
//
// Deliveries: D-1 planned 2020-03-01 (ANT 4, BRU 1), arrived 2020-03-10 with
// W1, W2 (ANT Wi-Fi), G1 (ANT 4G), S1 (ANT Wi-Fi, spare) and B1 (BRU Wi-Fi);
// D-2 planned 2020-05-01 (ANT 2), not arrived: E1, E2 expected.
//
// Loans (agreed period, hand-out, return):
//
//	L1 ANT wifi W1 2020-03-02..04-30 (60 days) out 03-05 back 04-10
//	L2 ANT 4g   G1 2020-03-02..03-31 (30 days) out 03-20, still out
//	L3 ANT wifi W2 2020-04-01..05-31 (61 days) reserved
//	L4 BRU wifi B1 2020-03-16..03-31 (16 days) out 03-16 back 03-31
//	L5 ANT wifi W2 2020-02-01..02-10 cancelled before hand-out
//	L6 ANT wifi W1 2020-03-25..03-31 (7 days)  out 03-25 back 03-31
//
// Course ATT-ANT-1 (March 2020) has three learners: one reached on site, one
// online, one not reached.
type reportFixture struct {
	*attFixture
}

func newReportFixture(t *testing.T, s *store.Store) *reportFixture {
	t.Helper()
	f := &reportFixture{newAttFixture(t, s, 3)}
	f.record(t, f.teacher, 0, "POA")
	dev := func(tag, ref, region string, conn traject.Connectivity, state traject.DeviceState) traject.Device {
		d := traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
			Connectivity: conn, RegionCode: region, State: state, Delivery: ref}
		if conn == traject.Mobile {
			d.SIM = &traject.SIM{ICCID: iccid(77), BundleUntil: date("2021-06-30")}
		}
		return d
	}
	fleet := &store.Fleet{
		Deliveries: []*traject.Delivery{
			{Reference: "D-1", Supplier: "S", PlannedOn: date("2020-03-01"), PlannedCount: 5, ArrivedOn: date("2020-03-10"), Allocation: map[string]int{"ANT": 4, "BRU": 1}},
			{Reference: "D-2", Supplier: "S", PlannedOn: date("2020-05-01"), PlannedCount: 2, Allocation: map[string]int{"ANT": 2}},
		},
		Devices: []traject.Device{
			dev("CB-W1", "D-1", "ANT", traject.WiFi, traject.StateInStock), dev("CB-W2", "D-1", "ANT", traject.WiFi, traject.StateInStock),
			dev("CB-G1", "D-1", "ANT", traject.Mobile, traject.StateInStock), dev("CB-S1", "D-1", "ANT", traject.WiFi, traject.StateSpare),
			dev("CB-B1", "D-1", "BRU", traject.WiFi, traject.StateInStock),
			dev("CB-E1", "D-2", "ANT", traject.WiFi, traject.StateExpected), dev("CB-E2", "D-2", "ANT", traject.WiFi, traject.StateExpected),
		},
	}
	if err := s.CreateFleet(f.admin, fleet); err != nil {
		t.Fatal(err)
	}
	loan := func(learner, tag, region string, conn traject.Connectivity, from, until string, state traject.LoanState, out, back string) store.BulkLoan {
		l := store.BulkLoan{LearnerID: store.IDOf(f.admin, s, "learners", "ref", learner), DeviceID: store.IDOf(f.admin, s, "devices", "asset_tag", tag),
			RegionCode: region, Connectivity: conn, StartsOn: date(from), EndsOn: date(until), State: state}
		if out != "" {
			l.HandedOutOn = date(out)
		}
		if back != "" {
			l.ReturnedOn = date(back)
		}
		return l
	}
	err := s.CreateLoansBulk(f.admin, []store.BulkLoan{
		loan("ATT-L01", "CB-W1", "ANT", traject.WiFi, "2020-03-02", "2020-04-30", traject.LoanReturned, "2020-03-05", "2020-04-10"),
		loan("ATT-L02", "CB-G1", "ANT", traject.Mobile, "2020-03-02", "2020-03-31", traject.LoanHandedOut, "2020-03-20", ""),
		loan("ATT-L03", "CB-W2", "ANT", traject.WiFi, "2020-04-01", "2020-05-31", traject.LoanReserved, "", ""),
		loan("ATT-L01", "CB-B1", "BRU", traject.WiFi, "2020-03-16", "2020-03-31", traject.LoanReturned, "2020-03-16", "2020-03-31"),
		loan("ATT-L02", "CB-W2", "ANT", traject.WiFi, "2020-02-01", "2020-02-10", traject.LoanCancelled, "", ""),
		loan("ATT-L03", "CB-W1", "ANT", traject.WiFi, "2020-03-25", "2020-03-31", traject.LoanReturned, "2020-03-25", "2020-03-31"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func months(t testing.TB, from, to string) store.ReportFilter {
	t.Helper()
	f, err := store.ParseMonth(from)
	if err != nil {
		t.Fatal(err)
	}
	tt, err := store.ParseMonth(to)
	if err != nil {
		t.Fatal(err)
	}
	return store.ReportFilter{From: f, To: tt}
}

func avg(v float64) *float64 { return &v }

func TestReportLoansByMonthByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		got, err := s.LoansByMonth(f.analyst, months(t, "2020-02", "2020-05"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4*6*2 {
			t.Fatalf("%d rows, want 48 (4 months x 6 regions x 2 connectivities, zeros included)", len(got))
		}
		want := map[string]store.LoansByMonthRow{
			"2020-03 Antwerpen 4g":   {Started: 1, Active: 1, AvgAgreedDays: avg(30)},
			"2020-04 Antwerpen 4g":   {Active: 1},
			"2020-05 Antwerpen 4g":   {Active: 1},
			"2020-03 Antwerpen wifi": {Started: 2, Active: 2, AvgAgreedDays: avg(33.5)},
			"2020-04 Antwerpen wifi": {Active: 1},
			"2020-03 Brussel wifi":   {Started: 1, Active: 1, AvgAgreedDays: avg(16)},
		}
		for i, r := range got {
			k := r.Month + " " + r.Region + " " + string(r.Connectivity)
			w := want[k]
			w.Month, w.Region, w.Connectivity = r.Month, r.Region, r.Connectivity
			if diff := cmp.Diff(w, r); diff != "" {
				t.Errorf("row %d %s (-want +got):\n%s", i, k, diff)
			}
		}
		if got[0].Month != "2020-02" || got[0].Region != "Antwerpen" || got[0].Connectivity != traject.Mobile || got[47].Region != "West-Vlaanderen" {
			t.Errorf("not sorted by month, region, connectivity: first %+v, last %+v", got[0], got[47])
		}
		plain, err := s.LoansByMonthPlain(f.analyst, months(t, "2020-02", "2020-05"))
		if err != nil || !cmp.Equal(plain, got) {
			t.Errorf("plain count differs: %v\n%s", err, cmp.Diff(plain, got))
		}
	})
}

func TestReportDeviceUsageByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		got, err := s.DeviceUsage(f.analyst, months(t, "2020-02", "2020-05"))
		if err != nil {
			t.Fatal(err)
		}
		want := []store.DeviceUsageRow{
			{Region: "Antwerpen", PeriodFrom: "2020-03", PeriodTo: "2020-03", StockWiFi: 2, Stock4G: 1, LentWiFi: 1, Lent4G: 1},
			{Region: "Antwerpen", PeriodFrom: "2020-03", PeriodTo: "2020-04", StockWiFi: 2, Stock4G: 1, LentWiFi: 1},
			{Region: "Antwerpen", PeriodFrom: "2020-04", PeriodTo: "2020-05", StockWiFi: 2, Stock4G: 1, ReservedWiFi: 1},
			{Region: "Brussel", PeriodFrom: "2020-03", PeriodTo: "2020-03", StockWiFi: 1, LentWiFi: 1},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("device usage (-want +got):\n%s", diff)
		}
		plain, err := s.DeviceUsagePlain(f.analyst, months(t, "2020-02", "2020-05"))
		if err != nil || !cmp.Equal(plain, got) {
			t.Errorf("plain count differs: %v\n%s", err, cmp.Diff(plain, got))
		}
		// Before the devices arrived there is no stock, and a period outside
		// the range is left out.
		early, err := s.DeviceUsage(f.analyst, months(t, "2020-04", "2020-04"))
		if err != nil || len(early) != 1 || early[0].PeriodFrom != "2020-04" {
			t.Errorf("April only: %+v, %v", early, err)
		}
		filter := months(t, "2020-01", "2020-12")
		filter.Region = "Brussel"
		bru, err := s.DeviceUsage(f.analyst, filter)
		if err != nil || len(bru) != 1 || bru[0] != want[3] {
			t.Errorf("Brussel only: %+v, %v", bru, err)
		}
	})
}

func TestReportDeliveriesByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		got, err := s.DeliveriesReport(f.analyst, months(t, "2020-01", "2020-12"))
		if err != nil {
			t.Fatal(err)
		}
		nine := int64(9)
		want := []store.DeliveryRow{
			{Reference: "D-1", Supplier: "S", PlannedOn: "2020-03-01", PlannedCount: 5, ArrivedOn: "2020-03-10", ReceivedCount: 5, DelayDays: &nine},
			{Reference: "D-2", Supplier: "S", PlannedOn: "2020-05-01", PlannedCount: 2},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("deliveries (-want +got):\n%s", diff)
		}
		filter := months(t, "2020-01", "2020-12")
		filter.Region = "BRU"
		bru, err := s.DeliveriesReport(f.analyst, filter)
		if err != nil || len(bru) != 2 || bru[0].PlannedCount != 1 || bru[0].ReceivedCount != 1 || bru[1].PlannedCount != 0 {
			t.Errorf("Brussel's share: %+v, %v", bru, err)
		}
		march, err := s.DeliveriesReport(f.analyst, months(t, "2020-03", "2020-03"))
		if err != nil || len(march) != 1 || march[0].Reference != "D-1" {
			t.Errorf("planned in March: %+v, %v", march, err)
		}
	})
}

func TestReportStockAtByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		at := func(day string) map[string]map[traject.DeviceState]int64 {
			got, err := s.StockAt(f.analyst, store.ReportFilter{At: date(day)})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 12 {
				t.Fatalf("%d rows, want 12", len(got))
			}
			m := map[string]map[traject.DeviceState]int64{}
			for _, r := range got {
				for st, n := range r.States {
					if n == 0 {
						delete(r.States, st)
					}
				}
				if len(r.States) > 0 {
					m[r.Region+" "+string(r.Connectivity)] = r.States
				}
			}
			return m
		}
		type states = map[traject.DeviceState]int64
		if diff := cmp.Diff(map[string]states{
			"Antwerpen wifi": {traject.StateExpected: 2, traject.StateInStock: 1, traject.StateOnLoan: 1, traject.StateSpare: 1},
			"Antwerpen 4g":   {traject.StateInStock: 1},
			"Brussel wifi":   {traject.StateInStock: 1},
		}, at("2020-03-15")); diff != "" {
			t.Errorf("15 March 2020 (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]states{
			"Antwerpen wifi": {traject.StateExpected: 5},
			"Antwerpen 4g":   {traject.StateExpected: 1},
			"Brussel wifi":   {traject.StateExpected: 1},
		}, at("2020-03-01")); diff != "" {
			t.Errorf("before the delivery (-want +got):\n%s", diff)
		}
		// 4G G1 is still out (never returned).
		if diff := cmp.Diff(map[string]states{
			"Antwerpen wifi": {traject.StateExpected: 2, traject.StateInStock: 2, traject.StateSpare: 1},
			"Antwerpen 4g":   {traject.StateOnLoan: 1},
			"Brussel wifi":   {traject.StateInStock: 1},
		}, at("2020-06-01")); diff != "" {
			t.Errorf("June 2020 (-want +got):\n%s", diff)
		}
	})
}

func TestReportReachByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		got, err := s.Reach(f.analyst, months(t, "2020-03", "2020-03"))
		if err != nil {
			t.Fatal(err)
		}
		want := []store.ReachRow{{Region: "Antwerpen", Course: "ATT-ANT-1", StartsOn: "2020-03-02", Enrolled: 3, ReachedOnline: 1, ReachedOnsite: 1, NotReached: 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reach (-want +got):\n%s", diff)
		}
		if other, err := s.Reach(f.analyst, months(t, "2020-04", "2020-05")); err != nil || len(other) != 0 {
			t.Errorf("no course starts in April or May: %+v, %v", other, err)
		}
	})
}

func TestReportBarriersByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		add := func(kind traject.BarrierResource, resource string, cat traject.BarrierCategory, to ...traject.BarrierStatus) {
			b := &traject.Barrier{Kind: kind, Resource: resource, Category: cat, Severity: traject.SeverityHigh, Description: "does not suit", RegionCode: "ANT"}
			if err := s.CreateBarrier(f.admin, b); err != nil {
				t.Fatal(err)
			}
			for _, st := range to {
				if _, err := s.SetBarrierStatus(f.admin, b.ID, st, "done"); err != nil {
					t.Fatal(err)
				}
			}
		}
		add(traject.ResourceSoftware, "Zoom", traject.BarrierLanguage)
		add(traject.ResourceSoftware, "zoom", traject.BarrierLanguage, traject.BarrierInProgress, traject.BarrierResolved)
		add(traject.ResourceSoftware, "Zoom", traject.BarrierLanguage, traject.BarrierInProgress)
		add(traject.ResourceWebsite, "Smartschool", traject.BarrierAccount, traject.BarrierWontFix)
		add(traject.ResourceWebsite, "Smartschool", traject.BarrierAccount)
		now := store.MonthOf(traject.SessionDay(time.Now()))
		got, err := s.BarriersReport(f.analyst, store.ReportFilter{From: now, To: now})
		if err != nil {
			t.Fatal(err)
		}
		want := []store.BarrierRow{
			{Category: traject.BarrierAccount, ResourceKind: traject.ResourceWebsite, Resource: "Smartschool", Open: 1},
			{Category: traject.BarrierLanguage, ResourceKind: traject.ResourceSoftware, Resource: "Zoom", Open: 2, Resolved: 1},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("barriers (-want +got):\n%s", diff)
		}
		last := store.MonthOf(now.First().AddDate(0, -1, 0))
		if old, err := s.BarriersReport(f.analyst, store.ReportFilter{From: last, To: last}); err != nil || len(old) != 0 {
			t.Errorf("last month: %+v, %v", old, err)
		}
	})
}

func TestReportSummaryByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		got, err := s.Summary(f.analyst, months(t, "2020-03", "2020-05"))
		if err != nil {
			t.Fatal(err)
		}
		want := []store.SummaryRow{
			{Figure: "avg_agreed_days", Value: avg(28.3)}, // (60 + 30 + 16 + 7) / 4 = 28.25
			{Figure: "devices_bought", Value: int64(5)},
			{Figure: "devices_lendable", Value: int64(4)},
			{Figure: "devices_spare", Value: int64(1)},
			{Figure: "devices_with_data_bundle", Value: int64(1)},
			{Figure: "learners_not_reached", Value: int64(1)},
			{Figure: "learners_reached_online", Value: int64(1)},
			{Figure: "learners_reached_onsite", Value: int64(1)},
			{Figure: "loans_started", Value: int64(4)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}
	})
}

func TestReportFilterRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		ctx := context.Context(f.coord) // coordinator of Antwerpen
		bru := months(t, "2020-01", "2020-12")
		bru.Region = "BRU"
		if _, err := s.LoansByMonth(ctx, bru); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("another region: %v", err)
		}
		own, err := s.DeviceUsage(ctx, months(t, "2020-01", "2020-12"))
		if err != nil || len(own) != 3 {
			t.Errorf("a regional coordinator sees their region only: %+v, %v", own, err)
		}
		bad := months(t, "2020-05", "2020-01")
		if _, err := s.LoansByMonth(f.analyst, bad); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("range backwards: %v", err)
		}
		if _, err := s.LoansByMonth(f.analyst, months(t, "1990-01", "2200-01")); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("range too long: %v", err)
		}
		for _, m := range []string{"2020-13", "2020-1", "20-01", "2020-01-01", ""} {
			if _, err := store.ParseMonth(m); traject.ErrorCode(err) != traject.EINVALID {
				t.Errorf("ParseMonth(%q) = %v", m, err)
			}
		}
		nope := months(t, "2020-01", "2020-12")
		nope.Region = "Atlantis"
		if _, err := s.Summary(f.analyst, nope); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("unknown region: %v", err)
		}
	})
}

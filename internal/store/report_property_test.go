package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestReportSummariesMatchPlainCounts writes random loans and changes them at
// random (hand-outs, returns, cancellations, new periods and regions,
// deletions) with plain SQL, as any path could, and holds the two loan
// reports, which read the trigger-kept summaries, to a plain count over the
// loans after every round.
func TestReportSummariesMatchPlainCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 2020))
		v := newInv(t, s)
		ctx := v.admin
		p := &propertyLoans{t: t, s: s, ctx: ctx, rng: rng}
		fleet := &store.Fleet{}
		for i := range 60 {
			d := traject.Device{AssetTag: fmt.Sprintf("CB-P%03d", i), Serial: fmt.Sprintf("SN-P%03d", i), Model: "Chromebook 11",
				Kind: traject.KindChromebook, Connectivity: traject.WiFi, RegionCode: traject.Regions[i%3].Code}
			if i%4 == 0 {
				d.Connectivity, d.SIM = traject.Mobile, &traject.SIM{ICCID: iccid(1000 + i), BundleUntil: date("2021-06-30")}
			}
			fleet.Devices = append(fleet.Devices, d)
		}
		if err := s.CreateFleet(ctx, fleet); err != nil {
			t.Fatal(err)
		}
		for _, d := range fleet.Devices {
			p.devices = append(p.devices, propertyDevice{store.IDOf(ctx, s, "devices", "asset_tag", d.AssetTag), d.RegionCode, d.Connectivity})
		}
		l := &traject.Learner{Ref: "P-L1", FirstName: "Amal", LastName: "P", BirthDate: date("1990-01-01"), Language: "ar",
			RegionCode: "ANT", Obligation: traject.Obliged}
		if err := s.CreateLearner(ctx, l); err != nil {
			t.Fatal(err)
		}
		p.learner = store.IDOf(ctx, s, "learners", "ref", "P-L1")
		for round := range 6 {
			p.insert(25)
			p.change(40)
			p.compare(round)
		}
	})
}

type propertyDevice struct {
	id     int64
	region string
	conn   traject.Connectivity
}

type propertyLoans struct {
	t       *testing.T
	s       *store.Store
	ctx     context.Context
	rng     *rand.Rand
	devices []propertyDevice
	learner int64
	next    int // the next device for an active loan: each has its own
	ids     []int64
	applied int // changes that changed a row
}

func (p *propertyLoans) day() time.Time {
	return date("2020-01-01").AddDate(0, 0, p.rng.IntN(540))
}

// insert adds n random loans: active ones on a device of their own, so that
// the overlap guard lets them in, the others on any device.
func (p *propertyLoans) insert(n int) {
	var loans []store.BulkLoan
	for range n {
		start := p.day()
		l := store.BulkLoan{LearnerID: p.learner, StartsOn: start, EndsOn: start.AddDate(0, 0, p.rng.IntN(90))}
		l.State = traject.LoanStates[p.rng.IntN(len(traject.LoanStates))]
		d := p.devices[p.rng.IntN(len(p.devices))]
		if l.State.Active() {
			if p.next == len(p.devices) {
				l.State = traject.LoanCancelled
			} else {
				d = p.devices[p.next]
				p.next++
			}
		}
		l.DeviceID, l.RegionCode, l.Connectivity = d.id, d.region, d.conn
		if l.State != traject.LoanReserved && (l.State != traject.LoanCancelled || p.rng.IntN(2) == 0) {
			l.HandedOutOn = start.AddDate(0, 0, p.rng.IntN(10)-3)
		}
		if l.State == traject.LoanCancelled && p.rng.IntN(2) == 0 {
			l.HandedOutOn = time.Time{}
		}
		if l.State == traject.LoanReturned || (!l.HandedOutOn.IsZero() && l.State != traject.LoanHandedOut && p.rng.IntN(2) == 0) {
			l.ReturnedOn = l.HandedOutOn.AddDate(0, 0, p.rng.IntN(120))
			if l.State != traject.LoanReturned && l.HandedOutOn.IsZero() {
				l.ReturnedOn = time.Time{}
			}
		}
		loans = append(loans, l)
	}
	if err := p.s.CreateLoansBulk(p.ctx, loans); err != nil {
		p.t.Fatal(err)
	}
	p.ids = p.ids[:0]
	for id := int64(1); id <= int64(store.CountRows(p.ctx, p.s, "loans"))+20; id++ {
		p.ids = append(p.ids, id) // ids of deleted loans change nothing
	}
}

// change makes n random changes with plain SQL; one the database refuses
// (an overlap, a broken CHECK) changes nothing, which is a change too.
func (p *propertyLoans) change(n int) {
	for range n {
		id := p.ids[p.rng.IntN(len(p.ids))]
		d := p.devices[p.rng.IntN(len(p.devices))]
		day := p.day().Format(time.DateOnly)
		var q string
		var args []any
		switch p.rng.IntN(8) {
		case 0:
			q, args = `UPDATE loans SET state = 'handed_out', handed_out_on = ? WHERE id = ? AND state = 'reserved'`, []any{day, id}
		case 1:
			q, args = `UPDATE loans SET state = 'returned', returned_on = ? WHERE id = ? AND state = 'handed_out' AND handed_out_on <= ?`, []any{day, id, day}
		case 2:
			q, args = `UPDATE loans SET state = 'cancelled' WHERE id = ?`, []any{id}
		case 3:
			q, args = `UPDATE loans SET returned_on = ? WHERE id = ? AND returned_on IS NOT NULL`, []any{day, id}
		case 4:
			q, args = `UPDATE loans SET starts_on = ?, ends_on = ?, due_on = ? WHERE id = ? AND state NOT IN ('reserved', 'handed_out')`, []any{day, day, day, id}
		case 5:
			q, args = `UPDATE loans SET region_code = ?, connectivity = ? WHERE id = ?`, []any{d.region, d.conn, id}
		case 6:
			q, args = `DELETE FROM loans WHERE id = ?`, []any{id}
		default:
			q, args = `UPDATE loans SET handed_out_on = ?, state = 'lost' WHERE id = ? AND state = 'handed_out'`, []any{day, id}
		}
		// Refused changes (an overlap, a broken CHECK) are part of the test.
		if changed, err := store.ExecRaw(p.ctx, p.s, q, args...); err == nil && changed > 0 {
			p.applied++
		}
	}
}

func (p *propertyLoans) compare(round int) {
	p.t.Helper()
	for _, region := range []string{"", "ANT", "LIM"} {
		f := months(p.t, "2019-11", "2021-10")
		f.Region = region
		got, err := p.s.LoansByMonth(p.ctx, f)
		if err != nil {
			p.t.Fatal(err)
		}
		want, err := p.s.LoansByMonthPlain(p.ctx, f)
		if err != nil {
			p.t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			p.t.Fatalf("round %d region %q: loans-by-month differs from the plain count (-plain +report):\n%s", round, region, diff)
		}
		gotU, err := p.s.DeviceUsage(p.ctx, f)
		if err != nil {
			p.t.Fatal(err)
		}
		wantU, err := p.s.DeviceUsagePlain(p.ctx, f)
		if err != nil {
			p.t.Fatal(err)
		}
		if diff := cmp.Diff(wantU, gotU); diff != "" {
			p.t.Fatalf("round %d region %q: device-usage differs from the plain count (-plain +report):\n%s", round, region, diff)
		}
		if round == 5 && region == "" && (len(gotU) == 0 || p.applied < 20) {
			p.t.Fatalf("%d device-usage rows, %d changes applied: the test generated too little to compare", len(gotU), p.applied)
		}
	}
}

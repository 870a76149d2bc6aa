package store_test

import (
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// The bulk path writes many loans a statement (arrays on PostgreSQL), but
// the database's guards still refuse every bad row, and a refused batch
// writes nothing.
func TestCreateLoansBulkKeepsGuards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		ctx := f.admin
		loan := func(tag, from, until string) store.BulkLoan {
			return store.BulkLoan{LearnerID: store.IDOf(ctx, s, "learners", "ref", "ATT-L01"), DeviceID: store.IDOf(ctx, s, "devices", "asset_tag", tag),
				RegionCode: "ANT", Connectivity: traject.WiFi, StartsOn: date(from), EndsOn: date(until), State: traject.LoanReserved}
		}
		free := loan("CB-W1", "2021-01-01", "2021-01-31")
		cases := map[string][]store.BulkLoan{
			"overlaps a stored reservation": {free, loan("CB-W2", "2020-05-01", "2020-06-30")},
			"overlaps one of the batch":     {free, loan("CB-W1", "2021-01-31", "2021-02-28")},
			"spare device":                  {free, loan("CB-S1", "2021-01-01", "2021-01-31")},
		}
		before := store.CountRows(ctx, s, "loans")
		for name, loans := range cases {
			if err := s.CreateLoansBulk(ctx, loans); traject.ErrorCode(err) != traject.ECONFLICT {
				t.Errorf("%s: %v, want a conflict", name, err)
			}
			if n := store.CountRows(ctx, s, "loans"); n != before {
				t.Errorf("%s: %d loans after a refused batch, want %d", name, n, before)
			}
		}
	})
}

// A batch larger than one statement is written whole, in the order given.
func TestCreateLoansBulkKeepsOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReportFixture(t, s)
		ctx := f.admin
		tags := []string{"CB-W1", "CB-W2", "CB-B1"}
		ids := make([]int64, len(tags))
		for i, tag := range tags {
			ids[i] = store.IDOf(ctx, s, "devices", "asset_tag", tag)
		}
		const n = 10_001 // one more than a PostgreSQL statement takes
		loans := make([]store.BulkLoan, n)
		for i := range loans {
			start := date("2021-01-01").AddDate(0, 0, i%700)
			loans[i] = store.BulkLoan{LearnerID: store.IDOf(ctx, s, "learners", "ref", "ATT-L02"), DeviceID: ids[i%3],
				RegionCode: "ANT", Connectivity: traject.WiFi, StartsOn: start, EndsOn: start.AddDate(0, 0, 9),
				State: traject.LoanReturned, HandedOutOn: start, ReturnedOn: start.AddDate(0, 0, 10)}
		}
		before := store.CountRows(ctx, s, "loans")
		if err := s.CreateLoansBulk(ctx, loans); err != nil {
			t.Fatal(err)
		}
		rows, err := s.ReadDB().QueryContext(ctx, `SELECT device_id FROM loans ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		i := -before
		for rows.Next() {
			var device int64
			if err := rows.Scan(&device); err != nil {
				t.Fatal(err)
			}
			if i >= 0 && device != ids[i%3] {
				t.Fatalf("loan %d of the batch is on device %d, want %d", i+1, device, ids[i%3])
			}
			i++
		}
		if err := rows.Err(); err != nil || i != n {
			t.Fatalf("%d loans written, want %d (%v)", i, n, err)
		}
	})
}

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
// loan. Reservations (by tag, from the pool) and a loans import check the
// same state.
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
		// Nor can a reservation take it: asked for by its tag, or from the pool
		// of a region where it is the only device; nor a loan imported for it.
		l := &traject.Learner{Ref: "L-BRU", FirstName: "Amal", LastName: "B", BirthDate: date("1990-01-01"), Language: "ar",
			RegionCode: "BRU", Obligation: traject.Obliged}
		if err := s.CreateLearner(v.admin, l); err != nil {
			t.Fatal(err)
		}
		r := traject.Reservation{LearnerRef: "L-BRU", RegionCode: "BRU", Connectivity: traject.WiFi, From: date("2020-09-01"), Until: date("2020-09-30")}
		if _, err := s.Reserve(v.admin, r); !hasKey(err, "loan.none_free") {
			t.Errorf("reserve from the pool: %v", err)
		}
		r.AssetTag = "CB-SPARE"
		if _, err := s.Reserve(v.admin, r); !hasKey(err, "device.blocked.spare") {
			t.Errorf("reserve the spare by its tag: %v", err)
		}
		var problems [][]traject.FieldError
		n, err := s.ImportLoans(v.admin, false, func(imp *store.LoanImport) error {
			var err error
			problems, err = imp.Add([]*store.HistoricalLoan{{Line: 2, AssetTag: "CB-SPARE", Learner: "L-BRU",
				From: date("2020-05-11"), Until: date("2020-06-30"), HandedOut: date("2020-05-11"), Returned: date("2020-06-30")}})
			return err
		})
		if err != nil || n != 0 || firstKey(problems[0]) != "import.loan.device.blocked" {
			t.Errorf("import a loan of the spare: %d, %v, %v", n, problems, err)
		}
		if loans, err := s.Loans(v.admin, store.LoanFilter{}); err != nil || len(loans) != 0 {
			t.Errorf("%d loans after the attempts, %v", len(loans), err)
		}
		d, err = s.Device(v.admin, "CB-SPARE")
		if err != nil || d.State != traject.StateSpare {
			t.Errorf("after the reservations: %+v, %v", d, err)
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

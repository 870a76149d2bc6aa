package store_test

import (
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// loanRow is a row of a loans file as the importer hands it to the store.
func loanRow(line int, tag, learner, from, until, out, back string) *store.HistoricalLoan {
	h := &store.HistoricalLoan{Line: line, AssetTag: tag, Learner: learner, From: date(from), Until: date(until)}
	if out != "" {
		h.HandedOut = date(out)
	}
	if back != "" {
		h.Returned = date(back)
	}
	return h
}

func importLoans(t *testing.T, s *store.Store, f *loanFixture, dryRun bool, rows ...*store.HistoricalLoan) (int, [][]traject.FieldError) {
	t.Helper()
	var problems [][]traject.FieldError
	n, err := s.ImportLoans(f.admin, dryRun, func(imp *store.LoanImport) error {
		var err error
		problems, err = imp.Add(rows)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, problems
}

func newLoanImportFixture(t *testing.T, s *store.Store) *loanFixture {
	f := newLoanFixture(t, s)
	f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
	f.v.device(t, "CB-0002", "ANT", traject.WiFi, traject.StateInStock)
	f.v.device(t, "CB-SPARE", "ANT", traject.WiFi, traject.StateSpare)
	f.v.device(t, "CB-BRU", "BRU", traject.WiFi, traject.StateInStock)
	f.learner(t, "L-001", "ANT")
	f.learner(t, "L-002", "ANT")
	return f
}

// TestImportLoansRejectsEveryBadRow: a file with overlaps inside it, against
// the database, and every other rule gets one problem per bad row, naming the
// other line of an overlap, and changes nothing.
func TestImportLoansRejectsEveryBadRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanImportFixture(t, s)
		held, err := s.Reserve(f.admin, reservation("L-001", "CB-0002", "2020-11-01", "2020-11-30"))
		if err != nil {
			t.Fatal(err)
		}
		rows := []*store.HistoricalLoan{
			loanRow(2, "CB-0001", "L-001", "2020-05-18", "2020-06-30", "2020-05-18", "2020-06-30"),
			loanRow(3, "CB-0001", "L-002", "2020-06-15", "2020-07-31", "2020-06-15", "2020-07-31"), // overlaps line 2
			loanRow(4, "CB-0002", "L-002", "2020-10-15", "2020-11-15", "", ""),                     // overlaps the reservation
			loanRow(5, "CB-NONE", "L-001", "2020-05-18", "2020-06-30", "", ""),
			loanRow(6, "CB-0001", "L-NONE", "2020-09-01", "2020-09-30", "", ""),
			loanRow(7, "CB-SPARE", "L-001", "2020-05-18", "2020-06-30", "", ""),
			loanRow(8, "CB-BRU", "L-001", "2020-05-18", "2020-06-30", "", ""),
			loanRow(9, "CB-0002", "L-001", "2020-05-18", "2020-06-30", "2020-05-17", ""),
			loanRow(10, "CB-0002", "L-001", "2020-07-01", "2020-07-31", "2020-07-10", "2020-07-09"),
			loanRow(11, "CB-0002", "L-001", "2020-08-01", "2020-08-31", "", "2020-08-31"),
			loanRow(12, "CB-0002", "L-001", "2020-09-01", "2020-08-31", "", ""),
			loanRow(13, "CB-0002", "L-001", "2020-12-01", "2020-12-31", "", ""),
		}
		bru := newCourse("MO-BRU")
		bru.RegionCode = "BRU"
		f.course(t, bru)
		rows[4].Course, rows[11].Course = "MO-NONE", "MO-BRU"
		n, problems := importLoans(t, s, f, false, rows...)
		want := map[int]string{
			2: "asset_tag import.loan.overlap.file line 3", 3: "asset_tag import.loan.overlap.file line 2",
			4: "asset_tag import.loan.overlap.db", 5: "asset_tag import.loan.device.unknown",
			6: "learner import.loan.learner.unknown", 7: "asset_tag import.loan.device.blocked",
			8: "learner import.loan.region", 9: "handed_out import.loan.handout.early",
			10: "returned loan.return.before", 11: "returned import.loan.return.nohandout", 12: "until loan.until.before",
			13: "course import.loan.course.region",
		}
		if n != 0 {
			t.Errorf("imported %d", n)
		}
		for i, p := range problems {
			line := rows[i].Line
			if len(p) == 0 {
				t.Errorf("line %d: no problem, want %s", line, want[line])
				continue
			}
			w := strings.Fields(want[line])
			found := false
			for _, e := range p {
				found = found || (e.Field == w[0] && e.Key == w[1] && (len(w) == 2 || strings.Contains(e.Message, w[2]+" "+w[3])))
			}
			if !found {
				t.Errorf("line %d: %v, want %s", line, p, want[line])
			}
		}
		loans, err := s.Loans(f.admin, store.LoanFilter{})
		if err != nil || len(loans) != 1 || loans[0].ID != held.ID {
			t.Errorf("after a rejected file: %d loans, %v", len(loans), err)
		}
	})
}

// TestImportLoansHistory imports a clean file: returned, handed-out and
// reserved loans, with a paper acceptance marked imported for every
// hand-out; only the loan still out moves its device.
func TestImportLoansHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanImportFixture(t, s)
		f.course(t, newCourse("MO-1"))
		rows := []*store.HistoricalLoan{
			loanRow(2, "CB-0001", "L-001", "2020-05-18", "2020-06-30", "2020-05-18", "2020-06-30"),
			loanRow(3, "CB-0001", "L-002", "2020-07-01", "2020-07-31", "2020-07-02", ""),
			loanRow(4, "CB-0002", "L-002", "2020-10-19", "2020-11-13", "", ""),
		}
		rows[2].Course = "MO-1"
		if n, problems := importLoans(t, s, f, true, rows...); n != 0 || hasProblems(problems) {
			t.Fatalf("dry run: %d imported, %v", n, problems)
		}
		if loans, _ := s.Loans(f.admin, store.LoanFilter{}); len(loans) != 0 {
			t.Fatalf("a dry run wrote %d loans", len(loans))
		}
		n, problems := importLoans(t, s, f, false, rows...)
		if n != 3 || hasProblems(problems) {
			t.Fatalf("imported %d, %v", n, problems)
		}
		loans, err := s.Loans(f.admin, store.LoanFilter{})
		if err != nil || len(loans) != 3 {
			t.Fatalf("%d loans, %v", len(loans), err)
		}
		states := map[string]traject.LoanState{}
		for _, l := range loans {
			states[l.LearnerRef+" "+l.AssetTag] = l.State
			accs, err := s.Acceptances(f.admin, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case l.State == traject.LoanReserved && len(accs) != 0:
				t.Errorf("a reservation has %d acceptances", len(accs))
			case l.State != traject.LoanReserved && (len(accs) != 1 || !accs[0].Imported || accs[0].Method != traject.AcceptPaper ||
				accs[0].Version != 1 || !strings.Contains(accs[0].Text, l.AssetTag) || accs[0].TextHash != traject.TextHash(accs[0].Text)):
				t.Errorf("loan %d (%s): acceptances %+v", l.ID, l.State, accs)
			}
		}
		if states["L-001 CB-0001"] != traject.LoanReturned || states["L-002 CB-0001"] != traject.LoanHandedOut || states["L-002 CB-0002"] != traject.LoanReserved {
			t.Errorf("states %v", states)
		}
		if d, _ := s.Device(f.admin, "CB-0001"); d.State != traject.StateOnLoan {
			t.Errorf("the device of the loan still out is %s", d.State)
		}
		if d, _ := s.Device(f.admin, "CB-0002"); d.State != traject.StateInStock {
			t.Errorf("the reserved device is %s", d.State)
		}
		// A loan of the file again overlaps what is now in the database; a loan
		// still out needs a device in stock.
		f.v.device(t, "CB-REP", "ANT", traject.WiFi, traject.StateInRepair)
		_, problems = importLoans(t, s, f, false, loanRow(2, "CB-0001", "L-001", "2020-05-18", "2020-06-30", "2020-05-18", "2020-06-30"),
			loanRow(3, "CB-0002", "L-001", "2020-09-01", "2020-09-30", "2020-09-01", ""),
			loanRow(4, "CB-REP", "L-001", "2020-09-01", "2020-09-30", "2020-09-01", ""),
			loanRow(5, "CB-REP", "L-002", "2020-05-01", "2020-05-31", "2020-05-01", "2020-05-30"))
		for i, key := range []string{"import.loan.overlap.db", "import.loan.overlap.db", "import.loan.device.notinstock", ""} {
			if got := firstKey(problems[i]); got != key {
				t.Errorf("row %d: %q, want %q", i+2, got, key)
			}
		}
		if loans, _ := s.Loans(f.admin, store.LoanFilter{}); len(loans) != 3 {
			t.Errorf("%d loans after the rejected file", len(loans))
		}
	})
}

func hasProblems(problems [][]traject.FieldError) bool {
	for _, p := range problems {
		if len(p) > 0 {
			return true
		}
	}
	return false
}

func firstKey(p []traject.FieldError) string {
	if len(p) == 0 {
		return ""
	}
	return p[0].Key
}

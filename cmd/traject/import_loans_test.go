package main

import (
	"context"
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

const loansHeader = "asset_tag,learner,course,from,until,handed_out,returned\n"

// TestCLIImportLoans imports the history of loans on SQLite and PostgreSQL:
// a file with overlaps is refused with every bad line named (each overlap on
// both its lines) and changes nothing; a clean file is imported, and a dry
// run of it changes nothing.
func TestCLIImportLoans(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.OpenURL(t, db.URL)
			ctx := traject.NewContextWithActorLabel(context.Background(), "test")
			for _, tag := range []string{"CB-1", "CB-2"} {
				d := &traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
					Connectivity: traject.WiFi, RegionCode: "ANT", State: traject.StateInStock}
				if err := s.CreateDevice(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			for _, ref := range []string{"ANT-1", "ANT-2"} {
				l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: invDate("1990-01-01"), Language: "ar",
					RegionCode: "ANT", Obligation: traject.Obliged}
				if err := s.CreateLearner(ctx, l); err != nil {
					t.Fatal(err)
				}
			}
			bad := writeFile(t, "bad-loans.csv", loansHeader+
				"CB-1,ANT-1,,2020-05-18,2020-06-30,2020-05-18,2020-06-30\n"+
				"CB-1,ANT-2,,2020-06-01,2020-07-31,2020-06-01,2020-07-31\n"+
				"CB-9,ANT-2,,2020-06-01,2020-07-31,,\n"+
				"CB-2,ANT-2,,2020-06-01,2020-07-31,2020-05-31,\n")
			code, stdout, stderr := runCLI(t, nil, "", "import", "loans", bad, "--db", db.URL)
			for _, want := range []string{
				bad + ":2: asset_tag: device CB-1 is lent on line 3 for some of the same days\n",
				bad + ":3: asset_tag: device CB-1 is lent on line 2 for some of the same days\n",
				bad + ":4: asset_tag: there is no device CB-9: import the devices first\n",
				bad + ":5: handed_out: the device cannot go out before the first agreed day (from)\n",
				"was not imported: 4 rows were rejected; nothing was changed",
			} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if code != exitRejected || stdout != "" || loanCount(t, s) != 0 {
				t.Errorf("bad file: exit %d, %q, %d loans", code, stdout, loanCount(t, s))
			}

			good := writeFile(t, "loans.csv", loansHeader+
				"CB-1,ANT-1,,2020-05-18,2020-06-30,2020-05-18,2020-06-30\n"+
				"CB-1,ANT-2,,2020-07-01,2020-07-31,2020-07-01,\n"+
				"CB-2,ANT-2,,2020-09-01,2020-10-31,,\n")
			code, stdout, stderr = runCLI(t, nil, "", "import", "loans", good, "--db", db.URL, "--dry-run")
			if code != exitOK || !strings.Contains(stdout, "checked 3 loans") || loanCount(t, s) != 0 {
				t.Errorf("dry run: exit %d, %q, %q, %d loans", code, stdout, stderr, loanCount(t, s))
			}
			code, stdout, stderr = runCLI(t, nil, "", "import", "loans", good, "--db", db.URL)
			if code != exitOK || stdout != "imported 3 loans from "+good+"\n" || loanCount(t, s) != 3 {
				t.Errorf("clean file: exit %d, %q, %q, %d loans", code, stdout, stderr, loanCount(t, s))
			}
			admin := traject.NewContextWithUser(ctx, &traject.User{ID: 1, Email: "a@example.org", Role: traject.RoleAdmin, Active: true})
			if d, err := s.Device(admin, "CB-1"); err != nil || d.State != traject.StateOnLoan {
				t.Errorf("the device still out: %+v, %v", d, err)
			}
		})
	}
}

func loanCount(t *testing.T, s *store.Store) int {
	t.Helper()
	loans, err := s.Loans(context.Background(), store.LoanFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(loans)
}

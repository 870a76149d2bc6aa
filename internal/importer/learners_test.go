package importer_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/importer"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

const learnerHeader = "ref,first_name,last_name,birth_date,national_number,region,phone,email,language,obligation"

// learnerNumber is the national number of learner i of learnerCSV.
func learnerNumber(i int) traject.NationalNumber {
	return traject.MakeNationalNumber(date("1980-01-01").AddDate(0, 0, i/500), 1+i%500)
}

// learnerCells returns the cells of learner i: every third without a
// national number, the regions take turns, every other number typed with
// separators.
func learnerCells(i int) []string {
	regions := []string{"ANT", "BRU", "LIM", "OVL", "VBR", "West-Vlaanderen"}
	n := learnerNumber(i)
	typed := n.Digits()
	if i%2 == 1 {
		typed = n.Format()
	}
	if i%3 == 2 {
		typed = ""
	}
	birth := date("1980-01-01").AddDate(0, 0, i/500).Format(traject.DateLayout)
	return []string{fmt.Sprintf("INB-%06d", i), "Amina", fmt.Sprintf("Peeters%d", i%97), birth, typed,
		regions[i%len(regions)], "0470 12 34 56", "", "ar", []string{"obliged", "entitled"}[i%2]}
}

func learnerCSV(n int, edit func(i int, cells []string)) []byte {
	var b bytes.Buffer
	b.WriteString(learnerHeader + "\n")
	for i := 0; i < n; i++ {
		c := learnerCells(i)
		if edit != nil {
			edit(i, c)
		}
		b.WriteString(strings.Join(c, ","))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func learnerCount(t testing.TB, s *store.Store) int {
	t.Helper()
	n, after := 0, ""
	for {
		page, err := s.Learners(adminCtx(), store.LearnerFilter{After: after, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Learners)
		if page.Next == "" {
			return n
		}
		after = page.Next
	}
}

// TestImportLearnersAllOrNothing: bad rows of every kind are named with
// their line and column, the file changes nothing, and no report carries a
// national number; the same file fixed imports completely, sealed.
func TestImportLearnersAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		existing := &traject.Learner{Ref: "INB-999999", FirstName: "Jan", LastName: "Janssens", BirthDate: date("1990-01-01"),
			NationalNumber: traject.MakeNationalNumber(date("1990-01-01"), 7), Language: "nl", RegionCode: "ANT", Obligation: traject.Entitled}
		if err := s.CreateLearner(cliCtx(), existing); err != nil {
			t.Fatal(err)
		}
		bad := learnerCSV(1000, func(i int, c []string) {
			switch i {
			case 10:
				c[4] = c[4][:len(c[4])-1] + "0" // a typing error in the check digits
				if strings.HasSuffix(learnerNumber(10).Digits(), "0") {
					c[4] = c[4][:len(c[4])-1] + "1"
				}
			case 20:
				c[4] = learnerNumber(18).Format() // line 20 (i=18) has it already
			case 30:
				c[0] = "INB-000029"
			case 40:
				c[0] = "INB-999999"
			case 50:
				c[4], c[3] = existing.NationalNumber.Digits(), "1990-01-01"
			case 60:
				c[8] = "arabic"
			case 70:
				c[9] = "maybe"
			case 80:
				c[3] = "1980-13-01"
			}
		})
		res := importCSV(t, s, importer.Learners, bad, importer.Options{})
		want := []importer.RowError{
			{Line: 12, Column: "national_number", Reason: "the last two digits do not match: check the number for a typing error", Key: "learner.nn.check"},
			{Line: 22, Column: "national_number", Reason: "this national number is also on line 20", Key: "import.duplicate.nn", Args: map[string]any{"Line": 20}},
			{Line: 32, Column: "ref", Reason: "INB-000029 is also on line 31", Key: "import.duplicate", Args: map[string]any{"Value": "INB-000029", "Line": 31}},
			{Line: 42, Column: "ref", Reason: "a learner with reference INB-999999 already exists", Key: "import.exists.learnerref", Args: map[string]any{"Value": "INB-999999"}},
			{Line: 52, Column: "national_number", Reason: "another learner already has this national number", Key: "import.exists.nn"},
			{Line: 62, Column: "language", Reason: "enter a two-letter language code (ISO 639-1), as in nl, ar or ti", Key: "learner.language.invalid"},
			{Line: 72, Column: "obligation", Reason: "choose obliged or entitled", Key: "learner.obligation.invalid"},
			{Line: 82, Column: "birth_date", Reason: "write the date as YYYY-MM-DD, for example 2020-05-11", Key: "import.cell.date"},
		}
		if diff := cmp.Diff(want, res.Errors); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
		if res.Rejected != len(want) || res.Imported != 0 {
			t.Errorf("result = %+v", res)
		}
		if n := learnerCount(t, s); n != 1 {
			t.Fatalf("a rejected file left %d learners", n-1)
		}
		if n := auditCount(t, s, "learner"); n != 1 {
			t.Fatalf("a rejected file left %d audit rows", n-1)
		}
		report := fmt.Sprint(res.Errors)
		for i := range 1000 {
			if strings.Contains(report, learnerNumber(i).Digits()) || strings.Contains(report, learnerNumber(i).Format()) {
				t.Fatalf("the report holds a national number: %s", report)
			}
		}

		res = importCSV(t, s, importer.Learners, learnerCSV(1000, nil), importer.Options{})
		if !res.OK() || res.Imported != 1000 {
			t.Fatalf("fixed file: %+v", res)
		}
		if n := auditCount(t, s, "learner"); n != 1001 {
			t.Errorf("audit rows = %d, want one per learner", n)
		}
		page, err := s.Learners(adminCtx(), store.LearnerFilter{NationalNumber: learnerNumber(7)})
		if err != nil || len(page.Learners) != 1 || page.Learners[0].Ref != "INB-000007" || page.Learners[0].RegionCode != "BRU" {
			t.Errorf("look-up of an imported number: %+v, %v", page.Learners, err)
		}
		admin := &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin}
		if err := s.CreateUser(cliCtx(), admin, ""); err != nil {
			t.Fatal(err)
		}
		n, err := s.RevealNationalNumber(traject.NewContextWithUser(cliCtx(), admin), "INB-000007")
		if err != nil || n != learnerNumber(7) {
			t.Errorf("reveal of an imported number: %s, %v", n.Mask(), err)
		}
	})
}

// TestImportLearnersLeadingZero: a spreadsheet that took the number of
// someone born in 2005 for a number dropped its leading zero; it is given back.
func TestImportLearnersLeadingZero(t *testing.T) {
	s := storetest.Open(t)
	n := traject.MakeNationalNumber(date("2005-03-04"), 12)
	file := learnerHeader + "\nINB-1,Sara,Peeters,2005-03-04," + strings.TrimPrefix(n.Digits(), "0") + ",ANT,,,nl,obliged\n"
	res := importCSV(t, s, importer.Learners, []byte(file), importer.Options{})
	if !res.OK() || res.Imported != 1 {
		t.Fatalf("result = %+v", res)
	}
}

// TestImportLearnersNeedsThePermission: a role that may not write learners
// cannot import them, whatever page or API it comes through.
func TestImportLearnersNeedsThePermission(t *testing.T) {
	s := storetest.Open(t)
	desk := traject.NewContextWithUser(cliCtx(), &traject.User{Email: "desk@example.org", Role: traject.RoleDesk, RegionCode: "ANT", Active: true})
	_, err := importer.Import(desk, s, importer.Learners, bytes.NewReader(learnerCSV(3, nil)), importer.Options{Format: importer.CSV})
	if traject.ErrorCode(err) != traject.EFORBIDDEN {
		t.Errorf("a desk clerk imported learners: %v", err)
	}
}

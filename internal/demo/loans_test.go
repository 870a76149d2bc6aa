package demo_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"traject"
	"traject/internal/demo"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// averageAgreedDays2020 is the average agreed period of the 2020 loans, in
// days, that the README reports: the courses fill their months, and still
// fall short of the 65 days of the minister's answer.
const averageAgreedDays2020 = 53.1

// TestSeedLoans writes the whole demo and checks its loans against the 2020
// table: per region and course period the Wi-Fi and 4G devices lent and
// reserved (the three cells of 4G before any was in stock lent as Wi-Fi), no
// device lent twice for one day, every device arrived by the first day of its
// loan and in the learner's region, no spare lent, the average agreed period,
// and today's loans and waiting request for the desk.
func TestSeedLoans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := demo.Seed(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		loans := allLoans(t, s)
		var past []traject.Loan
		for _, l := range loans {
			if l.From.Year() == 2020 {
				past = append(past, l)
			}
		}
		fourG := map[string]int{}
		for _, d := range devices(t, s, store.DeviceFilter{Connectivity: traject.Mobile}) {
			fourG[d.RegionCode]++
		}
		t.Run("table", func(t *testing.T) { checkLoanCounts(t, past, fourG) })
		t.Run("devices", func(t *testing.T) { checkLoanDevices(t, s, loans) })
		t.Run("today", func(t *testing.T) { checkLoansToday(t, s, loans) })
		days := 0
		for _, l := range past {
			days += l.AgreedDays()
		}
		avg := float64(days) / float64(len(past))
		t.Logf("%d loans in 2020, %d today; average agreed period %.1f days", len(past), len(loans)-len(past), avg)
		if avg < averageAgreedDays2020-0.05 || avg > averageAgreedDays2020+0.05 {
			t.Errorf("average agreed period %.2f days, the README says %.1f", avg, averageAgreedDays2020)
		}
	})
}

func allLoans(t *testing.T, s *store.Store) []traject.Loan {
	t.Helper()
	var out []traject.Loan
	f := store.LoanFilter{Limit: 1000}
	for {
		page, err := s.Loans(admin(), f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out
		}
		f.AfterID = page[len(page)-1].ID
	}
}

// checkLoanCounts compares the 2020 loans per course, connectivity and state
// with the table: the cells of 4G before any was in stock are lent as Wi-Fi,
// and so are the 4G devices of a cell beyond all the region's 4G devices
// (Brussel 2020-09: 23 of 18).
func checkLoanCounts(t *testing.T, past []traject.Loan, fourGStock map[string]int) {
	f, err := os.Open(chromebooksCSV)
	if err != nil {
		t.Fatalf("the 2020 table: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, l := range past {
		got[fmt.Sprintf("%s %s %s", l.CourseRef, l.Connectivity, l.State)]++
	}
	want := map[string]int{}
	for _, row := range rows[1:] {
		r, _ := traject.ParseRegion(row[0])
		wifi, _ := strconv.Atoi(row[6])
		fourG, _ := strconv.Atoi(row[7])
		switch {
		case demo.NoFourGYet[r.Code+" "+row[4]]:
			wifi, fourG = wifi+fourG, 0
		case fourG > fourGStock[r.Code]: // more than the region ever had: the rest lent as Wi-Fi
			wifi, fourG = wifi+fourG-fourGStock[r.Code], fourGStock[r.Code]
		}
		state := traject.LoanReturned
		if row[8] == "reserved" {
			state = traject.LoanReserved
		}
		ref := demo.CourseRef(r.Code, row[4])
		want[fmt.Sprintf("%s wifi %s", ref, state)] += wifi
		want[fmt.Sprintf("%s 4g %s", ref, state)] += fourG
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d loans, the table says %d", k, got[k], n)
		}
	}
	for k, n := range got {
		if want[k] == 0 {
			t.Errorf("%s: %d loans the table does not have", k, n)
		}
	}
	if len(demo.NoFourGYet) != 3 {
		t.Errorf("%d cells lent as Wi-Fi, want the three of the README", len(demo.NoFourGYet))
	}
}

// checkLoanDevices: every loan's device is in the loan's region, never a
// spare, arrived by the loan's first day, and never held by two loans on one
// day; the devices of finished and reserved loans are in stock, those of the
// loans still out on loan.
func checkLoanDevices(t *testing.T, s *store.Store, loans []traject.Loan) {
	arrived := map[string]time.Time{}
	deliveries, err := s.Deliveries(admin())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deliveries {
		arrived[d.Reference] = d.ArrivedOn
	}
	byTag := map[string]traject.Device{}
	for _, d := range devices(t, s, store.DeviceFilter{}) {
		byTag[d.AssetTag] = d
	}
	held := map[string][]traject.Loan{}
	out := map[string]bool{}
	for _, l := range loans {
		d := byTag[l.AssetTag]
		a := arrived[d.Delivery]
		if d.RegionCode != l.RegionCode || d.State == traject.StateSpare || a.IsZero() || a.After(l.From) || d.Connectivity != l.Connectivity {
			t.Errorf("loan %d from %s: device %s of %s, %s, arrived %s", l.ID, l.From.Format(time.DateOnly), d.AssetTag, d.RegionCode, d.State, a.Format(time.DateOnly))
		}
		held[l.AssetTag] = append(held[l.AssetTag], l)
		out[l.AssetTag] = out[l.AssetTag] || l.State == traject.LoanHandedOut
	}
	for tag, ls := range held {
		slices.SortFunc(ls, func(a, b traject.Loan) int { return a.From.Compare(b.From) })
		for i := 1; i < len(ls); i++ {
			if end := heldUntil(ls[i-1]); end.IsZero() || !ls[i].From.After(end) {
				t.Errorf("device %s: loan %d (%s..%s) and loan %d from %s overlap", tag, ls[i-1].ID, ls[i-1].From.Format(time.DateOnly),
					end.Format(time.DateOnly), ls[i].ID, ls[i].From.Format(time.DateOnly))
			}
		}
		want := traject.StateInStock
		if out[tag] {
			want = traject.StateOnLoan
		}
		if byTag[tag].State != want {
			t.Errorf("device %s is %s, want %s", tag, byTag[tag].State, want)
		}
	}
}

// heldUntil is the last day a loan holds its device; zero while it is out.
func heldUntil(l traject.Loan) time.Time {
	switch l.State {
	case traject.LoanReturned:
		return l.ReturnedOn
	case traject.LoanReserved:
		return l.Due
	}
	return time.Time{}
}

// checkLoansToday: in Antwerpen, two reservations start today, two devices
// are due in three days and two are ten days overdue; in Vlaams-Brabant one
// request waits.
func checkLoansToday(t *testing.T, s *store.Store, loans []traject.Loan) {
	today := traject.SessionDay(time.Now())
	got := map[string]int{}
	for _, l := range loans {
		if l.From.Year() == 2020 {
			continue
		}
		switch {
		case l.RegionCode != "ANT":
			got["elsewhere"]++
		case l.State == traject.LoanReserved && l.From.Equal(today):
			got["reserved today"]++
		case l.State == traject.LoanHandedOut && l.Due.Equal(today.AddDate(0, 0, 3)):
			got["due in 3 days"]++
		case l.State == traject.LoanHandedOut && l.Overdue(today) && l.Due.Equal(today.AddDate(0, 0, -10)):
			got["overdue 10 days"]++
		default:
			got["other"]++
		}
	}
	if want := map[string]int{"reserved today": 2, "due in 3 days": 2, "overdue 10 days": 2}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("today's loans %v, want %v", got, want)
	}
	queue, err := s.Queue(admin(), "VBR")
	if err != nil || len(queue) != 1 || queue[0].State != traject.RequestWaiting || queue[0].Need != traject.Mobile {
		t.Errorf("the VBR queue: %+v, %v", queue, err)
	}
}

package traject

import "testing"

func TestLoanTransitions(t *testing.T) {
	allowed := map[[2]LoanState]bool{
		{LoanReserved, LoanHandedOut}: true, {LoanReserved, LoanCancelled}: true,
		{LoanHandedOut, LoanReturned}: true, {LoanHandedOut, LoanLost}: true, {LoanHandedOut, LoanStolen}: true,
	}
	for _, from := range LoanStates {
		for _, to := range LoanStates {
			err := CheckLoanTransition(from, to)
			if allowed[[2]LoanState{from, to}] != (err == nil) {
				t.Errorf("%s -> %s: %v", from, to, err)
			}
		}
	}
	for _, s := range LoanStates {
		if s.Active() != (s == LoanReserved || s == LoanHandedOut) {
			t.Errorf("%s active = %v", s, s.Active())
		}
	}
}

func TestReservationValidate(t *testing.T) {
	ok := Reservation{LearnerRef: " L-1 ", RegionCode: "Antwerpen", Connectivity: WiFi, From: day("2020-09-01"), Until: day("2020-10-31")}
	if err := ok.Validate(); err != nil || ok.RegionCode != "ANT" || ok.LearnerRef != "L-1" {
		t.Fatalf("valid reservation: %+v, %v", ok, err)
	}
	bad := Reservation{RegionCode: "Mars", Connectivity: "5g", From: day("2020-09-01"), Until: day("2020-08-31"), AssetTag: "a b"}
	if got := fieldNames(bad.Validate()); got != "learner,region,connectivity,until,asset_tag" {
		t.Errorf("fields: %s", got)
	}
	long := ok
	long.Until = long.From.AddDate(1, 0, 1)
	if got := fieldNames(long.Validate()); got != "until" {
		t.Errorf("a loan longer than a year: %s", got)
	}
}

func TestAgreedDaysAndOverdue(t *testing.T) {
	l := Loan{From: day("2020-09-01"), Until: day("2020-10-31"), Due: day("2020-10-31"), State: LoanHandedOut}
	if l.AgreedDays() != 61 {
		t.Errorf("agreed days %d", l.AgreedDays())
	}
	if l.Overdue(day("2020-10-31")) || !l.Overdue(day("2020-11-01")) {
		t.Error("overdue starts the day after the due date")
	}
	if b := l.ExtendBlocker(day("2020-10-30")); b != "loan.extend.earlier" {
		t.Errorf("extend earlier: %q", b)
	}
	if b := l.ExtendBlocker(day("2020-11-15")); b != "" {
		t.Errorf("extend: %q", b)
	}
}

func TestChecklistAndReturn(t *testing.T) {
	if got := fieldNames(Checklist{}.Check(Mobile)); got != "device,charger,sim" {
		t.Errorf("empty 4G checklist: %s", got)
	}
	if err := (Checklist{Device: true, Charger: true}).Check(WiFi); err != nil {
		t.Errorf("Wi-Fi needs no SIM: %v", err)
	}
	r := Return{On: day("2020-08-31"), Condition: "broken"}
	if got := fieldNames(r.Validate(WiFi, day("2020-09-01"))); got != "on,condition,device,charger" {
		t.Errorf("bad return: %s", got)
	}
}

func TestQueueOrder(t *testing.T) {
	a := &LoanRequest{ID: 3, Obliged: true, CourseStarts: day("2020-10-01")}
	b := &LoanRequest{ID: 1, Obliged: false, CourseStarts: day("2020-09-01")}
	c := &LoanRequest{ID: 2, Obliged: true, CourseStarts: day("2020-09-01")}
	d := &LoanRequest{ID: 4, Obliged: true, CourseStarts: day("2020-09-01")}
	if !QueueBefore(a, b) || !QueueBefore(c, a) || !QueueBefore(c, d) || QueueBefore(d, c) {
		t.Error("obliged first, then the earlier course start, then the older request")
	}
}

func TestDeviceNeed(t *testing.T) {
	for home, want := range map[Internet]Connectivity{InternetWiFi: WiFi, InternetMobileData: Mobile, InternetNone: Mobile, "": Mobile} {
		if got := DeviceNeed(home); got != want {
			t.Errorf("%q: %s, want %s", home, got, want)
		}
	}
}

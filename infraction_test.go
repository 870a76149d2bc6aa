package traject

import (
	"strings"
	"testing"
	"time"
)

func fday(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFileProcedure(t *testing.T) {
	for _, tt := range []struct {
		name    string
		from    FileState
		outcome Outcome
		step    FileStep
		want    FileState // "" when refused
	}{
		{"warn a draft", FileDraft, "", StepWarn, FileWarningSent},
		{"refer a draft", FileDraft, "", StepRefer, ""},
		{"comply after warning", FileWarningSent, "", StepComply, FileComplied},
		{"refer after warning", FileWarningSent, "", StepRefer, FileReferred},
		{"decide without hearing", FileReferred, "", StepDecide, ""},
		{"hearing", FileReferred, "", StepDefence, FileDefence},
		{"decide after hearing", FileDefence, "", StepDecide, FileDecided},
		{"pay a fine", FileDecided, OutcomeFine, StepPay, FilePaid},
		{"remind a fine", FileDecided, OutcomeFine, StepRemind, FileReminded},
		{"pay no fine", FileDecided, OutcomeNoFine, StepPay, ""},
		{"collect after reminder", FileReminded, OutcomeFine, StepCollect, FileCollected},
		{"collect before reminder", FileDecided, OutcomeFine, StepCollect, ""},
		{"anything after complied", FileComplied, "", StepRefer, ""},
		{"unknown step", FileDraft, "", "shout", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckFileStep(tt.from, tt.outcome, tt.step)
			if got != tt.want || (tt.want == "") != (err != nil) {
				t.Errorf("CheckFileStep(%s, %s) = %q, %v; want %q", tt.from, tt.step, got, err, tt.want)
			}
		})
	}
	if !FileDecided.Closed(OutcomeNoFine) || FileDecided.Closed(OutcomeFine) || !FilePaid.Closed(OutcomeFine) {
		t.Error("closed states are wrong")
	}
}

func TestChecklist(t *testing.T) {
	good := CheckFacts{Type: InfractionInsufficientParticipation, NormPercent: 80, Outreach: 1,
		WarnedOn: fday("2020-05-01"), Deadline: fday("2020-05-31"), Today: fday("2020-06-01")}
	if items := FileChecklist(good); !ChecklistPassed(items) || len(items) != 5 {
		t.Fatalf("good facts fail: %+v", items)
	}
	for _, tt := range []struct {
		name, key, why string
		change         func(*CheckFacts)
	}{
		{"no norm", "norm", "case.why.norm.missing", func(f *CheckFacts) { f.NormPercent = 0 }},
		{"unrecorded session", "absences", "case.why.absences.missing", func(f *CheckFacts) { f.Unrecorded = 2 }},
		{"never phoned", "outreach", "case.why.outreach.none", func(f *CheckFacts) { f.Outreach = 0 }},
		{"no warning", "warning", "case.why.warning.none", func(f *CheckFacts) { f.WarnedOn = time.Time{} }},
		{"deadline today", "warning", "case.why.warning.running", func(f *CheckFacts) { f.Today = f.Deadline }},
		{"exemption pending", "exemption", "case.why.exemption.pending", func(f *CheckFacts) { f.Exemptions = 1 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := good
			tt.change(&f)
			items := FileChecklist(f)
			if ChecklistPassed(items) {
				t.Fatal("checklist passed")
			}
			for _, it := range items {
				if (it.Key == tt.key) == it.Passed || (it.Key == tt.key && it.Why != tt.why) {
					t.Errorf("item %+v", it)
				}
			}
		})
	}
	// Without a participation norm, another infraction type passes the norm item.
	f := good
	f.Type, f.NormPercent = InfractionContractNotSigned, 0
	if !ChecklistPassed(FileChecklist(f)) {
		t.Error("norm required for a contract not signed")
	}
}

func TestSignOffsAndScale(t *testing.T) {
	if DistinctSignOffs([]int64{7, 7}) != 1 || DistinctSignOffs([]int64{7, 8, 7}) != 2 || DistinctSignOffs(nil) != 0 {
		t.Error("DistinctSignOffs")
	}
	sc := FineScale{50, 200, 1000}
	for earlier, want := range []int{50, 200, 1000, 1000} {
		if got := sc.Propose(earlier); got != want {
			t.Errorf("Propose(%d) = %d, want %d", earlier, got, want)
		}
	}
	for _, bad := range []FineScale{nil, {40}, {100, 100}, {100, 6000}, {200, 100}} {
		if bad.Validate() == nil {
			t.Errorf("scale %v accepted", bad)
		}
	}
	if err := DefaultProcedure.Validate(); err != nil {
		t.Error(err)
	}
	p := DefaultProcedure
	p.WarningDays = 0
	if ErrorCode(p.Validate()) != EINVALID {
		t.Error("0 warning days accepted")
	}
	if d, ok := p.Deadline(StepRefer, fday("2020-01-31")); !ok || d.Format(DateLayout) != "2020-03-01" {
		t.Errorf("defence deadline %v", d)
	}
	if _, ok := p.Deadline(StepPay, fday("2020-01-31")); ok {
		t.Error("paying starts a deadline")
	}
	for _, d := range []Decision{{Outcome: OutcomeFine, Amount: 49}, {Outcome: OutcomeFine, Amount: 5001}, {Outcome: "maybe"}} {
		if ErrorCode(d.Validate()) != EINVALID {
			t.Errorf("decision %+v accepted", d)
		}
	}
}

func TestFileOpeningValidate(t *testing.T) {
	today := fday("2020-06-01")
	ok := FileOpening{LearnerRef: " L-1 ", Type: InfractionCourseAbandoned, From: fday("2020-04-01"), Until: fday("2020-04-30")}
	if err := ok.Validate(today); err != nil || ok.LearnerRef != "L-1" {
		t.Fatal(err)
	}
	for _, o := range []FileOpening{
		{Type: InfractionCourseAbandoned, From: fday("2020-04-01"), Until: fday("2020-04-30")},
		{LearnerRef: "L", Type: "speeding", From: fday("2020-04-01"), Until: fday("2020-04-30")},
		{LearnerRef: "L", Type: InfractionCourseAbandoned, From: fday("2020-04-30"), Until: fday("2020-04-01")},
		{LearnerRef: "L", Type: InfractionCourseAbandoned, From: fday("2020-05-01"), Until: fday("2020-06-02")},
	} {
		if ErrorCode(o.Validate(today)) != EINVALID {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestGuardErrorNamesEveryCause(t *testing.T) {
	causes := []AgencyCauseOpen{{Kind: CauseRequestWaiting, Ref: "R-1"}, {Kind: CauseCourseSuspended, Ref: "MO-1"}}
	err := GuardError(causes)
	if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "R-1") || !strings.Contains(err.Error(), "MO-1") {
		t.Fatalf("guard error %v", err)
	}
	if got := GuardCauses(err); len(got) != 2 {
		t.Errorf("causes back: %v", got)
	}
	if GuardError(nil) != nil {
		t.Error("no cause refuses")
	}
}

// TestSummarizeFines checks every figure of a hand-made set of files.
func TestSummarizeFines(t *testing.T) {
	recs := []FineRecord{
		// An infraction of February 2020, opened in March, fined 100 in May.
		{InfractionMonth: "2020-02", OpenedMonth: "2020-03", WarnedMonth: "2020-03", ReferredMonth: "2020-04", DecidedMonth: "2020-05",
			Outcome: OutcomeFine, Amount: 100, Region: "ANT", Language: "ar", Literacy: "low_literate", Obligation: "obliged"},
		// An infraction of April 2020, opened and warned in May, no fine in May.
		{InfractionMonth: "2020-04", OpenedMonth: "2020-05", WarnedMonth: "2020-05", ReferredMonth: "2020-05", DecidedMonth: "2020-05",
			Outcome: OutcomeNoFine, Region: "BRU", Language: "fr", Literacy: "literate_latin", Obligation: "obliged"},
		// The year before: an infraction of March 2019, fined 250 in May 2019.
		{InfractionMonth: "2019-03", OpenedMonth: "2019-04", WarnedMonth: "2019-04", ReferredMonth: "2019-05", DecidedMonth: "2019-05",
			Outcome: OutcomeFine, Amount: 250, Region: "ANT", Language: "ar", Literacy: "unknown", Obligation: "obliged"},
		// Opened only, in April 2020, for an infraction of March 2020.
		{InfractionMonth: "2020-03", OpenedMonth: "2020-04", Region: "ANT", Language: "en", Literacy: "unknown", Obligation: "obliged"},
	}
	st := SummarizeFines(recs, "2020-03", "2020-05")
	ev := map[string]FineMonth{}
	for _, m := range st.ByEvent {
		ev[m.Month] = m
	}
	inf := map[string]FineMonth{}
	for _, m := range st.ByInfraction {
		inf[m.Month] = m
	}
	want := map[string]FineCounts{
		"ev 2020-03": {Opened: 1, Warnings: 1},
		"ev 2020-04": {Opened: 1, Referrals: 1},
		"ev 2020-05": {Opened: 1, Warnings: 1, Referrals: 1, Fines: 1, Total: 100},
		"ev 2019-04": {Opened: 1, Warnings: 1},
		"ev 2019-05": {Referrals: 1, Fines: 1, Total: 250},
		"ev 2019-03": {},
		"in 2020-03": {Opened: 1},
		"in 2020-04": {Opened: 1, Warnings: 1, Referrals: 1},
		"in 2020-05": {},
		"in 2019-03": {Opened: 1, Warnings: 1, Referrals: 1, Fines: 1, Total: 250},
		"in 2019-04": {},
		"in 2019-05": {},
	}
	check := func(name string, got FineCounts) {
		if got != want[name] {
			t.Errorf("%s = %+v, want %+v", name, got, want[name])
		}
	}
	for _, m := range []string{"2020-03", "2020-04", "2020-05"} {
		check("ev "+m, ev[m].Counts)
		check("ev "+yearBefore(m), ev[m].YearBefore)
		check("in "+m, inf[m].Counts)
		check("in "+yearBefore(m), inf[m].YearBefore)
	}
	if len(st.ByEvent) != 3 || len(st.ByInfraction) != 3 {
		t.Errorf("months: %d, %d", len(st.ByEvent), len(st.ByInfraction))
	}
	// Equity: the two files decided in May 2020, by each dimension.
	wantEq := []FineGroup{
		{"region", "ANT", 1, 1, 100}, {"region", "BRU", 1, 0, 0},
		{"language", "ar", 1, 1, 100}, {"language", "fr", 1, 0, 0},
		{"literacy", "literate_latin", 1, 0, 0}, {"literacy", "low_literate", 1, 1, 100},
		{"obligation", "obliged", 2, 1, 100},
	}
	if len(st.Equity) != len(wantEq) {
		t.Fatalf("equity = %+v", st.Equity)
	}
	for i := range wantEq {
		if st.Equity[i] != wantEq[i] {
			t.Errorf("equity[%d] = %+v, want %+v", i, st.Equity[i], wantEq[i])
		}
	}
	if MonthRange("2020-05", "2020-03") != nil || MonthRange("2020-13", "2021-01") != nil {
		t.Error("bad ranges accepted")
	}
}

func TestComposeLetter(t *testing.T) {
	f := LetterFacts{FileID: 7, Learner: "Amal Haddad", Type: InfractionInsufficientParticipation, From: fday("2020-03-02"),
		Until: fday("2020-03-26"), Deadline: fday("2020-05-01"), Outcome: OutcomeFine, Amount: 250}
	l := ComposeLetter(LetterDecision, f, "ar")
	if !strings.Contains(l.Dutch, "250 euro") || !strings.Contains(l.Dutch, "01-05-2020") || l.SummaryLanguage != "ar" || !strings.Contains(l.Summary, "250") {
		t.Errorf("decision letter %+v", l)
	}
	if l := ComposeLetter(LetterWarning, f, "ti"); l.SummaryLanguage != "en" || !strings.Contains(l.Summary, "01-05-2020") {
		t.Errorf("warning for a Tigrinya speaker: %+v", l)
	}
	for _, lang := range SummaryLanguages {
		for _, k := range []string{"warning", "referral", "fine", "no_fine"} {
			if summaries[lang][k] == "" {
				t.Errorf("no %s summary in %s", k, lang)
			}
		}
	}
}

package traject

import (
	"cmp"
	"slices"
	"time"
)

// FineRecord is what the fines statistics read of one file: the month of
// each event (YYYY-MM in Brussels, "" when it did not happen) and who the
// learner is, for the equity view.
type FineRecord struct {
	// InfractionMonth is the month of the last day of the file's period:
	// the month the infraction was complete.
	InfractionMonth string
	OpenedMonth     string
	WarnedMonth     string
	ReferredMonth   string
	DecidedMonth    string
	Outcome         Outcome
	Amount          int
	Region          string
	Language        string
	Literacy        string // from the learner's latest assessment; "unknown" without one
	Obligation      string
}

// FineCounts are the figures of one month or group.
type FineCounts struct {
	Opened    int `json:"opened"`
	Warnings  int `json:"warnings"`
	Referrals int `json:"referrals"`
	Fines     int `json:"fines"`
	Total     int `json:"total"` // euro of the fines decided
}

// FineMonth is one month of the report with the same month a year before.
type FineMonth struct {
	Month      string     `json:"month"`
	Counts     FineCounts `json:"counts"`
	YearBefore FineCounts `json:"year_before"`
}

// FineGroup is one value of one equity dimension: the fines decided in the
// report's months for learners with that value.
type FineGroup struct {
	Dimension string `json:"dimension"` // region, language, literacy, obligation
	Value     string `json:"value"`
	Decided   int    `json:"decided"` // files decided (fine or not)
	Fines     int    `json:"fines"`
	Total     int    `json:"total"`
}

// FineStats is the fines report. ByEvent counts each event in the month it
// happened (files opened in their opening month, fines in their decision
// month); ByInfraction counts the same events in the month of the
// infraction, so that infractions from before a crisis are not mixed with
// those after it.
type FineStats struct {
	From         string      `json:"from"`
	To           string      `json:"to"`
	ByEvent      []FineMonth `json:"by_event"`
	ByInfraction []FineMonth `json:"by_infraction"`
	Equity       []FineGroup `json:"equity"`
}

// MonthRange returns the months from..to (YYYY-MM) both included, or nil
// when either is not a month or to is before from.
func MonthRange(from, to string) []string {
	f, err1 := time.Parse("2006-01", from)
	t, err2 := time.Parse("2006-01", to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return nil
	}
	var out []string
	for m := f; !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// yearBefore returns the month twelve months before m.
func yearBefore(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return ""
	}
	return t.AddDate(-1, 0, 0).Format("2006-01")
}

// SummarizeFines computes the fines report for the months from..to.
func SummarizeFines(records []FineRecord, from, to string) FineStats {
	st := FineStats{From: from, To: to}
	months := MonthRange(from, to)
	for _, m := range months {
		st.ByEvent = append(st.ByEvent, FineMonth{Month: m, Counts: byEvent(records, m), YearBefore: byEvent(records, yearBefore(m))})
		st.ByInfraction = append(st.ByInfraction, FineMonth{Month: m, Counts: byInfraction(records, m), YearBefore: byInfraction(records, yearBefore(m))})
	}
	st.Equity = equity(records, months)
	return st
}

// byEvent counts each event that happened in month m.
func byEvent(records []FineRecord, m string) FineCounts {
	var c FineCounts
	for _, r := range records {
		c.add(r, r.OpenedMonth == m, r.WarnedMonth == m, r.ReferredMonth == m, r.DecidedMonth == m)
	}
	return c
}

// byInfraction counts the events, whenever they happened, of the files whose
// infraction month is m.
func byInfraction(records []FineRecord, m string) FineCounts {
	var c FineCounts
	for _, r := range records {
		if r.InfractionMonth == m {
			c.add(r, r.OpenedMonth != "", r.WarnedMonth != "", r.ReferredMonth != "", r.DecidedMonth != "")
		}
	}
	return c
}

func (c *FineCounts) add(r FineRecord, opened, warned, referred, decided bool) {
	if opened {
		c.Opened++
	}
	if warned {
		c.Warnings++
	}
	if referred {
		c.Referrals++
	}
	if decided && r.Outcome == OutcomeFine {
		c.Fines++
		c.Total += r.Amount
	}
}

// equity groups the files decided in the months by region, contact language,
// literacy and obligation.
func equity(records []FineRecord, months []string) []FineGroup {
	groups := map[[2]string]*FineGroup{}
	for _, r := range records {
		if r.DecidedMonth == "" || !slices.Contains(months, r.DecidedMonth) {
			continue
		}
		for _, dv := range [][2]string{{"region", r.Region}, {"language", r.Language}, {"literacy", r.Literacy}, {"obligation", r.Obligation}} {
			g := groups[dv]
			if g == nil {
				g = &FineGroup{Dimension: dv[0], Value: dv[1]}
				groups[dv] = g
			}
			g.Decided++
			if r.Outcome == OutcomeFine {
				g.Fines++
				g.Total += r.Amount
			}
		}
	}
	order := map[string]int{"region": 0, "language": 1, "literacy": 2, "obligation": 3}
	out := make([]FineGroup, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b FineGroup) int {
		return cmp.Or(cmp.Compare(order[a.Dimension], order[b.Dimension]), cmp.Compare(a.Value, b.Value))
	})
	return out
}

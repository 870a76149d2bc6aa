package report

import (
	"traject"
)

// FinesColumns are the columns of the fines report's months: each figure of
// a month, then the same figure for the same month a year before.
var FinesColumns = []string{"view", "month", "opened", "warnings", "referrals", "fines", "fines_total_eur",
	"opened_year_before", "warnings_year_before", "referrals_year_before", "fines_year_before", "fines_total_eur_year_before"}

// FinesEquityColumns are the columns of the equity view.
var FinesEquityColumns = []string{"dimension", "value", "decided", "fines", "fines_total_eur"}

// FinesRows returns the months of the report: first by the month each event
// happened ("event"), then by the month of the infraction ("infraction").
func FinesRows(st *traject.FineStats) [][]any {
	var out [][]any
	for _, v := range []struct {
		view   string
		months []traject.FineMonth
	}{{"event", st.ByEvent}, {"infraction", st.ByInfraction}} {
		for _, m := range v.months {
			c, y := m.Counts, m.YearBefore
			out = append(out, []any{v.view, m.Month, int64(c.Opened), int64(c.Warnings), int64(c.Referrals), int64(c.Fines), int64(c.Total),
				int64(y.Opened), int64(y.Warnings), int64(y.Referrals), int64(y.Fines), int64(y.Total)})
		}
	}
	return out
}

// FinesEquityRows returns the equity view's rows.
func FinesEquityRows(st *traject.FineStats) [][]any {
	out := make([][]any, 0, len(st.Equity))
	for _, g := range st.Equity {
		out = append(out, []any{g.Dimension, g.Value, int64(g.Decided), int64(g.Fines), int64(g.Total)})
	}
	return out
}

package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"traject"
)

// ReportFilter narrows a report: a range of months, both included, and a
// region. Zero fields take the report's default (ReportRange).
type ReportFilter struct {
	From, To Month
	Region   string    // a region code; "" is every region the actor may see
	At       time.Time // the day of the stock report; zero is today in Brussels
}

// Month is a calendar month in Europe/Brussels, YYYY-MM.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return Month{}, traject.Errorf(traject.EINVALID, "report.month", "%q is not a month: write it as YYYY-MM, e.g. 2020-05", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf is the month of a calendar day.
func MonthOf(day time.Time) Month { return Month{day.Year(), day.Month()} }

func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}

// IsZero reports whether m is unset.
func (m Month) IsZero() bool { return m.Year == 0 }

// First is the month's first day; Last its last.
func (m Month) First() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// Last is the month's last day.
func (m Month) Last() time.Time { return m.First().AddDate(0, 1, -1) }

// Next is the month after m.
func (m Month) Next() Month { return MonthOf(m.First().AddDate(0, 1, 0)) }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool { return m.String() < o.String() }

// maxReportMonths bounds a report's range: a hundred years is more than the
// records hold, and a typo like 0202-05 must not ask for millions of rows.
const maxReportMonths = 1200

// monthCount is how many months from..to holds, both included.
func monthCount(from, to Month) int {
	return (to.Year-from.Year)*12 + int(to.Month) - int(from.Month) + 1
}

// months lists the months from..to, both included.
func months(from, to Month) []Month {
	var out []Month
	for m := from; !to.Before(m); m = m.Next() {
		out = append(out, m)
	}
	return out
}

// reportScope checks the filter and returns it with the region the actor may
// see filled in: regional staff see their own region only, and asking for
// another is refused rather than answered with zeros. Traject itself (no user:
// the command line) sees every region.
func reportScope(ctx context.Context, f ReportFilter, now time.Time) (ReportFilter, error) {
	if f.Region != "" {
		r, ok := traject.ParseRegion(f.Region)
		if !ok {
			return f, traject.Errorf(traject.EINVALID, "report.region", "there is no region %q: use ANT, BRU, LIM, OVL, VBR, WVL or the region's name", f.Region)
		}
		f.Region = r.Code
	}
	if u := traject.UserFromContext(ctx); u != nil {
		scope := u.ScopeRegion()
		if scope != "" && f.Region != "" && f.Region != scope {
			return f, traject.Errorf(traject.EFORBIDDEN, "report.region.forbidden", "you can see the reports of your own region only")
		}
		if scope != "" {
			f.Region = scope
		}
	}
	if f.To.IsZero() {
		f.To = MonthOf(traject.SessionDay(now))
	}
	if f.From.IsZero() {
		f.From = MonthOf(f.To.First().AddDate(0, -11, 0))
	}
	if f.To.Before(f.From) {
		return f, traject.Errorf(traject.EINVALID, "report.range", "the range ends (%s) before it starts (%s)", f.To, f.From)
	}
	if f.From.Year < 1900 || monthCount(f.From, f.To) > maxReportMonths {
		return f, traject.Errorf(traject.EINVALID, "report.range", "a report covers at most %d months", maxReportMonths)
	}
	if f.At.IsZero() {
		f.At = traject.SessionDay(now)
	}
	return f, nil
}

// regionsIn lists the regions a report shows: one, or all six in order.
func regionsIn(code string) []traject.Region {
	if code == "" {
		return traject.Regions
	}
	r, _ := traject.ParseRegion(code)
	return []traject.Region{r}
}

// regionName is a region's name for a code.
func regionName(code string) string {
	if r, ok := traject.ParseRegion(code); ok {
		return r.Name
	}
	return code
}

// connectivities in the order reports sort them (by their names).
var connectivities = []traject.Connectivity{traject.Mobile, traject.WiFi}

// average is sum/n rounded to one decimal, nil when n is 0.
func average(sum, n int64) *float64 {
	if n == 0 {
		return nil
	}
	v := math.Round(float64(sum)*10/float64(n)) / 10
	return &v
}

// regionWhere is the condition on a region column, with its argument.
func regionWhere(col, code string) (string, []any) {
	if code == "" {
		return "", nil
	}
	return " AND " + col + " = ?", []any{code}
}

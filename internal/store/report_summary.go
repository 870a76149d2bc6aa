package store

import (
	"context"

	"traject"
)

// SummaryRow is one headline figure of the summary report. Value is a whole
// number, or for the average a number with one decimal (nil when no loan
// started).
type SummaryRow struct {
	Figure string `json:"figure"`
	Value  any    `json:"value"`
}

// The summary's figures.
const (
	FigureAvgAgreedDays   = "avg_agreed_days"          // mean agreed period of the loans started in the range
	FigureDevicesBought   = "devices_bought"           // devices arrived by the range's last day
	FigureDevicesLendable = "devices_lendable"         // of those, not spare, retired, lost or stolen
	FigureDevicesSpare    = "devices_spare"            // of those, in the spare pool
	FigureDevicesBundle   = "devices_with_data_bundle" // lendable 4G devices
	FigureLearnersNot     = "learners_not_reached"     // enrolled in a course starting in the range, never present
	FigureLearnersOnline  = "learners_reached_online"
	FigureLearnersOnsite  = "learners_reached_onsite"
	FigureLoansStarted    = "loans_started" // loans handed out in the range
)

// Summary returns the headline figures of the range, sorted by figure name.
func (s *Store) Summary(ctx context.Context, f ReportFilter) ([]SummaryRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	fig := map[string]any{}
	if err := s.summaryDevices(ctx, f, fig); err != nil {
		return nil, err
	}
	if err := s.summaryLoans(ctx, f, fig); err != nil {
		return nil, err
	}
	reach, err := s.Reach(ctx, f)
	if err != nil {
		return nil, err
	}
	var online, onsite, not int64
	for _, r := range reach {
		online, onsite, not = online+r.ReachedOnline, onsite+r.ReachedOnsite, not+r.NotReached
	}
	fig[FigureLearnersOnline], fig[FigureLearnersOnsite], fig[FigureLearnersNot] = online, onsite, not
	out := make([]SummaryRow, 0, len(fig))
	for k, v := range fig {
		out = append(out, SummaryRow{Figure: k, Value: v})
	}
	sortRows(out, func(r SummaryRow) []string { return []string{r.Figure} })
	return out, nil
}

func (s *Store) summaryDevices(ctx context.Context, f ReportFilter, fig map[string]any) error {
	arrivals, err := s.deviceArrivals(ctx, f.Region)
	if err != nil {
		return err
	}
	var bought, lendable, bundle, spare int64
	for _, a := range arrivals {
		if a.day.After(f.To.Last()) {
			continue
		}
		bought += a.count
		if a.lendable() {
			lendable += a.count
			if a.conn == traject.Mobile {
				bundle += a.count
			}
		}
		if a.state == traject.StateSpare {
			spare += a.count
		}
	}
	fig[FigureDevicesBought], fig[FigureDevicesLendable], fig[FigureDevicesBundle], fig[FigureDevicesSpare] = bought, lendable, bundle, spare
	return nil
}

// summaryLoans reads the loans started and their agreed days from the
// monthly summary.
func (s *Store) summaryLoans(ctx context.Context, f ReportFilter, fig map[string]any) error {
	cond, args := regionWhere("region_code", f.Region)
	var started, days int64
	err := s.queryRow(ctx, `SELECT COALESCE(SUM(started), 0), COALESCE(SUM(agreed_days), 0) FROM loan_month_counts
		WHERE month >= ? AND month <= ?`+cond, append([]any{f.From.String(), f.To.String()}, args...)...).Scan(&started, &days)
	if err != nil {
		return s.mapError("summary report", "report", err)
	}
	fig[FigureLoansStarted], fig[FigureAvgAgreedDays] = started, average(days, started)
	return nil
}

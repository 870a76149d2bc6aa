package store

import (
	"context"
	"time"

	"traject"
)

// LoansByMonthRow is one month, region and connectivity of the loans-by-month
// report.
type LoansByMonthRow struct {
	Month        string               `json:"month"`
	Region       string               `json:"region"`
	Connectivity traject.Connectivity `json:"connectivity"`
	// Started counts the loans handed out in the month.
	Started int64 `json:"started"`
	// Active counts the loans handed out on or before the month's last day
	// and not returned before its first day.
	Active int64 `json:"active"`
	// AvgAgreedDays is the mean agreed period of the loans started in the
	// month, in calendar days with both ends included; nil when none started.
	AvgAgreedDays *float64 `json:"avg_agreed_days"`
}

// monthCounts is one row of loan_month_counts.
type monthCounts struct {
	region, conn, month       string
	started, ended, agreedSum int64
}

// LoansByMonth returns one row per month, region and connectivity in the
// range, zeros included, sorted by month, region and connectivity. It reads
// the summary that the triggers on loans keep (migration 00011): a few rows
// per month, whatever the number of loans.
func (s *Store) LoansByMonth(ctx context.Context, f ReportFilter) ([]LoansByMonthRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	cond, args := regionWhere("region_code", f.Region)
	rows, err := s.query(ctx, `SELECT region_code, connectivity, month, started, ended, agreed_days
		FROM loan_month_counts WHERE month <= ?`+cond, append([]any{f.To.String()}, args...)...)
	if err != nil {
		return nil, s.mapError("loans by month", "report", err)
	}
	defer rows.Close()
	var counts []monthCounts
	for rows.Next() {
		var c monthCounts
		if err := rows.Scan(&c.region, &c.conn, &c.month, &c.started, &c.ended, &c.agreedSum); err != nil {
			return nil, s.mapError("loans by month", "report", err)
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.mapError("loans by month", "report", err)
	}
	return loansByMonth(f, counts), nil
}

// loansByMonth lays the monthly counts out as the report's rows: active is
// the running sum of started minus ended, from the first month on record.
func loansByMonth(f ReportFilter, counts []monthCounts) []LoansByMonthRow {
	type key struct{ region, conn string }
	before := map[key]int64{} // active at the end of the month before From
	at := map[key]map[string]monthCounts{}
	for _, c := range counts {
		k := key{c.region, c.conn}
		if c.month < f.From.String() {
			before[k] += c.started - c.ended
			continue
		}
		if at[k] == nil {
			at[k] = map[string]monthCounts{}
		}
		at[k][c.month] = c
	}
	var out []LoansByMonthRow
	active := map[key]int64{}
	for _, m := range months(f.From, f.To) {
		for _, r := range regionsIn(f.Region) {
			for _, conn := range connectivities {
				k := key{r.Code, string(conn)}
				c := at[k][m.String()]
				if _, ok := active[k]; !ok {
					active[k] = before[k]
				}
				active[k] += c.started - c.ended
				out = append(out, LoansByMonthRow{Month: m.String(), Region: r.Name, Connectivity: conn,
					Started: c.started, Active: active[k], AvgAgreedDays: average(c.agreedSum, c.started)})
			}
		}
	}
	return out
}

// DeviceUsageRow is one region and course period of the device-usage report.
type DeviceUsageRow struct {
	Region     string `json:"region"`
	PeriodFrom string `json:"period_from"`
	PeriodTo   string `json:"period_to"`
	// Stock counts the region's lendable devices (not spare, retired, lost or
	// stolen) that had arrived by the last day of PeriodFrom.
	StockWiFi int64 `json:"stock_wifi"`
	Stock4G   int64 `json:"stock_4g"`
	// Lent counts the period's loans that were handed out; Reserved those
	// still reserved.
	LentWiFi     int64 `json:"lent_wifi"`
	Lent4G       int64 `json:"lent_4g"`
	ReservedWiFi int64 `json:"reserved_wifi"`
	Reserved4G   int64 `json:"reserved_4g"`
}

// DeviceUsage returns one row per region and course period (the months of a
// loan's agreed start and end) whose first month is in the range and that
// has loans lent or reserved, sorted by region, period start and end. It
// reads the summary the triggers on loans keep.
func (s *Store) DeviceUsage(ctx context.Context, f ReportFilter) ([]DeviceUsageRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	cond, args := regionWhere("region_code", f.Region)
	out, err := s.deviceUsageRows(ctx, `SELECT region_code, period_from, period_to,
		SUM(CASE WHEN connectivity = 'wifi' THEN lent ELSE 0 END), SUM(CASE WHEN connectivity = '4g' THEN lent ELSE 0 END),
		SUM(CASE WHEN connectivity = 'wifi' THEN reserved ELSE 0 END), SUM(CASE WHEN connectivity = '4g' THEN reserved ELSE 0 END)
		FROM loan_period_counts WHERE period_from >= ? AND period_from <= ?`+cond+`
		GROUP BY region_code, period_from, period_to HAVING SUM(lent) + SUM(reserved) > 0`,
		append([]any{f.From.String(), f.To.String()}, args...))
	if err != nil {
		return nil, err
	}
	return out, s.addStock(ctx, f.Region, out)
}

// deviceUsageRows runs a device-usage query (region code, period, then the
// four loan counts) and sorts its rows.
func (s *Store) deviceUsageRows(ctx context.Context, q string, args []any) ([]DeviceUsageRow, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, s.mapError("device usage", "report", err)
	}
	defer rows.Close()
	var out []DeviceUsageRow
	for rows.Next() {
		var r DeviceUsageRow
		if err := rows.Scan(&r.Region, &r.PeriodFrom, &r.PeriodTo, &r.LentWiFi, &r.Lent4G, &r.ReservedWiFi, &r.Reserved4G); err != nil {
			return nil, s.mapError("device usage", "report", err)
		}
		r.Region = regionName(r.Region)
		out = append(out, r)
	}
	sortRows(out, func(r DeviceUsageRow) []string { return []string{r.Region, r.PeriodFrom, r.PeriodTo} })
	return out, s.mapError("device usage", "report", rows.Err())
}

// addStock fills in the stock columns: lendable devices by the day they
// arrived, counted up to the last day of each row's first month.
func (s *Store) addStock(ctx context.Context, region string, out []DeviceUsageRow) error {
	if len(out) == 0 {
		return nil
	}
	arrivals, err := s.deviceArrivals(ctx, region)
	if err != nil {
		return err
	}
	for i := range out {
		r := &out[i]
		pf, _ := ParseMonth(r.PeriodFrom)
		for _, a := range arrivals {
			if !a.lendable() || regionName(a.region) != r.Region || a.day.After(pf.Last()) {
				continue
			}
			if a.conn == traject.Mobile {
				r.Stock4G += a.count
			} else {
				r.StockWiFi += a.count
			}
		}
	}
	return nil
}

// arrival is how many devices of a region, connectivity and state arrived on
// one day.
type arrival struct {
	region string
	conn   traject.Connectivity
	state  traject.DeviceState
	day    time.Time
	count  int64
}

// lendable reports whether the devices may be lent: not spare, retired, lost
// or stolen.
func (a arrival) lendable() bool {
	switch a.state {
	case traject.StateSpare, traject.StateRetired, traject.StateLost, traject.StateStolen:
		return false
	}
	return true
}

// deviceArrivals counts the devices by state and the day they arrived: their
// delivery's arrival, or the day (in Brussels) they were recorded when they
// came without a delivery. Devices still expected have not arrived.
func (s *Store) deviceArrivals(ctx context.Context, region string) ([]arrival, error) {
	cond, args := regionWhere("d.region_code", region)
	rows, err := s.query(ctx, `SELECT d.region_code, d.connectivity, d.state, dl.arrived_on,
		CASE WHEN dl.id IS NULL THEN d.created_at END, COUNT(*)
		FROM devices d LEFT JOIN deliveries dl ON dl.id = d.delivery_id
		WHERE d.state <> 'expected'`+cond+`
		GROUP BY d.region_code, d.connectivity, d.state, dl.arrived_on, CASE WHEN dl.id IS NULL THEN d.created_at END`, args...)
	if err != nil {
		return nil, s.mapError("device usage", "stock", err)
	}
	defer rows.Close()
	var out []arrival
	for rows.Next() {
		var a arrival
		var created *time.Time
		if err := rows.Scan(&a.region, &a.conn, &a.state, dateCol{&a.day}, nullTimeCol{&created}, &a.count); err != nil {
			return nil, s.mapError("device usage", "stock", err)
		}
		if created != nil {
			a.day = traject.SessionDay(*created)
		}
		if a.day.IsZero() {
			continue // a delivery received device by device, never marked arrived: no day to count it from
		}
		out = append(out, a)
	}
	return out, s.mapError("device usage", "stock", rows.Err())
}

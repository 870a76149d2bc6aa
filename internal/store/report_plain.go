package store

import (
	"context"

	"traject"
)

// The plain forms of the loan reports: the same figures counted over the
// loans table itself, without the summaries. The property test holds the
// reports to them, and the benchmarks time them side by side.

// monthSQL is the YYYY-MM of a date column in the dialect.
func (d dialect) monthSQL(col string) string {
	if d == dialectPostgres {
		return "to_char(" + col + ", 'YYYY-MM')"
	}
	return "substr(" + col + ", 1, 7)"
}

// agreedDaysSQL is the agreed period of a loan in days, both ends included.
func (d dialect) agreedDaysSQL() string {
	if d == dialectPostgres {
		return "(ends_on - starts_on + 1)"
	}
	return "(CAST(julianday(ends_on) - julianday(starts_on) AS INTEGER) + 1)"
}

// LoansByMonthPlain is LoansByMonth counted over the loans themselves: one
// GROUP BY for the loans started, and one count per month for the active ones.
func (s *Store) LoansByMonthPlain(ctx context.Context, f ReportFilter) ([]LoansByMonthRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	started, err := s.plainStarted(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []LoansByMonthRow
	for _, m := range months(f.From, f.To) {
		active, err := s.plainActive(ctx, f.Region, m)
		if err != nil {
			return nil, err
		}
		for _, r := range regionsIn(f.Region) {
			for _, conn := range connectivities {
				k := r.Code + " " + string(conn) + " " + m.String()
				c := started[k]
				out = append(out, LoansByMonthRow{Month: m.String(), Region: r.Name, Connectivity: conn,
					Started: c[0], Active: active[r.Code+" "+string(conn)], AvgAgreedDays: average(c[1], c[0])})
			}
		}
	}
	return out, nil
}

// plainStarted counts the loans handed out per region, connectivity and month
// in the range, with the sum of their agreed days.
func (s *Store) plainStarted(ctx context.Context, f ReportFilter) (map[string][2]int64, error) {
	cond, args := regionWhere("region_code", f.Region)
	rows, err := s.query(ctx, `SELECT region_code, connectivity, `+s.dialect.monthSQL("handed_out_on")+`, COUNT(*), SUM(`+s.dialect.agreedDaysSQL()+`)
		FROM loans WHERE handed_out_on >= ? AND handed_out_on <= ?`+cond+` GROUP BY 1, 2, 3`,
		append([]any{dateArg(f.From.First()), dateArg(f.To.Last())}, args...)...)
	if err != nil {
		return nil, s.mapError("loans by month", "plain", err)
	}
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var region, conn, month string
		var n, days int64
		if err := rows.Scan(&region, &conn, &month, &n, &days); err != nil {
			return nil, s.mapError("loans by month", "plain", err)
		}
		out[region+" "+conn+" "+month] = [2]int64{n, days}
	}
	return out, s.mapError("loans by month", "plain", rows.Err())
}

// plainActive counts the loans active in month m per region and connectivity.
func (s *Store) plainActive(ctx context.Context, region string, m Month) (map[string]int64, error) {
	cond, args := regionWhere("region_code", region)
	rows, err := s.query(ctx, `SELECT region_code, connectivity, COUNT(*) FROM loans
		WHERE handed_out_on <= ? AND (returned_on IS NULL OR returned_on >= ?)`+cond+` GROUP BY 1, 2`,
		append([]any{dateArg(m.Last()), dateArg(m.First())}, args...)...)
	if err != nil {
		return nil, s.mapError("loans by month", "plain", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var region, conn string
		var n int64
		if err := rows.Scan(&region, &conn, &n); err != nil {
			return nil, s.mapError("loans by month", "plain", err)
		}
		out[region+" "+conn] = n
	}
	return out, s.mapError("loans by month", "plain", rows.Err())
}

// DeviceUsagePlain is DeviceUsage counted over the loans themselves.
func (s *Store) DeviceUsagePlain(ctx context.Context, f ReportFilter) ([]DeviceUsageRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	lent := func(conn traject.Connectivity) string {
		return "SUM(CASE WHEN connectivity = '" + string(conn) + "' AND handed_out_on IS NOT NULL THEN 1 ELSE 0 END)"
	}
	reserved := func(conn traject.Connectivity) string {
		return "SUM(CASE WHEN connectivity = '" + string(conn) + "' AND state = 'reserved' THEN 1 ELSE 0 END)"
	}
	cond, args := regionWhere("region_code", f.Region)
	pf, pt := s.dialect.monthSQL("starts_on"), s.dialect.monthSQL("ends_on")
	out, err := s.deviceUsageRows(ctx, `SELECT region_code, `+pf+`, `+pt+`, `+
		lent(traject.WiFi)+`, `+lent(traject.Mobile)+`, `+reserved(traject.WiFi)+`, `+reserved(traject.Mobile)+`
		FROM loans WHERE starts_on >= ? AND starts_on <= ?`+cond+`
		GROUP BY region_code, `+pf+`, `+pt+`
		HAVING SUM(CASE WHEN handed_out_on IS NOT NULL OR state = 'reserved' THEN 1 ELSE 0 END) > 0`,
		append([]any{dateArg(f.From.First()), dateArg(f.To.Last())}, args...))
	if err != nil {
		return nil, err
	}
	return out, s.addStock(ctx, f.Region, out)
}

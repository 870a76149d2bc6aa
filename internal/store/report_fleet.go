package store

import (
	"context"
	"time"

	"traject"
	"traject/internal/i18n"
)

// DeliveryRow is one delivery of the deliveries report.
type DeliveryRow struct {
	Reference    string `json:"reference"`
	Supplier     string `json:"supplier"`
	PlannedOn    string `json:"planned_on"`
	PlannedCount int64  `json:"planned_count"`
	ArrivedOn    string `json:"arrived_on"` // "" while it has not arrived
	// ReceivedCount counts its devices received (no longer expected).
	ReceivedCount int64 `json:"received_count"`
	// DelayDays is arrived_on minus planned_on in days (negative when early);
	// nil while it has not arrived.
	DelayDays *int64 `json:"delay_days"`
}

// Deliveries returns the deliveries planned in the range, by reference. With
// a region, the planned count is the region's share of the plan and the
// received count the region's devices.
func (s *Store) DeliveriesReport(ctx context.Context, f ReportFilter) ([]DeliveryRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	planned, received, args := "dl.planned_count", "d.delivery_id = dl.id", []any{}
	if f.Region != "" {
		planned = "COALESCE((SELECT a.planned_count FROM delivery_allocations a WHERE a.delivery_id = dl.id AND a.region_code = ?), 0)"
		received += " AND d.region_code = ?"
		args = append(args, f.Region, f.Region)
	}
	rows, err := s.query(ctx, `SELECT dl.reference, dl.supplier, dl.planned_on, `+planned+`, dl.arrived_on,
		(SELECT COUNT(*) FROM devices d WHERE `+received+` AND d.state <> 'expected')
		FROM deliveries dl WHERE dl.planned_on >= ? AND dl.planned_on <= ? ORDER BY dl.reference`,
		append(args, dateArg(f.From.First()), dateArg(f.To.Last()))...)
	if err != nil {
		return nil, s.mapError("deliveries report", "report", err)
	}
	defer rows.Close()
	var out []DeliveryRow
	for rows.Next() {
		var r DeliveryRow
		var plannedOn, arrivedOn time.Time
		if err := rows.Scan(&r.Reference, &r.Supplier, dateCol{&plannedOn}, &r.PlannedCount, dateCol{&arrivedOn}, &r.ReceivedCount); err != nil {
			return nil, s.mapError("deliveries report", "report", err)
		}
		r.PlannedOn = plannedOn.Format(time.DateOnly)
		if !arrivedOn.IsZero() {
			r.ArrivedOn = arrivedOn.Format(time.DateOnly)
			delay := int64(traject.DaysBetween(plannedOn, arrivedOn))
			r.DelayDays = &delay
		}
		out = append(out, r)
	}
	return out, s.mapError("deliveries report", "report", rows.Err())
}

// StockReportRow counts the devices of one region and connectivity in each
// state on the report's day.
type StockReportRow struct {
	Region       string                        `json:"region"`
	Connectivity traject.Connectivity          `json:"connectivity"`
	States       map[traject.DeviceState]int64 `json:"states"`
}

// StockAt counts devices per region, connectivity and state on day f.At,
// every combination of region and connectivity included. Today's states are
// the devices' own. A past day is rebuilt from the dated records: a device
// whose delivery had not arrived was expected, one in a loan handed out and
// not yet returned that day was on loan, and one now on loan or in
// quarantine because of a later loan was in stock; other changes (repair,
// transfer, loss, retirement) count as they stand now. Devices recorded
// without a delivery count from the day they were recorded.
func (s *Store) StockAt(ctx context.Context, f ReportFilter) ([]StockReportRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	at := dateArg(f.At)
	past := f.At.Before(traject.SessionDay(s.now()))
	state := `CASE WHEN dl.id IS NOT NULL AND (dl.arrived_on IS NULL OR dl.arrived_on > ?) THEN 'expected'
		WHEN EXISTS (SELECT 1 FROM loans l WHERE l.device_id = d.id AND l.state IN ('handed_out', 'returned')
			AND l.handed_out_on <= ? AND (l.returned_on IS NULL OR l.returned_on > ?)) THEN 'on_loan'`
	if past {
		state += ` WHEN d.state IN ('on_loan', 'quarantine') THEN 'in_stock'`
	}
	state += ` ELSE d.state END`
	// The end of the day in Brussels, as the dialect stores times.
	end := s.dialect.timeArg(brusselsMidnight(f.At.AddDate(0, 0, 1)))
	cond, rargs := regionWhere("d.region_code", f.Region)
	rows, err := s.query(ctx, `SELECT d.region_code, d.connectivity, `+state+`, COUNT(*)
		FROM devices d LEFT JOIN deliveries dl ON dl.id = d.delivery_id
		WHERE (dl.id IS NOT NULL OR d.created_at < ?)`+cond+` GROUP BY 1, 2, 3`,
		append([]any{at, at, at, end}, rargs...)...)
	if err != nil {
		return nil, s.mapError("stock report", "report", err)
	}
	defer rows.Close()
	counts := map[string]map[traject.DeviceState]int64{}
	for rows.Next() {
		var region, conn string
		var st traject.DeviceState
		var n int64
		if err := rows.Scan(&region, &conn, &st, &n); err != nil {
			return nil, s.mapError("stock report", "report", err)
		}
		k := region + " " + conn
		if counts[k] == nil {
			counts[k] = map[traject.DeviceState]int64{}
		}
		counts[k][st] += n
	}
	if err := rows.Err(); err != nil {
		return nil, s.mapError("stock report", "report", err)
	}
	var out []StockReportRow
	for _, r := range regionsIn(f.Region) {
		for _, conn := range connectivities {
			row := StockReportRow{Region: r.Name, Connectivity: conn, States: map[traject.DeviceState]int64{}}
			for _, st := range traject.DeviceStates {
				row.States[st] = counts[r.Code+" "+string(conn)][st]
			}
			out = append(out, row)
		}
	}
	return out, nil
}

// brusselsMidnight is the instant a calendar day starts in Brussels.
func brusselsMidnight(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, i18n.Brussels) // reports count days in Brussels (DESIGN invariant 6)
}

package report

import (
	"context"
	"strconv"

	"traject"
	"traject/internal/store"
)

// Names lists the reports, in the order the menu shows them.
var Names = []string{"loans-by-month", "device-usage", "deliveries", "stock", "reach", "barriers", "summary"}

// Known reports whether name is a report.
func Known(name string) bool {
	for _, n := range Names {
		if n == name {
			return true
		}
	}
	return false
}

// Table is one report as its encoders and pages see it: the columns of the
// contract, in order, and rows of cells. A cell is a string, an int64, or a
// *float64 with one decimal (nil: empty).
type Table struct {
	Name    string
	Filter  store.ReportFilter
	Columns []string
	Rows    [][]any
}

// Run computes report name for the filter.
func Run(ctx context.Context, s *store.Store, name string, f store.ReportFilter) (*Table, error) {
	build, ok := builders[name]
	if !ok {
		return nil, traject.Errorf(traject.ENOTFOUND, "report.unknown", "there is no report %q", name)
	}
	t, err := build(ctx, s, f)
	if err != nil {
		return nil, err
	}
	t.Name, t.Filter = name, f
	return t, nil
}

var builders = map[string]func(context.Context, *store.Store, store.ReportFilter) (*Table, error){
	"loans-by-month": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.LoansByMonth(ctx, f)
		return LoansByMonth(rows), err
	},
	"device-usage": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.DeviceUsage(ctx, f)
		return DeviceUsage(rows), err
	},
	"deliveries": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.DeliveriesReport(ctx, f)
		return Deliveries(rows), err
	},
	"stock": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.StockAt(ctx, f)
		return Stock(rows), err
	},
	"reach": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.Reach(ctx, f)
		return Reach(rows), err
	},
	"barriers": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.BarriersReport(ctx, f)
		return Barriers(rows), err
	},
	"summary": func(ctx context.Context, s *store.Store, f store.ReportFilter) (*Table, error) {
		rows, err := s.Summary(ctx, f)
		return Summary(rows), err
	},
}

// LoansByMonth lays out the loans-by-month report.
func LoansByMonth(rows []store.LoansByMonthRow) *Table {
	t := &Table{Columns: []string{"month", "region", "connectivity", "started", "active", "avg_agreed_days"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Month, r.Region, string(r.Connectivity), r.Started, r.Active, r.AvgAgreedDays})
	}
	return t
}

// DeviceUsage lays out the device-usage report.
func DeviceUsage(rows []store.DeviceUsageRow) *Table {
	t := &Table{Columns: []string{"region", "period_from", "period_to", "stock_wifi", "stock_4g", "lent_wifi", "lent_4g", "reserved_wifi", "reserved_4g"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Region, r.PeriodFrom, r.PeriodTo, r.StockWiFi, r.Stock4G, r.LentWiFi, r.Lent4G, r.ReservedWiFi, r.Reserved4G})
	}
	return t
}

// Deliveries lays out the deliveries report.
func Deliveries(rows []store.DeliveryRow) *Table {
	t := &Table{Columns: []string{"reference", "supplier", "planned_on", "planned_count", "arrived_on", "received_count", "delay_days"}}
	for _, r := range rows {
		var delay any = ""
		if r.DelayDays != nil {
			delay = *r.DelayDays
		}
		t.Rows = append(t.Rows, []any{r.Reference, r.Supplier, r.PlannedOn, r.PlannedCount, r.ArrivedOn, r.ReceivedCount, delay})
	}
	return t
}

// Stock lays out the stock report: a column per device state.
func Stock(rows []store.StockReportRow) *Table {
	t := &Table{Columns: []string{"region", "connectivity"}}
	for _, st := range traject.DeviceStates {
		t.Columns = append(t.Columns, string(st))
	}
	for _, r := range rows {
		row := []any{r.Region, string(r.Connectivity)}
		for _, st := range traject.DeviceStates {
			row = append(row, r.States[st])
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Reach lays out the reach report.
func Reach(rows []store.ReachRow) *Table {
	t := &Table{Columns: []string{"region", "course", "starts_on", "enrolled", "reached_online", "reached_onsite", "not_reached", "phoned"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Region, r.Course, r.StartsOn, r.Enrolled, r.ReachedOnline, r.ReachedOnsite, r.NotReached, r.Phoned})
	}
	return t
}

// Barriers lays out the barriers report.
func Barriers(rows []store.BarrierRow) *Table {
	t := &Table{Columns: []string{"category", "resource_kind", "resource", "open", "resolved"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{string(r.Category), string(r.ResourceKind), r.Resource, r.Open, r.Resolved})
	}
	return t
}

// Summary lays out the summary report.
func Summary(rows []store.SummaryRow) *Table {
	t := &Table{Columns: []string{"figure", "value"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Figure, r.Value})
	}
	return t
}

// Text is a cell as CSV and pages write it: whole numbers as they are, an
// average with one decimal and a '.', an empty average as "".
func Text(cell any) string {
	switch v := cell.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case *float64:
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 1, 64)
	}
	return ""
}

// Number is a cell's value for a chart: 0 for text and empty cells.
func Number(cell any) float64 {
	switch v := cell.(type) {
	case int64:
		return float64(v)
	case *float64:
		if v != nil {
			return *v
		}
	}
	return 0
}

// Column is the index of a column, -1 when the table has none of that name.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"traject"
	"traject/internal/report"
	"traject/internal/store"
)

// finesOptions are the flags of `traject report fines`.
type finesOptions struct {
	From, To string // YYYY-MM; empty: the twelve months up to this one
	Region   string
	Format   string // table, csv, json or xlsx
}

// runFinesReport writes the fines report: per month, files opened, warnings,
// referrals and fines with their total, once by the month each happened and
// once by the month of the infraction, each beside the same month a year
// before; then the equity view. `traject report fines` dispatches here.
func runFinesReport(ctx context.Context, s *store.Store, o finesOptions, w io.Writer) error {
	if o.To == "" {
		o.To = time.Now().Format("2006-01")
	}
	if o.From == "" {
		if t, err := time.Parse("2006-01", o.To); err == nil {
			o.From = t.AddDate(0, -11, 0).Format("2006-01")
		}
	}
	if o.Region != "" {
		r, ok := traject.ParseRegion(o.Region)
		if !ok {
			return &usageError{fmt.Sprintf("unknown region %q", o.Region)}
		}
		o.Region = r.Code
	}
	st, err := s.FineStats(ctx, store.FineStatsFilter{From: o.From, To: o.To, Region: o.Region})
	if err != nil {
		return err
	}
	switch o.Format {
	case "", "table":
		return finesTable(w, st)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	case "csv":
		return finesCSV(w, st)
	case "xlsx":
		return finesXLSX(w, st)
	}
	return &usageError{fmt.Sprintf("unknown format %q: use table, csv, json or xlsx", o.Format)}
}

func finesTable(w io.Writer, st *traject.FineStats) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Fines %s to %s (year before in brackets)\t\t\t\t\t\t\t\n", st.From, st.To)
	fmt.Fprintln(tw, "view\tmonth\topened\twarnings\treferrals\tfines\ttotal EUR\t")
	for _, r := range report.FinesRows(st) {
		fmt.Fprintf(tw, "%s\t%s\t%d (%d)\t%d (%d)\t%d (%d)\t%d (%d)\t%d (%d)\t\n", r[0], r[1], r[2], r[7], r[3], r[8], r[4], r[9], r[5], r[10], r[6], r[11])
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "dimension\tvalue\tdecided\tfines\ttotal EUR\t\t\t")
	for _, r := range report.FinesEquityRows(st) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t\t\t\n", r...)
	}
	return tw.Flush()
}

func finesCSV(w io.Writer, st *traject.FineStats) error {
	cw := csv.NewWriter(w)
	write := func(cols []string, rows [][]any) {
		_ = cw.Write(cols) // errors surface in cw.Error below
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = fmt.Sprint(v)
			}
			_ = cw.Write(rec)
		}
	}
	write(report.FinesColumns, report.FinesRows(st))
	cw.Flush()
	fmt.Fprintln(w)
	write(report.FinesEquityColumns, report.FinesEquityRows(st))
	cw.Flush()
	return cw.Error()
}

func finesXLSX(w io.Writer, st *traject.FineStats) error {
	enc, err := report.NewXLSXEncoder(w, "fines", report.FinesColumns)
	if err != nil {
		return err
	}
	for _, r := range report.FinesRows(st) {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return enc.Close()
}

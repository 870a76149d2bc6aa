package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/config"
	"traject/internal/report"
	"traject/internal/store"
)

// reportFlags are the options of traject report.
type reportFlags struct {
	from, to, region, format, out, at string
}

// newReportCmd prints or writes a report (DESIGN §3).
func newReportCmd(e env) *cobra.Command {
	var fl reportFlags
	cmd := &cobra.Command{
		Use:   "report NAME [--from YYYY-MM] [--to YYYY-MM] [--region X] [--format table|csv|json|xlsx] [--out FILE] [--at YYYY-MM-DD]",
		Short: "Print or write a report: " + strings.Join(report.Names, ", ") + ", fines",
		Long: "Print or write a report, derived from the records: " + strings.Join(report.Names, ", ") + ", fines.\n" +
			"--from and --to are months (both included; the default is the last twelve months), --region a region's code or name,\n" +
			"--at the day of the stock report (default today). Without --format the format follows --out's extension, else a table.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, e, args[0], fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.from, "from", "", "first month, YYYY-MM")
	f.StringVar(&fl.to, "to", "", "last month, YYYY-MM")
	f.StringVar(&fl.region, "region", "", "one region: ANT BRU LIM OVL VBR WVL or its name")
	f.StringVar(&fl.format, "format", "", "table, csv, json or xlsx")
	f.StringVar(&fl.out, "out", "", "write to this file instead of standard output")
	f.StringVar(&fl.at, "at", "", "the day of the stock report, YYYY-MM-DD")
	config.Flags(f, "db")
	return cmd
}

func runReport(cmd *cobra.Command, e env, name string, fl reportFlags) error {
	if name == "fines" {
		return runFines(cmd, e, fl)
	}
	format, err := reportUsage(name, fl)
	if err != nil {
		return err
	}
	filter, err := reportFilter(fl)
	if err != nil {
		return err
	}
	ctx, s, err := openStore(cmd, e)
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := report.Run(ctx, s, name, filter)
	if err != nil {
		return err
	}
	var buf bytes.Buffer // written whole, so that a failure leaves no half file
	if format == "table" {
		err = writeTable(&buf, t)
	} else {
		err = report.Write(&buf, format, t)
	}
	if err != nil {
		return err
	}
	return writeReport(e, fl.out, buf.Bytes(), " ("+plural(len(t.Rows), "row", "rows")+")")
}

// writeReport prints a report, or writes it whole to out and says so.
func writeReport(e env, out string, b []byte, note string) error {
	if out == "" {
		_, err := e.stdout.Write(b)
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return traject.Errorf(traject.EINVALID, "report.out", "cannot write %s: %v", out, errorCause(err))
	}
	fmt.Fprintf(e.stderr, "wrote %s%s\n", out, note)
	return nil
}

// runFines writes the fines statistics of the enforcement procedure, which
// have two month axes (infraction and decision) and so a shape of their own.
func runFines(cmd *cobra.Command, e env, fl reportFlags) error {
	format, err := reportUsage("fines", fl)
	if err != nil {
		return err
	}
	ctx, s, err := openStore(cmd, e)
	if err != nil {
		return err
	}
	defer s.Close()
	var buf bytes.Buffer
	if err := runFinesReport(ctx, s, finesOptions{From: fl.from, To: fl.to, Region: fl.region, Format: format}, &buf); err != nil {
		return err
	}
	return writeReport(e, fl.out, buf.Bytes(), "")
}

// reportUsage checks how the command was called and returns the format.
func reportUsage(name string, fl reportFlags) (string, error) {
	if !report.Known(name) && name != "fines" {
		return "", &usageError{fmt.Sprintf("there is no report %q; the reports are %s", name, strings.Join(report.Names, ", "))}
	}
	if fl.at != "" && name != "stock" {
		return "", &usageError{"--at is for the stock report only; the others take --from and --to"}
	}
	format := fl.format
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(fl.out)), ".")
		if format != "csv" && format != "json" && format != "xlsx" {
			format = "table"
		}
	}
	switch format {
	case "table", "csv", "json":
	case "xlsx":
		if fl.out == "" {
			return "", &usageError{"an xlsx report needs --out FILE: a spreadsheet is not for the terminal"}
		}
	default:
		return "", &usageError{fmt.Sprintf("--format %q: use table, csv, json or xlsx", format)}
	}
	return format, nil
}

// reportFilter reads the months, region and day; a bad value is rejected
// input (exit 1), named with its flag.
func reportFilter(fl reportFlags) (store.ReportFilter, error) {
	var f store.ReportFilter
	month := func(flag, v string, m *store.Month) error {
		if v == "" {
			return nil
		}
		var err error
		if *m, err = store.ParseMonth(v); err != nil {
			return traject.Errorf(traject.EINVALID, "report.month", "%s: %s", flag, traject.ErrorMessage(err))
		}
		return nil
	}
	if err := month("--from", fl.from, &f.From); err != nil {
		return f, err
	}
	if err := month("--to", fl.to, &f.To); err != nil {
		return f, err
	}
	if fl.at != "" {
		day, ok := traject.ParseDate(fl.at)
		if !ok {
			return f, traject.Errorf(traject.EINVALID, "report.at", "--at: %q is not a day: write it as YYYY-MM-DD", fl.at)
		}
		f.At = day
	}
	f.Region = fl.region
	return f, nil
}

// writeTable prints a report as aligned columns, numbers to the right.
func writeTable(w io.Writer, t *report.Table) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(t.Columns, "\t")+"\t")
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = report.Text(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}

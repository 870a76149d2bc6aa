package api

import (
	"bytes"
	"context"
	"strings"

	"traject"
	"traject/internal/report"
	"traject/internal/store"
)

type reportInput struct {
	Name   string `path:"name" enum:"loans-by-month,device-usage,deliveries,stock,reach,barriers,summary" doc:"The report."`
	From   string `query:"from" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"First month, YYYY-MM (default: eleven months before --to)."`
	To     string `query:"to" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"Last month, YYYY-MM, included (default: this month)."`
	Region string `query:"region" doc:"A region's code or name; regional staff always get their own region."`
	At     string `query:"at" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"The day of the stock report, YYYY-MM-DD (default: today)."`
	Format string `query:"format" enum:"json,csv,xlsx," doc:"json, csv or xlsx; without it the Accept header decides, and JSON is the default."`
	Accept string `header:"Accept"`
}

type reportOutput struct {
	ContentType        string `header:"Content-Type" doc:"application/json, text/csv, or the XLSX media type."`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// reportFile answers one report in the format asked for: JSON
// {"report","from","to","region","columns","rows"}, CSV with a header row,
// or an XLSX workbook, with the same figures in each.
func (s *Server) reportFile(ctx context.Context, in *reportInput) (*reportOutput, error) {
	f, err := reportFilter(in)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	t, err := report.Run(ctx, s.Store, in.Name, f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	format := reportFormat(in.Format, in.Accept)
	var buf bytes.Buffer
	if err := report.Write(&buf, format, t); err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &reportOutput{ContentType: report.ContentType(format), Body: buf.Bytes()}
	if format != "json" {
		out.ContentDisposition = `attachment; filename="` + report.FileName(t, format) + `"`
	}
	return out, nil
}

func reportFilter(in *reportInput) (store.ReportFilter, error) {
	f := store.ReportFilter{Region: in.Region}
	var err error
	if in.From != "" {
		if f.From, err = store.ParseMonth(in.From); err != nil {
			return f, err
		}
	}
	if in.To != "" {
		if f.To, err = store.ParseMonth(in.To); err != nil {
			return f, err
		}
	}
	if in.At != "" {
		day, ok := traject.ParseDate(in.At)
		if !ok {
			return f, traject.Errorf(traject.EINVALID, "report.at", "%q is not a day: write it as YYYY-MM-DD", in.At)
		}
		f.At = day
	}
	return f, nil
}

// reportFormat takes ?format=, else the first file type the Accept header
// names, else JSON.
func reportFormat(format, accept string) string {
	if format != "" {
		return format
	}
	for _, part := range strings.Split(accept, ",") {
		media := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		for _, f := range report.Formats {
			if media == strings.SplitN(report.ContentType(f), ";", 2)[0] {
				return f
			}
		}
	}
	return "json"
}

package web

import (
	"html/template"
	"net/http"
	"net/url"

	"traject"
	"traject/internal/report"
	"traject/internal/store"
)

// reportView is one report's page: the filter form, the chart, the table,
// its definition and the download links.
type reportView struct {
	Name      string
	Form      reportForm
	Regions   []traject.Region
	Table     *report.Table
	Cells     [][]string // the table's cells as text
	Chart     template.HTML
	Downloads []reportDownload
}

// reportForm is the filter as typed, kept on an error.
type reportForm struct {
	From, To, Region, At string
}

type reportDownload struct {
	Format, URL string
}

func (s *Server) reportIndex(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "report_index", s.newPage(r, "report.index.title", report.Names))
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if !report.Known(name) {
		return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "page not found")
	}
	v := &reportView{Name: name, Regions: traject.Regions, Form: reportFormOf(r)}
	p := s.newPage(r, "report."+name+".title", v)
	t, err := s.runReport(r, name, v.Form)
	if err != nil {
		return s.reportFormError(w, r, p, err, "report")
	}
	v.Table, v.Chart = t, s.reportChart(r, t)
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = report.Text(c)
		}
		v.Cells = append(v.Cells, cells)
	}
	for _, f := range report.Formats {
		q := r.URL.Query()
		q.Del("lang")
		q.Set("format", f)
		v.Downloads = append(v.Downloads, reportDownload{Format: f, URL: "/api/v1/reports/" + name + "?" + q.Encode()})
	}
	return s.render(w, r, http.StatusOK, "report", p)
}

func reportFormOf(r *http.Request) reportForm {
	q := r.URL.Query()
	return reportForm{From: q.Get("from"), To: q.Get("to"), Region: q.Get("region"), At: q.Get("at")}
}

// runReport reads the form's filter and runs the report.
func (s *Server) runReport(r *http.Request, name string, form reportForm) (*report.Table, error) {
	f := store.ReportFilter{Region: form.Region}
	var err error
	if form.From != "" {
		if f.From, err = store.ParseMonth(form.From); err != nil {
			return nil, fieldErr("from", err)
		}
	}
	if form.To != "" {
		if f.To, err = store.ParseMonth(form.To); err != nil {
			return nil, fieldErr("to", err)
		}
	}
	if form.At != "" {
		day, ok := traject.ParseDate(form.At)
		if !ok {
			return nil, traject.Errorf(traject.EINVALID, "report.at", "%q is not a day: write it as YYYY-MM-DD", form.At)
		}
		f.At = day
	}
	return report.Run(r.Context(), s.Store, name, f)
}

// isInputError reports whether err is about the filter as typed.
func isInputError(err error) bool {
	return traject.ErrorCode(err) == traject.EINVALID
}

// fieldErr ties an error to a form field, for the error summary's link.
func fieldErr(field string, err error) error {
	e, ok := traject.AsError(err)
	if !ok {
		return err
	}
	return &traject.Error{Code: e.Code, Key: "error.invalid", Message: e.Message,
		Fields: []traject.FieldError{{Field: field, Key: e.Key, Message: e.Message}}}
}

// reportChart draws the report's chart with the page's words.
func (s *Server) reportChart(r *http.Request, t *report.Table) template.HTML {
	loc := s.localizer(r)
	var names []string
	for _, series := range report.Charts[t.Name].Series {
		names = append(names, loc.T("report.series."+series[0]))
	}
	svg := report.ChartSVG(t, loc.T("report.chart.title", "Name", loc.T("report."+t.Name+".title")), loc.T("report.chart.desc"), names)
	return template.HTML(svg) // built from escaped text only (report.ChartSVG)
}

// reportQuery keeps a filter in a link.
func reportQuery(form reportForm) string {
	q := url.Values{}
	for k, v := range map[string]string{"from": form.From, "to": form.To, "region": form.Region} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

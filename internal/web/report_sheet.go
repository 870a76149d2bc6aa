package web

import (
	"bytes"
	"net/http"

	"traject"
	"traject/internal/report"
)

// sheetView is the answer sheet page: the filter and the sheet in Dutch.
type sheetView struct {
	Form    reportForm
	Query   string
	Regions []traject.Region
	Sheet   report.Sheet
}

// answerSheet shows the sheet that answers the parliament's questions for a
// period: summary, deliveries, device usage and loans by month, in Dutch,
// whatever the page's language, with the definitions under each table.
func (s *Server) answerSheet(w http.ResponseWriter, r *http.Request) error {
	form := reportFormOf(r)
	v := &sheetView{Form: form, Query: reportQuery(form), Regions: traject.Regions}
	p := s.newPage(r, "report.sheet.title", v)
	sh, err := s.buildSheet(r, form)
	if err != nil {
		return s.reportFormError(w, r, p, err, "report_sheet")
	}
	v.Sheet = sh
	return s.render(w, r, http.StatusOK, "report_sheet", p)
}

// answerSheetPDF is the same sheet as a PDF to print or send.
func (s *Server) answerSheetPDF(w http.ResponseWriter, r *http.Request) error {
	sh, err := s.buildSheet(r, reportFormOf(r))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteSheetPDF(&buf, sh); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="antwoordblad.pdf"`)
	_, err = buf.WriteTo(w)
	return err
}

func (s *Server) buildSheet(r *http.Request, form reportForm) (report.Sheet, error) {
	nl := s.I18n.Localizer("nl")
	sh := report.Sheet{Title: nl.T("report.sheet.title"), Intro: nl.T("report.sheet.intro")}
	for _, name := range report.SheetNames {
		t, err := s.runReport(r, name, form)
		if err != nil {
			return sh, err
		}
		sec := report.SheetSection{Title: nl.T("report." + name + ".title"), Definition: nl.T("report." + name + ".definition")}
		for _, c := range t.Columns {
			sec.Columns = append(sec.Columns, nl.T("report.col."+c))
		}
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = report.Text(c)
			}
			sec.Rows = append(sec.Rows, cells)
		}
		sh.Sections = append(sh.Sections, sec)
	}
	return sh, nil
}

// reportFormError re-renders a report page with 422 for a bad filter.
func (s *Server) reportFormError(w http.ResponseWriter, r *http.Request, p *page, err error, tmpl string) error {
	if !isInputError(err) {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, tmpl, s.withErrors(r, p, err, "from"))
}

package web

import (
	"net/http"

	"traject"
)

// reportPages are the report page templates.
var reportPages = []string{"report_index", "report", "report_sheet"}

// reportRoutes adds the report pages.
func (s *Server) reportRoutes(mux *http.ServeMux) {
	read := string(traject.PermReportsRead)
	mux.Handle("GET /reports", s.handle(read, s.reportIndex))
	mux.Handle("GET /reports/answer-sheet", s.handle(read, s.answerSheet))
	mux.Handle("GET /reports/answer-sheet.pdf", s.handle(read, s.answerSheetPDF))
	mux.Handle("GET /reports/{name}", s.handle(read, s.reportPage))
}

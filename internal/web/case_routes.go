package web

import (
	"net/http"

	"traject"
)

// casePages are the page templates of this area.
var casePages = []string{"case_list", "case_new", "case", "case_report"}

// caseRoutes adds this area's pages: the infraction files with their
// proposals and refusals, one file with its evidence and the procedure's
// forms, its letters as PDF, and the fines report.
func (s *Server) caseRoutes(mux *http.ServeMux) {
	read, write := string(traject.PermCasesRead), string(traject.PermCasesWrite)
	mux.Handle("GET /cases", s.handle(read, s.caseList))
	mux.Handle("GET /cases/new", s.handle(write, s.caseNew))
	mux.Handle("POST /cases", s.handle(write, s.caseCreate))
	mux.Handle("GET /cases/{id}", s.handle(read, s.caseFile))
	mux.Handle("POST /cases/{id}/signoffs", s.handle(write, s.caseSignOff))
	mux.Handle("POST /cases/{id}/steps/{step}", s.handle(write, s.caseStep))
	mux.Handle("GET /cases/{id}/letters/{letter}", s.handle(read, s.caseLetter))
	mux.Handle("GET /reports/fines", s.handle(string(traject.PermReportsRead), s.finesReport))
}

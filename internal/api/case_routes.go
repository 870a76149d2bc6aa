package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
)

// caseRoutes registers this area's operations: infraction files and their
// procedure, and the fines statistics (to be served as reports/fines too).
func (s *Server) caseRoutes() {
	read, write := traject.PermCasesRead, traject.PermCasesWrite
	huma.Register(s.api, s.operation("list-cases", http.MethodGet, "/cases", "Infraction files within the caller's region, newest first", read), s.cases)
	huma.Register(s.api, s.created(s.operation("create-case", http.MethodPost, "/cases", "Open an infraction file; refused while the agency has a cause open in its period", write)), s.createCase)
	huma.Register(s.api, s.operation("get-case", http.MethodGet, "/cases/{id}", "One file with its checklist, open causes, sign-offs and letters", read), s.caseFile)
	huma.Register(s.api, s.operation("take-case-step", http.MethodPost, "/cases/{id}/steps/{step}", "Take one step of the procedure; its deadline is computed and its letter written", write), s.caseStep)
	huma.Register(s.api, s.operation("sign-off-case", http.MethodPost, "/cases/{id}/signoffs", "Sign a file off as the caller; two different staff members are needed", write), s.caseSignOff)
	huma.Register(s.api, s.operation("get-fine-statistics", http.MethodGet, "/fines/statistics", "Fines per month by event and by infraction month, beside the year before, and by group", traject.PermReportsRead), s.fineStats)
	// The fines report beside the others (traject report fines): the same
	// figures; the path is more specific than /reports/{name}, so it wins.
	huma.Register(s.api, s.operation("get-fines-report", http.MethodGet, "/reports/fines", "The fines report: per month by event and by infraction month, beside the year before, and by group", traject.PermReportsRead), s.fineStats)
}

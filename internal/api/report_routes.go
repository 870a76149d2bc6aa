package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
)

// reportRoutes registers the report operations.
func (s *Server) reportRoutes() {
	huma.Register(s.api, s.operation("get-report", http.MethodGet, "/reports/{name}",
		"A report derived from the records, as JSON, CSV or XLSX (?format= or the Accept header)", traject.PermReportsRead), s.reportFile)
}

package web

import "net/http"

// reportPages are the report page templates.
var reportPages = []string{}

// reportRoutes adds the report pages.
func (s *Server) reportRoutes(mux *http.ServeMux) {}

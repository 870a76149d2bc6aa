package web

import "net/http"

// casePages are the page templates of this area.
var casePages = []string{}

// caseRoutes adds this area's pages.
func (s *Server) caseRoutes(mux *http.ServeMux) {}

package web

import "net/http"

// deskPages are the lending desk's page templates.
var deskPages = []string{}

// deskRoutes adds the lending desk's pages.
func (s *Server) deskRoutes(mux *http.ServeMux) {}

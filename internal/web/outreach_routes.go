package web

import "net/http"

// outreachPages are the page templates of this area.
var outreachPages = []string{}

// outreachRoutes adds this area's pages.
func (s *Server) outreachRoutes(mux *http.ServeMux) {}

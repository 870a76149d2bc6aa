package web

import "net/http"

// mijnPages are the learner's own page templates, under /mijn/.
var mijnPages = []string{}

// mijnRoutes adds the learner's own pages.
func (s *Server) mijnRoutes(mux *http.ServeMux) {}

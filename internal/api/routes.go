package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
)

// routes lists every operation of the API: the one place that says which
// permission each needs.
func (s *Server) routes(mux *http.ServeMux) {
	huma.Register(s.api, s.operation("get-me", http.MethodGet, "/me", "The signed-in staff member", ""), s.me)
	huma.Register(s.api, s.operation("list-regions", http.MethodGet, "/regions", "The six regions", traject.PermRegionsRead), s.regions)
	mux.HandleFunc(Prefix+"/", s.notFound)
}

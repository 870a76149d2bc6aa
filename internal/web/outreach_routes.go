package web

import (
	"net/http"

	"traject"
)

// outreachPages are the page templates of this area.
var outreachPages = []string{"outreach_list", "outreach", "outreach_calllist", "outreach_target"}

// outreachRoutes adds this area's pages: the campaigns, a campaign's
// progress and call lists, and one learner's calls. The store scopes every
// target to the actor's region.
func (s *Server) outreachRoutes(mux *http.ServeMux) {
	read, write := string(traject.PermOutreachRead), string(traject.PermOutreachWrite)
	mux.Handle("GET /outreach", s.handle(read, s.outreachList))
	mux.Handle("POST /outreach", s.handle(write, s.createCampaign))
	mux.Handle("GET /outreach/{id}", s.handle(read, s.outreachCampaign))
	mux.Handle("GET /outreach/{id}/lists/{lang}", s.handle(read, s.outreachCallList))
	mux.Handle("GET /outreach/targets/{id}", s.handle(read, s.outreachTarget))
	mux.Handle("POST /outreach/targets/{id}/calls", s.handle(write, s.recordCall))
}

package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
)

// outreachRoutes registers this area's operations: campaigns with their
// progress and call lists, and the calls to one target. The store scopes
// every target to the caller's region.
func (s *Server) outreachRoutes() {
	read, write := traject.PermOutreachRead, traject.PermOutreachWrite
	huma.Register(s.api, s.operation("list-outreach-campaigns", http.MethodGet, "/outreach/campaigns", "Outreach campaigns the caller sees, newest first", read), s.campaigns)
	huma.Register(s.api, s.created(s.operation("create-outreach-campaign", http.MethodPost, "/outreach/campaigns", "Start a campaign: the learners that match the criteria become targets, one call list per contact language", write)), s.createCampaign)
	huma.Register(s.api, s.operation("get-outreach-campaign", http.MethodGet, "/outreach/campaigns/{id}", "One campaign with its progress and call lists", read), s.campaign)
	huma.Register(s.api, s.operation("get-outreach-call-list", http.MethodGet, "/outreach/campaigns/{id}/lists/{language}", "One call list: due today first", read), s.callList)
	huma.Register(s.api, s.conflicts(s.created(s.operation("record-outreach-call", http.MethodPost, "/outreach/targets/{id}/calls", "Record a call and its outcome; an outcome that needs action creates it in the same transaction", write))), s.recordCall)
}

package api

import (
	"context"

	"traject"
	"traject/internal/store"
)

// StaffMember is a staff account as the API shows it.
type StaffMember struct {
	ID     int64        `json:"id"`
	Email  string       `json:"email"`
	Name   string       `json:"name"`
	Role   traject.Role `json:"role"`
	Region string       `json:"region,omitempty" doc:"Region code; absent for national roles."`
	Active bool         `json:"active"`
}

type usersInput struct {
	Role   string `query:"role" enum:"admin,analyst,coordinator,desk,counsellor,teacher,enforcement" doc:"Only accounts with this role."`
	Region string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only accounts of this region."`
	Q      string `query:"q" maxLength:"100" doc:"Part of the name or e-mail address."`
}

type usersOutput struct {
	Body struct {
		Items []StaffMember `json:"items"`
	}
}

// users lists staff accounts; a regional role sees only its own region's.
func (s *Server) users(ctx context.Context, in *usersInput) (*usersOutput, error) {
	list, err := s.Store.Users(ctx, store.UserFilter{Role: traject.Role(in.Role), RegionCode: in.Region, Query: in.Q})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &usersOutput{}
	out.Body.Items = make([]StaffMember, 0, len(list))
	for _, u := range list {
		out.Body.Items = append(out.Body.Items, StaffMember{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Region: u.RegionCode, Active: u.Active})
	}
	return out, nil
}

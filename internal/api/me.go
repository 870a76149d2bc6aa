package api

import (
	"context"

	"traject"
)

// Me is the staff member behind the token or session.
type Me struct {
	ID          int64                `json:"id"`
	Email       string               `json:"email"`
	Name        string               `json:"name"`
	Role        traject.Role         `json:"role" enum:"admin,analyst,coordinator,desk,counsellor,teacher,enforcement"`
	Region      string               `json:"region,omitempty" doc:"Region code; absent for national roles."`
	Language    string               `json:"language"`
	Permissions []traject.Permission `json:"permissions"`
}

type meOutput struct{ Body Me }

func (s *Server) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	u := traject.UserFromContext(ctx)
	return &meOutput{Body: Me{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Region: u.RegionCode,
		Language: u.Language, Permissions: u.Role.Permissions()}}, nil
}

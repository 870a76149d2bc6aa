package api

import (
	"context"

	"traject"
)

type regionsOutput struct {
	Body struct {
		Items []traject.Region `json:"items"`
	}
}

func (s *Server) regions(ctx context.Context, _ *struct{}) (*regionsOutput, error) {
	regions, err := s.Store.Regions(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &regionsOutput{}
	out.Body.Items = regions
	return out, nil
}

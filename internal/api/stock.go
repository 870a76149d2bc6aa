package api

import (
	"context"
	"time"

	"traject"
)

var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC // unreachable: internal/i18n embeds the zone database
	}
	return loc
}()

// StockLine counts one region's devices of one connectivity by state.
type StockLine struct {
	Region       string         `json:"region"`
	Connectivity string         `json:"connectivity" enum:"wifi,4g"`
	States       map[string]int `json:"states" doc:"Count per device state; states without devices are 0."`
	Total        int            `json:"total"`
}

type stockOutput struct {
	Body struct {
		Items []StockLine `json:"items"`
	}
}

// stock answers per region and connectivity, by state, within the caller's region.
func (s *Server) stock(ctx context.Context, _ *struct{}) (*stockOutput, error) {
	rows, err := s.Store.Stock(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &stockOutput{}
	out.Body.Items = []StockLine{}
	index := map[string]int{}
	for _, r := range rows {
		key := r.Region + "/" + string(r.Connectivity)
		i, ok := index[key]
		if !ok {
			line := StockLine{Region: r.Region, Connectivity: string(r.Connectivity), States: map[string]int{}}
			for _, st := range traject.DeviceStates {
				line.States[string(st)] = 0
			}
			out.Body.Items = append(out.Body.Items, line)
			i = len(out.Body.Items) - 1
			index[key] = i
		}
		out.Body.Items[i].States[string(r.State)] += r.Count
		out.Body.Items[i].Total += r.Count
	}
	return out, nil
}

package api

import (
	"context"
	"strconv"
	"time"

	"traject"
	"traject/internal/store"
)

// Barrier is a reported barrier as the API shows it.
type Barrier struct {
	ID           int64     `json:"id" doc:"The barrier's key."`
	ResourceKind string    `json:"resource_kind" enum:"software,website,material"`
	Resource     string    `json:"resource"`
	MaterialID   int64     `json:"material_id,omitempty" doc:"The material in the catalogue, when it is one."`
	Category     string    `json:"category" enum:"language,literacy,accessibility,device,connectivity,account,cost"`
	Severity     string    `json:"severity" enum:"low,medium,high,blocking"`
	Description  string    `json:"description"`
	Status       string    `json:"status" enum:"open,in_progress,resolved,wont_fix"`
	Reporter     string    `json:"reporter"`
	Region       string    `json:"region" doc:"Region code."`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func barrierOut(b *traject.Barrier) Barrier {
	return Barrier{ID: b.ID, ResourceKind: string(b.Kind), Resource: b.Resource, MaterialID: b.MaterialID,
		Category: string(b.Category), Severity: string(b.Severity), Description: b.Description, Status: string(b.Status),
		Reporter: b.Reporter, Region: b.RegionCode, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

type barriersInput struct {
	Region     string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles; regional roles always get their own)."`
	Status     string `query:"status" enum:"open,in_progress,resolved,wont_fix"`
	Category   string `query:"category" enum:"language,literacy,accessibility,device,connectivity,account,cost"`
	Severity   string `query:"severity" enum:"low,medium,high,blocking"`
	MaterialID int64  `query:"material_id" minimum:"0" doc:"Only the barriers on this material."`
	After      int64  `query:"after" minimum:"0" doc:"Keyset: the 'next' value of the previous page."`
	Limit      int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type barriersOutput struct {
	Body struct {
		Items []Barrier `json:"items"`
		Next  int64     `json:"next,omitempty" doc:"Pass as 'after' for the next page; absent on the last page."`
	}
}

func (s *Server) barriers(ctx context.Context, in *barriersInput) (*barriersOutput, error) {
	page, err := s.Store.Barriers(ctx, store.BarrierFilter{Region: in.Region, Status: traject.BarrierStatus(in.Status),
		Category: traject.BarrierCategory(in.Category), Severity: traject.BarrierSeverity(in.Severity),
		MaterialID: in.MaterialID, After: in.After, Limit: in.Limit})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &barriersOutput{}
	out.Body.Items = make([]Barrier, 0, len(page.Barriers))
	for i := range page.Barriers {
		out.Body.Items = append(out.Body.Items, barrierOut(&page.Barriers[i]))
	}
	out.Body.Next = page.Next
	return out, nil
}

type barrierInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type barrierOutput struct {
	Body Barrier
}

func (s *Server) barrier(ctx context.Context, in *barrierInput) (*barrierOutput, error) {
	b, err := s.Store.Barrier(ctx, in.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &barrierOutput{Body: barrierOut(b)}, nil
}

type createBarrierInput struct {
	Body struct {
		ResourceKind string `json:"resource_kind,omitempty" required:"false" doc:"software, website or material; material when material_id is given."`
		Resource     string `json:"resource,omitempty" required:"false" maxLength:"200" doc:"Its name; a catalogue material's title when left out."`
		MaterialID   int64  `json:"material_id,omitempty" required:"false" minimum:"0" doc:"The material in the catalogue, if it is one."`
		Category     string `json:"category" doc:"language, literacy, accessibility, device, connectivity, account or cost"`
		Severity     string `json:"severity" doc:"low, medium, high or blocking"`
		Description  string `json:"description" maxLength:"4000"`
		Region       string `json:"region,omitempty" required:"false" doc:"Region code or name: required for national roles; a regional role reports for its own region."`
	}
}

type createdBarrierOutput struct {
	Location string `header:"Location"`
	Body     Barrier
}

func (s *Server) createBarrier(ctx context.Context, in *createBarrierInput) (*createdBarrierOutput, error) {
	b := in.Body
	nb := &traject.Barrier{Kind: traject.BarrierResource(b.ResourceKind), Resource: b.Resource, MaterialID: b.MaterialID,
		Category: traject.BarrierCategory(b.Category), Severity: traject.BarrierSeverity(b.Severity), Description: b.Description, RegionCode: b.Region}
	if err := s.Store.CreateBarrier(ctx, nb); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdBarrierOutput{Location: Prefix + "/barriers/" + strconv.FormatInt(nb.ID, 10), Body: barrierOut(nb)}, nil
}

type barrierStatusInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Status string `json:"status" doc:"open, in_progress, resolved or wont_fix"`
		Note   string `json:"note,omitempty" required:"false" maxLength:"2000" doc:"Required to close a barrier (resolved, wont_fix) or to open a closed one again."`
	}
}

func (s *Server) setBarrierStatus(ctx context.Context, in *barrierStatusInput) (*barrierOutput, error) {
	b, err := s.Store.SetBarrierStatus(ctx, in.ID, traject.BarrierStatus(in.Body.Status), in.Body.Note)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &barrierOutput{Body: barrierOut(b)}, nil
}

type barrierSummaryInput struct {
	Region string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles; regional roles always get their own)."`
	From   string `query:"from" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"Reported on or after this day (in Brussels), YYYY-MM-DD."`
	To     string `query:"to" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"Reported before this day (in Brussels), YYYY-MM-DD."`
}

type barrierSummaryOutput struct {
	Body traject.BarrierSummary
}

func (s *Server) barrierSummary(ctx context.Context, in *barrierSummaryInput) (*barrierSummaryOutput, error) {
	f := store.BarrierSummaryFilter{Region: in.Region}
	var err error
	if f.From, err = brusselsDay("from", in.From); err != nil {
		return nil, s.problem(ctx, err)
	}
	if f.To, err = brusselsDay("to", in.To); err != nil {
		return nil, s.problem(ctx, err)
	}
	sum, err := s.Store.BarrierSummary(ctx, f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &barrierSummaryOutput{Body: *sum}, nil
}

// brusselsDay reads a YYYY-MM-DD day as its first instant in Brussels, where
// the programme's days and months are counted; "" is no bound.
func brusselsDay(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, ok := traject.ParseDate(s)
	if !ok {
		return time.Time{}, fieldError(field, "barriers.date.invalid", "write a real date as YYYY-MM-DD")
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, brussels), nil
}

package api

import (
	"context"
	"strconv"
	"time"

	"traject"
	"traject/internal/store"
)

// Material is a learning material as the API shows it.
type Material struct {
	ID           int64            `json:"id" doc:"The material's key."`
	Title        string           `json:"title"`
	Link         string           `json:"link" format:"uri"`
	Type         string           `json:"type" enum:"module,exercise,method,video"`
	Theme        string           `json:"theme"`
	Languages    []string         `json:"languages" doc:"ISO 639-1 codes, sorted."`
	Track        string           `json:"track" enum:"basic,standard,intensive,any"`
	WorksOffline bool             `json:"works_offline"`
	Submitter    string           `json:"submitter" doc:"Who proposed it."`
	Status       string           `json:"status" enum:"submitted,approved,rejected"`
	CreatedAt    time.Time        `json:"created_at"`
	Reviews      []MaterialReview `json:"reviews,omitempty" doc:"Newest first; only on a single material."`
}

// MaterialReview is one review of a material.
type MaterialReview struct {
	Reviewer      string    `json:"reviewer"`
	LanguageLevel bool      `json:"language_level" doc:"The language level suits the learners."`
	Accessible    bool      `json:"accessible"`
	Chromebook    bool      `json:"chromebook" doc:"Works on a Chromebook."`
	MobileData    bool      `json:"mobile_data" doc:"Works on mobile data, without Wi-Fi."`
	Decision      string    `json:"decision" enum:"approved,rejected"`
	Notes         string    `json:"notes,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

func materialOut(m *traject.Material) Material {
	out := Material{ID: m.ID, Title: m.Title, Link: m.Link, Type: string(m.Type), Theme: m.Theme, Languages: m.Languages,
		Track: string(m.Track), WorksOffline: m.WorksOffline, Submitter: m.Submitter, Status: string(m.Status), CreatedAt: m.CreatedAt}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	for _, r := range m.Reviews {
		out.Reviews = append(out.Reviews, MaterialReview{Reviewer: r.Reviewer, LanguageLevel: *r.LanguageLevel, Accessible: *r.Accessible,
			Chromebook: *r.Chromebook, MobileData: *r.MobileData, Decision: string(r.Decision), Notes: r.Notes, CreatedAt: r.CreatedAt})
	}
	return out
}

func materialLocation(id int64) string { return Prefix + "/materials/" + strconv.FormatInt(id, 10) }

type materialsInput struct {
	Type     string `query:"type" enum:"module,exercise,method,video"`
	Track    string `query:"track" enum:"basic,standard,intensive,any" doc:"A course track also finds the materials for any track."`
	Language string `query:"language" pattern:"^[a-z]{2}$" doc:"An ISO 639-1 code."`
	Status   string `query:"status" enum:"submitted,approved,rejected"`
	After    int64  `query:"after" minimum:"0" doc:"Keyset: the 'next' value of the previous page."`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type materialsOutput struct {
	Body struct {
		Items []Material `json:"items"`
		Next  int64      `json:"next,omitempty" doc:"Pass as 'after' for the next page; absent on the last page."`
	}
}

func (s *Server) materials(ctx context.Context, in *materialsInput) (*materialsOutput, error) {
	page, err := s.Store.Materials(ctx, store.MaterialFilter{Type: traject.MaterialType(in.Type), Track: traject.MaterialTrack(in.Track),
		Language: in.Language, Status: traject.MaterialStatus(in.Status), After: in.After, Limit: in.Limit})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &materialsOutput{}
	out.Body.Items = make([]Material, 0, len(page.Materials))
	for i := range page.Materials {
		out.Body.Items = append(out.Body.Items, materialOut(&page.Materials[i]))
	}
	out.Body.Next = page.Next
	return out, nil
}

type materialInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type materialOutput struct {
	Body Material
}

func (s *Server) material(ctx context.Context, in *materialInput) (*materialOutput, error) {
	m, err := s.Store.Material(ctx, in.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &materialOutput{Body: materialOut(m)}, nil
}

type createMaterialInput struct {
	Body struct {
		Title        string   `json:"title" maxLength:"200"`
		Link         string   `json:"link" maxLength:"2000" doc:"An http or https address; one material per address."`
		Type         string   `json:"type" doc:"module, exercise, method or video"`
		Theme        string   `json:"theme" maxLength:"100"`
		Languages    []string `json:"languages" maxItems:"20" doc:"ISO 639-1 codes."`
		Track        string   `json:"track" doc:"basic, standard, intensive or any"`
		WorksOffline bool     `json:"works_offline"`
	}
}

type createdMaterialOutput struct {
	Location string `header:"Location"`
	Body     Material
}

func (s *Server) createMaterial(ctx context.Context, in *createMaterialInput) (*createdMaterialOutput, error) {
	b := in.Body
	m := &traject.Material{Title: b.Title, Link: b.Link, Type: traject.MaterialType(b.Type), Theme: b.Theme,
		Languages: b.Languages, Track: traject.MaterialTrack(b.Track), WorksOffline: b.WorksOffline}
	if err := s.Store.CreateMaterial(ctx, m); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdMaterialOutput{Location: materialLocation(m.ID), Body: materialOut(m)}, nil
}

type reviewMaterialInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		LanguageLevel *bool  `json:"language_level" required:"false" doc:"Does the language level suit the learners? Required for a decision."`
		Accessible    *bool  `json:"accessible" required:"false" doc:"Is it accessible? Required for a decision."`
		Chromebook    *bool  `json:"chromebook" required:"false" doc:"Does it work on a Chromebook? Required for a decision."`
		MobileData    *bool  `json:"mobile_data" required:"false" doc:"Does it work on mobile data? Required for a decision."`
		Decision      string `json:"decision" doc:"approved or rejected"`
		Notes         string `json:"notes,omitempty" required:"false" maxLength:"2000" doc:"Required to reject, and to approve a material that fails a criterion."`
	}
}

// reviewMaterial records a review; the answer is the material with its
// reviews, at the material's address.
func (s *Server) reviewMaterial(ctx context.Context, in *reviewMaterialInput) (*createdMaterialOutput, error) {
	b := in.Body
	r := &traject.MaterialReview{LanguageLevel: b.LanguageLevel, Accessible: b.Accessible, Chromebook: b.Chromebook,
		MobileData: b.MobileData, Decision: traject.MaterialStatus(b.Decision), Notes: b.Notes}
	m, err := s.Store.ReviewMaterial(ctx, in.ID, r)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdMaterialOutput{Location: materialLocation(m.ID), Body: materialOut(m)}, nil
}

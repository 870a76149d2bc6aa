package api

import (
	"context"
	"time"

	"traject"
)

// Assessment is a needs assessment (intake) as the API shows it.
type Assessment struct {
	ID           int64                 `json:"id"`
	Learner      string                `json:"learner" doc:"The learner's reference."`
	AssessedOn   string                `json:"assessed_on" format:"date"`
	DeviceAccess string                `json:"device_access" enum:"none,smartphone_only,shared_computer,own_computer"`
	Internet     string                `json:"internet" enum:"none,mobile_data,wifi"`
	Skills       traject.DigitalSkills `json:"skills"`
	SkillsScore  int                   `json:"skills_score" doc:"How many of the five skills the learner has."`
	Literacy     string                `json:"literacy" enum:"literate_latin,literate_other_script,low_literate"`
	Education    string                `json:"education" enum:"none,primary,secondary,higher"`
	DutchLevel   string                `json:"dutch_level" enum:"none,A1,A2,B1,B2,C1,C2"`
	Languages    []string              `json:"languages" doc:"ISO 639-1 codes."`
	Author       string                `json:"author"`
	CreatedAt    time.Time             `json:"created_at"`
}

func assessmentOut(a *traject.Assessment) Assessment {
	return Assessment{ID: a.ID, Learner: a.LearnerRef, AssessedOn: dateOut(a.AssessedOn), DeviceAccess: string(a.DeviceAccess),
		Internet: string(a.Internet), Skills: a.Skills, SkillsScore: a.Skills.Score(), Literacy: string(a.Literacy),
		Education: string(a.Education), DutchLevel: string(a.DutchLevel), Languages: a.Languages, Author: a.Author, CreatedAt: a.CreatedAt}
}

// Placement is a recommendation with its reasons in words and, when a staff
// member chose otherwise, the override that holds.
type Placement struct {
	ID           int64                      `json:"id"`
	Learner      string                     `json:"learner" doc:"The learner's reference."`
	AssessmentID int64                      `json:"assessment_id" doc:"The assessment it was made from."`
	RulesVersion int                        `json:"rules_version" doc:"The version of the placement rules that made it; a newer version never changes it."`
	Recommended  traject.PlacementOutcome   `json:"recommended"`
	Final        traject.PlacementOutcome   `json:"final" doc:"What holds: the override when there is one, else the recommendation."`
	Reasons      []PlacementReason          `json:"reasons" doc:"One per decision of the recommendation."`
	Override     *traject.PlacementOverride `json:"override,omitempty"`
	CreatedBy    string                     `json:"created_by"`
	CreatedAt    time.Time                  `json:"created_at"`
}

// PlacementReason explains one decision, in the language the client asked
// for (Accept-Language), with the rule and catalog key behind it.
type PlacementReason struct {
	Field string `json:"field" enum:"track,mode,pretrack,loan"`
	Rule  string `json:"rule"`
	Key   string `json:"key"`
	Text  string `json:"text"`
}

func (s *Server) placementOut(ctx context.Context, p *traject.Placement) Placement {
	loc := s.localizer(ctx)
	out := Placement{ID: p.ID, Learner: p.LearnerRef, AssessmentID: p.AssessmentID, RulesVersion: p.RulesVersion,
		Recommended: p.Recommended, Final: p.Final(), Override: p.Override, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt,
		Reasons: make([]PlacementReason, 0, len(p.Reasons))}
	for _, r := range p.Reasons {
		out.Reasons = append(out.Reasons, PlacementReason{Field: r.Field, Rule: r.Rule, Key: r.Key, Text: loc.TMap(r.Key, r.Args)})
	}
	return out
}

type placementInput struct {
	Ref string `path:"ref" maxLength:"32"`
}

type placementOutput struct {
	Body Placement
}

func (s *Server) placement(ctx context.Context, in *placementInput) (*placementOutput, error) {
	p, err := s.Store.Placement(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &placementOutput{Body: s.placementOut(ctx, p)}, nil
}

type assessmentsOutput struct {
	Body struct {
		Items []Assessment `json:"items" doc:"Newest first."`
	}
}

func (s *Server) assessments(ctx context.Context, in *placementInput) (*assessmentsOutput, error) {
	list, err := s.Store.Assessments(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &assessmentsOutput{}
	out.Body.Items = make([]Assessment, 0, len(list))
	for i := range list {
		out.Body.Items = append(out.Body.Items, assessmentOut(&list[i]))
	}
	return out, nil
}

type createAssessmentInput struct {
	Ref  string `path:"ref" maxLength:"32"`
	Body struct {
		AssessedOn   string                `json:"assessed_on,omitempty" required:"false" doc:"YYYY-MM-DD; today when left out."`
		DeviceAccess string                `json:"device_access" enum:"none,smartphone_only,shared_computer,own_computer"`
		Internet     string                `json:"internet" enum:"none,mobile_data,wifi"`
		Skills       traject.DigitalSkills `json:"skills"`
		Literacy     string                `json:"literacy" enum:"literate_latin,literate_other_script,low_literate"`
		Education    string                `json:"education" enum:"none,primary,secondary,higher"`
		DutchLevel   string                `json:"dutch_level" enum:"none,A1,A2,B1,B2,C1,C2"`
		Languages    []string              `json:"languages" minItems:"1" maxItems:"10" doc:"ISO 639-1 codes."`
	}
}

// AssessmentResult is a recorded assessment with the recommendation it led to.
type AssessmentResult struct {
	Assessment Assessment `json:"assessment"`
	Placement  Placement  `json:"placement"`
}

type createdAssessmentOutput struct {
	Location string `header:"Location" doc:"The learner's placement."`
	Body     AssessmentResult
}

func (s *Server) createAssessment(ctx context.Context, in *createAssessmentInput) (*createdAssessmentOutput, error) {
	b := in.Body
	a := &traject.Assessment{DeviceAccess: traject.DeviceAccess(b.DeviceAccess), Internet: traject.Internet(b.Internet),
		Skills: b.Skills, Literacy: traject.Literacy(b.Literacy), Education: traject.Education(b.Education),
		DutchLevel: traject.DutchLevel(b.DutchLevel), Languages: b.Languages}
	a.AssessedOn = today()
	if b.AssessedOn != "" {
		day, ok := traject.ParseDate(b.AssessedOn)
		if !ok {
			return nil, s.problem(ctx, fieldError("assessed_on", "assessment.date.format", "enter the date of the intake as YYYY-MM-DD"))
		}
		a.AssessedOn = day
	}
	p, err := s.Store.RecordAssessment(ctx, in.Ref, a)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdAssessmentOutput{Location: Prefix + "/learners/" + in.Ref + "/placement",
		Body: AssessmentResult{Assessment: assessmentOut(a), Placement: s.placementOut(ctx, p)}}, nil
}

package api

import (
	"context"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"traject"
	"traject/internal/httpx"
	"traject/internal/store"
)

// caseProblem is problem for the infraction files: a refusal of the fairness
// guard lists every cause it found as one detail each, so that a client can
// show them all.
func (s *Server) caseProblem(ctx context.Context, err error) error {
	causes := traject.GuardCauses(err)
	if len(causes) == 0 {
		return s.problem(ctx, err)
	}
	details := make([]error, len(causes))
	for i, c := range causes {
		details[i] = &huma.ErrorDetail{Location: "causes[" + strconv.Itoa(i) + "]", Message: s.localizer(ctx).T("cause." + string(c.Kind)), Value: c}
	}
	return huma.NewError(httpx.Status(err), s.localizer(ctx).Error(err), details...)
}

type casesInput struct {
	State   string `query:"state" enum:"draft,warning_sent,complied,referred,defence,decided,paid,reminded,collected"`
	Learner string `query:"learner" maxLength:"32" doc:"Only this learner's files (reference)."`
	Region  string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles; regional roles always get their own)."`
	Limit   int    `query:"limit" minimum:"1" maximum:"500" default:"200"`
}

type casesOutput struct {
	Body struct {
		Items []traject.InfractionFile `json:"items"`
	}
}

func (s *Server) cases(ctx context.Context, in *casesInput) (*casesOutput, error) {
	files, err := s.Store.InfractionFiles(ctx, store.FileFilter{State: traject.FileState(in.State), Learner: in.Learner, Region: in.Region, Limit: in.Limit})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &casesOutput{}
	out.Body.Items = append(make([]traject.InfractionFile, 0, len(files)), files...)
	return out, nil
}

type createCaseInput struct {
	Body struct {
		Learner string `json:"learner" maxLength:"32" doc:"The learner's reference."`
		Course  string `json:"course,omitempty" required:"false" maxLength:"32"`
		Type    string `json:"type" doc:"late_registration, insufficient_participation, contract_not_signed or course_abandoned"`
		From    string `json:"from" doc:"First day of the period, YYYY-MM-DD."`
		Until   string `json:"until" doc:"Last day of the period, YYYY-MM-DD; the period must be over."`
		Note    string `json:"note,omitempty" required:"false" maxLength:"2000"`
	}
}

type caseOutput struct {
	Body traject.InfractionFile
}

type createdCaseOutput struct {
	Location string `header:"Location"`
	Body     traject.InfractionFile
}

func (s *Server) createCase(ctx context.Context, in *createCaseInput) (*createdCaseOutput, error) {
	b := in.Body
	o := &traject.FileOpening{LearnerRef: b.Learner, CourseRef: b.Course, Type: traject.InfractionType(b.Type), Note: b.Note}
	var v traject.Validation
	var ok bool
	if o.From, ok = traject.ParseDate(b.From); !ok {
		v.Add("from", "date.invalid", "enter a date as YYYY-MM-DD", nil)
	}
	if o.Until, ok = traject.ParseDate(b.Until); !ok {
		v.Add("until", "date.invalid", "enter a date as YYYY-MM-DD", nil)
	}
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	f, err := s.Store.OpenFile(ctx, o)
	if err != nil {
		return nil, s.caseProblem(ctx, err)
	}
	return &createdCaseOutput{Location: Prefix + "/cases/" + strconv.FormatInt(f.ID, 10), Body: *f}, nil
}

type caseInput struct {
	ID int64 `path:"id" minimum:"1"`
}

// caseEvidenceOutput is a file with what it is judged on.
type caseEvidenceOutput struct {
	Body struct {
		traject.InfractionFile
		Checklist []traject.CheckItem       `json:"checklist"`
		Causes    []traject.AgencyCauseOpen `json:"open_causes"`
		SignOffs  []string                  `json:"signoffs" doc:"E-mail addresses of the staff members who signed it off."`
		Letters   []caseLetter              `json:"letters"`
		Summary   store.EvidenceSummary     `json:"participation"`
		NextSteps []traject.FileStep        `json:"next_steps"`
		Proposed  int                       `json:"proposed_fine" doc:"The amount the fine scale proposes, in euro."`
	}
}

type caseLetter struct {
	Kind            traject.LetterKind `json:"kind"`
	SentOn          time.Time          `json:"sent_on"`
	Summary         string             `json:"summary"`
	SummaryLanguage string             `json:"summary_language"`
}

func (s *Server) caseFile(ctx context.Context, in *caseInput) (*caseEvidenceOutput, error) {
	ev, err := s.Store.FileEvidence(ctx, in.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &caseEvidenceOutput{}
	b := &out.Body
	b.InfractionFile, b.Checklist, b.Causes, b.Summary, b.NextSteps, b.Proposed = ev.File, ev.Checklist, ev.Causes, ev.Summary, ev.File.NextSteps(), ev.Proposed
	b.SignOffs, b.Letters = []string{}, []caseLetter{}
	for _, so := range ev.SignOffs {
		b.SignOffs = append(b.SignOffs, so.Email)
	}
	for _, l := range ev.Letters {
		b.Letters = append(b.Letters, caseLetter{Kind: l.Kind, SentOn: l.SentOn, Summary: l.Summary, SummaryLanguage: l.SummaryLanguage})
	}
	return out, nil
}

type caseStepInput struct {
	ID   int64  `path:"id" minimum:"1"`
	Step string `path:"step" enum:"warn,comply,refer,defence,decide,pay,remind,collect"`
	Body struct {
		On      string `json:"on,omitempty" required:"false" doc:"The day of the step, YYYY-MM-DD; today when left out."`
		Text    string `json:"text,omitempty" required:"false" maxLength:"20000" doc:"The learner's written response (defence)."`
		Outcome string `json:"outcome,omitempty" required:"false" enum:"fine,no_fine" doc:"The decision (decide)."`
		Amount  int    `json:"amount,omitempty" required:"false" doc:"The fine in euro, 50 to 5,000 (decide)."`
		Note    string `json:"note,omitempty" required:"false" maxLength:"4000"`
	}
}

func (s *Server) caseStep(ctx context.Context, in *caseStepInput) (*caseOutput, error) {
	b := in.Body
	si := traject.StepInput{Text: b.Text, Decision: traject.Decision{Outcome: traject.Outcome(b.Outcome), Amount: b.Amount, Note: b.Note}}
	if b.On != "" {
		var ok bool
		if si.On, ok = traject.ParseDate(b.On); !ok {
			return nil, s.problem(ctx, &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "bad date",
				Fields: []traject.FieldError{{Field: "on", Key: "date.invalid", Message: "enter a date as YYYY-MM-DD"}}})
		}
	}
	f, err := s.Store.TakeStep(ctx, in.ID, traject.FileStep(in.Step), si)
	if err != nil {
		return nil, s.caseProblem(ctx, err)
	}
	return &caseOutput{Body: *f}, nil
}

func (s *Server) caseSignOff(ctx context.Context, in *caseInput) (*caseEvidenceOutput, error) {
	if err := s.Store.SignOff(ctx, in.ID); err != nil {
		return nil, s.problem(ctx, err)
	}
	return s.caseFile(ctx, in)
}

type fineStatsInput struct {
	From   string `query:"from" required:"true" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"First month, YYYY-MM."`
	To     string `query:"to" required:"true" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"Last month, YYYY-MM."`
	Region string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL"`
}

type fineStatsOutput struct {
	Body traject.FineStats
}

func (s *Server) fineStats(ctx context.Context, in *fineStatsInput) (*fineStatsOutput, error) {
	st, err := s.Store.FineStats(ctx, store.FineStatsFilter{From: in.From, To: in.To, Region: in.Region})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &fineStatsOutput{Body: *st}, nil
}

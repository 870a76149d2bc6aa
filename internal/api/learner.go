package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
	"traject/internal/store"
)

// Learner is a learner as the API shows it: the national number only masked.
type Learner struct {
	Ref                  string `json:"ref" doc:"The learner's natural key: the agency's dossier number."`
	ID                   int64  `json:"id"`
	FirstName            string `json:"first_name"`
	LastName             string `json:"last_name"`
	BirthDate            string `json:"birth_date,omitempty" format:"date"`
	NationalNumberMasked string `json:"national_number_masked,omitempty" doc:"Only the check digits, as ••.••.••-•••.84; see the reveal operation."`
	Phone                string `json:"phone,omitempty"`
	Email                string `json:"email,omitempty"`
	Language             string `json:"language" doc:"ISO 639-1 code of the contact language."`
	Region               string `json:"region" doc:"Region code."`
	OfficeID             int64  `json:"office_id,omitempty"`
	Obligation           string `json:"obligation" enum:"obliged,entitled"`
	Counsellor           string `json:"counsellor,omitempty" doc:"E-mail address of the counsellor."`
	ClosedOn             string `json:"closed_on,omitempty" format:"date" doc:"The day the trajectory closed."`
}

func learnerOut(l *traject.Learner) Learner {
	return Learner{Ref: l.Ref, ID: l.ID, FirstName: l.FirstName, LastName: l.LastName, BirthDate: dateOut(l.BirthDate),
		NationalNumberMasked: l.NationalNumberMasked, Phone: l.Phone, Email: l.Email, Language: l.Language,
		Region: l.RegionCode, OfficeID: l.OfficeID, Obligation: string(l.Obligation), Counsellor: l.Counsellor,
		ClosedOn: dateOut(l.ClosedOn)}
}

type learnersInput struct {
	Q      string `query:"q" maxLength:"100" doc:"The start of a last or first name (case and accents do not matter), or of both, as 'amina el'."`
	Ref    string `query:"ref" maxLength:"32" doc:"An exact reference."`
	Region string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles)."`
	After  string `query:"after" maxLength:"32" doc:"Keyset: the 'next' value of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type learnersOutput struct {
	Body struct {
		Items []Learner `json:"items"`
		Next  string    `json:"next,omitempty" doc:"Pass as 'after' for the next page; absent on the last page."`
	}
}

func (s *Server) learners(ctx context.Context, in *learnersInput) (*learnersOutput, error) {
	if traject.LooksLikeNationalNumber(in.Q) || traject.LooksLikeNationalNumber(in.Ref) {
		// Refused so that clients learn to send numbers in a body; the
		// query string is not logged, and the answer does not repeat it.
		return nil, s.problem(ctx, fieldError("q", "learner.search.nninquery", "send a national number in the body of POST /api/v1/learners/search, never in a URL"))
	}
	return s.learnerPage(ctx, store.LearnerFilter{Name: in.Q, Ref: in.Ref, Region: in.Region, After: in.After, Limit: in.Limit})
}

func (s *Server) learnerPage(ctx context.Context, f store.LearnerFilter) (*learnersOutput, error) {
	page, err := s.Store.Learners(ctx, f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &learnersOutput{}
	out.Body.Items = make([]Learner, 0, len(page.Learners))
	for i := range page.Learners {
		out.Body.Items = append(out.Body.Items, learnerOut(&page.Learners[i]))
	}
	out.Body.Next = page.Next
	return out, nil
}

// searchLearnersInput carries a national number in the body, never in the
// URL, so that it lands in no log, history or proxy.
type searchLearnersInput struct {
	Body struct {
		NationalNumber string `json:"national_number" doc:"The exact national register number or BIS number; dots, dashes and spaces are ignored."`
	}
}

func (s *Server) searchLearners(ctx context.Context, in *searchLearnersInput) (*learnersOutput, error) {
	if in.Body.NationalNumber == "" {
		return nil, s.problem(ctx, fieldError("national_number", "learner.nn.format", "a national number has 11 digits"))
	}
	return s.learnerPage(ctx, store.LearnerFilter{NationalNumber: traject.NationalNumber(in.Body.NationalNumber)})
}

type learnerInput struct {
	Ref string `path:"ref" maxLength:"32"`
}

type learnerOutput struct {
	Body Learner
}

func (s *Server) learner(ctx context.Context, in *learnerInput) (*learnerOutput, error) {
	l, err := s.Store.Learner(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &learnerOutput{Body: learnerOut(l)}, nil
}

// LearnerBody is a new or changed learner as a client sends it.
type LearnerBody struct {
	FirstName      string `json:"first_name" maxLength:"100"`
	LastName       string `json:"last_name" maxLength:"100"`
	BirthDate      string `json:"birth_date" doc:"YYYY-MM-DD."`
	NationalNumber string `json:"national_number,omitempty" required:"false" doc:"Optional; validated (mod 97), kept encrypted, never shown again except by the reveal operation. On a change, leave it out to keep the one on file."`
	Phone          string `json:"phone,omitempty" required:"false" maxLength:"30"`
	Email          string `json:"email,omitempty" required:"false" maxLength:"254"`
	Language       string `json:"language" doc:"ISO 639-1 code, any language: nl, ar, ti, ps ..."`
	Region         string `json:"region" doc:"Region code or name."`
	OfficeID       int64  `json:"office_id,omitempty" required:"false"`
	Obligation     string `json:"obligation" enum:"obliged,entitled"`
	Counsellor     string `json:"counsellor,omitempty" required:"false" doc:"E-mail address of a staff member of the region who follows learners."`
}

// learner reads the body into a learner; a date that cannot be read is a
// field error of its own.
func (b *LearnerBody) learner(ref string) (*traject.Learner, error) {
	l := &traject.Learner{Ref: ref, FirstName: b.FirstName, LastName: b.LastName,
		NationalNumber: traject.NationalNumber(b.NationalNumber), Phone: b.Phone, Email: b.Email, Language: b.Language,
		RegionCode: b.Region, OfficeID: b.OfficeID, Obligation: traject.Obligation(b.Obligation), Counsellor: b.Counsellor}
	if b.BirthDate != "" {
		t, ok := traject.ParseDate(b.BirthDate)
		if !ok {
			return nil, fieldError("birth_date", "date.invalid", "write the date as YYYY-MM-DD")
		}
		l.BirthDate = t
	}
	return l, nil
}

type createLearnerInput struct {
	Body struct {
		Ref string `json:"ref" maxLength:"32" doc:"The agency's dossier number: 3 to 32 letters, digits, dots, dashes or underscores."`
		LearnerBody
	}
}

type createdLearnerOutput struct {
	Location string `header:"Location"`
	Body     Learner
}

func (s *Server) createLearner(ctx context.Context, in *createLearnerInput) (*createdLearnerOutput, error) {
	l, err := in.Body.learner(in.Body.Ref)
	if err == nil {
		err = s.Store.CreateLearner(ctx, l)
	}
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdLearnerOutput{Location: Prefix + "/learners/" + l.Ref, Body: learnerOut(l)}, nil
}

type updateLearnerInput struct {
	Ref  string `path:"ref" maxLength:"32"`
	Body LearnerBody
}

func (s *Server) updateLearner(ctx context.Context, in *updateLearnerInput) (*learnerOutput, error) {
	l, err := in.Body.learner(in.Ref)
	if err == nil {
		err = s.Store.UpdateLearner(ctx, l)
	}
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &learnerOutput{Body: learnerOut(l)}, nil
}

type revealOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Ref            string `json:"ref"`
		NationalNumber string `json:"national_number" doc:"The national number in clear, grouped as YY.MM.DD-SSS.CC."`
	}
}

func (s *Server) revealLearner(ctx context.Context, in *learnerInput) (*revealOutput, error) {
	n, err := s.Store.RevealNationalNumber(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &revealOutput{CacheControl: "no-store"}
	out.Body.Ref, out.Body.NationalNumber = in.Ref, n.Format()
	return out, nil
}

// revealOperation documents that the reveal permission is checked by the
// store, which audits refused attempts too.
func (s *Server) revealOperation() huma.Operation {
	op := s.operation("reveal-learner-national-number", http.MethodPost, "/learners/{ref}/reveal",
		"Show a learner's national number in clear, once; audited", traject.PermLearnersRead)
	op.Description = "Needs the permissions `learners:read` and `learners:reveal`. Every reveal is written to the audit log " +
		"(who, when, which learner; never the number), and so is a refused attempt by a role without `learners:reveal`."
	op.Errors = append(op.Errors, http.StatusNotFound)
	return op
}

package api

import (
	"context"
	"encoding/base64"
	"time"

	"traject"
)

// Agreement is one published version of the loan agreement: the binding
// Dutch template and its translations, with placeholders.
type Agreement struct {
	Version     int               `json:"version"`
	Texts       map[string]string `json:"texts" doc:"Language (nl, en, fr, ar) -> template. Placeholders: {learner} {device} {accessories} {from} {until} {due} {return}."`
	PublishedAt string            `json:"published_at" format:"date-time"`
	PublishedBy string            `json:"published_by,omitempty" doc:"Who published it; empty for the version shipped with Traject."`
}

func agreementOut(a *traject.AgreementVersion) Agreement {
	return Agreement{Version: a.Version, Texts: a.Texts, PublishedAt: a.PublishedAt.UTC().Format(time.RFC3339), PublishedBy: a.PublishedBy}
}

type agreementOutput struct {
	Body Agreement
}

func (s *Server) agreement(ctx context.Context, _ *struct{}) (*agreementOutput, error) {
	a, err := s.Store.CurrentAgreement(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &agreementOutput{Body: agreementOut(a)}, nil
}

type publishAgreementInput struct {
	Body struct {
		Texts map[string]string `json:"texts" maxProperties:"4" doc:"Language -> template; nl (binding) is required, en, fr and ar are the translations."`
	}
}

type publishedAgreementOutput struct {
	Location string `header:"Location"`
	Body     Agreement
}

// publishAgreement publishes a new version; older versions never change, and
// loans accepted under one must accept the new one before a hand-out.
func (s *Server) publishAgreement(ctx context.Context, in *publishAgreementInput) (*publishedAgreementOutput, error) {
	a := &traject.AgreementVersion{Texts: in.Body.Texts}
	if err := s.Store.PublishAgreement(ctx, a); err != nil {
		return nil, s.problem(ctx, underTexts(err))
	}
	return &publishedAgreementOutput{Location: Prefix + "/agreement", Body: agreementOut(a)}, nil
}

// underTexts places the domain's per-language field errors under "texts",
// where they are in the body.
func underTexts(err error) error {
	e, ok := traject.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	moved := *e
	moved.Fields = make([]traject.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = "texts." + f.Field
		moved.Fields[i] = f
	}
	return &moved
}

// LoanAgreement is the agreement in force for one loan as a learner is shown
// it: the binding Dutch text beside the translation, and the hash that an
// acceptance of exactly this text records.
type LoanAgreement struct {
	Version  int    `json:"version"`
	Language string `json:"language" doc:"The language shown beside the Dutch text; nl when the version has no translation in the one asked."`
	Dutch    string `json:"nl" doc:"The binding Dutch text, filled in for this loan."`
	Text     string `json:"text" doc:"The translation; the Dutch text again when the language is nl."`
	Hash     string `json:"text_sha256" doc:"SHA-256 (hex) of the exact text shown: send it back with the acceptance."`
}

type loanAgreementInput struct {
	ID       int64  `path:"id" minimum:"1"`
	Language string `query:"language" enum:"nl,en,fr,ar" default:"nl"`
}

type loanAgreementOutput struct {
	Body LoanAgreement
}

func (s *Server) loanAgreement(ctx context.Context, in *loanAgreementInput) (*loanAgreementOutput, error) {
	t, err := s.Store.LoanAgreement(ctx, in.ID, in.Language)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &loanAgreementOutput{Body: LoanAgreement{Version: t.Version, Language: t.Language, Dutch: t.Dutch, Text: t.Shown, Hash: t.Hash}}, nil
}

// Acceptance is a learner's acceptance of one version of the agreement.
type Acceptance struct {
	ID        int64  `json:"id"`
	Loan      int64  `json:"loan"`
	Version   int    `json:"version"`
	Language  string `json:"language"`
	Hash      string `json:"text_sha256" doc:"SHA-256 of the exact text shown."`
	Method    string `json:"method" enum:"signature,code,paper"`
	TypedName string `json:"typed_name,omitempty"`
	ScanType  string `json:"scan_type,omitempty"`
	Witness   string `json:"witness,omitempty" doc:"The staff member who witnessed it."`
	At        string `json:"accepted_at" format:"date-time"`
}

func acceptanceOut(a *traject.Acceptance) Acceptance {
	return Acceptance{ID: a.ID, Loan: a.LoanID, Version: a.Version, Language: a.Language, Hash: a.TextHash, Method: string(a.Method),
		TypedName: a.TypedName, ScanType: a.ScanType, Witness: a.Witness, At: a.At.UTC().Format(time.RFC3339)}
}

type acceptInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Language   string `json:"language" enum:"nl,en,fr,ar" doc:"The language shown beside the Dutch text."`
		Method     string `json:"method" enum:"signature,code,paper"`
		TypedName  string `json:"typed_name,omitempty" required:"false" maxLength:"200" doc:"The learner's full name, typed when no signature is drawn."`
		Signature  string `json:"signature,omitempty" required:"false" maxLength:"200000" doc:"The drawn signature as an SVG path."`
		TextSHA256 string `json:"text_sha256,omitempty" required:"false" pattern:"^[0-9a-f]{64}$" doc:"The hash of the text shown (from the agreement endpoint); refused with 409 when the text has changed since."`
		ScanBase64 string `json:"scan_base64,omitempty" required:"false" maxLength:"7000000" doc:"For paper: the scan, base64, at most 5 MB."`
		ScanType   string `json:"scan_type,omitempty" required:"false" enum:"application/pdf,image/png,image/jpeg"`
	}
}

type acceptOutput struct {
	Location string `header:"Location"`
	Body     Acceptance
}

// accept records the learner's acceptance of the agreement in force.
func (s *Server) accept(ctx context.Context, in *acceptInput) (*acceptOutput, error) {
	b := in.Body
	a := &traject.Acceptance{Language: b.Language, Method: traject.AcceptanceMethod(b.Method), TypedName: b.TypedName,
		Signature: b.Signature, TextHash: b.TextSHA256, ScanType: b.ScanType}
	if err := scanIn(a, b.ScanBase64); err != nil {
		return nil, s.problem(ctx, err)
	}
	if err := s.Store.Accept(ctx, in.ID, a); err != nil {
		return nil, s.problem(ctx, err)
	}
	if u := traject.UserFromContext(ctx); u != nil {
		a.Witness = u.Email // the store records the witness by id
	}
	return &acceptOutput{Location: loanLocation(in.ID) + "/acceptance", Body: acceptanceOut(a)}, nil
}

type acceptancesOutput struct {
	Body struct {
		Items []Acceptance `json:"items" doc:"Newest first."`
	}
}

func (s *Server) acceptances(ctx context.Context, in *loanInput) (*acceptancesOutput, error) {
	list, err := s.Store.Acceptances(ctx, in.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &acceptancesOutput{}
	out.Body.Items = make([]Acceptance, 0, len(list))
	for _, a := range list {
		out.Body.Items = append(out.Body.Items, acceptanceOut(&a))
	}
	return out, nil
}

// scanIn decodes a paper scan; its type is required with it.
func scanIn(a *traject.Acceptance, scan string) error {
	if scan == "" {
		return nil
	}
	var v traject.Validation
	b, err := base64.StdEncoding.DecodeString(scan)
	if err != nil {
		v.Add("scan_base64", "acceptance.scan.base64", "send the scan as standard base64", nil)
	}
	if a.ScanType == "" {
		v.Add("scan_type", "acceptance.scan.type", "say whether the scan is application/pdf, image/png or image/jpeg", nil)
	}
	a.Scan = b
	return v.Err()
}

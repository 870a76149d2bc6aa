package api

import (
	"context"
	"strconv"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// Loan is a loan as the API shows it: one record from reservation to return.
type Loan struct {
	ID           int64  `json:"id" doc:"The loan's key."`
	State        string `json:"state" enum:"reserved,handed_out,returned,cancelled,lost,stolen"`
	AssetTag     string `json:"asset_tag" doc:"The device lent."`
	Learner      string `json:"learner" doc:"The learner's reference."`
	LearnerName  string `json:"learner_name"`
	Course       string `json:"course,omitempty" doc:"The course's reference."`
	Region       string `json:"region" doc:"Region code."`
	Connectivity string `json:"connectivity" enum:"wifi,4g"`
	Request      string `json:"request,omitempty" doc:"The reference of the request it serves."`
	From         string `json:"from" format:"date" doc:"First day of the agreed period; never changes after acceptance."`
	Until        string `json:"until" format:"date" doc:"Last day of the agreed period."`
	Due          string `json:"due" format:"date" doc:"Return deadline; moves only by an extension."`
	HandedOutOn  string `json:"handed_out_on,omitempty" format:"date"`
	ReturnedOn   string `json:"returned_on,omitempty" format:"date"`
	Condition    string `json:"condition,omitempty" enum:"good,damaged,faulty" doc:"The device's condition at return."`
	Accepted     bool   `json:"accepted" doc:"The learner accepted the agreement version in force; a hand-out needs it."`
	CreatedAt    string `json:"created_at" format:"date-time"`
	UpdatedAt    string `json:"updated_at" format:"date-time"`
}

func loanOut(l *traject.Loan) Loan {
	return Loan{ID: l.ID, State: string(l.State), AssetTag: l.AssetTag, Learner: l.LearnerRef, LearnerName: l.LearnerName,
		Course: l.CourseRef, Region: l.RegionCode, Connectivity: string(l.Connectivity), Request: l.RequestRef,
		From: dateOut(l.From), Until: dateOut(l.Until), Due: dateOut(l.Due), HandedOutOn: dateOut(l.HandedOutOn),
		ReturnedOn: dateOut(l.ReturnedOn), Condition: l.Condition, Accepted: l.Accepted,
		CreatedAt: l.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: l.UpdatedAt.UTC().Format(time.RFC3339)}
}

func loanLocation(id int64) string { return Prefix + "/loans/" + strconv.FormatInt(id, 10) }

type loansInput struct {
	Region   string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles; regional roles always get their own)."`
	State    string `query:"state" enum:"reserved,handed_out,returned,cancelled,lost,stolen"`
	Learner  string `query:"learner" maxLength:"32" doc:"A learner's reference."`
	Course   string `query:"course" maxLength:"32" doc:"A course's reference."`
	AssetTag string `query:"asset_tag" maxLength:"32"`
	After    int64  `query:"after" minimum:"0" doc:"Keyset: the 'next' value of the previous page."`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type loansOutput struct {
	Body struct {
		Items []Loan `json:"items"`
		Next  int64  `json:"next,omitempty" doc:"Pass as 'after' for the next page; absent on the last page."`
	}
}

func (s *Server) loans(ctx context.Context, in *loansInput) (*loansOutput, error) {
	list, err := s.Store.Loans(ctx, store.LoanFilter{Region: in.Region, State: traject.LoanState(in.State), Learner: in.Learner,
		Course: in.Course, AssetTag: in.AssetTag, AfterID: in.After, Limit: in.Limit + 1})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &loansOutput{}
	if len(list) > in.Limit {
		list = list[:in.Limit]
		out.Body.Next = list[len(list)-1].ID
	}
	out.Body.Items = make([]Loan, 0, len(list))
	for i := range list {
		out.Body.Items = append(out.Body.Items, loanOut(&list[i]))
	}
	return out, nil
}

type loanInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type loanOutput struct {
	Body Loan
}

func (s *Server) loan(ctx context.Context, in *loanInput) (*loanOutput, error) {
	l, err := s.Store.Loan(ctx, in.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &loanOutput{Body: loanOut(l)}, nil
}

type reserveInput struct {
	Body struct {
		Learner      string `json:"learner" maxLength:"32" doc:"The learner's reference."`
		Course       string `json:"course" maxLength:"32" doc:"The course's reference; may be empty for a loan outside a course."`
		Region       string `json:"region" maxLength:"40" doc:"Region code or name: the learner's region."`
		Connectivity string `json:"connectivity" enum:"wifi,4g"`
		From         string `json:"from" maxLength:"10" doc:"First day, YYYY-MM-DD."`
		Until        string `json:"until" maxLength:"10" doc:"Last day, YYYY-MM-DD."`
		AssetTag     string `json:"asset_tag,omitempty" required:"false" maxLength:"32" doc:"A chosen device; any free one when absent."`
	}
}

type createdLoanOutput struct {
	Location string `header:"Location"`
	Body     Loan
}

// reserve reserves a device. The database refuses a second active loan on a
// device for overlapping days, whatever the number of servers (DESIGN §2.1).
func (s *Server) reserve(ctx context.Context, in *reserveInput) (*createdLoanOutput, error) {
	b := in.Body
	r := traject.Reservation{LearnerRef: b.Learner, CourseRef: b.Course, RegionCode: b.Region,
		Connectivity: traject.Connectivity(b.Connectivity), AssetTag: b.AssetTag}
	var v traject.Validation
	r.From = dateIn(&v, "from", b.From)
	r.Until = dateIn(&v, "until", b.Until)
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	l, err := s.Store.Reserve(ctx, r)
	if err != nil {
		return nil, s.problem(ctx, refFields(err, map[string]string{"learner": b.Learner, "course": b.Course, "asset_tag": b.AssetTag}))
	}
	return &createdLoanOutput{Location: loanLocation(l.ID), Body: loanOut(l)}, nil
}

// dateIn reads a YYYY-MM-DD date of the body; an empty one is left zero for
// the domain to name, an unreadable one is named here.
func dateIn(v *traject.Validation, field, value string) time.Time {
	if value == "" {
		return time.Time{}
	}
	t, ok := traject.ParseDate(value)
	if !ok {
		v.Add(field, "date.invalid", "write the date as YYYY-MM-DD", nil)
	}
	return t
}

// refFields turns "not found" for a reference the body named into a field
// error of that field: the request was understood, one of its answers is
// wrong, so the answer is 422 naming it rather than a 404 that reads as if
// the endpoint were missing.
func refFields(err error, refs map[string]string) error {
	e, ok := traject.AsError(err)
	if !ok || e.Code != traject.ENOTFOUND {
		return err
	}
	id, _ := e.Args["ID"].(string)
	for field, ref := range refs {
		if ref = strings.TrimSpace(ref); ref != "" && ref == id {
			var v traject.Validation
			v.Add(field, e.Key, e.Message, e.Args)
			return v.Err()
		}
	}
	return err
}

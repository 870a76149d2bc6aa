package api

import (
	"context"
	"time"

	"traject"
)

// Checklist is what the desk checks when a device goes out or comes back.
type Checklist struct {
	Device  bool `json:"device"`
	Charger bool `json:"charger"`
	SIM     bool `json:"sim,omitempty" required:"false" doc:"The SIM is in the device; required for 4G."`
}

func (c Checklist) domain() traject.Checklist {
	return traject.Checklist{Device: c.Device, Charger: c.Charger, SIM: c.SIM}
}

type handOutInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		On        string    `json:"on,omitempty" required:"false" maxLength:"10" doc:"The day it went out, YYYY-MM-DD; today when absent."`
		Checklist Checklist `json:"checklist"`
	}
}

// handOut gives the device to the learner; refused with 409
// (loan.handout.unaccepted) without an acceptance of the version in force.
func (s *Server) handOut(ctx context.Context, in *handOutInput) (*loanOutput, error) {
	var v traject.Validation
	on := dateIn(&v, "on", in.Body.On)
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	return s.loanResult(ctx)(s.Store.HandOut(ctx, in.ID, on, in.Body.Checklist.domain()))
}

// loanResult renders the loan a desk action returns, or its problem.
func (s *Server) loanResult(ctx context.Context) func(*traject.Loan, error) (*loanOutput, error) {
	return func(l *traject.Loan, err error) (*loanOutput, error) {
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &loanOutput{Body: loanOut(l)}, nil
	}
}

type returnInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		On        string    `json:"on,omitempty" required:"false" maxLength:"10" doc:"The day it came back, YYYY-MM-DD; today when absent."`
		Checklist Checklist `json:"checklist"`
		Condition string    `json:"condition" enum:"good,damaged,faulty"`
		Note      string    `json:"note,omitempty" required:"false" maxLength:"2000"`
	}
}

// returnLoan records the device coming back; it goes to quarantine until wiped.
func (s *Server) returnLoan(ctx context.Context, in *returnInput) (*loanOutput, error) {
	var v traject.Validation
	on := dateIn(&v, "on", in.Body.On)
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	return s.loanResult(ctx)(s.Store.ReturnLoan(ctx, in.ID, traject.Return{On: on, Checklist: in.Body.Checklist.domain(),
		Condition: traject.Condition(in.Body.Condition), Note: in.Body.Note}))
}

type extendInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Due    string `json:"due" maxLength:"10" doc:"The new return deadline, YYYY-MM-DD, after the current one."`
		Reason string `json:"reason" maxLength:"500"`
	}
}

// extend moves the due date; the agreed period stays as accepted.
func (s *Server) extend(ctx context.Context, in *extendInput) (*loanOutput, error) {
	var v traject.Validation
	due := dateIn(&v, "due", in.Body.Due)
	if due.IsZero() && in.Body.Due == "" {
		v.Add("due", "loan.extend.due", "enter the new due date as YYYY-MM-DD", nil)
	}
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	return s.loanResult(ctx)(s.Store.Extend(ctx, in.ID, due, in.Body.Reason))
}

type swapInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		AssetTag string `json:"asset_tag" maxLength:"32" doc:"The replacement device."`
		Reason   string `json:"reason" maxLength:"500" doc:"What is wrong with the device on loan."`
	}
}

// swap replaces a faulty device inside the loan.
func (s *Server) swap(ctx context.Context, in *swapInput) (*loanOutput, error) {
	l, err := s.Store.Swap(ctx, in.ID, in.Body.AssetTag, in.Body.Reason)
	if err != nil {
		err = refFields(err, map[string]string{"asset_tag": in.Body.AssetTag})
	}
	return s.loanResult(ctx)(l, err)
}

type lossInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		State string `json:"state" enum:"lost,stolen"`
		On    string `json:"on" maxLength:"10" doc:"The day it was reported, YYYY-MM-DD."`
		Note  string `json:"note" maxLength:"2000" doc:"What happened."`
	}
}

// reportLoss ends the loan as lost or stolen: the SIM is suspended and a
// remote disable is queued.
func (s *Server) reportLoss(ctx context.Context, in *lossInput) (*loanOutput, error) {
	var v traject.Validation
	on := dateIn(&v, "on", in.Body.On)
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	return s.loanResult(ctx)(s.Store.ReportLoss(ctx, in.ID, traject.Loss{State: traject.LoanState(in.Body.State), On: on, Note: in.Body.Note}))
}

type cancelLoanInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason" maxLength:"500"`
	}
}

// cancelLoan cancels a reservation; the device is free again for its days.
func (s *Server) cancelLoan(ctx context.Context, in *cancelLoanInput) (*loanOutput, error) {
	return s.loanResult(ctx)(s.Store.CancelLoan(ctx, in.ID, in.Body.Reason))
}

// TimelineEntry is one audited change of a loan.
type TimelineEntry struct {
	At     string `json:"at" format:"date-time"`
	Actor  string `json:"actor" doc:"Who made the change: a staff member's e-mail address, or Traject itself."`
	Action string `json:"action" doc:"loan.reserve, loan.accept, loan.handout, loan.extend, loan.swap, loan.return, loan.lost, loan.stolen, loan.cancel ..."`
	Reason string `json:"reason,omitempty"`
	Before string `json:"before,omitempty" doc:"The changed values before, as JSON."`
	After  string `json:"after,omitempty" doc:"The changed values after, as JSON."`
}

type timelineOutput struct {
	Body struct {
		Items []TimelineEntry `json:"items" doc:"Newest first."`
	}
}

func (s *Server) loanTimeline(ctx context.Context, in *loanInput) (*timelineOutput, error) {
	list, err := s.Store.LoanTimeline(ctx, in.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &timelineOutput{}
	out.Body.Items = make([]TimelineEntry, 0, len(list))
	for _, e := range list {
		out.Body.Items = append(out.Body.Items, TimelineEntry{At: e.At.UTC().Format(time.RFC3339), Actor: e.ActorLabel,
			Action: e.Action, Reason: e.Reason, Before: e.Before, After: e.After})
	}
	return out, nil
}

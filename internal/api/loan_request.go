package api

import (
	"context"
	"time"

	"traject"
	"traject/internal/store"
)

// LoanRequest is a request for a device for a learner and a course.
type LoanRequest struct {
	Ref          string `json:"ref" doc:"The reference the learner is given."`
	ID           int64  `json:"id"`
	Learner      string `json:"learner"`
	LearnerName  string `json:"learner_name"`
	Obliged      bool   `json:"obliged" doc:"Obliged learners are served first."`
	Course       string `json:"course"`
	CourseStarts string `json:"course_starts" format:"date"`
	CourseEnds   string `json:"course_ends" format:"date"`
	Region       string `json:"region"`
	Need         string `json:"need" enum:"wifi,4g"`
	Channel      string `json:"channel" enum:"counsellor,teacher,learner,phone,desk"`
	State        string `json:"state" enum:"waiting,allocated,cancelled"`
	Position     int    `json:"position,omitempty" doc:"Its turn in the region's queue, from 1 (in the queue)."`
	LoanID       int64  `json:"loan_id,omitempty" doc:"The loan reserved for it, once allocated."`
	Loan         *Loan  `json:"loan,omitempty" doc:"The loan, when the request was allocated at once."`
	CreatedAt    string `json:"created_at" format:"date-time"`
}

func requestOut(r *traject.LoanRequest) LoanRequest {
	return LoanRequest{Ref: r.Ref, ID: r.ID, Learner: r.LearnerRef, LearnerName: r.LearnerName, Obliged: r.Obliged,
		Course: r.CourseRef, CourseStarts: dateOut(r.CourseStarts), CourseEnds: dateOut(r.CourseEnds), Region: r.RegionCode,
		Need: string(r.Need), Channel: string(r.Channel), State: string(r.State), LoanID: r.LoanID,
		CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339)}
}

type createRequestInput struct {
	Body struct {
		Learner string `json:"learner" maxLength:"32" doc:"The learner's reference."`
		Course  string `json:"course" maxLength:"32" doc:"The course's reference: the loan runs from its first to its last day."`
		Need    string `json:"need" enum:"wifi,4g" doc:"wifi: internet at home; 4g: none, a device with mobile data."`
		Channel string `json:"channel" enum:"counsellor,teacher,learner,phone,desk" doc:"How the request reached the agency."`
	}
}

type createdRequestOutput struct {
	Location string `header:"Location"`
	Body     LoanRequest
}

// createRequest records a request: allocated at once when a device is free
// in the learner's region for the course's days, else queued.
func (s *Server) createRequest(ctx context.Context, in *createRequestInput) (*createdRequestOutput, error) {
	b := in.Body
	req := &traject.LoanRequest{LearnerRef: b.Learner, CourseRef: b.Course, Need: traject.Connectivity(b.Need), Channel: traject.Channel(b.Channel)}
	l, err := s.Store.RequestDevice(ctx, req)
	if err != nil {
		return nil, s.problem(ctx, refFields(err, map[string]string{"learner": b.Learner, "course": b.Course}))
	}
	out := requestOut(req)
	if l != nil {
		lo := loanOut(l)
		out.Loan, out.LoanID = &lo, l.ID
	}
	return &createdRequestOutput{Location: Prefix + "/loan-requests/" + req.Ref, Body: out}, nil
}

type requestInput struct {
	Ref string `path:"ref" maxLength:"32"`
}

type requestOutput struct {
	Body LoanRequest
}

func (s *Server) loanRequest(ctx context.Context, in *requestInput) (*requestOutput, error) {
	r, err := s.Store.LoanRequest(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &requestOutput{Body: requestOut(r)}, nil
}

// Transfer suggests moving devices from a region with free stock to one
// whose queue waits.
type Transfer struct {
	Request      string `json:"request" doc:"The waiting request's reference."`
	FromRegion   string `json:"from_region"`
	ToRegion     string `json:"to_region"`
	Connectivity string `json:"connectivity" enum:"wifi,4g"`
	Free         int    `json:"free" doc:"Devices free in from_region for the request's days."`
}

type queueInput struct {
	Region string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles; regional roles always get their own)."`
}

type queueOutput struct {
	Body struct {
		Items     []LoanRequest `json:"items" doc:"Waiting requests in serving order: obliged learners first, then the earlier course start, then the older request."`
		Transfers []Transfer    `json:"transfers" doc:"Regions with devices free for a waiting request's days."`
	}
}

func (s *Server) queue(ctx context.Context, in *queueInput) (*queueOutput, error) {
	list, err := s.Store.Queue(ctx, in.Region)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	transfers, err := s.Store.SuggestedTransfers(ctx, in.Region)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &queueOutput{}
	out.Body.Items = make([]LoanRequest, 0, len(list))
	turn := map[string]int{} // the order is per region: each region serves its own queue
	for i := range list {
		r := requestOut(&list[i])
		turn[r.Region]++
		r.Position = turn[r.Region]
		out.Body.Items = append(out.Body.Items, r)
	}
	out.Body.Transfers = transfersOut(transfers)
	return out, nil
}

func transfersOut(list []store.TransferSuggestion) []Transfer {
	out := make([]Transfer, 0, len(list))
	for _, t := range list {
		out = append(out, Transfer{Request: t.Request, FromRegion: t.FromRegion, ToRegion: t.ToRegion,
			Connectivity: string(t.Connectivity), Free: t.Free})
	}
	return out
}

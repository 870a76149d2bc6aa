package api

import (
	"context"
	"strconv"

	"traject"
	"traject/internal/store"
)

type campaignsOutput struct {
	Body struct {
		Items []traject.Campaign `json:"items"`
	}
}

func (s *Server) campaigns(ctx context.Context, _ *struct{}) (*campaignsOutput, error) {
	list, err := s.Store.Campaigns(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &campaignsOutput{}
	out.Body.Items = list
	return out, nil
}

type createCampaignInput struct {
	Body struct {
		Name              string `json:"name" maxLength:"200"`
		NotReached        bool   `json:"not_reached,omitempty" required:"false" doc:"Learners never present in a course that has started."`
		Course            string `json:"course,omitempty" required:"false" maxLength:"32" doc:"Limits not_reached to this course (its reference)."`
		FollowUp          bool   `json:"follow_up,omitempty" required:"false" doc:"Learners on the follow-up list."`
		NoDeviceNoRequest bool   `json:"no_device_no_request,omitempty" required:"false" doc:"Enrolled online or blended, no device at the intake, no loan and no waiting request."`
		LoanOverdue       bool   `json:"loan_overdue,omitempty" required:"false" doc:"Holding a device past its due date."`
		Region            string `json:"region,omitempty" required:"false" doc:"Region code or name; empty selects in every region (national roles). A regional role selects in its own."`
		RetryAfterDays    *int   `json:"retry_after_days,omitempty" required:"false" doc:"Days before an unanswered learner is called again, 0-60; default 2."`
		MaxAttempts       *int   `json:"max_attempts,omitempty" required:"false" doc:"Unanswered calls before the learner is given up, 1-10; default 3."`
	}
}

type campaignOutput struct {
	Body campaignDetail
}

type createdCampaignOutput struct {
	Location string `header:"Location"`
	Body     campaignDetail
}

// campaignDetail is a campaign with its progress and call lists.
type campaignDetail struct {
	traject.Campaign
	Progress *traject.CampaignProgress `json:"progress"`
	Lists    []store.CallListSummary   `json:"lists"`
}

func (s *Server) createCampaign(ctx context.Context, in *createCampaignInput) (*createdCampaignOutput, error) {
	b := in.Body
	c := &traject.Campaign{Name: b.Name, RetryAfterDays: traject.DefaultRetryAfterDays, MaxAttempts: traject.DefaultMaxAttempts,
		Criteria: traject.CampaignCriteria{NotReached: b.NotReached, Course: b.Course, FollowUp: b.FollowUp,
			NoDeviceNoRequest: b.NoDeviceNoRequest, LoanOverdue: b.LoanOverdue, Region: b.Region}}
	if b.RetryAfterDays != nil {
		c.RetryAfterDays = *b.RetryAfterDays
	}
	if b.MaxAttempts != nil {
		c.MaxAttempts = *b.MaxAttempts
	}
	if err := s.Store.CreateCampaign(ctx, c); err != nil {
		return nil, s.problem(ctx, err)
	}
	d, err := s.campaignDetail(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return &createdCampaignOutput{Location: Prefix + "/outreach/campaigns/" + strconv.FormatInt(c.ID, 10), Body: *d}, nil
}

type campaignInput struct {
	ID int64 `path:"id" minimum:"1"`
}

func (s *Server) campaign(ctx context.Context, in *campaignInput) (*campaignOutput, error) {
	d, err := s.campaignDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &campaignOutput{Body: *d}, nil
}

func (s *Server) campaignDetail(ctx context.Context, id int64) (*campaignDetail, error) {
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	d := &campaignDetail{Campaign: *c}
	if d.Progress, err = s.Store.CampaignProgress(ctx, id); err != nil {
		return nil, s.problem(ctx, err)
	}
	if d.Lists, err = s.Store.CallLists(ctx, id); err != nil {
		return nil, s.problem(ctx, err)
	}
	return d, nil
}

type callListInput struct {
	ID       int64  `path:"id" minimum:"1"`
	Language string `path:"language" pattern:"^[a-z]{2}$" doc:"The list's language, an ISO 639-1 code."`
}

type callListOutput struct {
	Body struct {
		Items []store.CallListEntry `json:"items" doc:"Due today first, then those that come back later, then the closed ones."`
	}
}

func (s *Server) callList(ctx context.Context, in *callListInput) (*callListOutput, error) {
	list, err := s.Store.CallList(ctx, in.ID, in.Language)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &callListOutput{}
	out.Body.Items = list
	if out.Body.Items == nil {
		out.Body.Items = []store.CallListEntry{}
	}
	return out, nil
}

type recordCallInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The target (a learner in a campaign)."`
	Body struct {
		Outcome     string `json:"outcome" doc:"joins_online, needs_device, needs_pretrack, needs_onsite, stopped, moved (reached); no_answer, voicemail, wrong_number (not reached)"`
		Language    string `json:"language,omitempty" required:"false" doc:"The language the call was held in; the list's language when left out."`
		Interpreter bool   `json:"interpreter,omitempty" required:"false"`
		Note        string `json:"note,omitempty" required:"false" maxLength:"8000"`
	}
}

type recordCallOutput struct {
	Body struct {
		Call   traject.Call   `json:"call"`
		Target traject.Target `json:"target"`
	}
}

func (s *Server) recordCall(ctx context.Context, in *recordCallInput) (*recordCallOutput, error) {
	b := in.Body
	call := &traject.Call{Outcome: traject.CallOutcome(b.Outcome), Language: b.Language, Interpreter: b.Interpreter, Note: b.Note}
	t, err := s.Store.RecordCall(ctx, in.ID, call)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &recordCallOutput{}
	out.Body.Call, out.Body.Target = *call, *t
	return out, nil
}

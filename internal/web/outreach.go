package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
	"traject/internal/store"
)

// Outreach pages: the campaigns with the form that starts one, a campaign's
// progress and call lists, one call list for a caller, and one learner's
// calls with the form that records the next.

// campaignForm is the new-campaign form, as typed.
type campaignForm struct {
	Name, Course, Region, RetryAfterDays, MaxAttempts string
	NotReached, FollowUp, NoDevice, LoanOverdue       bool
}

// outreachListView is the campaigns page.
type outreachListView struct {
	Campaigns []traject.Campaign
	CanWrite  bool
	National  bool // a national role chooses the region
	Regions   []traject.Region
	Form      campaignForm
}

func (s *Server) outreachList(w http.ResponseWriter, r *http.Request) error {
	form := campaignForm{RetryAfterDays: strconv.Itoa(traject.DefaultRetryAfterDays), MaxAttempts: strconv.Itoa(traject.DefaultMaxAttempts)}
	return s.showOutreachList(w, r, http.StatusOK, nil, form)
}

func (s *Server) showOutreachList(w http.ResponseWriter, r *http.Request, status int, err error, form campaignForm) error {
	list, lerr := s.Store.Campaigns(r.Context())
	if lerr != nil {
		return lerr
	}
	actor := traject.UserFromContext(r.Context())
	v := &outreachListView{Campaigns: list, CanWrite: actor.Can(traject.PermOutreachWrite), National: actor.ScopeRegion() == "",
		Regions: traject.Regions, Form: form}
	p := s.newPage(r, "outreach.title", v)
	if err != nil {
		s.withErrors(r, p, err, "name")
	}
	return s.render(w, r, status, "outreach_list", p)
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm() // an unreadable form is an empty one, which the domain refuses
	f := campaignForm{Name: r.PostFormValue("name"), Course: r.PostFormValue("course"), Region: r.PostFormValue("region"),
		RetryAfterDays: r.PostFormValue("retry_after_days"), MaxAttempts: r.PostFormValue("max_attempts"),
		NotReached: r.PostFormValue("not_reached") != "", FollowUp: r.PostFormValue("follow_up") != "",
		NoDevice: r.PostFormValue("no_device_no_request") != "", LoanOverdue: r.PostFormValue("loan_overdue") != ""}
	c := f.campaign()
	err := s.Store.CreateCampaign(r.Context(), c)
	if traject.ErrorCode(err) == traject.EINVALID {
		return s.showOutreachList(w, r, http.StatusUnprocessableEntity, err, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("outreach.created", "Count", c.Targets))
	http.Redirect(w, r, "/outreach/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// campaign turns the answers into a campaign for the store to check; a
// number that is not one becomes a value out of range, which the domain names.
func (f *campaignForm) campaign() *traject.Campaign {
	c := &traject.Campaign{Name: f.Name, Criteria: traject.CampaignCriteria{NotReached: f.NotReached, Course: f.Course,
		FollowUp: f.FollowUp, NoDeviceNoRequest: f.NoDevice, LoanOverdue: f.LoanOverdue, Region: f.Region}}
	var err error
	if c.RetryAfterDays, err = strconv.Atoi(strings.TrimSpace(f.RetryAfterDays)); err != nil {
		c.RetryAfterDays = -1
	}
	if c.MaxAttempts, err = strconv.Atoi(strings.TrimSpace(f.MaxAttempts)); err != nil {
		c.MaxAttempts = 0
	}
	return c
}

func parseOutreachID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, traject.Errorf(traject.ENOTFOUND, "db.notfound", "%s not found", r.PathValue(name))
	}
	return id, nil
}

// callListLink is one call list on a campaign's page.
type callListLink struct {
	store.CallListSummary
	Name string // the language's name in the page's language
}

// campaignView is a campaign's page.
type campaignView struct {
	Campaign *traject.Campaign
	Progress *traject.CampaignProgress
	Lists    []callListLink
	States   []traject.TargetState
	Reached  []traject.CallOutcome
	Missed   []traject.CallOutcome
}

func (s *Server) outreachCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := parseOutreachID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Store.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	v := &campaignView{Campaign: c, States: traject.TargetStates, Reached: traject.OutcomesReached, Missed: traject.OutcomesNotReached}
	if v.Progress, err = s.Store.CampaignProgress(r.Context(), id); err != nil {
		return err
	}
	lists, err := s.Store.CallLists(r.Context(), id)
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	for _, l := range lists {
		v.Lists = append(v.Lists, callListLink{CallListSummary: l, Name: languageName(l.Language, loc.Lang.Tag)})
	}
	p := s.newPage(r, "outreach.campaign.title", v)
	p.Title = c.Name
	return s.render(w, r, http.StatusOK, "outreach", p)
}

// callListView is one call list.
type callListView struct {
	Campaign *traject.Campaign
	Language string
	Name     string
	Entries  []store.CallListEntry
}

func (s *Server) outreachCallList(w http.ResponseWriter, r *http.Request) error {
	id, err := parseOutreachID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Store.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	lang := r.PathValue("lang")
	entries, err := s.Store.CallList(r.Context(), id, lang)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return traject.Errorf(traject.ENOTFOUND, "db.notfound", "call list %s not found", lang)
	}
	loc := s.localizer(r)
	v := &callListView{Campaign: c, Language: lang, Name: languageName(lang, loc.Lang.Tag), Entries: entries}
	p := s.newPage(r, "outreach.list.title", v)
	p.Title = loc.T("outreach.list.title", "Language", v.Name)
	return s.render(w, r, http.StatusOK, "outreach_calllist", p)
}

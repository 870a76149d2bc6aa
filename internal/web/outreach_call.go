package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/i18n"
)

// callForm is the form that records a call, as typed.
type callForm struct {
	Outcome     string
	Interpreter bool
	Note        string
}

// targetView is one learner's page in a campaign: their calls, what each
// set in motion, and the form for the next call.
type targetView struct {
	Target   *traject.Target
	Calls    []callRow
	ListName string
	CanWrite bool
	Reached  []traject.CallOutcome
	Missed   []traject.CallOutcome
	Form     callForm
}

// callRow is one call with its action in words.
type callRow struct {
	traject.Call
	Action string
}

func (s *Server) outreachTarget(w http.ResponseWriter, r *http.Request) error {
	return s.showTarget(w, r, http.StatusOK, nil, callForm{})
}

func (s *Server) showTarget(w http.ResponseWriter, r *http.Request, status int, err error, form callForm) error {
	id, perr := parseOutreachID(r, "id")
	if perr != nil {
		return perr
	}
	t, calls, terr := s.Store.TargetCalls(r.Context(), id)
	if terr != nil {
		return terr
	}
	loc := s.localizer(r)
	v := &targetView{Target: t, ListName: languageName(t.Language, loc.Lang.Tag), Form: form,
		CanWrite: traject.UserFromContext(r.Context()).Can(traject.PermOutreachWrite) && t.State == traject.TargetOpen,
		Reached:  traject.OutcomesReached, Missed: traject.OutcomesNotReached}
	for _, c := range calls {
		v.Calls = append(v.Calls, callRow{Call: c, Action: actionText(loc, &c)})
	}
	p := s.newPage(r, "outreach.target.title", v)
	p.Title = loc.T("outreach.target.title", "Name", t.LearnerName)
	if err != nil {
		s.withErrors(r, p, err, "outcome")
	}
	return s.render(w, r, status, "outreach_target", p)
}

// actionText says in words what a call's outcome set in motion, or why
// nothing was.
func actionText(loc *i18n.Localizer, c *traject.Call) string {
	switch {
	case c.NoAction != "":
		return loc.T("outreach.noaction."+c.NoAction, "Ref", c.ActionRef)
	case c.ActionRef == "":
		if c.Outcome.NeedsAction() {
			return loc.T("outreach.noaction.none")
		}
		return ""
	case c.Outcome == traject.OutcomeNeedsDevice:
		return loc.T("outreach.action.request", "Ref", c.ActionRef)
	}
	return loc.T("outreach.action.enrolment", "Ref", c.ActionRef)
}

func (s *Server) recordCall(w http.ResponseWriter, r *http.Request) error {
	id, err := parseOutreachID(r, "id")
	if err != nil {
		return err
	}
	_ = r.ParseForm() // an unreadable form chooses no outcome, which the domain refuses
	form := callForm{Outcome: r.PostFormValue("outcome"), Interpreter: r.PostFormValue("interpreter") != "", Note: r.PostFormValue("note")}
	call := &traject.Call{Outcome: traject.CallOutcome(form.Outcome), Interpreter: form.Interpreter, Note: form.Note}
	_, err = s.Store.RecordCall(r.Context(), id, call)
	if status, ok := formStatus(err); ok && traject.ErrorCode(err) != traject.ENOTFOUND {
		return s.showTarget(w, r, status, err, form)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	msg := loc.T("outreach.call.saved", "Outcome", loc.T("outcome."+string(call.Outcome)))
	if a := actionText(loc, call); a != "" {
		msg += " " + a
	}
	s.flash(r, msg)
	http.Redirect(w, r, "/outreach/targets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

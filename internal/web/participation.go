package web

import (
	"net/http"
	"net/url"
	"strconv"

	"traject"
	"traject/internal/store"
)

// participationView is a course's participation page: a row per learner,
// the sessions with their sheets, and the course's suspensions with the form
// to add one.
type participationView struct {
	P           *store.CourseParticipation
	Reach       []reachCount
	CanTake     bool // may record the sessions' attendance
	CanSuspend  bool
	Form        suspensionForm
	FormVisible bool
}

type reachCount struct {
	Status traject.ReachStatus
	Count  int
}

// suspensionForm is the suspend-course form, as typed.
type suspensionForm struct {
	From, Until dateValue
	Reason      string
}

func (s *Server) participation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Store.CourseParticipation(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "participation", s.newPage(r, "participation.title", s.newParticipationView(r, p)))
}

func (s *Server) newParticipationView(r *http.Request, p *store.CourseParticipation) *participationView {
	actor := traject.UserFromContext(r.Context())
	v := &participationView{P: p, CanTake: traject.CanTakeAttendance(actor, &p.Course),
		CanSuspend: traject.CanEditCourse(actor, &p.Course)}
	for _, st := range traject.ReachStatuses {
		v.Reach = append(v.Reach, reachCount{st, p.Reach[st]})
	}
	return v
}

// suspendCourse adds a suspension from the participation page's form.
func (s *Server) suspendCourse(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	form := suspensionForm{From: readDate(r.PostForm, "from"), Until: readDate(r.PostForm, "until"), Reason: r.PostFormValue("reason")}
	su, err := form.suspension()
	if err == nil {
		err = s.Store.SuspendCourse(r.Context(), ref, su)
	}
	if status, ok := formStatus(err); ok && traject.ErrorCode(err) != traject.ENOTFOUND {
		p, perr := s.Store.CourseParticipation(r.Context(), ref)
		if perr != nil {
			return perr
		}
		v := s.newParticipationView(r, p)
		v.Form, v.FormVisible = form, true
		page := s.withErrors(r, s.newPage(r, "participation.title", v), err, "from")
		return s.render(w, r, status, "participation", page)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T("suspension.done", "From", loc.Date(su.From), "Until", loc.Date(su.Until)))
	http.Redirect(w, r, participationURL(ref), http.StatusSeeOther)
	return nil
}

// suspension reads the typed dates; a date that cannot be read is named
// with the form's own words, the rest is the domain's check.
func (f *suspensionForm) suspension() (*traject.CourseSuspension, error) {
	su := &traject.CourseSuspension{Reason: f.Reason}
	var v traject.Validation
	bad := map[string]bool{}
	from, ok := f.From.parse()
	if !ok {
		bad["from"] = true
		v.Add("from", "date.invalid", "enter a real date", nil)
	}
	until, ok := f.Until.parse()
	if !ok {
		bad["until"] = true
		v.Add("until", "date.invalid", "enter a real date", nil)
	}
	su.From, su.Until = asDate(from), asDate(until) // no date stays the zero time
	if err := su.Validate(); err != nil {
		e, _ := traject.AsError(err)
		for _, fe := range e.Fields {
			if !bad[fe.Field] {
				v.Add(fe.Field, fe.Key, fe.Message, fe.Args)
			}
		}
	}
	return su, v.Err()
}

// liftSuspension removes a suspension entered by mistake.
func (s *Server) liftSuspension(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return traject.Errorf(traject.ENOTFOUND, "db.notfound", "suspension %s not found", r.PathValue("id"))
	}
	if err := s.Store.LiftSuspension(r.Context(), ref, id); err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("suspension.lifted"))
	http.Redirect(w, r, participationURL(ref), http.StatusSeeOther)
	return nil
}

func participationURL(ref string) string {
	return "/courses/" + url.PathEscape(ref) + "/participation"
}

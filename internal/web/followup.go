package web

import (
	"net/http"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// followUpView is the follow-up list: the learners whose attendance needs a
// call, the filter, and the participation norm with its versions.
type followUpView struct {
	Entries  []store.FollowUpEntry
	Filter   store.FollowUpFilter
	Regions  []traject.Region // the region filter, for national roles only
	Norm     int              // today's norm
	Norms    traject.NormHistory
	CanNorm  bool // may add a version of the norm
	NormForm normForm
}

// normForm is the form that adds a version of the norm, as typed.
type normForm struct {
	Percent   string
	ValidFrom dateValue
}

func (s *Server) followUp(w http.ResponseWriter, r *http.Request) error {
	v, err := s.newFollowUpView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "followup", s.newPage(r, "followup.title", v))
}

func (s *Server) newFollowUpView(r *http.Request) (*followUpView, error) {
	q := r.URL.Query()
	actor := traject.UserFromContext(r.Context())
	v := &followUpView{Filter: store.FollowUpFilter{Course: strings.TrimSpace(q.Get("course")), Ended: q.Get("ended") == "1"}}
	if actor.ScopeRegion() == "" {
		v.Regions = traject.Regions
		if region, ok := traject.ParseRegion(q.Get("region")); ok {
			v.Filter.Region = region.Code
		}
	}
	var err error
	if v.Entries, err = s.Store.FollowUpList(r.Context(), v.Filter); err != nil {
		return nil, err
	}
	if v.Norms, err = s.Store.ParticipationNorms(r.Context()); err != nil {
		return nil, err
	}
	v.Norm = v.Norms.At(traject.SessionDay(time.Now()))
	v.CanNorm = actor.Can(traject.PermCoursesWrite) && actor.ScopeRegion() == ""
	return v, nil
}

// addNorm adds a version of the participation norm.
func (s *Server) addNorm(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	form := normForm{Percent: strings.TrimSpace(r.PostFormValue("percent")), ValidFrom: readDate(r.PostForm, "valid_from")}
	n, err := form.norm()
	if err == nil {
		err = s.Store.AddParticipationNorm(r.Context(), n)
	}
	if status, ok := formStatus(err); ok {
		v, verr := s.newFollowUpView(r)
		if verr != nil {
			return verr
		}
		v.NormForm = form
		p := s.withErrors(r, s.newPage(r, "followup.title", v), err, "percent")
		return s.render(w, r, status, "followup", p)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T("norm.done", "Percent", n.Percent, "From", loc.Date(n.ValidFrom)))
	http.Redirect(w, r, "/followup#norm", http.StatusSeeOther)
	return nil
}

// norm reads the typed percentage and date; what cannot be read is named
// with the form's words, the rest is the domain's check.
func (f *normForm) norm() (*traject.ParticipationNorm, error) {
	n := &traject.ParticipationNorm{}
	var v traject.Validation
	bad := map[string]bool{}
	pct, ok := parseCount(strings.TrimSuffix(f.Percent, "%"))
	if !ok {
		bad["percent"] = true
		v.Add("percent", "norm.percent.invalid", "enter a percentage from 1 to 100", nil)
	}
	day, ok := f.ValidFrom.parse()
	if !ok {
		bad["valid_from"] = true
		v.Add("valid_from", "date.invalid", "enter a real date", nil)
	}
	n.Percent, n.ValidFrom = pct, asDate(day)
	if err := n.Validate(traject.SessionDay(time.Now())); err != nil {
		e, _ := traject.AsError(err)
		for _, fe := range e.Fields {
			if !bad[fe.Field] {
				v.Add(fe.Field, fe.Key, fe.Message, fe.Args)
			}
		}
	}
	return n, v.Err()
}

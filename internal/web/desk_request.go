package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
)

// requestForm is the desk's form that asks a device for a learner and a course.
type requestForm struct {
	Learner, Course string
	Need            string
	Channel         string
	Needs           []traject.Connectivity
	Channels        []traject.Channel
}

func newRequestForm(r *http.Request) requestForm {
	f := requestForm{Learner: strings.TrimSpace(r.FormValue("learner")), Course: strings.TrimSpace(r.FormValue("course")),
		Need: r.PostFormValue("need"), Channel: r.PostFormValue("channel"),
		Needs: []traject.Connectivity{traject.WiFi, traject.Mobile}, Channels: traject.Channels}
	if r.Method == http.MethodGet && f.Channel == "" {
		f.Channel = string(traject.ChannelDesk) // the desk fills the form in most often for a learner at the counter
	}
	return f
}

func (s *Server) requestNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "desk_request", s.newPage(r, "deskrequest.title", newRequestForm(r)))
}

// requestCreate records the request: the answer is the reserved loan, or the
// queue when no device is free for the course's days.
func (s *Server) requestCreate(w http.ResponseWriter, r *http.Request) error {
	form := newRequestForm(r)
	req := &traject.LoanRequest{LearnerRef: form.Learner, CourseRef: form.Course,
		Need: traject.Connectivity(form.Need), Channel: traject.Channel(form.Channel)}
	l, err := s.Store.RequestDevice(r.Context(), req)
	if status, ok := formStatus(err); ok {
		p := s.newPage(r, "deskrequest.title", form)
		s.formErrors(r, p, notFoundField(err, form.Learner, form.Course), "learner")
		return s.render(w, r, status, "desk_request", p)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	if l == nil {
		s.flash(r, loc.T("deskrequest.waiting", "Ref", req.Ref))
		http.Redirect(w, r, queueURL(""), http.StatusSeeOther)
		return nil
	}
	s.flash(r, loc.T("deskrequest.allocated", "AssetTag", l.AssetTag, "Ref", req.Ref))
	http.Redirect(w, r, loanURL(l.ID), http.StatusSeeOther)
	return nil
}

// notFoundField turns "not found" for the typed learner or course into an
// error on that field, so that the summary links to what to correct.
func notFoundField(err error, learner, course string) error {
	e, ok := traject.AsError(err)
	if !ok || e.Code != traject.ENOTFOUND || len(e.Fields) > 0 {
		return err
	}
	field := "learner"
	if id, _ := e.Args["ID"].(string); id == course && id != learner {
		field = "course"
	}
	var v traject.Validation
	v.Add(field, e.Key, e.Message, e.Args)
	return v.Err()
}

func loanURL(id int64) string { return "/loans/" + strconv.FormatInt(id, 10) }

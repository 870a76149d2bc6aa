package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
)

// caseNewView is the form that opens a file, and the guard's refusal with
// every cause it found.
type caseNewView struct {
	Form   caseForm
	Types  []traject.InfractionType
	Causes []traject.AgencyCauseOpen
}

// caseForm is the opening form as typed.
type caseForm struct {
	Learner, Course, Type, Note string
	From, Until                 dateValue
}

// caseNew shows the form, filled from a proposal's link when there is one.
func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	form := caseForm{Learner: q.Get("learner"), Course: q.Get("course"), Type: q.Get("type"),
		From: dayValue(q.Get("from")), Until: dayValue(q.Get("until"))}
	v := &caseNewView{Form: form, Types: traject.InfractionTypes}
	return s.render(w, r, http.StatusOK, "case_new", s.newPage(r, "casenew.title", v))
}

// dayValue splits a YYYY-MM-DD date into the three fields of a date input.
func dayValue(s string) dateValue {
	t, ok := traject.ParseDate(s)
	if !ok {
		return dateValue{}
	}
	return dateValue{strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())}
}

func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	form := caseForm{Learner: strings.TrimSpace(r.PostFormValue("learner")), Course: strings.TrimSpace(r.PostFormValue("course")),
		Type: r.PostFormValue("type"), Note: r.PostFormValue("note"), From: readDate(r.PostForm, "from"), Until: readDate(r.PostForm, "until")}
	o, err := form.opening()
	var f *traject.InfractionFile
	if err == nil {
		f, err = s.Store.OpenFile(r.Context(), o)
	}
	if status, ok := formStatus(err); ok {
		v := &caseNewView{Form: form, Types: traject.InfractionTypes, Causes: traject.GuardCauses(err)}
		return s.render(w, r, status, "case_new", s.withErrors(r, s.newPage(r, "casenew.title", v), err, "learner"))
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("case.opened", "ID", f.ID))
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(f.ID, 10), http.StatusSeeOther)
	return nil
}

// opening reads the typed dates; what cannot be read is named with the
// form's words, the rest is the domain's check (in the store).
func (f *caseForm) opening() (*traject.FileOpening, error) {
	var v traject.Validation
	from, ok1 := f.From.parse()
	until, ok2 := f.Until.parse()
	if !ok1 {
		v.Add("from", "date.invalid", "enter a real date", nil)
	}
	if !ok2 {
		v.Add("until", "date.invalid", "enter a real date", nil)
	}
	return &traject.FileOpening{LearnerRef: f.Learner, CourseRef: f.Course, Type: traject.InfractionType(f.Type),
		From: asDate(from), Until: asDate(until), Note: f.Note}, v.Err()
}

func (s *Server) caseSignOff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.Store.SignOff(r.Context(), id)
	if status, ok := formStatus(err); ok {
		return s.caseAgain(w, r, status, err, stepForm{})
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("case.signedoff"))
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// caseStep takes one step of the procedure from its form.
func (s *Server) caseStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	form := stepForm{On: readDate(r.PostForm, "on"), Text: r.PostFormValue("text"), Outcome: r.PostFormValue("outcome"),
		Amount: strings.TrimSpace(r.PostFormValue("amount")), Note: r.PostFormValue("note")}
	in, err := form.input()
	if err == nil {
		_, err = s.Store.TakeStep(r.Context(), id, traject.FileStep(r.PathValue("step")), in)
	}
	if status, ok := formStatus(err); ok {
		return s.caseAgain(w, r, status, err, form)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("case.stepdone", "Step", s.localizer(r).T("casestep."+r.PathValue("step"))))
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (f *stepForm) input() (traject.StepInput, error) {
	var v traject.Validation
	on, ok := f.On.parse()
	if !ok {
		v.Add("on", "date.invalid", "enter a real date", nil)
	}
	in := traject.StepInput{On: asDate(on), Text: f.Text, Decision: traject.Decision{Outcome: traject.Outcome(f.Outcome), Note: f.Note}}
	if f.Outcome == string(traject.OutcomeFine) {
		n, ok := parseCount(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(f.Amount, "€")), ",00"))
		if !ok {
			v.Add("amount", "case.amount.invalid", "enter an amount from 50 to 5,000 euro", nil)
		}
		in.Decision.Amount = n
	}
	return in, v.Err()
}

// caseAgain shows the file again with the error of a step or a sign-off.
func (s *Server) caseAgain(w http.ResponseWriter, r *http.Request, status int, err error, form stepForm) error {
	v, verr := s.newCaseView(r)
	if verr != nil {
		return verr
	}
	if form.Amount != "" {
		v.Form = form
	} else {
		v.Form.On, v.Form.Text, v.Form.Outcome, v.Form.Note = form.On, form.Text, form.Outcome, form.Note
	}
	return s.render(w, r, status, "case", s.withErrors(r, s.newPage(r, "case.title", v), err, "steps"))
}

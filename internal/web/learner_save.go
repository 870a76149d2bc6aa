package web

import (
	"net/http"
	"strconv"
	"time"

	"traject"
)

// learnerForm is the form that adds or changes a learner, as typed. The
// national number is never put back into the form: a page that is shown
// again after an error does not repeat it, and the edit form shows the mask.
type learnerForm struct {
	Edit                                   bool
	Ref, FirstName, LastName, Phone, Email string
	Language, Region, Office, Obligation   string
	Counsellor                             string
	BirthDate                              dateValue
	Masked                                 string // the number on file, when editing
	NumberTyped                            bool   // a number was typed, and must be typed again after an error
	National                               bool   // the actor chooses the region
	Regions                                []traject.Region
	Offices                                []traject.Office
}

// readLearnerForm reads the posted answers.
func (s *Server) readLearnerForm(r *http.Request) (learnerForm, traject.NationalNumber) {
	_ = r.ParseForm() // an unreadable body gives empty answers, which are refused
	f := learnerForm{Ref: r.PostFormValue("ref"), FirstName: r.PostFormValue("first_name"), LastName: r.PostFormValue("last_name"),
		Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"), Language: r.PostFormValue("language"),
		Region: r.PostFormValue("region"), Office: r.PostFormValue("office"), Obligation: r.PostFormValue("obligation"),
		Counsellor: r.PostFormValue("counsellor"), BirthDate: readDate(r.PostForm, "birth_date")}
	n := traject.NationalNumber(r.PostFormValue("national_number"))
	f.NumberTyped = n != ""
	return f, n
}

// learnerChoices adds what the form offers: the regions for a national role
// (a regional role keeps learners in its own region), and the offices.
func (s *Server) learnerChoices(r *http.Request, f *learnerForm) error {
	actor := traject.UserFromContext(r.Context())
	f.National, f.Regions = actor.ScopeRegion() == "", traject.Regions
	if !f.National {
		f.Region = actor.ScopeRegion()
	}
	var err error
	f.Offices, err = s.Store.Offices(r.Context())
	return err
}

// learner turns the answers into a learner and names every answer that
// cannot be read, beside what the domain refuses.
func (f *learnerForm) learner(n traject.NationalNumber) (*traject.Learner, error) {
	l := &traject.Learner{Ref: f.Ref, FirstName: f.FirstName, LastName: f.LastName, NationalNumber: n,
		Phone: f.Phone, Email: f.Email, Language: f.Language, RegionCode: f.Region,
		Obligation: traject.Obligation(f.Obligation), Counsellor: f.Counsellor}
	var v traject.Validation
	birth, ok := parseBirthDate(f.BirthDate)
	if !ok {
		v.Add("birth_date", "learnerform.birthdate.invalid", "enter a real date, as 30 7 1985", nil)
	}
	l.BirthDate = birth
	if f.Office != "" {
		id, err := strconv.ParseInt(f.Office, 10, 64)
		if err != nil {
			v.Add("office", "learner.office.invalid", "choose an office of the learner's region", nil)
		}
		l.OfficeID = id
	}
	if err := l.Validate(); err != nil {
		e, _ := traject.AsError(err)
		for _, fe := range e.Fields {
			if fe.Field != "birth_date" || ok {
				v.Add(fe.Field, fe.Key, fe.Message, fe.Args)
			}
		}
	}
	return l, v.Err()
}

// parseBirthDate reads the three-field date; all empty is no date, which
// the domain then asks for.
func parseBirthDate(d dateValue) (time.Time, bool) {
	if d == (dateValue{}) {
		return time.Time{}, true
	}
	day, e1 := strconv.Atoi(d.Day)
	month, e2 := strconv.Atoi(d.Month)
	year, e3 := strconv.Atoi(d.Year)
	if e1 != nil || e2 != nil || e3 != nil || month < 1 || month > 12 || day < 1 || year < 1900 || year > 9999 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == day
}

func (s *Server) learnerNew(w http.ResponseWriter, r *http.Request) error {
	f := learnerForm{} // no radio chosen in advance: obliged or entitled is a decision
	if err := s.learnerChoices(r, &f); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "learner_form", s.newPage(r, "learnerform.new", &f))
}

func (s *Server) learnerCreate(w http.ResponseWriter, r *http.Request) error {
	f, n := s.readLearnerForm(r)
	if err := s.learnerChoices(r, &f); err != nil {
		return err
	}
	l, err := f.learner(n)
	if err == nil {
		err = s.Store.CreateLearner(r.Context(), l)
	}
	return s.afterLearnerSave(w, r, &f, l, err, "learnerform.new", "learnerform.created")
}

func (s *Server) learnerEdit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Store.Learner(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	f := learnerForm{Edit: true, Ref: l.Ref, FirstName: l.FirstName, LastName: l.LastName, Phone: l.Phone, Email: l.Email,
		Language: l.Language, Region: l.RegionCode, Obligation: string(l.Obligation), Counsellor: l.Counsellor,
		BirthDate: dateOf(l.BirthDate), Masked: l.NationalNumberMasked}
	if l.OfficeID != 0 {
		f.Office = strconv.FormatInt(l.OfficeID, 10)
	}
	if err := s.learnerChoices(r, &f); err != nil {
		return err
	}
	if f.National {
		f.Region = l.RegionCode
	}
	return s.render(w, r, http.StatusOK, "learner_form", s.newPage(r, "learnerform.edit", &f))
}

func (s *Server) learnerUpdate(w http.ResponseWriter, r *http.Request) error {
	before, err := s.Store.Learner(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	f, n := s.readLearnerForm(r)
	f.Edit, f.Ref, f.Masked = true, before.Ref, before.NationalNumberMasked
	if err := s.learnerChoices(r, &f); err != nil {
		return err
	}
	l, err := f.learner(n)
	if err == nil {
		err = s.Store.UpdateLearner(r.Context(), l)
	}
	return s.afterLearnerSave(w, r, &f, l, err, "learnerform.edit", "learnerform.updated")
}

// afterLearnerSave shows the form again with every problem (422), or goes to the
// learner's page (303).
func (s *Server) afterLearnerSave(w http.ResponseWriter, r *http.Request, f *learnerForm, l *traject.Learner, err error, title, done string) error {
	switch traject.ErrorCode(err) {
	case "":
		s.flash(r, s.localizer(r).T(done, "Name", l.FullName()))
		http.Redirect(w, r, "/learners/"+l.Ref, http.StatusSeeOther)
		return nil
	case traject.EINVALID, traject.ECONFLICT:
		p := s.withErrors(r, s.newPage(r, title, f), err, "ref")
		return s.render(w, r, http.StatusUnprocessableEntity, "learner_form", p)
	}
	return err
}

// learnerField is one text input of the learner form, with its error.
type learnerField struct {
	Name, Label, Value, Autocomplete string
	Error                            *fieldError
}

// LearnerField returns the data of one text input of the learner form.
func (p *page) LearnerField(name, label, value, autocomplete string) learnerField {
	return learnerField{Name: name, Label: label, Value: value, Autocomplete: autocomplete, Error: p.FieldError(name)}
}

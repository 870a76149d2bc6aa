package web

import (
	"net/http"
	"net/url"
	"strings"

	"traject"
)

// assessmentForm is the intake form of one learner, as typed.
type assessmentForm struct {
	Learner      *traject.Learner
	AssessedOn   dateValue
	DeviceAccess string
	Internet     string
	Skills       map[traject.Skill]bool // ticked
	Literacy     string
	Education    string
	DutchLevel   string
	Languages    string
}

// choiceGroup is one question answered with radios.
type choiceGroup struct {
	Name, Legend, Hint string // Legend and Hint are catalog keys
	Options            []choiceOption
	Chosen             string
	Error              *fieldError
}

// choiceOption is one answer: its value and the catalog key of its label
// ("" shows the value itself, as for CEFR levels).
type choiceOption struct{ Value, Label string }

// choicesOf turns a list of codes into radio options labelled prefix+code.
func choicesOf[T ~string](prefix string, values []T) []choiceOption {
	out := make([]choiceOption, len(values))
	for i, v := range values {
		out[i] = choiceOption{Value: string(v)}
		if prefix != "" {
			out[i].Label = prefix + string(v)
		}
	}
	return out
}

func readAssessmentForm(form url.Values) assessmentForm {
	f := assessmentForm{AssessedOn: readDate(form, "assessed_on"), DeviceAccess: form.Get("device_access"),
		Internet: form.Get("internet"), Literacy: form.Get("literacy"), Education: form.Get("education"),
		DutchLevel: form.Get("dutch_level"), Languages: strings.TrimSpace(form.Get("languages")), Skills: map[traject.Skill]bool{}}
	for _, s := range form["skills"] {
		if traject.Skill(s).Valid() {
			f.Skills[traject.Skill(s)] = true
		}
	}
	return f
}

// assessment reads the answers; a date that cannot be read is left empty,
// which the domain refuses with its own message.
func (f *assessmentForm) assessment() *traject.Assessment {
	a := &traject.Assessment{DeviceAccess: traject.DeviceAccess(f.DeviceAccess), Internet: traject.Internet(f.Internet),
		Literacy: traject.Literacy(f.Literacy), Education: traject.Education(f.Education), DutchLevel: traject.DutchLevel(f.DutchLevel),
		Languages: traject.ParseLanguages(f.Languages)}
	if day, ok := f.AssessedOn.parse(); ok && !day.IsZero() {
		a.AssessedOn = asDate(day)
	}
	for skill, can := range f.Skills {
		a.Skills.Set(skill, can)
	}
	return a
}

// assessmentData is the intake page: the form and its questions.
type assessmentData struct {
	assessmentForm
	Before, After []choiceGroup // the radio questions before and after the skills
	SkillList     []traject.Skill
}

func (s *Server) assessmentNew(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Store.Learner(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	form := assessmentForm{Learner: l, AssessedOn: dateOf(today()), Skills: map[traject.Skill]bool{}}
	return s.showAssessmentForm(w, r, http.StatusOK, form, nil)
}

func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	l, err := s.Store.Learner(r.Context(), ref)
	if err != nil {
		return err
	}
	_ = r.ParseForm() // an unreadable body gives empty answers, which are refused below
	form := readAssessmentForm(r.PostForm)
	form.Learner = l
	_, err = s.Store.RecordAssessment(r.Context(), ref, form.assessment())
	if traject.ErrorCode(err) == traject.EINVALID {
		return s.showAssessmentForm(w, r, http.StatusUnprocessableEntity, form, err)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("assessmentpage.done"))
	http.Redirect(w, r, placementURL(ref), http.StatusSeeOther)
	return nil
}

func placementURL(ref string) string { return "/learners/" + url.PathEscape(ref) + "/placement" }

func (s *Server) showAssessmentForm(w http.ResponseWriter, r *http.Request, status int, form assessmentForm, err error) error {
	data := &assessmentData{assessmentForm: form, SkillList: traject.Skills}
	p := s.newPage(r, "assessmentpage.title", data)
	p.Title = s.localizer(r).T("assessmentpage.pagetitle", "Ref", form.Learner.Ref)
	s.withErrors(r, p, localizeArgs(s.localizer(r), err), "assessed_on")
	group := func(name string, opts []choiceOption, chosen string) choiceGroup {
		g := choiceGroup{Name: name, Legend: "assessment.field." + name, Options: opts, Chosen: chosen, Error: p.FieldError(name)}
		if s.localizer(r).Has(g.Legend + ".hint") {
			g.Hint = g.Legend + ".hint"
		}
		return g
	}
	data.Before = []choiceGroup{
		group("device_access", choicesOf("assessment.device.", traject.DeviceAccesses), form.DeviceAccess),
		group("internet", choicesOf("assessment.internet.", traject.Internets), form.Internet),
	}
	dutch := choicesOf("", traject.DutchLevels)
	dutch[0].Label = "assessment.dutch.none"
	data.After = []choiceGroup{
		group("literacy", choicesOf("assessment.literacy.", traject.Literacies), form.Literacy),
		group("education", choicesOf("assessment.education.", traject.Educations), form.Education),
		group("dutch_level", dutch, form.DutchLevel),
	}
	return s.render(w, r, status, "assessment_new", p)
}

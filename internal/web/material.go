package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/store"
)

// materialData is a material's page: the material, its reviews, the barriers
// reported on it, and the review form with the answers sent back.
type materialData struct {
	Material      *traject.Material
	LanguageNames string
	Reviews       []reviewRow
	Barriers      int  // unresolved barriers on it, within the reader's region
	CanReview     bool // the reader may review, and did not submit it
	Own           bool // the reader submitted it
	Criteria      []string
	Form          reviewForm
}

// reviewRow is a review with its answers in the order of the criteria.
type reviewRow struct {
	traject.MaterialReview
	Answers []criterionAnswer
}

// criterionAnswer is one criterion and its answer.
type criterionAnswer struct {
	Criterion string
	Yes       bool
}

// reviewForm is the review form as typed: criterion -> "yes" or "no".
type reviewForm struct {
	Answers  map[string]string
	Decision string
	Notes    string
}

// parseMaterialID reads the id in the path; a malformed one is not found.
func parseMaterialID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, traject.Errorf(traject.ENOTFOUND, "db.notfound", "material %s not found", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) material(w http.ResponseWriter, r *http.Request) error {
	return s.showMaterial(w, r, http.StatusOK, nil, reviewForm{Answers: map[string]string{}})
}

// showMaterial renders the material page; after a refused review it shows
// err with the answers kept, under the given status.
func (s *Server) showMaterial(w http.ResponseWriter, r *http.Request, status int, err error, form reviewForm) error {
	id, perr := parseMaterialID(r)
	if perr != nil {
		return perr
	}
	m, merr := s.Store.Material(r.Context(), id)
	if merr != nil {
		return merr
	}
	open, berr := s.Store.Barriers(r.Context(), store.BarrierFilter{MaterialID: id, Unresolved: true, Limit: 500})
	if berr != nil {
		return berr
	}
	actor := traject.UserFromContext(r.Context())
	data := &materialData{Material: m, LanguageNames: displayLanguages(s.localizer(r).Lang.Tag, m.Languages),
		Barriers: len(open.Barriers), Own: actor.ID == m.SubmittedBy, Criteria: traject.MaterialCriteria, Form: form}
	data.CanReview = actor.Can(traject.PermMaterialsReview) && !data.Own
	for _, rev := range m.Reviews {
		row := reviewRow{MaterialReview: rev}
		for _, c := range traject.MaterialCriteria {
			row.Answers = append(row.Answers, criterionAnswer{Criterion: c, Yes: *rev.Answer(c)})
		}
		data.Reviews = append(data.Reviews, row)
	}
	p := s.newPage(r, "materialpage.title", data)
	p.Title = s.localizer(r).T("materialpage.title", "Title", m.Title)
	if err != nil {
		s.withErrors(r, p, err, traject.CriterionLanguageLevel)
	}
	return s.render(w, r, status, "material", p)
}

// reviewMaterial records a review from the form.
func (s *Server) reviewMaterial(w http.ResponseWriter, r *http.Request) error {
	id, err := parseMaterialID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm() // an unreadable form is an unanswered one, which the domain refuses
	form := reviewForm{Answers: map[string]string{}, Decision: r.PostFormValue("decision"), Notes: r.PostFormValue("notes")}
	review := &traject.MaterialReview{Decision: traject.MaterialStatus(form.Decision), Notes: form.Notes}
	for _, c := range traject.MaterialCriteria {
		form.Answers[c] = r.PostFormValue(c)
		if a := form.Answers[c]; a == "yes" || a == "no" {
			review.SetAnswer(c, a == "yes")
		}
	}
	m, err := s.Store.ReviewMaterial(r.Context(), id, review)
	if traject.ErrorCode(err) == traject.EINVALID {
		return s.showMaterial(w, r, http.StatusUnprocessableEntity, err, form)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("materialpage.review.done."+string(m.Status)))
	http.Redirect(w, r, "/materials/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

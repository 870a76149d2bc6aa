package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
)

// materialForm is the form that proposes a material, as typed.
type materialForm struct {
	Title, Link, Type, Theme, Languages, Track, Offline string
	Types                                               []traject.MaterialType
	Tracks                                              []traject.MaterialTrack
}

func newMaterialForm(r *http.Request) materialForm {
	// A body that cannot be read gives empty answers, which the checks refuse.
	_ = r.ParseForm()
	return materialForm{Title: r.PostFormValue("title"), Link: strings.TrimSpace(r.PostFormValue("link")),
		Type: r.PostFormValue("type"), Theme: r.PostFormValue("theme"), Languages: r.PostFormValue("languages"),
		Track: r.PostFormValue("track"), Offline: r.PostFormValue("works_offline"),
		Types: traject.MaterialTypes, Tracks: traject.MaterialTracks}
}

func (s *Server) materialNew(w http.ResponseWriter, r *http.Request) error {
	if !traject.CanSubmitMaterial(traject.UserFromContext(r.Context())) {
		return traject.Errorf(traject.EFORBIDDEN, "material.submit.forbidden", "your role cannot propose materials")
	}
	return s.render(w, r, http.StatusOK, "material_new", s.newPage(r, "materialnew.title", newMaterialForm(r)))
}

func (s *Server) materialCreate(w http.ResponseWriter, r *http.Request) error {
	form := newMaterialForm(r)
	m, err := form.material()
	if err == nil {
		err = s.Store.CreateMaterial(r.Context(), m)
	}
	if traject.ErrorCode(err) == traject.EINVALID {
		p := s.withErrors(r, s.newPage(r, "materialnew.title", form), err, "title")
		return s.render(w, r, http.StatusUnprocessableEntity, "material_new", p)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("materialnew.done", "Title", m.Title))
	http.Redirect(w, r, "/materials/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
	return nil
}

// material reads the typed answers into a material and checks them all at
// once: the works-offline question, which the domain cannot see unanswered,
// and what the domain refuses.
func (f *materialForm) material() (*traject.Material, error) {
	m := &traject.Material{Title: f.Title, Link: f.Link, Type: traject.MaterialType(f.Type), Theme: f.Theme,
		Languages: splitLanguageCodes(f.Languages), Track: traject.MaterialTrack(f.Track), WorksOffline: f.Offline == "yes"}
	var v traject.Validation
	err := m.Validate()
	if e, ok := traject.AsError(err); ok {
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key, fe.Message, fe.Args)
		}
	}
	if f.Offline != "yes" && f.Offline != "no" {
		v.Add("works_offline", "materialnew.offline.required", "say whether the material works offline", nil)
	}
	return m, v.Err()
}

// splitLanguageCodes reads a list of language codes as people type it:
// separated by commas, semicolons, slashes or spaces. The domain checks each.
func splitLanguageCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == ' ' || r == '\t' })
}

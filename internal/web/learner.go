package web

import (
	"net/http"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"traject"
)

// learnerData is the learner page; Revealed holds the national number only
// on the answer to a permitted reveal, which is never cached.
type learnerData struct {
	Learner   *traject.Learner
	Office    string
	Language  string // the contact language's name in the page's language
	CanReveal bool
	Revealed  string
}

func (s *Server) learner(w http.ResponseWriter, r *http.Request) error {
	return s.showLearner(w, r, "")
}

// learnerReveal shows the national number once, on this answer only. The
// store checks learners:reveal and audits the reveal, or the refused attempt.
func (s *Server) learnerReveal(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Store.RevealNationalNumber(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return s.showLearner(w, r, n.Format())
}

func (s *Server) showLearner(w http.ResponseWriter, r *http.Request, revealed string) error {
	l, err := s.Store.Learner(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	data := &learnerData{Learner: l, Revealed: revealed, Language: languageName(l.Language, loc.Lang.Tag),
		CanReveal: traject.UserFromContext(r.Context()).Can(traject.PermLearnersReveal) && l.NationalNumberMasked != ""}
	if data.Office, err = s.officeName(r, l.OfficeID); err != nil {
		return err
	}
	p := s.newPage(r, "learnerpage.title", data)
	p.Title = l.FullName()
	return s.render(w, r, http.StatusOK, "learner", p)
}

// officeName returns the name of an office, or "" for none.
func (s *Server) officeName(r *http.Request, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	offices, err := s.Store.Offices(r.Context())
	for _, o := range offices {
		if o.ID == id {
			return o.Name, err
		}
	}
	return "", err
}

// languageName names an ISO 639-1 language in the page's language, as
// "Tigrinya (ti)"; the code alone when the name is unknown.
func languageName(code, pageLang string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	name := display.Tags(language.Make(pageLang)).Name(tag)
	if name == "" {
		return code
	}
	return name + " (" + code + ")"
}

package web

import (
	"maps"
	"net/http"
	"strings"

	"traject"
)

// agreementData is the agreement page: the version in force, and the form
// that publishes the next one, filled with the current texts to edit.
type agreementData struct {
	Current   *traject.AgreementVersion
	Languages []string
	Texts     map[string]string // the form's texts, per language
	CanWrite  bool
}

// DirOf is the writing direction of an agreement language.
func (agreementData) DirOf(lang string) string { return acceptData{}.DirOf(lang) }

func (s *Server) agreementPage(w http.ResponseWriter, r *http.Request) error {
	return s.showAgreement(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showAgreement(w http.ResponseWriter, r *http.Request, status int, err error, texts map[string]string) error {
	cur, cerr := s.Store.CurrentAgreement(r.Context())
	if cerr != nil {
		return cerr
	}
	if texts == nil {
		texts = maps.Clone(cur.Texts)
	}
	u := traject.UserFromContext(r.Context())
	d := &agreementData{Current: cur, Languages: traject.AgreementLanguages, Texts: texts,
		CanWrite: u.Can(traject.PermAgreementPublish)}
	p := s.newPage(r, "agreementpage.title", d)
	if err != nil {
		s.formErrors(r, p, err, "nl")
		for i := range p.Errors {
			p.Errors[i].Field = "text-" + p.Errors[i].Field
		}
	}
	return s.render(w, r, status, "agreement", p)
}

// publishAgreement publishes the texts as the next version. Every loan not
// yet handed out must then be accepted again before its hand-out.
func (s *Server) publishAgreement(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm() // an unreadable body gives empty texts, which are refused
	texts := map[string]string{}
	for _, lang := range traject.AgreementLanguages {
		texts[lang] = strings.ReplaceAll(r.PostFormValue("text_"+lang), "\r\n", "\n")
	}
	a := &traject.AgreementVersion{Texts: map[string]string{}}
	for lang, text := range texts {
		if strings.TrimSpace(text) != "" {
			a.Texts[lang] = text
		}
	}
	err := s.Store.PublishAgreement(r.Context(), a)
	if status, ok := formStatus(err); ok {
		return s.showAgreement(w, r, status, err, texts)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("agreementpage.done", "Version", a.Version))
	http.Redirect(w, r, "/agreement", http.StatusSeeOther)
	return nil
}

// Paragraphs splits an agreement text into its paragraphs for the page.
func (agreementData) Paragraphs(text string) []string { return acceptData{}.Paragraphs(text) }

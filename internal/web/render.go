package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"traject"
	"traject/internal/auth"
	"traject/internal/i18n"
)

// page is what the layout needs on every page, assembled in one place.
type page struct {
	Lang      i18n.Language
	Languages []langLink
	Title     string
	User      *traject.User
	Nav       []navItem
	Flash     string
	Errors    []fieldError
	Data      any
}

type langLink struct {
	i18n.Language
	URL     string
	Current bool
}

// fieldError is one entry of the error summary and its inline message.
type fieldError struct {
	Field   string
	Message string
}

// FieldError returns the error of one field, for the inline message, or nil.
func (p *page) FieldError(field string) *fieldError {
	for i := range p.Errors {
		if p.Errors[i].Field == field {
			return &p.Errors[i]
		}
	}
	return nil
}

// newPage assembles the common data of a page in the request's language.
func (s *Server) newPage(r *http.Request, titleKey string, data any) *page {
	loc := s.localizer(r)
	p := &page{Lang: loc.Lang, Title: loc.T(titleKey), User: traject.UserFromContext(r.Context()), Data: data}
	p.Languages = languageLinks(r, loc.Lang.Tag)
	if p.User != nil {
		p.Nav = navFor(p.User, r.URL.Path)
	}
	p.Flash = s.Sessions.PopString(r.Context(), "flash")
	return p
}

func navFor(u *traject.User, path string) []navItem {
	var out []navItem
	for _, item := range navItems {
		if item.Perm == "" || u.Can(item.Perm) {
			item.Current = item.URL == path
			out = append(out, item)
		}
	}
	return out
}

// languageLinks returns the language switch: this page in every language.
func languageLinks(r *http.Request, current string) []langLink {
	var out []langLink
	for _, l := range i18n.Languages {
		q := url.Values{}
		if r.Method == http.MethodGet {
			q = r.URL.Query()
		}
		q.Set("lang", l.Tag)
		out = append(out, langLink{Language: l, URL: r.URL.Path + "?" + q.Encode(), Current: l.Tag == current})
	}
	return out
}

// withErrors adds the errors of err to the page, translated; an error that
// names no field is linked to first, the first field of the form.
func (s *Server) withErrors(r *http.Request, p *page, err error, first string) *page {
	loc := s.localizer(r)
	e, ok := traject.AsError(err)
	if !ok {
		return p
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, fieldError{Field: f.Field, Message: loc.Field(f)})
	}
	if len(e.Fields) == 0 {
		p.Errors = append(p.Errors, fieldError{Field: first, Message: loc.Error(err)})
	}
	return p
}

// render writes a page. It renders into a buffer first, so that a template
// failure becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) error {
	t, err := s.template(p.Lang.Tag, name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err = buf.WriteTo(w)
	return err
}

// writeError shows an error page: the login page for someone not signed in,
// else a page with the status, a message a person can act on and the request id.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	loc := s.localizer(r)
	titleKey := map[int]string{401: "errorpage.401", 403: "errorpage.403", 404: "errorpage.404", 409: "errorpage.409", 422: "errorpage.422"}[status]
	if titleKey == "" {
		titleKey = "errorpage.500"
	}
	msg := loc.Error(err)
	if status >= 500 {
		msg = loc.T("error.internal")
	}
	p := s.newPage(r, titleKey, struct{ Message, RequestID string }{msg, traject.RequestIDFromContext(r.Context())})
	w.Header().Set("Cache-Control", "no-store")
	if rerr := s.render(w, r, status, "error", p); rerr != nil {
		// The error page itself failed: fall back to plain text, still without internals.
		http.Error(w, http.StatusText(status)+" ("+traject.RequestIDFromContext(r.Context())+")", status)
	}
}

// localizer returns the translator of the request's language: ?lang= (kept in
// the session), then the session, then Accept-Language, then Dutch.
func (s *Server) localizer(r *http.Request) *i18n.Localizer {
	ctx := r.Context()
	if q := r.URL.Query().Get("lang"); q != "" {
		if _, ok := i18n.Supported(q); ok {
			if s.Sessions.GetString(ctx, auth.SessionLang) != q {
				s.Sessions.Put(ctx, auth.SessionLang, q)
			}
			return s.I18n.Localizer(q)
		}
	}
	if l := s.Sessions.GetString(ctx, auth.SessionLang); l != "" {
		return s.I18n.Localizer(l)
	}
	return s.I18n.Localizer(s.I18n.Negotiate(r.Header.Get("Accept-Language")))
}

// localPath returns next when it is a path on this site, else "/": a sign-in
// must never redirect to another site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// WriteError is writeError for the middleware that runs outside the routes
// (recovery, cross-origin protection).
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, status int, err error) {
	s.writeError(w, r, status, err)
}

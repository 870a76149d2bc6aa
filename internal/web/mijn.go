package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"

	"traject"
	"traject/internal/auth"
	"traject/internal/httpx"
	"traject/internal/i18n"
)

// The learner's own pages (/mijn/) are a separate, small site for a phone on
// 4G: their own layout without the staff menu, their own session key, and
// their own error pages. A learner session never opens a staff page (the
// staff session key is user_id, which a learner session does not hold) and a
// staff session never opens a learner page.

// Session keys of the learner's pages.
const (
	sessionLearnerID = "learner_id"
	sessionMijnPhone = "mijn_phone"  // the number a sign-in code was asked for
	sessionMijnCrs   = "mijn_course" // the answers of the device request, one per page
	sessionMijnNeed  = "mijn_need"
	sessionMijnDone  = "mijn_done" // the reference of the request just made
)

// mijnViews are the learner's page templates, each parsed with mijn_layout.html.
var mijnViews = []string{"mijn_signin", "mijn_code", "mijn_home", "mijn_course", "mijn_internet", "mijn_check",
	"mijn_done", "mijn_agreement", "mijn_accepted", "mijn_error"}

// mijn serves the learner's pages; it shares the Server's dependencies.
type mijn struct {
	*Server
	views map[string]map[string]*template.Template // language -> page -> template
}

func newMijn(s *Server) (*mijn, error) {
	m := &mijn{Server: s}
	var err error
	m.views, err = m.parse(templateFS)
	return m, err
}

func (m *mijn) parse(fsys fs.FS) (map[string]map[string]*template.Template, error) {
	out := map[string]map[string]*template.Template{}
	for _, lang := range i18n.Languages {
		out[lang.Tag] = map[string]*template.Template{}
		funcs := m.funcs(m.I18n.Localizer(lang.Tag))
		for _, name := range mijnViews {
			t, err := template.New(name).Funcs(funcs).ParseFS(fsys, "templates/mijn_layout.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
			out[lang.Tag][name] = t
		}
	}
	return out, nil
}

// view returns a learner page's template, parsed again from disk in dev mode.
func (m *mijn) view(lang, name string) (*template.Template, error) {
	if m.Config.Dev {
		v, err := m.parse(os.DirFS("internal/web"))
		if err != nil {
			return nil, err
		}
		return v[lang][name], nil
	}
	return m.views[lang][name], nil
}

// mijnPage is what the learner's layout needs.
type mijnPage struct {
	*page
	Learner *traject.Learner // nil before sign-in
	Back    string           // the back link, when the page has one
}

func (m *mijn) newPage(r *http.Request, l *traject.Learner, titleKey string, data any) *mijnPage {
	return &mijnPage{page: m.Server.newPage(r, titleKey, data), Learner: l}
}

// withErrors adds the errors of err to the page, as the staff pages do.
func (m *mijn) withErrors(r *http.Request, p *mijnPage, err error, first string) *mijnPage {
	m.Server.withErrors(r, p.page, err, first)
	return p
}

// render writes a learner page, buffered so that a failing template becomes
// a clean error page.
func (m *mijn) render(w http.ResponseWriter, status int, name string, p *mijnPage) error {
	t, err := m.view(p.Lang.Tag, name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "mijn_layout", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err = buf.WriteTo(w)
	return err
}

// learnerHandler is a handler for a signed-in learner.
type learnerHandler func(w http.ResponseWriter, r *http.Request, l *traject.Learner) error

// public wraps a learner page that needs no sign-in.
func (m *mijn) public(h httpx.HandlerFunc) http.Handler {
	return httpx.Adapt(m.Logger, m.writeError, func(w http.ResponseWriter, r *http.Request) error {
		// Shared phones and Chromebooks: never keep a learner page in a cache.
		w.Header().Set("Cache-Control", "no-store")
		return h(w, r.WithContext(asTraject(r.Context(), "learner")))
	})
}

// learner wraps a page for the signed-in learner. Store calls then run as
// Traject itself (no staff member), labelled "learner:REF" in the audit log.
func (m *mijn) learner(h learnerHandler) http.Handler {
	return m.public(func(w http.ResponseWriter, r *http.Request) error {
		l, err := m.signedInLearner(r)
		if err != nil {
			return err
		}
		r = r.WithContext(asTraject(r.Context(), "learner:"+l.Ref))
		return h(w, r, l)
	})
}

// asTraject takes any staff member out of ctx, so that a staff session or
// token can never act through a learner page, and names the actor.
func asTraject(ctx context.Context, label string) context.Context {
	ctx = traject.NewContextWithUser(ctx, nil)
	return traject.NewContextWithActorLabel(ctx, label)
}

// signedInLearner returns the learner of the session. A session that also
// holds a staff member is not a learner session.
func (m *mijn) signedInLearner(r *http.Request) (*traject.Learner, error) {
	ctx := r.Context()
	id := m.Sessions.GetInt64(ctx, sessionLearnerID)
	if id == 0 || m.Sessions.Exists(ctx, auth.SessionUserID) {
		return nil, traject.Errorf(traject.EUNAUTHORIZED, "mijn.signin.required", "sign in with a code first")
	}
	l, err := m.Store.LearnerByID(ctx, id)
	if traject.ErrorCode(err) == traject.ENOTFOUND {
		m.Sessions.Remove(ctx, sessionLearnerID)
		return nil, traject.Errorf(traject.EUNAUTHORIZED, "mijn.signin.required", "sign in with a code first")
	}
	return l, err
}

// writeError answers an error on a learner page: a page that needs a
// sign-in sends to the sign-in page, anything else shows the learner's
// error page with the status and the request id.
func (m *mijn) writeError(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		target := "/mijn/"
		if lang := r.URL.Query().Get("lang"); lang != "" {
			target += "?lang=" + url.QueryEscape(lang)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	loc := m.localizer(r)
	titleKey := map[int]string{401: "mijn.error.401", 404: "mijn.error.404", 409: "mijn.error.409", 422: "mijn.error.422"}[status]
	if titleKey == "" {
		titleKey = "mijn.error.500"
	}
	msg := loc.Error(err)
	if status >= 500 || status == http.StatusForbidden {
		msg = loc.T("error.internal")
	}
	data := struct{ Message, RequestID string }{msg, traject.RequestIDFromContext(r.Context())}
	p := m.newPage(r, nil, titleKey, data)
	w.Header().Set("Cache-Control", "no-store")
	if rerr := m.render(w, status, "mijn_error", p); rerr != nil {
		http.Error(w, http.StatusText(status)+" ("+data.RequestID+")", status)
	}
}

// seeOther answers a form with 303 See Other (Post/Redirect/Get).
func (m *mijn) seeOther(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// mijnInvalid is a validation error on one field.
func mijnInvalid(field, key, msg string) error {
	var v traject.Validation
	v.Add(field, key, msg, nil)
	return v.Err()
}

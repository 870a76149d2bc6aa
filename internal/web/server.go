// Package web serves Traject's HTML pages for staff: server-rendered, working
// without JavaScript, in Dutch first and in English, French and Arabic.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"

	"traject/internal/auth"
	"traject/internal/config"
	"traject/internal/httpx"
	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// Deps are what the pages need; New receives them once.
type Deps struct {
	Store    *store.Store
	Sessions *auth.Sessions
	I18n     *i18n.Bundle
	Logger   *slog.Logger
	Config   config.Config
	OIDC     *auth.OIDC    // nil when single sign-on is off
	Sender   notify.Sender // SMS and e-mail to learners (sign-in codes)
}

// Server holds the parsed templates and the dependencies of every page.
type Server struct {
	Deps
	static    *staticFiles
	templates map[string]map[string]*template.Template // language -> page -> template
}

// New parses every template in every language and fails at start, not at the
// first request, when one is broken.
func New(d Deps) (*Server, error) {
	s := &Server{Deps: d}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.templates, err = s.parseTemplates(templateFS); err != nil {
		return nil, err
	}
	return s, nil
}

// pages lists every page template; each is parsed with the layout.
var pages = []string{"login", "home", "error", "staff", "staff_new", "audit", "account",
	"import",
	"learner_list", "learner", "learner_form",
	"course_list", "course", "course_new", "learner_calendar",
	"device_list", "device", "transfers", "deliveries", "delivery", "delivery_new", "stock", "sims_ending",
	"material_list", "material_new", "material", "barrier_list", "barrier_new", "barrier",
	"attendance", "participation", "followup",
	"assessment_new", "placement", "placement_rules"}

// allPages adds the pages each area declares in its own file.
func allPages() []string {
	out := append([]string(nil), pages...)
	out = append(out, deskPages...)
	out = append(out, mijnPages...)
	out = append(out, outreachPages...)
	out = append(out, casePages...)
	return append(out, reportPages...)
}

func (s *Server) parseTemplates(fsys fs.FS) (map[string]map[string]*template.Template, error) {
	out := map[string]map[string]*template.Template{}
	for _, lang := range i18n.Languages {
		out[lang.Tag] = map[string]*template.Template{}
		funcs := s.funcs(s.I18n.Localizer(lang.Tag))
		for _, name := range allPages() {
			t, err := template.New(name).Funcs(funcs).ParseFS(fsys, "templates/layout.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
			out[lang.Tag][name] = t
		}
	}
	return out, nil
}

// funcs binds t and the date helpers to one language, so that templates are
// parsed once per language instead of cloned per request.
func (s *Server) funcs(loc *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		"t":        loc.T,
		"date":     loc.Date,
		"datetime": loc.DateTime,
		"weekday":  loc.Weekday,
		"dayname":  loc.DayName,
		"clock":    loc.Clock,
		"static":   s.static.url,
	}
}

// template returns a page's template; in dev mode it is parsed again from disk
// so that a designer sees a change on reload.
func (s *Server) template(lang, name string) (*template.Template, error) {
	if s.Config.Dev {
		m, err := s.parseTemplates(os.DirFS("internal/web"))
		if err != nil {
			return nil, err
		}
		return m[lang][name], nil
	}
	return s.templates[lang][name], nil
}

func (s *Server) handle(perm string, h httpx.HandlerFunc) http.Handler {
	return httpx.Adapt(s.Logger, s.writeError, func(w http.ResponseWriter, r *http.Request) error {
		if perm != public {
			if err := httpx.Authorize(r, permission(perm)); err != nil {
				return err
			}
		}
		// Staff pages show personal data on shared desks: never cache them.
		w.Header().Set("Cache-Control", "no-store")
		return h(w, r)
	})
}

// flash stores a one-time message for the next page.
func (s *Server) flash(r *http.Request, msg string) {
	s.Sessions.Put(r.Context(), "flash", msg)
}

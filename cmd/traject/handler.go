package main

import (
	"context"
	"net/http"
	"strings"
	"time"

	"traject"
	"traject/internal/api"
	"traject/internal/auth"
	"traject/internal/httpx"
	"traject/internal/i18n"
	"traject/internal/web"
)

// handler assembles the whole HTTP surface: operations endpoints, the API
// under /api/v1 and the staff pages, behind one visible chain of middleware.
func (m *Main) handler(ctx context.Context) (http.Handler, error) {
	bundle, err := i18n.New()
	if err != nil {
		return nil, err
	}
	m.sessions = auth.NewSessions(m.store, m.Config.CookieSecure)
	var oidc *auth.OIDC
	if m.Config.OIDC.Enabled() {
		if oidc, err = auth.NewOIDC(ctx, m.Config.OIDC, m.Config.RedirectURL()); err != nil {
			return nil, err
		}
	}
	pages, err := web.New(web.Deps{Store: m.store, Sessions: m.sessions, I18n: bundle, Logger: m.Logger, Config: m.Config, OIDC: oidc, Sender: m.sender()})
	if err != nil {
		return nil, err
	}
	metrics := httpx.NewMetrics()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", m.readyz)
	mux.Handle("GET /metrics", metrics.Handler())
	api.New(mux, api.Deps{Store: m.store, I18n: bundle, Logger: m.Logger, Sender: m.sender()})
	pages.Routes(mux)

	// Errors met before a route runs are answered in the surface's own form.
	writeError := func(w http.ResponseWriter, r *http.Request, status int, err error) {
		if strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
			api.WriteProblem(w, r, status, err)
			return
		}
		pages.WriteError(w, r, status, err)
	}
	// A session that cannot be loaded (the database is down) is answered
	// without the session: the error page itself would need it.
	m.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		httpx.LogError(m.Logger, r, err)
		if strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
			api.WriteProblem(w, r, http.StatusServiceUnavailable, err)
			return
		}
		http.Error(w, "Traject is niet bereikbaar. Probeer het later opnieuw. Referentie: "+traject.RequestIDFromContext(r.Context()),
			http.StatusServiceUnavailable)
	}
	return httpx.Chain(httpx.RecordRoute(mux),
		httpx.RequestID,
		httpx.Observe(m.Logger, metrics),
		// The session is loaded before Recover and CrossOrigin, because their
		// error pages read it (language, flash); without it they panic.
		m.sessions.LoadAndSave,
		httpx.Recover(m.Logger, writeError),
		httpx.SecurityHeaders,
		httpx.CrossOrigin(writeError),
		httpx.Authenticate(m.store, m.sessions),
	), nil
}

// readyz answers 200 when the database answers within two seconds.
func (m *Main) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := m.store.Ping(ctx); err != nil {
		http.Error(w, "database unreachable\n", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// Package api is Traject's JSON API under /api/v1, described by an OpenAPI 3.1
// document that huma builds from the Go types. Every error is an RFC 9457
// problem document with a message a person can act on.
package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"traject"
	"traject/internal/httpx"
	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Version is the API's version in the OpenAPI document.
const Version = "1.0.0"

// Deps are what the API needs.
type Deps struct {
	Store  *store.Store
	I18n   *i18n.Bundle
	Logger *slog.Logger
	Sender notify.Sender // one-time codes to learners
}

// Server registers the API operations.
type Server struct {
	Deps
	api huma.API
}

// New builds the API on mux. The built-in docs page is off: it loads scripts
// from a CDN, which the Content-Security-Policy forbids and the desk network
// may not reach; the OpenAPI document is the reference.
func New(mux *http.ServeMux, d Deps) *Server {
	cfg := huma.DefaultConfig("Traject API", Version)
	cfg.Info.Description = "The digital side of a civic-integration programme: learners, courses, device loans, outreach, enforcement and reports. " +
		"Authenticate with `Authorization: Bearer TOKEN` (create a token on the account page or with `traject token create`)."
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil // no $schema links in bodies: clients get plain JSON
	cfg.Transformers = append(cfg.Transformers, withoutValues)
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token of a staff account."},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	s := &Server{Deps: d, api: humago.NewWithPrefix(mux, Prefix, cfg)}
	s.api.UseMiddleware(s.language)
	s.routes(mux)
	s.loanRoutes()
	s.reportRoutes()
	s.outreachRoutes()
	s.caseRoutes()
	return s
}

// OpenAPI returns the document, for the golden test.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// require is the route-level permission check: 401 without a valid token or
// session, 403 without the permission.
func (s *Server) require(perm traject.Permission) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, _ := humago.Unwrap(ctx)
		if err := httpx.Authorize(r, perm); err != nil {
			if httpx.Status(err) == http.StatusUnauthorized {
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="traject"`) // RFC 9110: a 401 names its scheme
			}
			_ = huma.WriteErr(s.api, ctx, httpx.Status(err), s.refusal(ctx.Context(), err))
			return
		}
		next(ctx)
	}
}

// refusal is the message of a refused request. The catalog's "sign in to continue"
// suits a page; a script cannot act on it, so the API adds how to send a token.
// A store failure while checking a token is internal: logged, with a reference.
func (s *Server) refusal(ctx context.Context, err error) string {
	if httpx.Status(err) >= 500 {
		return s.internal(ctx, err)
	}
	loc := s.localizer(ctx)
	msg := loc.Error(err)
	if e, ok := traject.AsError(err); ok && e.Key == "auth.required" {
		msg += " " + loc.T("auth.token.form")
	}
	return msg
}

// operation declares one operation with its permission; the empty permission
// means any signed-in staff member, who can then never be refused with 403.
func (s *Server) operation(id, method, path, summary string, perm traject.Permission) huma.Operation {
	op := huma.Operation{
		OperationID: id, Method: method, Path: path, Summary: summary,
		Description: "Needs the permission `" + string(perm) + "`.",
		Middlewares: huma.Middlewares{s.require(perm)},
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}
	if perm == "" {
		op.Description = "Open to every staff member with a valid token or session."
		op.Errors = []int{http.StatusUnauthorized}
	}
	return op
}

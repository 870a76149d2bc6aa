// Package api is Traject's JSON API under /api/v1, described by an OpenAPI 3.1
// document that huma builds from the Go types. Every error is an RFC 9457
// problem document with a message a person can act on.
package api

import (
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"traject"
	"traject/internal/httpx"
	"traject/internal/i18n"
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
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token of a staff account."},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	s := &Server{Deps: d, api: humago.NewWithPrefix(mux, Prefix, cfg)}
	s.api.UseMiddleware(s.language)
	s.routes(mux)
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
			_ = huma.WriteErr(s.api, ctx, httpx.Status(err), s.localizer(ctx.Context()).Error(err))
			return
		}
		next(ctx)
	}
}

// operation declares one operation with its permission.
func (s *Server) operation(id, method, path, summary string, perm traject.Permission) huma.Operation {
	return huma.Operation{
		OperationID: id, Method: method, Path: path, Summary: summary,
		Description: "Needs the permission `" + string(perm) + "`.",
		Middlewares: huma.Middlewares{s.require(perm)},
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}
}

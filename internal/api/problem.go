package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
	"traject/internal/httpx"
	"traject/internal/i18n"
)

type langKey struct{}

// language puts the language of the client into the context of every
// operation: the one its Accept-Language asks for, English when it asks none.
func (s *Server) language(ctx huma.Context, next func(huma.Context)) {
	lang := "en"
	if h := ctx.Header("Accept-Language"); h != "" {
		lang = s.I18n.Negotiate(h)
	}
	next(huma.WithValue(ctx, langKey{}, lang))
}

func (s *Server) localizer(ctx context.Context) *i18n.Localizer {
	lang, _ := ctx.Value(langKey{}).(string)
	if lang == "" {
		lang = "en"
	}
	return s.I18n.Localizer(lang)
}

// problem turns a store or domain error into a huma error with the right
// status; field errors become the problem's errors list. Internal errors are
// logged here, once, and show only the request id.
func (s *Server) problem(ctx context.Context, err error) error {
	status := httpx.Status(err)
	if status >= 500 {
		return huma.NewError(status, s.internal(ctx, err))
	}
	var details []error
	e, typed := traject.AsError(err)
	if typed {
		loc := s.localizer(ctx)
		for _, f := range e.Fields {
			details = append(details, &huma.ErrorDetail{Location: "body." + f.Field, Message: loc.Field(f)})
		}
	}
	p := huma.NewError(status, s.localizer(ctx).Error(err), details...)
	// The error's catalog key is the problem's type (urn:traject:problem:KEY),
	// so that a script can tell "no device free" from "that device is taken"
	// without reading a translated message.
	if m, ok := p.(*huma.ErrorModel); ok && typed && e.Key != "" {
		m.Type = "urn:traject:problem:" + e.Key
	}
	return p
}

// internal logs an internal error, once, and returns the only text the
// client sees of it: the request id to quote.
func (s *Server) internal(ctx context.Context, err error) string {
	s.Logger.ErrorContext(ctx, "api operation failed",
		slog.String("request_id", traject.RequestIDFromContext(ctx)), slog.Any("err", err))
	return "Internal error; quote request " + traject.RequestIDFromContext(ctx) + " to the helpdesk."
}

// notFound answers every path under the prefix that has no operation.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(`{"title":"Not Found","status":404,"detail":"There is no API endpoint at this path and method; see /api/v1/openapi.json for the ones there are."}`))
}

// WriteProblem writes a problem document for an error met outside the
// operations (recovery, cross-origin protection), in English, without any
// internal text.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, err error) {
	detail := traject.ErrorMessage(err)
	if status >= 500 {
		detail = "Internal error; quote request " + traject.RequestIDFromContext(r.Context()) + " to the helpdesk."
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail})
}

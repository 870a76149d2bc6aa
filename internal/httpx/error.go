// Package httpx is what the HTML pages and the JSON API share: the adapter
// that turns a handler's error into one response, and the middleware around
// every request (request id, logging and metrics, recovery, security headers,
// cross-origin protection, authentication).
package httpx

import (
	"log/slog"
	"net/http"

	"traject"
)

// HandlerFunc is a handler that returns its error instead of writing it, so
// that a forgotten return after an error response cannot happen.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ErrorWriter writes the response for an error on its surface: an HTML page
// or a problem document.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, err error)

// Status maps a domain error code to an HTTP status.
func Status(err error) int {
	switch traject.ErrorCode(err) {
	case traject.EINVALID:
		return http.StatusUnprocessableEntity
	case traject.ENOTFOUND:
		return http.StatusNotFound
	case traject.ECONFLICT:
		return http.StatusConflict
	case traject.EFORBIDDEN:
		return http.StatusForbidden
	case traject.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case traject.ETHROTTLED:
		return http.StatusTooManyRequests
	case traject.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Adapt turns h into an http.Handler. An error is logged here, once, when it
// is internal, and written by write.
func Adapt(log *slog.Logger, write ErrorWriter, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status := Status(err)
		if status >= 500 {
			LogError(log, r, err)
		}
		write(w, r, status, err)
	})
}

// LogError logs an internal error with the request's id, the only place where
// an error's own text is written down.
func LogError(log *slog.Logger, r *http.Request, err error) {
	log.ErrorContext(r.Context(), "request failed",
		slog.String("request_id", traject.RequestIDFromContext(r.Context())),
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
}

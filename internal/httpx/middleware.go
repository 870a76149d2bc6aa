package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"traject"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first one listed runs first.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// requestInfo is filled in by inner layers and read by the logger, which runs
// outside them: the route pattern is known only once the mux has matched, on
// a request value the outer layers never see.
type requestInfo struct {
	route  string
	userID int64
}

type requestInfoKey struct{}

// RecordRoute wraps the mux so that the matched pattern reaches the log line
// and the metrics.
func RecordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.route = r.Pattern
			if u := traject.UserFromContext(r.Context()); u != nil {
				info.userID = u.ID
			}
		}
	})
}

// RequestID gives every request an id, in its context and in the X-Request-Id
// response header, so that a person can quote it and staff can find the log line.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		ctx := traject.NewContextWithRequestID(r.Context(), id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Observe logs one JSON line per request and records its metrics.
func Observe(log *slog.Logger, m *Metrics) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			info := &requestInfo{}
			sw := &statusWriter{ResponseWriter: w}
			r = r.WithContext(contextWithInfo(r, info))
			next.ServeHTTP(sw, r)
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			elapsed := time.Since(start)
			route := info.route
			if route == "" {
				route = "unmatched"
			}
			m.observe(route, r.Method, sw.status, elapsed)
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", traject.RequestIDFromContext(r.Context())),
				slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
				slog.Float64("ms", float64(elapsed.Microseconds())/1000), slog.Int64("user_id", info.userID))
		})
	}
}

// Recover turns a panic into a 500 response with the request id, and logs it
// with its stack. No input should cause one; this is the last net.
func Recover(log *slog.Logger, write ErrorWriter) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil || v == http.ErrAbortHandler {
					if v != nil {
						panic(v)
					}
					return
				}
				err := fmt.Errorf("panic: %v\n%s", v, debug.Stack())
				LogError(log, r, err)
				write(w, r, http.StatusInternalServerError, err)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// ContentSecurityPolicy allows only Traject's own scripts, styles and images:
// no inline script, no third party, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// SecurityHeaders sets the usual protective headers on every response.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// CrossOrigin refuses state-changing requests that a browser marks as coming
// from another origin (Sec-Fetch-Site, Origin), which is what CSRF needs.
// Requests without those headers, such as API calls from scripts, pass.
func CrossOrigin(write ErrorWriter) Middleware {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		write(w, r, http.StatusForbidden, traject.Errorf(traject.EFORBIDDEN, "error.crossorigin",
			"this request came from another site and was refused; reload the page and try again"))
	}))
	return cop.Handler
}

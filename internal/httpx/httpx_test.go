package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"traject"
)

func TestStatus(t *testing.T) {
	for code, want := range map[string]int{
		traject.EINVALID: 422, traject.ENOTFOUND: 404, traject.ECONFLICT: 409, traject.EFORBIDDEN: 403,
		traject.EUNAUTHORIZED: 401, traject.ETHROTTLED: 429, traject.EUNAVAILABLE: 503,
	} {
		if got := Status(traject.Errorf(code, "k", "m")); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
	if Status(errors.New("boom")) != 500 {
		t.Error("an uncoded error is not 500")
	}
}

// recordingWriter is an ErrorWriter that remembers what it was asked to write.
type recordingWriter struct {
	status int
	err    error
}

func (rw *recordingWriter) write(w http.ResponseWriter, _ *http.Request, status int, err error) {
	rw.status, rw.err = status, err
	w.WriteHeader(status)
}

func TestAdaptLogsOnlyInternalErrors(t *testing.T) {
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rw := &recordingWriter{}
	h := Adapt(log, rw.write, func(http.ResponseWriter, *http.Request) error {
		return traject.Errorf(traject.ENOTFOUND, "k", "no such thing")
	})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if rw.status != 404 || logs.Len() != 0 {
		t.Errorf("404: status %d, logged %q", rw.status, logs.String())
	}
	h = Adapt(log, rw.write, func(http.ResponseWriter, *http.Request) error { return errors.New("disk on fire") })
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if rw.status != 500 || !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("500: status %d, logged %q", rw.status, logs.String())
	}
}

func TestRecoverAnswers500(t *testing.T) {
	var logs strings.Builder
	rw := &recordingWriter{}
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("nil map") }),
		RequestID, Recover(slog.New(slog.NewTextHandler(&logs, nil)), rw.write))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || rw.status != 500 {
		t.Errorf("status %d", rec.Code)
	}
	if !strings.Contains(logs.String(), "nil map") || !strings.Contains(logs.String(), rec.Header().Get("X-Request-Id")) {
		t.Errorf("log lacks the panic or the request id: %s", logs.String())
	}
}

func TestChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }), mw("a"), mw("b")).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if strings.Join(order, ",") != "a,b,handler" {
		t.Errorf("order = %v", order)
	}
}

func TestAuthorize(t *testing.T) {
	req := func(u *traject.User) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		if u != nil {
			r = r.WithContext(traject.NewContextWithUser(r.Context(), u))
		}
		return r
	}
	desk := &traject.User{Role: traject.RoleDesk, RegionCode: "ANT", Active: true}
	if code := traject.ErrorCode(Authorize(req(nil), traject.PermDevicesRead)); code != traject.EUNAUTHORIZED {
		t.Errorf("nobody: %s", code)
	}
	if err := Authorize(req(desk), traject.PermDevicesRead); err != nil {
		t.Errorf("desk devices:read: %v", err)
	}
	if code := traject.ErrorCode(Authorize(req(desk), traject.PermUsersWrite)); code != traject.EFORBIDDEN {
		t.Errorf("desk users:write: %s", code)
	}
	if err := Authorize(req(desk), ""); err != nil {
		t.Errorf("signed in only: %v", err)
	}
}

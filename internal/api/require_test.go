package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"traject"
	"traject/internal/i18n"
)

// TestAPIRequireForbidden runs the route-level permission check of every
// operation for each role and every permission, so that the whole matrix is
// proved on the middleware itself, not only for the permissions that today's
// operations happen to need.
func TestAPIRequireForbidden(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	s := New(http.NewServeMux(), Deps{I18n: bundle})
	for _, role := range traject.Roles {
		u := &traject.User{ID: 1, Email: string(role) + "@example.org", Role: role, Active: true}
		for _, perm := range traject.AllPermissions {
			t.Run(string(role)+"/"+string(perm), func(t *testing.T) {
				t.Parallel()
				status, ct, body, called := s.runRequire(u, perm, "en")
				if role.Can(perm) {
					if !called || status != http.StatusOK {
						t.Fatalf("holder of %s: called %v, status %d, body %s", perm, called, status, body)
					}
					return
				}
				if called {
					t.Fatal("the operation ran without the permission")
				}
				checkForbidden(t, status, ct, body, string(perm))
			})
		}
	}
	t.Run("nl", func(t *testing.T) {
		u := &traject.User{ID: 1, Email: "teacher@example.org", Role: traject.RoleTeacher, RegionCode: "ANT", Active: true}
		status, ct, body, _ := s.runRequire(u, traject.PermAuditRead, "nl")
		checkForbidden(t, status, ct, body, "audit:read")
		if !strings.Contains(body, "Uw rol heeft de toelating") {
			t.Errorf("detail not in Dutch: %s", body)
		}
	})
}

// runRequire runs the language middleware and the permission check for perm
// as u, the way every operation does, and reports what the client got.
func (s *Server) runRequire(u *traject.User, perm traject.Permission, lang string) (status int, ct, body string, called bool) {
	r := httptest.NewRequest(http.MethodGet, Prefix+"/test", nil)
	r = r.WithContext(traject.NewContextWithUser(context.Background(), u))
	r.Header.Set("Accept-Language", lang)
	w := httptest.NewRecorder()
	ctx := humago.NewContext(&huma.Operation{Method: http.MethodGet, Path: "/test"}, r, w)
	s.language(ctx, func(ctx huma.Context) {
		s.require(perm)(ctx, func(huma.Context) { called = true })
	})
	return w.Code, w.Header().Get("Content-Type"), w.Body.String(), called
}

func checkForbidden(t *testing.T, status int, ct, body, perm string) {
	t.Helper()
	if status != http.StatusForbidden {
		t.Fatalf("status = %d, want 403; body %s", status, body)
	}
	if ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p huma.ErrorModel
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("body is not a problem document: %v: %s", err, body)
	}
	if p.Status != http.StatusForbidden || !strings.Contains(p.Detail, perm) {
		t.Errorf("problem = %+v, want status 403 and a detail naming %s", p, perm)
	}
}

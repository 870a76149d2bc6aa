package httpx

import (
	"context"
	"net/http"
	"strings"

	"traject"
	"traject/internal/auth"
	"traject/internal/store"
)

type authErrorKey struct{}

// Authenticate finds the staff member behind a request, from a bearer token or
// from the session, and puts them in the context. A request with a bad token
// carries the reason, so that the API can answer 401 with it; nothing here
// refuses a request, the route's permission does.
func Authenticate(s *store.Store, sessions *auth.Sessions) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if h := r.Header.Get("Authorization"); h != "" {
				ctx = withBearer(ctx, s, h)
			} else if u := sessionUser(ctx, s, sessions); u != nil {
				ctx = traject.NewContextWithUser(ctx, u)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func withBearer(ctx context.Context, s *store.Store, header string) context.Context {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return context.WithValue(ctx, authErrorKey{}, traject.Errorf(traject.EUNAUTHORIZED, "auth.token.form",
			"send the token as: Authorization: Bearer TOKEN"))
	}
	u, err := s.UserByTokenHash(ctx, auth.HashToken(strings.TrimSpace(token)))
	if err != nil {
		return context.WithValue(ctx, authErrorKey{}, err)
	}
	return traject.NewContextWithUser(ctx, u)
}

func sessionUser(ctx context.Context, s *store.Store, sessions *auth.Sessions) *traject.User {
	id := sessions.GetInt64(ctx, auth.SessionUserID)
	if id == 0 {
		return nil
	}
	u, err := s.User(ctx, id)
	if err != nil || !u.Active {
		// A deactivated account loses its session at the next request.
		_ = sessions.Destroy(ctx)
		return nil
	}
	return u
}

// Authorize returns nil when the request's staff member holds perm (or, for
// the empty permission, is merely signed in), and
// otherwise EUNAUTHORIZED (nobody, or a bad token) or EFORBIDDEN.
func Authorize(r *http.Request, perm traject.Permission) error {
	if err, ok := r.Context().Value(authErrorKey{}).(error); ok {
		return err
	}
	u := traject.UserFromContext(r.Context())
	if u == nil {
		return traject.Errorf(traject.EUNAUTHORIZED, "auth.required", "sign in, or send an API token as: Authorization: Bearer TOKEN")
	}
	if perm != "" && !u.Can(perm) {
		return &traject.Error{Code: traject.EFORBIDDEN, Key: "auth.forbidden", Args: map[string]any{"Permission": string(perm)},
			Message: "your role (" + string(u.Role) + ") does not have the permission " + string(perm)}
	}
	return nil
}

package traject

import "context"

// contextKey is unexported so that no other package can collide with or forge
// the values Traject keeps in a context.
type contextKey int

const (
	userContextKey contextKey = iota + 1
	requestIDContextKey
)

// NewContextWithUser returns a context that carries the acting staff member.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the acting staff member, or nil when nobody is signed in.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// NewContextWithRequestID returns a context that carries the request id, so
// that audit rows and logs can name the request that caused them.
func NewContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDContextKey, id)
}

// RequestIDFromContext returns the request id, or "".
func RequestIDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(requestIDContextKey).(string)
	return id
}

const actorLabelContextKey contextKey = 100

// NewContextWithActorLabel names a non-human actor (traject.ActorCLI, a job)
// for the audit rows written under ctx when no staff member is signed in.
func NewContextWithActorLabel(ctx context.Context, label string) context.Context {
	return context.WithValue(ctx, actorLabelContextKey, label)
}

// ActorLabelFromContext returns the label set by NewContextWithActorLabel.
func ActorLabelFromContext(ctx context.Context) string {
	l, _ := ctx.Value(actorLabelContextKey).(string)
	return l
}

package auth

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"traject/internal/store"
)

// Session keys.
const (
	SessionUserID = "user_id"
	SessionLang   = "lang"
	SessionOIDC   = "oidc_state"
)

// Sessions keeps staff sessions in the database (the sessions table), so that
// any number of processes can serve one PostgreSQL and a restart signs nobody out.
type Sessions struct {
	*scs.SessionManager
	stop func()
}

// NewSessions returns the session manager for s. Sessions end after an hour
// without activity (a desk PC may be shared) and after twelve hours in any case.
func NewSessions(s *store.Store, secure bool) *Sessions {
	m := scs.New()
	m.IdleTimeout = time.Hour
	m.Lifetime = 12 * time.Hour
	m.Cookie.Name = "traject_session"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = secure
	out := &Sessions{SessionManager: m}
	if s.Dialect() == "postgres" {
		ps := postgresstore.NewWithCleanupInterval(s.WriteDB(), 10*time.Minute)
		m.Store, out.stop = ps, ps.StopCleanup
	} else {
		ss := sqlite3store.NewWithCleanupInterval(s.WriteDB(), 10*time.Minute)
		m.Store, out.stop = ss, ss.StopCleanup
	}
	return out
}

// Close stops the background clean-up of expired sessions.
func (s *Sessions) Close() { s.stop() }

package web

import (
	"encoding/json"
	"net/http"

	"traject"
	"traject/internal/auth"
)

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "single sign-on is not configured")
	}
	c, err := auth.NewChallenge(localPath(r.URL.Query().Get("next")))
	if err != nil {
		return err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	s.Sessions.Put(r.Context(), auth.SessionOIDC, string(b))
	http.Redirect(w, r, s.OIDC.AuthURL(c), http.StatusSeeOther)
	return nil
}

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "single sign-on is not configured")
	}
	var c auth.Challenge
	raw := s.Sessions.PopString(r.Context(), auth.SessionOIDC)
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil || r.URL.Query().Get("state") != c.State {
		return s.oidcFailed(w, r, traject.Errorf(traject.EUNAUTHORIZED, "login.oidc.state", "the sign-in took too long or was started elsewhere; try again"))
	}
	email, err := s.OIDC.Email(r.Context(), c, r.URL.Query().Get("code"))
	if err != nil {
		return s.oidcFailed(w, r, err)
	}
	u, err := s.Store.UserByEmail(r.Context(), email)
	if err != nil || !u.Active {
		return s.oidcFailed(w, r, traject.Errorf(traject.EUNAUTHORIZED, "login.oidc.noaccount", "there is no active Traject account for %s", email))
	}
	if err := s.Store.RecordLogin(r.Context(), u, "ok"); err != nil {
		return err
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	http.Redirect(w, r, localPath(c.Next), http.StatusSeeOther)
	return nil
}

// oidcFailed shows the sign-in page with the reason, so the person can use a
// password or try again.
func (s *Server) oidcFailed(w http.ResponseWriter, r *http.Request, err error) error {
	p := s.newPage(r, "login.title", loginData{Next: "/", OIDC: true})
	return s.render(w, r, http.StatusUnauthorized, "login", s.withErrors(r, p, err, "email"))
}

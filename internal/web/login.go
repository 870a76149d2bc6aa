package web

import (
	"net/http"

	"traject"
	"traject/internal/auth"
)

type loginData struct {
	Email string
	Next  string
	OIDC  bool
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if traject.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	data := loginData{Next: localPath(r.URL.Query().Get("next")), OIDC: s.OIDC != nil}
	return s.render(w, r, http.StatusOK, "login", s.newPage(r, "login.title", data))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	data := loginData{Email: r.PostFormValue("email"), Next: localPath(r.PostFormValue("next")), OIDC: s.OIDC != nil}
	u, err := auth.Login(r.Context(), s.Store, data.Email, r.PostFormValue("password"))
	if err != nil {
		status := 422
		if traject.ErrorCode(err) == traject.ETHROTTLED {
			status = http.StatusTooManyRequests
		} else if traject.ErrorCode(err) != traject.EINVALID {
			return err
		}
		return s.render(w, r, status, "login", s.withErrors(r, s.newPage(r, "login.title", data), err, "email"))
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
	return nil
}

// signIn starts a session for u under a new token, so that a token planted
// before sign-in (session fixation) is worth nothing after it.
func (s *Server) signIn(r *http.Request, u *traject.User) error {
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.Sessions.Put(r.Context(), auth.SessionUserID, u.ID)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if u := traject.UserFromContext(r.Context()); u != nil {
		if err := s.Store.RecordLogout(r.Context(), u); err != nil {
			return err
		}
	}
	lang := s.Sessions.GetString(r.Context(), auth.SessionLang)
	if err := s.Sessions.Destroy(r.Context()); err != nil {
		return err
	}
	target := "/login"
	if lang != "" {
		target += "?lang=" + lang
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

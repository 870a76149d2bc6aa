package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
	"traject/internal/auth"
)

type accountData struct {
	Tokens    []traject.APIToken
	NewToken  string
	TokenName string
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	// A new token is shown exactly once: it comes from the session and is gone after.
	data := accountData{NewToken: s.Sessions.PopString(r.Context(), "new_token")}
	return s.renderAccount(w, r, http.StatusOK, &data, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, data *accountData, err error) error {
	u := traject.UserFromContext(r.Context())
	var lerr error
	if data.Tokens, lerr = s.Store.Tokens(r.Context(), u.ID); lerr != nil {
		return lerr
	}
	p := s.newPage(r, "account.title", data)
	if err != nil {
		p = s.withErrors(r, p, err, "name")
	}
	return s.render(w, r, status, "account", p)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	u := traject.UserFromContext(r.Context())
	name := strings.TrimSpace(r.PostFormValue("name"))
	token, hash, prefix, err := auth.NewToken()
	if err != nil {
		return err
	}
	if _, err := s.Store.CreateToken(r.Context(), u, name, hash, prefix); err != nil {
		if traject.ErrorCode(err) == traject.EINVALID {
			return s.renderAccount(w, r, http.StatusUnprocessableEntity, &accountData{TokenName: name}, err)
		}
		return err
	}
	s.Sessions.Put(r.Context(), "new_token", token)
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "no such token")
	}
	if err := s.Store.RevokeToken(r.Context(), traject.UserFromContext(r.Context()), id); err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("account.token.revokeddone"))
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

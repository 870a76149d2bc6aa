package web

import (
	"net/http"

	"traject"
	"traject/internal/store"
)

type staffListData struct {
	Query string
	Users []traject.User
}

func (s *Server) staffList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	users, err := s.Store.Users(r.Context(), store.UserFilter{Query: q})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "staff", s.newPage(r, "staff.title", staffListData{Query: q, Users: users}))
}

package web

import (
	"net/http"

	"traject"
)

func (m *mijn) home(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	h, err := m.Store.LearnerHome(r.Context(), l.ID)
	if err != nil {
		return err
	}
	return m.render(w, http.StatusOK, "mijn_home", m.newPage(r, l, "mijn.home.title", h))
}

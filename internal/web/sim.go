package web

import (
	"net/http"
	"strings"
	"time"

	"traject"
)

// moveSIM puts a SIM into another 4G device: from the page of the device that
// carries it (ICCID known, target typed), or from the page of a 4G device
// without a SIM (ICCID typed, target known). A refused move comes back on the
// page it was sent from.
func (s *Server) moveSIM(w http.ResponseWriter, r *http.Request) error {
	from := r.PostFormValue("from")
	iccid, to := r.PostFormValue("iccid"), strings.TrimSpace(r.PostFormValue("asset_tag"))
	err := s.Store.MoveSIM(r.Context(), iccid, to)
	if status, ok := formStatus(err); ok && from != "" {
		return s.showDevice(w, r, from, status, err, deviceData{ICCID: iccid, MoveTo: to})
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("sim.move.done", "ICCID", traject.NormalizeICCID(iccid), "AssetTag", to))
	http.Redirect(w, r, "/devices/"+to, http.StatusSeeOther)
	return nil
}

// setSIMState suspends, reactivates or terminates a SIM's subscription.
func (s *Server) setSIMState(w http.ResponseWriter, r *http.Request) error {
	from, iccid := r.PostFormValue("from"), r.PathValue("iccid")
	state := traject.SIMState(r.PostFormValue("state"))
	err := s.Store.SetSIMState(r.Context(), iccid, state)
	if status, ok := formStatus(err); ok && from != "" {
		return s.showDevice(w, r, from, status, err, deviceData{})
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T("sim.state.done", "ICCID", iccid, "State", loc.T("simstate."+string(state))))
	next := "/devices"
	if traject.ValidAssetTag(from) {
		next += "/" + from
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// bundleRow is a SIM whose bundle ends soon, with the days left.
type bundleRow struct {
	traject.SIM
	DaysLeft int
}

// bundleDays is how far ahead the list of ending bundles looks.
const bundleDays = 30

func (s *Server) simsEnding(w http.ResponseWriter, r *http.Request) error {
	today := today()
	sims, err := s.Store.BundlesEnding(r.Context(), today, bundleDays)
	if err != nil {
		return err
	}
	rows := make([]bundleRow, len(sims))
	for i, sim := range sims {
		rows[i] = bundleRow{SIM: sim, DaysLeft: int(sim.BundleUntil.Sub(today).Hours() / 24)}
	}
	return s.render(w, r, http.StatusOK, "sims_ending", s.newPage(r, "simsending.title", rows))
}

// today is the current day in Brussels, as a date (midnight UTC) like the
// dates the store keeps, so that days between two dates are whole.
func today() time.Time {
	return traject.SessionDay(time.Now())
}

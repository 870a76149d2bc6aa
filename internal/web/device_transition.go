package web

import (
	"net/http"

	"traject"
)

// transitionDevice changes a device's state by hand, with a reason. The
// domain's table decides what is allowed; a refused change comes back on the
// device page with the answers kept.
func (s *Server) transitionDevice(w http.ResponseWriter, r *http.Request) error {
	tag := r.PathValue("asset_tag")
	form := deviceData{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason")}
	d, err := s.Store.TransitionDevice(r.Context(), tag, traject.DeviceState(form.To), form.Reason)
	if status, ok := formStatus(err); ok {
		return s.showDevice(w, r, tag, status, err, form)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T("devicepage.transition.done", "AssetTag", d.AssetTag, "State", loc.T("state."+string(d.State))))
	http.Redirect(w, r, "/devices/"+d.AssetTag, http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/i18n"
)

// barrierData is a barrier's page: the report, its history, and the status
// form with the answers sent back.
type barrierData struct {
	Barrier  *traject.Barrier
	Timeline []timelineRow
	Next     []traject.BarrierStatus // the statuses it can move to
	Status   string                  // status form: the status chosen
	Note     string                  // status form: the note typed
}

func parseBarrierID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, traject.Errorf(traject.ENOTFOUND, "db.notfound", "barrier %s not found", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) barrier(w http.ResponseWriter, r *http.Request) error {
	return s.showBarrier(w, r, http.StatusOK, nil, barrierData{})
}

// showBarrier renders the barrier page; after a refused status change it
// shows err with the answers kept, under the given status.
func (s *Server) showBarrier(w http.ResponseWriter, r *http.Request, status int, err error, form barrierData) error {
	id, perr := parseBarrierID(r)
	if perr != nil {
		return perr
	}
	b, berr := s.Store.Barrier(r.Context(), id)
	if berr != nil {
		return berr
	}
	entries, berr := s.Store.BarrierTimeline(r.Context(), id)
	if berr != nil {
		return berr
	}
	loc := s.localizer(r)
	form.Barrier, form.Next, form.Timeline = b, traject.NextBarrierStatuses(b.Status), barrierTimeline(loc, entries)
	p := s.newPage(r, "barrierpage.title", &form)
	p.Title = loc.T("barrierpage.title", "Resource", b.Resource)
	if err != nil {
		s.withErrors(r, p, localizeBarrierArgs(loc, err), "status")
	}
	return s.render(w, r, status, "barrier", p)
}

// barrierTimeline writes each audited change of a barrier in words.
func barrierTimeline(loc *i18n.Localizer, entries []traject.AuditEntry) []timelineRow {
	out := make([]timelineRow, 0, len(entries))
	for _, e := range entries {
		row := timelineRow{At: e.At, Who: e.ActorLabel, Action: e.Action, Reason: e.Reason}
		if key := "timeline." + e.Action; loc.Has(key) {
			before, after := auditFields(e.Before), auditFields(e.After)
			row.What = loc.TMap(key, map[string]any{
				"From": localName(loc, "barrierstatus.", before["status"]),
				"To":   localName(loc, "barrierstatus.", after["status"]),
			})
		}
		out = append(out, row)
	}
	return out
}

// localizeBarrierArgs translates the statuses a refused change names.
func localizeBarrierArgs(loc *i18n.Localizer, err error) error {
	e, ok := traject.AsError(err)
	if !ok || len(e.Args) == 0 {
		return err
	}
	out := *e
	out.Args = map[string]any{}
	for k, v := range e.Args {
		if code, ok := v.(string); ok {
			v = localName(loc, "barrierstatus.", code)
		}
		out.Args[k] = v
	}
	return &out
}

// setBarrierStatus changes a barrier's status from the form.
func (s *Server) setBarrierStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := parseBarrierID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm() // an unreadable form chooses no status, which the domain refuses
	form := barrierData{Status: r.PostFormValue("status"), Note: r.PostFormValue("note")}
	b, err := s.Store.SetBarrierStatus(r.Context(), id, traject.BarrierStatus(form.Status), form.Note)
	if status, ok := formStatus(err); ok && traject.ErrorCode(err) != traject.ENOTFOUND {
		return s.showBarrier(w, r, status, err, form)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T("barrierpage.status.done", "Status", loc.T("barrierstatus."+string(b.Status))))
	http.Redirect(w, r, "/barriers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

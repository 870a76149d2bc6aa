package web

import (
	"net/http"
	"time"

	"traject"
	"traject/internal/store"
)

// finesView is the fines report page.
type finesView struct {
	Stats   *traject.FineStats
	From    string
	To      string
	Region  string
	Regions []traject.Region
	Views   []finesTable // by event month, then by infraction month
}

// finesTable is one table of months with its caption's key.
type finesTable struct {
	Caption string
	Months  []traject.FineMonth
}

// finesReport shows the fines report: the months by event and by infraction
// month, each beside the year before, and the equity view.
func (s *Server) finesReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	now := time.Now()
	v := &finesView{From: q.Get("from"), To: q.Get("to")}
	if v.To == "" {
		v.To = now.Format("2006-01")
	}
	if v.From == "" {
		if t, err := time.Parse("2006-01", v.To); err == nil {
			v.From = t.AddDate(0, -11, 0).Format("2006-01")
		}
	}
	if traject.UserFromContext(r.Context()).ScopeRegion() == "" {
		v.Regions = traject.Regions
		if region, ok := traject.ParseRegion(q.Get("region")); ok {
			v.Region = region.Code
		}
	}
	st, err := s.Store.FineStats(r.Context(), store.FineStatsFilter{From: v.From, To: v.To, Region: v.Region})
	if traject.ErrorCode(err) == traject.EINVALID {
		return s.render(w, r, http.StatusUnprocessableEntity, "case_report", s.withErrors(r, s.newPage(r, "fines.title", v), err, "from"))
	}
	if err != nil {
		return err
	}
	v.Stats = st
	v.Views = []finesTable{{"fines.byevent", st.ByEvent}, {"fines.byinfraction", st.ByInfraction}}
	return s.render(w, r, http.StatusOK, "case_report", s.newPage(r, "fines.title", v))
}

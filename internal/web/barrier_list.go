package web

import (
	"net/http"
	"net/url"
	"strconv"

	"traject"
	"traject/internal/store"
)

// barrierListSize is the number of barriers on one page of the list.
const barrierListSize = 50

// barrierListData is the barriers page: the summary per category and per
// resource, the filters, and one page of reports.
type barrierListData struct {
	Region, Status, Category, Severity string
	Material                           int64 // only the barriers on this material
	National                           bool  // the role sees every region, so it may filter on one
	Regions                            []traject.Region
	Statuses                           []traject.BarrierStatus
	Categories                         []traject.BarrierCategory
	Severities                         []traject.BarrierSeverity
	Summary                            *traject.BarrierSummary
	Barriers                           []traject.Barrier
	Next, First                        string
}

func (s *Server) barrierList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	actor := traject.UserFromContext(r.Context())
	data := &barrierListData{Region: q.Get("region"), Status: q.Get("status"), Category: q.Get("category"), Severity: q.Get("severity"),
		National: actor.ScopeRegion() == "", Regions: traject.Regions, Statuses: traject.BarrierStatuses,
		Categories: traject.BarrierCategories, Severities: traject.BarrierSeverities}
	p := s.newPage(r, "barriers.title", data)
	f, ferr := data.filter(q)
	if ferr != nil {
		return s.render(w, r, http.StatusUnprocessableEntity, "barrier_list", s.withErrors(r, p, ferr, "status"))
	}
	var err error
	if data.Summary, err = s.Store.BarrierSummary(r.Context(), store.BarrierSummaryFilter{Region: f.Region}); err != nil {
		return err
	}
	page, err := s.Store.Barriers(r.Context(), f)
	if err != nil {
		return err
	}
	data.Barriers = page.Barriers
	data.Next, data.First = idKeysetLinks("/barriers", q, page.Next)
	return s.render(w, r, http.StatusOK, "barrier_list", p)
}

// filter checks the list's filters and turns them into a store filter.
func (d *barrierListData) filter(q url.Values) (store.BarrierFilter, error) {
	f := store.BarrierFilter{Status: traject.BarrierStatus(d.Status), Category: traject.BarrierCategory(d.Category),
		Severity: traject.BarrierSeverity(d.Severity), Limit: barrierListSize}
	var v traject.Validation
	if d.Status != "" && !f.Status.Valid() {
		v.Add("status", "barrier.status.invalid", "choose one of the statuses", nil)
	}
	if d.Category != "" && !f.Category.Valid() {
		v.Add("category", "barrier.category.invalid", "choose a category", nil)
	}
	if d.Severity != "" && !f.Severity.Valid() {
		v.Add("severity", "barrier.severity.invalid", "choose low, medium, high or blocking", nil)
	}
	if !d.National {
		d.Region = "" // a regional role sees its own region only
	}
	if d.Region != "" {
		region, ok := traject.ParseRegion(d.Region)
		if !ok {
			v.Add("region", "barrier.region.invalid", "choose one of the six regions", nil)
		}
		d.Region, f.Region = region.Code, region.Code
	}
	// Malformed numbers are ignored: a list of everything is a fine answer
	// to a broken link.
	d.Material, _ = strconv.ParseInt(q.Get("material"), 10, 64)
	f.MaterialID = d.Material
	f.After, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	return f, v.Err()
}

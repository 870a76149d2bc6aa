package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"traject"
	"traject/internal/store"
)

const loanPageSize = 100

// loanListData is the list of loans with its filters and the next page.
type loanListData struct {
	State, Learner, AssetTag string
	Region                   string
	National                 bool
	Regions                  []traject.Region
	States                   []traject.LoanState
	Loans                    []traject.Loan
	Next                     string
}

func (s *Server) loanList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &loanListData{State: q.Get("state"), Learner: strings.TrimSpace(q.Get("learner")),
		AssetTag: strings.TrimSpace(q.Get("asset_tag")), Regions: traject.Regions, States: traject.LoanStates}
	d.Region, d.National = deskRegion(r)
	f := store.LoanFilter{Region: d.Region, Learner: d.Learner, AssetTag: d.AssetTag, Limit: loanPageSize}
	if traject.LoanState(d.State).Valid() {
		f.State = traject.LoanState(d.State)
	} else {
		d.State = ""
	}
	f.AfterID, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	var err error
	if d.Loans, err = s.Store.Loans(r.Context(), f); err != nil {
		return err
	}
	if len(d.Loans) == loanPageSize {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("after", strconv.FormatInt(d.Loans[len(d.Loans)-1].ID, 10))
		d.Next = "/loans?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, "loan_list", s.newPage(r, "loanlist.title", d))
}

package web

import (
	"net/http"

	"traject"
)

// stockTable is the stock of one region, or of all regions together: per
// state, the Wi-Fi and 4G devices and their total.
type stockTable struct {
	Region   string // "" for all regions together
	Rows     []stockRow
	Total    stockRow
	Lendable int
}

// stockRow counts the devices in one state.
type stockRow struct {
	State              traject.DeviceState
	WiFi, Mobile, Both int
}

func (r *stockRow) add(c traject.Connectivity, n int) {
	if c == traject.Mobile {
		r.Mobile += n
	} else {
		r.WiFi += n
	}
	r.Both += n
}

func (s *Server) stock(w http.ResponseWriter, r *http.Request) error {
	counts, err := s.Store.Stock(r.Context())
	if err != nil {
		return err
	}
	lendable, err := s.Store.Lendable(r.Context())
	if err != nil {
		return err
	}
	scope := traject.UserFromContext(r.Context()).ScopeRegion()
	var tables []*stockTable
	byRegion := map[string]*stockTable{}
	all := newStockTable("")
	if scope == "" {
		tables = append(tables, all) // a national role sees the sum first
	}
	for _, region := range traject.Regions {
		if scope == "" || scope == region.Code {
			t := newStockTable(region.Code)
			t.Lendable, all.Lendable = lendable[region.Code], all.Lendable+lendable[region.Code]
			byRegion[region.Code] = t
			tables = append(tables, t)
		}
	}
	for _, c := range counts {
		for _, t := range []*stockTable{byRegion[c.Region], all} {
			if t != nil {
				t.count(c.State, c.Connectivity, c.Count)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "stock", s.newPage(r, "stock.title", tables))
}

func newStockTable(region string) *stockTable {
	t := &stockTable{Region: region}
	for _, st := range traject.DeviceStates {
		t.Rows = append(t.Rows, stockRow{State: st})
	}
	return t
}

func (t *stockTable) count(st traject.DeviceState, c traject.Connectivity, n int) {
	for i := range t.Rows {
		if t.Rows[i].State == st {
			t.Rows[i].add(c, n)
		}
	}
	t.Total.add(c, n)
}

// stockStripRow is one region's devices in stock, as the transfer screens
// show them so that the stock per region and connectivity is always in view.
type stockStripRow struct {
	Region       string
	WiFi, Mobile int
}

func (s *Server) stockStrip(r *http.Request) ([]stockStripRow, error) {
	counts, err := s.Store.InStock(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]stockStripRow, len(traject.Regions))
	for i, region := range traject.Regions {
		out[i].Region = region.Code
		for _, c := range counts {
			if c.Region != region.Code {
				continue
			}
			if c.Connectivity == traject.Mobile {
				out[i].Mobile = c.Count
			} else {
				out[i].WiFi = c.Count
			}
		}
	}
	return out, nil
}

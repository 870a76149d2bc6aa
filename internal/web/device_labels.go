package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"traject"
	"traject/internal/report"
)

// labelLimit caps one sheet of labels: the PDF is built in memory before it
// is sent, and 1,000 labels (42 pages) is more than one print run.
const labelLimit = 1000

// deviceLabels answers a PDF sheet of labels, 24 to an A4 page: for the
// devices named by tag= (in the order given), or else for every device that
// the device list's filters select, in asset-tag order.
func (s *Server) deviceLabels(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var devices []traject.Device
	var err error
	if tags := q["tag"]; len(tags) > 0 {
		devices, err = s.labelsByTag(r, tags)
	} else {
		devices, err = s.labelsByFilter(r, q)
	}
	if err != nil {
		return err
	}
	if len(devices) == 0 {
		return traject.Errorf(traject.EINVALID, "labels.none", "no device matches these filters: there is nothing to print")
	}
	enc := report.NewLabelEncoder(w)
	for i := range devices {
		if err := enc.Encode(&devices[i]); err != nil {
			return err
		}
	}
	// The headers are set only now, so that an error above is still shown as
	// an error page rather than as a broken PDF.
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="traject-labels.pdf"`)
	return enc.Close()
}

// labelsByTag loads the named devices; one that does not exist or lies
// outside the actor's region is an error that names it.
func (s *Server) labelsByTag(r *http.Request, tags []string) ([]traject.Device, error) {
	var seen []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(seen, t) {
			seen = append(seen, t)
		}
	}
	if len(seen) > labelLimit {
		return nil, tooManyLabels()
	}
	out := make([]traject.Device, 0, len(seen))
	for _, tag := range seen {
		d, err := s.Store.Device(r.Context(), tag)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// labelsByFilter pages through the device list's selection, and refuses one
// larger than a sheet rather than leave devices out without a word.
func (s *Server) labelsByFilter(r *http.Request, q url.Values) ([]traject.Device, error) {
	actor := traject.UserFromContext(r.Context())
	list := &deviceListData{Region: q.Get("region"), State: q.Get("state"), Connectivity: q.Get("connectivity"),
		Delivery: q.Get("delivery"), Query: strings.TrimSpace(q.Get("q")), National: actor.ScopeRegion() == ""}
	f, err := list.filter(q)
	if err != nil {
		return nil, err
	}
	f.Limit = 500
	var out []traject.Device
	for {
		page, err := s.Store.Devices(r.Context(), f)
		if err != nil {
			return nil, err
		}
		if out = append(out, page.Devices...); len(out) > labelLimit {
			return nil, tooManyLabels()
		}
		if page.Next == "" {
			return out, nil
		}
		f.After = page.Next
	}
}

func tooManyLabels() error {
	return &traject.Error{Code: traject.EINVALID, Key: "labels.toomany", Args: map[string]any{"Max": labelLimit},
		Message: "the selection holds more than 1000 devices; narrow it with the filters to print at most 1000 labels at once"}
}

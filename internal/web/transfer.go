package web

import (
	"net/http"
	"net/url"

	"traject"
	"traject/internal/store"
)

// transferDevices sends the devices checked in the list to another region,
// all or none, and returns to the list it came from.
func (s *Server) transferDevices(w http.ResponseWriter, r *http.Request) error {
	tags, to := formTags(r), r.PostFormValue("to")
	back := listAddress(r.PostFormValue("return"), "/devices")
	err := s.Store.TransferDevices(r.Context(), tags, to)
	if status, ok := formStatus(err); ok {
		u, _ := url.Parse(back) // listAddress returns a parsable path
		return s.showDeviceList(w, r, u.Query(), status, err, tags, to)
	}
	if err != nil {
		return err
	}
	region, _ := traject.ParseRegion(to)
	loc := s.localizer(r)
	s.flash(r, countText(loc, "transfer.sent", len(tags), "Region", loc.T("region."+region.Code)))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// listAddress returns ret when it is an address of the list at path, else
// path itself: a form must never send the browser elsewhere.
func listAddress(ret, path string) string {
	u, err := url.Parse(localPath(ret))
	if err != nil || u.Path != path {
		return path
	}
	return u.Path + "?" + u.RawQuery
}

// transfersData is the list of devices on their way to the actor's region.
type transfersData struct {
	Stock    []stockStripRow // in stock per region and connectivity, always in view
	To       string          // the destination; a national role chooses it
	National bool
	Regions  []traject.Region
	Devices  []traject.Device
	Next     string
	Checked  map[string]bool
}

// transfersListSize is the number of incoming devices on one page.
const transfersListSize = 200

func (s *Server) transfers(w http.ResponseWriter, r *http.Request) error {
	return s.showTransfers(w, r, r.URL.Query(), http.StatusOK, nil, nil)
}

func (s *Server) showTransfers(w http.ResponseWriter, r *http.Request, q url.Values, status int, err error, checked []string) error {
	scope := traject.UserFromContext(r.Context()).ScopeRegion()
	data := &transfersData{To: scope, National: scope == "", Regions: traject.Regions, Checked: map[string]bool{}}
	for _, tag := range checked {
		data.Checked[tag] = true
	}
	if data.National {
		if region, ok := traject.ParseRegion(q.Get("to")); ok {
			data.To = region.Code
		}
	}
	page, lerr := s.Store.Devices(r.Context(), store.DeviceFilter{State: traject.StateInTransit, TransitTo: data.To,
		After: q.Get("after"), Limit: transfersListSize})
	if lerr != nil {
		return lerr
	}
	data.Devices = page.Devices
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("after", page.Next)
		data.Next = "/transfers?" + next.Encode()
	}
	p := s.newPage(r, "transfers.title", data)
	var serr error
	if data.Stock, serr = s.stockStrip(r); serr != nil {
		return serr
	}
	if err != nil {
		s.formErrors(r, p, err, "receive")
		linkDeviceErrors(p, data.Devices, "receive")
	}
	return s.render(w, r, status, "transfers", p)
}

// receiveTransfers records that the checked devices arrived: each is in stock
// in the actor's region.
func (s *Server) receiveTransfers(w http.ResponseWriter, r *http.Request) error {
	tags := formTags(r)
	var err error
	if len(tags) == 0 {
		var v traject.Validation
		v.Add("asset_tags", "device.none", "choose at least one device", nil)
		err = v.Err()
	} else {
		err = s.Store.ReceiveTransfers(r.Context(), tags)
	}
	if status, ok := formStatus(err); ok {
		return s.showTransfers(w, r, url.Values{"to": {r.PostFormValue("to")}}, status, err, tags)
	}
	if err != nil {
		return err
	}
	s.flash(r, countText(s.localizer(r), "transfer.received", len(tags)))
	http.Redirect(w, r, "/transfers", http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"
	"net/url"
	"strings"

	"traject"
	"traject/internal/store"
)

// deviceListSize is the number of devices on one page of the list.
const deviceListSize = 50

// deviceListData is the device list: its filters, one keyset page, and the
// bulk transfer form.
type deviceListData struct {
	Stock                                        []stockStripRow // in stock per region and connectivity, always in view
	Region, State, Connectivity, Delivery, Query string
	National                                     bool // the role sees every region, so it may filter on one
	Regions                                      []traject.Region
	States                                       []traject.DeviceState
	Devices                                      []traject.Device
	Next                                         string // the next page's address, "" on the last
	First                                        string // the first page's address, "" on the first
	Return                                       string // this page's address, for the transfer form to come back to
	Checked                                      map[string]bool
	To                                           string // transfer form: the region chosen
	TransferRegions                              []traject.Region
}

func (s *Server) deviceList(w http.ResponseWriter, r *http.Request) error {
	return s.showDeviceList(w, r, r.URL.Query(), http.StatusOK, nil, nil, "")
}

// showDeviceList renders one page of the list for the filters in q; after a
// refused transfer it shows err and keeps the devices checked and the region.
func (s *Server) showDeviceList(w http.ResponseWriter, r *http.Request, q url.Values, status int, err error, checked []string, to string) error {
	actor := traject.UserFromContext(r.Context())
	data := &deviceListData{
		Region: q.Get("region"), State: q.Get("state"), Connectivity: q.Get("connectivity"),
		Delivery: q.Get("delivery"), Query: strings.TrimSpace(q.Get("q")),
		National: actor.ScopeRegion() == "", Regions: traject.Regions, States: traject.DeviceStates,
		Checked: map[string]bool{}, To: to, TransferRegions: otherRegions(actor.ScopeRegion()),
	}
	for _, tag := range checked {
		data.Checked[tag] = true
	}
	p := s.newPage(r, "devices.title", data)
	var serr error
	if data.Stock, serr = s.stockStrip(r); serr != nil {
		return serr
	}
	data.Return = "/devices?" + q.Encode()
	f, ferr := data.filter(q)
	if ferr != nil {
		return s.render(w, r, http.StatusUnprocessableEntity, "device_list", s.withErrors(r, p, ferr, "region"))
	}
	page, lerr := s.Store.Devices(r.Context(), f)
	if lerr != nil {
		return lerr
	}
	data.Devices = page.Devices
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("after", page.Next)
		data.Next = "/devices?" + next.Encode()
	}
	if f.After != "" {
		first := cloneValues(q)
		first.Del("after")
		data.First = "/devices?" + first.Encode()
	}
	if err != nil {
		s.formErrors(r, p, err, "to")
		linkDeviceErrors(p, data.Devices, "to")
	}
	return s.render(w, r, status, "device_list", p)
}

// filter checks the filters and turns them into a store filter.
func (d *deviceListData) filter(q url.Values) (store.DeviceFilter, error) {
	f := store.DeviceFilter{State: traject.DeviceState(d.State), Connectivity: traject.Connectivity(d.Connectivity),
		Delivery: d.Delivery, Query: d.Query, After: q.Get("after"), Limit: deviceListSize}
	var v traject.Validation
	if !d.National {
		d.Region = "" // a regional role sees its own region only
	}
	if d.Region != "" {
		r, ok := traject.ParseRegion(d.Region)
		if !ok {
			v.Add("region", "device.region.invalid", "choose one of the six regions", nil)
		}
		d.Region, f.Region = r.Code, r.Code
	}
	if d.State != "" && !f.State.Valid() {
		v.Add("state", "device.state.unknown", "choose one of the device states", nil)
	}
	if f.Connectivity != "" && f.Connectivity != traject.WiFi && f.Connectivity != traject.Mobile {
		v.Add("connectivity", "device.connectivity.invalid", "use wifi or 4g", nil)
	}
	return f, v.Err()
}

// linkDeviceErrors points each error that names a device not on this page,
// or no device at all, to the first checkbox (or to fallback when the page
// lists none), so that every link of the summary leads somewhere.
func linkDeviceErrors(p *page, devices []traject.Device, fallback string) {
	onPage := map[string]bool{}
	for _, dev := range devices {
		onPage[selectID(dev.AssetTag)] = true
	}
	for i, e := range p.Errors {
		if e.Field == "asset_tags" || (strings.HasPrefix(e.Field, "select-") && !onPage[e.Field]) {
			p.Errors[i].Field = fallback
			if len(devices) > 0 {
				p.Errors[i].Field = selectID(devices[0].AssetTag)
			}
		}
	}
}

// otherRegions lists the regions devices can be sent to from scope: every
// region but the actor's own.
func otherRegions(scope string) []traject.Region {
	var out []traject.Region
	for _, r := range traject.Regions {
		if r.Code != scope {
			out = append(out, r)
		}
	}
	return out
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"traject"
	"traject/internal/i18n"
)

// deviceData is the device page: the device, why it cannot be lent, its
// history, and the answers of its forms when one of them comes back.
type deviceData struct {
	Device   *traject.Device
	Blocker  string // catalog key, "" when the device can be lent
	Timeline []timelineRow
	Next     []traject.DeviceState // the states a person may choose by hand
	To       string                // transition form: the state chosen
	Reason   string                // transition form: the reason typed
	ICCID    string                // SIM form of a 4G device without a SIM
	MoveTo   string                // SIM form: the device the SIM goes to
}

// timelineRow is one change in a device's history, in words.
type timelineRow struct {
	At     time.Time
	Who    string
	What   string
	Action string // the raw action, shown when the catalog has no words for it
	Reason string
}

func (s *Server) device(w http.ResponseWriter, r *http.Request) error {
	return s.showDevice(w, r, r.PathValue("asset_tag"), http.StatusOK, nil, deviceData{})
}

// showDevice renders the device page; after a refused form it shows err with
// the answers in form kept, under the given status.
func (s *Server) showDevice(w http.ResponseWriter, r *http.Request, tag string, status int, err error, form deviceData) error {
	d, derr := s.Store.Device(r.Context(), tag)
	if derr != nil {
		return derr
	}
	entries, derr := s.Store.DeviceTimeline(r.Context(), tag)
	if derr != nil {
		return derr
	}
	form.Device, form.Blocker, form.Next = d, d.LendBlocker(), traject.NextStates(d.State)
	form.Timeline = timeline(s.localizer(r), entries)
	p := s.newPage(r, "devicepage.title", &form)
	p.Title = s.localizer(r).T("devicepage.title", "AssetTag", d.AssetTag)
	if err != nil {
		first := "to"
		if d.SIM != nil {
			first = "move_to"
		} else if d.Connectivity == traject.Mobile {
			first = "iccid"
		}
		s.formErrors(r, p, err, first)
	}
	return s.render(w, r, status, "device", p)
}

// timeline writes each audited change of a device in words, with the states
// and regions it names translated.
func timeline(loc *i18n.Localizer, entries []traject.AuditEntry) []timelineRow {
	out := make([]timelineRow, 0, len(entries))
	for _, e := range entries {
		row := timelineRow{At: e.At, Who: e.ActorLabel, Action: e.Action, Reason: e.Reason}
		if key := "timeline." + e.Action; loc.Has(key) {
			before, after := auditFields(e.Before), auditFields(e.After)
			row.What = loc.TMap(key, map[string]any{
				"From":   localName(loc, "state.", before["state"]),
				"To":     localName(loc, "state.", after["state"]),
				"Region": localName(loc, "region.", firstOf(after["transit_to"], after["region"])),
				"SIM":    firstOf(after["sim"], before["sim"]),
			})
		}
		out = append(out, row)
	}
	return out
}

// auditFields reads the top-level strings of an audit row's JSON.
func auditFields(raw string) map[string]string {
	out := map[string]string{}
	var m map[string]any
	if raw == "" || json.Unmarshal([]byte(raw), &m) != nil {
		return out
	}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// localName translates a code (a state, a region) through prefix+code, and
// keeps the code when the catalog does not know it.
func localName(loc *i18n.Localizer, prefix, code string) string {
	if code != "" && loc.Has(prefix+code) {
		return loc.T(prefix + code)
	}
	return code
}

// argNames says which arguments of a domain error are codes with words in the
// catalog: the domain passes "in_stock", the page says "in voorraad".
var argNames = map[string]string{"From": "state.", "To": "state.", "State": "state.", "Via": "via."}

// localizeArgs returns err with the codes in its arguments translated.
func localizeArgs(loc *i18n.Localizer, err error) error {
	e, ok := traject.AsError(err)
	if !ok {
		return err
	}
	out := *e
	out.Args = translateArgs(loc, e.Args)
	out.Fields = make([]traject.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Args = translateArgs(loc, f.Args)
		out.Fields[i] = f
	}
	return &out
}

func translateArgs(loc *i18n.Localizer, args map[string]any) map[string]any {
	if len(args) == 0 {
		return args
	}
	out := make(map[string]any, len(args))
	for k, v := range args {
		out[k] = v
		if prefix, ok := argNames[k]; ok {
			out[k] = localName(loc, prefix, fmt.Sprint(v))
		}
	}
	return out
}

// formErrors adds err to the page's error summary. An error that names a
// device (a bulk action stopped by one of them) says which, and links to that
// device's checkbox; other errors go to their field, or to first.
func (s *Server) formErrors(r *http.Request, p *page, err error, first string) *page {
	loc := s.localizer(r)
	err = localizeArgs(loc, err)
	if e, ok := traject.AsError(err); ok && len(e.Fields) == 0 {
		if tag, _ := e.Args["AssetTag"].(string); tag != "" {
			p.Errors = append(p.Errors, fieldError{Field: selectID(tag), Message: tag + ": " + loc.Error(err)})
			return p
		}
	}
	return s.withErrors(r, p, err, first)
}

// selectID is the id of a device's checkbox in a list.
func selectID(tag string) string { return "select-" + tag }

// formStatus is the status of a form sent back with err: 422 for wrong
// answers, 409 for a change the current state refuses, 403 for one outside the
// actor's region. ok is false for errors that are not about the form.
func formStatus(err error) (status int, ok bool) {
	switch traject.ErrorCode(err) {
	case traject.EINVALID, traject.ENOTFOUND:
		return http.StatusUnprocessableEntity, true
	case traject.ECONFLICT:
		return http.StatusConflict, true
	case traject.EFORBIDDEN:
		return http.StatusForbidden, true
	}
	return 0, false
}

// formTags reads the asset tags checked in a list form.
func formTags(r *http.Request) []string {
	if err := r.ParseForm(); err != nil {
		return nil // a form that cannot be read chose no device
	}
	var out []string
	for _, v := range r.PostForm["asset_tag"] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// countText translates a text about n things: key+".one" for one, else key,
// with n as Count. The catalogs are flat, so each form has its own key.
func countText(loc *i18n.Localizer, key string, n int, args ...any) string {
	if n == 1 {
		key += ".one"
	}
	return loc.T(key, append([]any{"Count", n}, args...)...)
}

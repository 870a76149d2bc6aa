package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/i18n"
)

// loanData is the loan page: the loan, its acceptances, its history in
// words, and the forms of the actions its state allows, with the answers of
// the one that came back refused.
type loanData struct {
	Loan        *traject.Loan
	Device      *traject.Device // nil when the user may not read devices
	Acceptances []traject.Acceptance
	Timeline    []timelineRow
	Today       dateValue
	Conditions  []traject.Condition
	Form        loanForm
}

// loanForm holds what was typed into the loan's action forms.
type loanForm struct {
	Action                        string // the form that came back: handout, return, ...
	Device, Charger, SIM          bool
	On, Due                       dateValue
	Condition, Note, Reason       string
	AssetTag, LossState, LossNote string
}

// Checked says whether a checklist box of the form that came back stays ticked.
func (f loanForm) Checked(action, item string) bool {
	if f.Action != action {
		return false
	}
	return map[string]bool{"device": f.Device, "charger": f.Charger, "sim": f.SIM}[item]
}

// Value returns a typed text of the form that came back, empty for other forms.
func (f loanForm) Value(action, field string) string {
	if f.Action != action {
		return ""
	}
	return map[string]string{"condition": f.Condition, "note": f.Note, "reason": f.Reason,
		"asset_tag": f.AssetTag, "state": f.LossState, "lossnote": f.LossNote}[field]
}

// Date returns the typed date of the form that came back, or def.
func (f loanForm) Date(action string, def dateValue) dateValue {
	if f.Action != action {
		return def
	}
	if action == "extend" {
		return f.Due
	}
	return f.On
}

// The actions a state allows, for the template.
func (d *loanData) Is(state string) bool { return string(d.Loan.State) == state }

// CanWipe says whether the loan's device waits in quarantine for its wipe.
func (d *loanData) CanWipe() bool {
	return d.Device != nil && d.Device.State == traject.StateQuarantine && d.Device.AssetTag == d.Loan.AssetTag &&
		(d.Loan.State == traject.LoanReturned)
}

// Overdue counts the days past due today; 0 when it is not late.
func (d *loanData) Overdue() int {
	if !d.Loan.Overdue(today()) {
		return 0
	}
	return traject.DaysBetween(d.Loan.Due, today())
}

func loanID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "page not found")
	}
	return id, nil
}

func (s *Server) loan(w http.ResponseWriter, r *http.Request) error {
	id, err := loanID(r)
	if err != nil {
		return err
	}
	return s.showLoan(w, r, id, http.StatusOK, nil, loanForm{})
}

// showLoan renders the loan page; after a refused action it shows err, linked
// to the fields of the form it came from, with that form's answers kept.
func (s *Server) showLoan(w http.ResponseWriter, r *http.Request, id int64, status int, err error, form loanForm) error {
	ctx := r.Context()
	l, lerr := s.Store.Loan(ctx, id)
	if lerr != nil {
		return lerr
	}
	d := &loanData{Loan: l, Today: dateOf(today()), Conditions: traject.Conditions, Form: form}
	if u := traject.UserFromContext(ctx); u.Can(traject.PermDevicesRead) {
		// Only the wipe button needs the device; without it the page still works.
		d.Device, _ = s.Store.Device(ctx, l.AssetTag)
	}
	if d.Acceptances, lerr = s.Store.Acceptances(ctx, id); lerr != nil {
		return lerr
	}
	entries, lerr := s.Store.LoanTimeline(ctx, id)
	if lerr != nil {
		return lerr
	}
	loc := s.localizer(r)
	d.Timeline = loanTimeline(loc, entries)
	p := s.newPage(r, "loanpage.title", d)
	p.Title = loc.T("loanpage.title", "ID", l.ID)
	if err != nil {
		s.actionErrors(r, p, err, form.Action)
	}
	return s.render(w, r, status, "loan", p)
}

// actionFirst is the first field of each action's form: where an error that
// names no field is linked to.
var actionFirst = map[string]string{"handout": "device", "return": "on", "extend": "due", "swap": "asset_tag",
	"loss": "state", "cancel": "reason"}

// actionErrors adds err to the summary. The forms of one page share field
// names (a checklist at hand-out and at return), so each field's id carries
// its form's name: "handout-device", "return-on".
func (s *Server) actionErrors(r *http.Request, p *page, err error, action string) {
	s.formErrors(r, p, err, actionFirst[action])
	for i := range p.Errors {
		p.Errors[i].Field = action + "-" + p.Errors[i].Field
	}
}

// loanTimeline writes each audited change of a loan in words.
func loanTimeline(loc *i18n.Localizer, entries []traject.AuditEntry) []timelineRow {
	out := make([]timelineRow, 0, len(entries))
	for _, e := range entries {
		row := timelineRow{At: e.At, Who: e.ActorLabel, Action: e.Action, Reason: e.Reason}
		if key := "loantimeline." + e.Action; loc.Has(key) {
			before, after := auditFields(e.Before), auditFields(e.After)
			row.What = loc.TMap(key, map[string]any{
				"AssetTag": after["asset_tag"],
				"Before":   before["asset_tag"],
				"Due":      dayWords(loc, after["due"]),
				"Method":   localName(loc, "acceptmethod.", after["method"]),
				"Language": localName(loc, "agreementlang.", after["language"]),
			})
		}
		out = append(out, row)
	}
	return out
}

// dayWords writes a YYYY-MM-DD date from an audit row in words.
func dayWords(loc *i18n.Localizer, s string) string {
	if len(s) > 10 {
		s = s[:10] // a JSON time: the date is its first ten characters
	}
	t, ok := traject.ParseDate(s)
	if !ok {
		return s
	}
	return loc.Date(t)
}

// loanDateField is a three-field date input of one action's form: its ids
// carry the form's name, its field names do not.
type loanDateField struct {
	ID, Name string
	Error    *fieldError
	dateValue
}

// LoanDate returns the date input of one action's form, with its error.
func (p *page) LoanDate(action, name string, v dateValue) loanDateField {
	id := action + "-" + name
	return loanDateField{ID: id, Name: name, Error: p.FieldError(id), dateValue: v}
}

// DueValue fills the extension's date input with the current due date.
func (d *loanData) DueValue() dateValue { return dateOf(d.Loan.Due) }

// checklistField is the checklist of one action's form.
type checklistField struct {
	Action string
	Errors []*fieldError
	Items  []checkItem
}

type checkItem struct {
	Name, ID string
	Checked  bool
}

// Checklist returns the checklist of an action's form: device and charger,
// and the SIM for a 4G device.
func (p *page) Checklist(action string, l *traject.Loan) checklistField {
	names := []string{"device", "charger"}
	if l.Connectivity == traject.Mobile {
		names = append(names, "sim")
	}
	form := p.Data.(*loanData).Form
	c := checklistField{Action: action}
	for _, n := range names {
		id := action + "-" + n
		c.Items = append(c.Items, checkItem{Name: n, ID: id, Checked: form.Checked(action, n)})
		if e := p.FieldError(id); e != nil {
			c.Errors = append(c.Errors, e)
		}
	}
	return c
}

// reasonField is the reason box of one action's form.
type reasonField struct {
	Action, ID, Value string
	Error             *fieldError
}

// Reason returns the reason box of an action's form, with its error.
func (p *page) Reason(action, value string) reasonField {
	id := action + "-reason"
	return reasonField{Action: action, ID: id, Value: value, Error: p.FieldError(id)}
}

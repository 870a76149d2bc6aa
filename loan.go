package traject

import (
	"slices"
	"strings"
	"time"
)

// LoanState is where a loan stands. A loan is one record from reservation to
// return; only reserved and handed-out loans hold their device.
type LoanState string

// The loan states.
const (
	LoanReserved  LoanState = "reserved"
	LoanHandedOut LoanState = "handed_out"
	LoanReturned  LoanState = "returned"
	LoanCancelled LoanState = "cancelled"
	LoanLost      LoanState = "lost"
	LoanStolen    LoanState = "stolen"
)

// LoanStates lists every state in the order pages show them.
var LoanStates = []LoanState{LoanReserved, LoanHandedOut, LoanReturned, LoanCancelled, LoanLost, LoanStolen}

// Valid reports whether s is a known state.
func (s LoanState) Valid() bool { return slices.Contains(LoanStates, s) }

// Active reports whether a loan in this state holds its device for its days:
// the states the database's overlap guard looks at.
func (s LoanState) Active() bool { return s == LoanReserved || s == LoanHandedOut }

// loanTransitions is the loan's whole state machine.
var loanTransitions = map[LoanState][]LoanState{
	LoanReserved:  {LoanHandedOut, LoanCancelled},
	LoanHandedOut: {LoanReturned, LoanLost, LoanStolen},
}

// CheckLoanTransition says whether a loan may go from one state to another.
func CheckLoanTransition(from, to LoanState) error {
	if slices.Contains(loanTransitions[from], to) {
		return nil
	}
	return &Error{Code: ECONFLICT, Key: "loan.transition.refused", Args: map[string]any{"From": string(from), "To": string(to)},
		Message: "a loan that is " + string(from) + " cannot become " + string(to)}
}

// Loan lends one device to one learner for an agreed period.
type Loan struct {
	ID           int64        `json:"id"`
	LearnerRef   string       `json:"learner"`
	LearnerName  string       `json:"learner_name,omitempty"`
	CourseRef    string       `json:"course,omitempty"`
	RegionCode   string       `json:"region"`
	AssetTag     string       `json:"asset_tag"`
	Connectivity Connectivity `json:"connectivity"`
	RequestRef   string       `json:"request,omitempty"`
	// The agreed period (both days included) never changes once accepted;
	// the due date changes only by an extension.
	From        time.Time `json:"from"`
	Until       time.Time `json:"until"`
	Due         time.Time `json:"due"`
	State       LoanState `json:"state"`
	HandedOutOn time.Time `json:"handed_out_on,omitzero"`
	ReturnedOn  time.Time `json:"returned_on,omitzero"`
	Condition   string    `json:"condition,omitempty"` // at return
	Accepted    bool      `json:"accepted"`            // an acceptance of the current agreement exists
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AgreedDays counts the agreed period in calendar days, both ends included.
func (l *Loan) AgreedDays() int { return DaysBetween(l.From, l.Until) + 1 }

// Overdue reports whether a handed-out loan is past its due date on day today.
func (l *Loan) Overdue(today time.Time) bool {
	return l.State == LoanHandedOut && Date(today).After(l.Due)
}

// DaysBetween counts whole days from a to b (dates at midnight UTC).
func DaysBetween(a, b time.Time) int { return int(Date(b).Sub(Date(a)).Hours() / 24) }

// Date is t's calendar day at midnight UTC, the way Traject keeps dates.
func Date(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Reservation asks for a device for a learner and a period.
type Reservation struct {
	LearnerRef   string       `json:"learner"`
	CourseRef    string       `json:"course,omitempty"`
	RegionCode   string       `json:"region"`
	Connectivity Connectivity `json:"connectivity"`
	From         time.Time    `json:"from"`
	Until        time.Time    `json:"until"`
	AssetTag     string       `json:"asset_tag,omitempty"` // a chosen device, else any free one
}

// Validate checks a reservation and names every wrong field.
func (r *Reservation) Validate() error {
	var v Validation
	r.LearnerRef, r.CourseRef, r.AssetTag = strings.TrimSpace(r.LearnerRef), strings.TrimSpace(r.CourseRef), strings.TrimSpace(r.AssetTag)
	if r.LearnerRef == "" {
		v.Add("learner", "loan.learner.required", "enter the learner's reference", nil)
	}
	if reg, ok := ParseRegion(r.RegionCode); ok {
		r.RegionCode = reg.Code
	} else {
		v.Add("region", "loan.region.invalid", "use one of ANT BRU LIM OVL VBR WVL or the region's name", nil)
	}
	if r.Connectivity != WiFi && r.Connectivity != Mobile {
		v.Add("connectivity", "loan.connectivity.invalid", "use wifi or 4g", nil)
	}
	checkPeriod(&v, r.From, r.Until)
	if r.AssetTag != "" && !ValidAssetTag(r.AssetTag) {
		v.Add("asset_tag", "device.assettag.invalid", "use 3 to 32 letters, digits or dashes", nil)
	}
	return v.Err()
}

// MaxLoanDays bounds an agreed period: a course lasts months, not years, and
// a typo in a year should not hold a device for a decade.
const MaxLoanDays = 366

func checkPeriod(v *Validation, from, until time.Time) {
	switch {
	case from.IsZero():
		v.Add("from", "loan.from.required", "enter the first day of the loan as YYYY-MM-DD", nil)
	case until.IsZero():
		v.Add("until", "loan.until.required", "enter the last day of the loan as YYYY-MM-DD", nil)
	case until.Before(from):
		v.Add("until", "loan.until.before", "the last day cannot be before the first day", nil)
	case DaysBetween(from, until) >= MaxLoanDays:
		v.Add("until", "loan.until.long", "a loan lasts at most a year", nil)
	}
}

// Checklist is what the desk checks when a device goes out or comes back.
type Checklist struct {
	Device  bool `json:"device"`
	Charger bool `json:"charger"`
	SIM     bool `json:"sim"` // for a 4G device: its SIM is in it
}

// Check names what is missing for a device of this connectivity.
func (c Checklist) Check(conn Connectivity) error {
	var v Validation
	if !c.Device {
		v.Add("device", "loan.checklist.device", "check the device itself", nil)
	}
	if !c.Charger {
		v.Add("charger", "loan.checklist.charger", "check the charger", nil)
	}
	if conn == Mobile && !c.SIM {
		v.Add("sim", "loan.checklist.sim", "check that the SIM card is in the 4G device", nil)
	}
	return v.Err()
}

// Condition is the state a device comes back in.
type Condition string

// The return conditions.
const (
	ConditionGood    Condition = "good"
	ConditionDamaged Condition = "damaged"
	ConditionFaulty  Condition = "faulty"
)

// Conditions lists them in the order the return form shows them.
var Conditions = []Condition{ConditionGood, ConditionDamaged, ConditionFaulty}

// Valid reports whether c is a known condition.
func (c Condition) Valid() bool { return slices.Contains(Conditions, c) }

// Return records a device coming back.
type Return struct {
	On        time.Time `json:"on"`
	Checklist Checklist `json:"checklist"`
	Condition Condition `json:"condition"`
	Note      string    `json:"note,omitempty"`
}

// Validate checks a return for a device of this connectivity.
func (r *Return) Validate(conn Connectivity, handedOut time.Time) error {
	var v Validation
	if r.On.IsZero() {
		v.Add("on", "loan.return.date", "enter the day the device came back as YYYY-MM-DD", nil)
	} else if r.On.Before(handedOut) {
		v.Add("on", "loan.return.before", "a device cannot come back before it went out", nil)
	}
	if !r.Condition.Valid() {
		v.Add("condition", "loan.return.condition", "choose good, damaged or faulty", nil)
	}
	if err := r.Checklist.Check(conn); err != nil {
		e, _ := AsError(err)
		v.fields = append(v.fields, e.Fields...)
	}
	return v.Err()
}

// ExtendBlocker says why a loan's due date cannot move to due, or "" when it can.
func (l *Loan) ExtendBlocker(due time.Time) string {
	switch {
	case l.State != LoanReserved && l.State != LoanHandedOut:
		return "loan.extend.state"
	case !due.After(l.Due):
		return "loan.extend.earlier"
	case DaysBetween(l.From, due) >= MaxLoanDays:
		return "loan.extend.long"
	}
	return ""
}

// Loss is a lost or stolen device: the loan ends, the SIM is suspended and the
// device is queued for remote disabling.
type Loss struct {
	State LoanState `json:"state"` // lost or stolen
	On    time.Time `json:"on"`
	Note  string    `json:"note"`
}

// Validate checks a loss report.
func (x *Loss) Validate() error {
	var v Validation
	if x.State != LoanLost && x.State != LoanStolen {
		v.Add("state", "loan.loss.state", "choose lost or stolen", nil)
	}
	if x.On.IsZero() {
		v.Add("on", "loan.loss.date", "enter the day it was reported as YYYY-MM-DD", nil)
	}
	if strings.TrimSpace(x.Note) == "" {
		v.Add("note", "loan.loss.note", "say what happened", nil)
	}
	return v.Err()
}

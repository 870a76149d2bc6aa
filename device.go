package traject

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// DeviceState is where a device physically is now. A reservation is not a
// state: it is a loan for a later period, and a device in stock can have
// several.
type DeviceState string

// The device states.
const (
	StateExpected   DeviceState = "expected"   // announced in a delivery, not received
	StateInStock    DeviceState = "in_stock"   // at an office, lendable when complete
	StateInTransit  DeviceState = "in_transit" // on its way to another region
	StateOnLoan     DeviceState = "on_loan"    // in a learner's hands
	StateQuarantine DeviceState = "quarantine" // returned, waiting for the wipe check
	StateInRepair   DeviceState = "in_repair"
	StateLost       DeviceState = "lost"
	StateStolen     DeviceState = "stolen"
	StateRetired    DeviceState = "retired" // final
	StateSpare      DeviceState = "spare"   // the ICT team's pool: never lent
)

// DeviceStates lists every state in the order lists and reports show them.
var DeviceStates = []DeviceState{StateExpected, StateInStock, StateInTransit, StateOnLoan, StateQuarantine,
	StateInRepair, StateLost, StateStolen, StateRetired, StateSpare}

// Valid reports whether s is a known state.
func (s DeviceState) Valid() bool {
	for _, x := range DeviceStates {
		if s == x {
			return true
		}
	}
	return false
}

// Initial reports whether a new device may start in this state: where a
// delivery or the ICT team puts it, never on loan, in transit or in quarantine,
// which only the desk's own actions reach.
func (s DeviceState) Initial() bool {
	switch s {
	case StateExpected, StateInStock, StateInRepair, StateSpare, StateRetired:
		return true
	}
	return false
}

// transition is one allowed change of state. Desk transitions happen only
// through the desk's own actions (hand-out, return, transfer, receipt), never
// as a manual change, so that the loan and the device cannot disagree.
type transition struct {
	via string // "" for a manual transition; else the action that makes it
}

// Actions that own transitions.
const (
	ViaHandOut  = "hand-out"
	ViaReturn   = "return"
	ViaTransfer = "transfer"
	ViaReceive  = "receipt"
	ViaLoss     = "loan" // a loan reported lost or stolen
)

// deviceTransitions is the whole state machine of a device: from -> to -> how.
var deviceTransitions = map[DeviceState]map[DeviceState]transition{
	StateExpected:   {StateInStock: {via: ViaReceive}, StateRetired: {}},
	StateInStock:    {StateInTransit: {via: ViaTransfer}, StateOnLoan: {via: ViaHandOut}, StateInRepair: {}, StateLost: {}, StateStolen: {}, StateRetired: {}, StateSpare: {}},
	StateInTransit:  {StateInStock: {via: ViaTransfer}, StateLost: {}, StateStolen: {}},
	StateOnLoan:     {StateQuarantine: {via: ViaReturn}, StateLost: {via: ViaLoss}, StateStolen: {via: ViaLoss}},
	StateQuarantine: {StateInStock: {}, StateInRepair: {}, StateRetired: {}},
	StateInRepair:   {StateInStock: {}, StateRetired: {}, StateLost: {}},
	StateLost:       {StateInStock: {}, StateRetired: {}},
	StateStolen:     {StateInStock: {}, StateRetired: {}},
	StateRetired:    {},
	StateSpare:      {StateInStock: {}, StateInRepair: {}, StateRetired: {}},
}

// NextStates returns the states a person may move a device to by hand from s.
func NextStates(s DeviceState) []DeviceState {
	var out []DeviceState
	for _, to := range DeviceStates {
		if t, ok := deviceTransitions[s][to]; ok && t.via == "" {
			out = append(out, to)
		}
	}
	return out
}

// CheckTransition says whether a device may go from one state to another
// through the given action ("" for a manual change with a reason), and why not.
func CheckTransition(from, to DeviceState, via, reason string) error {
	if !to.Valid() {
		return invalid("to", "device.state.unknown", "choose one of the device states", map[string]any{"State": string(to)})
	}
	if from == to {
		return Errorf(ECONFLICT, "device.transition.same", "the device is already %s", to)
	}
	t, ok := deviceTransitions[from][to]
	if !ok {
		return &Error{Code: ECONFLICT, Key: "device.transition.refused", Args: map[string]any{"From": string(from), "To": string(to)},
			Message: "a device cannot go from " + string(from) + " to " + string(to)}
	}
	if t.via != via {
		if t.via == "" {
			return Errorf(ECONFLICT, "device.transition.manual", "this change is made by hand, with a reason")
		}
		return &Error{Code: ECONFLICT, Key: "device.transition.via", Args: map[string]any{"Via": t.via},
			Message: "a device goes from " + string(from) + " to " + string(to) + " only through a " + t.via}
	}
	if via == "" && strings.TrimSpace(reason) == "" {
		return invalid("reason", "device.transition.reason", "say why the device changes state", nil)
	}
	return nil
}

func invalid(field, key, msg string, args map[string]any) error {
	var v Validation
	v.Add(field, key, msg, args)
	return v.Err()
}

// DeviceKind is the kind of device.
type DeviceKind string

// Device kinds.
const (
	KindChromebook DeviceKind = "chromebook"
	KindLaptop     DeviceKind = "laptop"
)

// Connectivity says how a device reaches the internet: Wi-Fi only, or with a
// 4G data bundle on a SIM of its own.
type Connectivity string

// Connectivities.
const (
	WiFi   Connectivity = "wifi"
	Mobile Connectivity = "4g"
)

// Device is a lendable laptop or Chromebook.
type Device struct {
	ID           int64        `json:"id"`
	AssetTag     string       `json:"asset_tag"`
	Serial       string       `json:"serial"`
	Model        string       `json:"model"`
	Kind         DeviceKind   `json:"kind"`
	Connectivity Connectivity `json:"connectivity"`
	RegionCode   string       `json:"region"`
	OfficeID     int64        `json:"office_id,omitempty"`
	Delivery     string       `json:"delivery,omitempty"` // the delivery's reference
	State        DeviceState  `json:"state"`
	TransitTo    string       `json:"transit_to,omitempty"` // destination region while in transit
	SIM          *SIM         `json:"sim,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

var assetTagPattern = regexp.MustCompile(`^[A-Za-z0-9-]{3,32}$`)

// ValidAssetTag reports whether s is 3 to 32 of A-Z a-z 0-9 and -.
func ValidAssetTag(s string) bool { return assetTagPattern.MatchString(s) }

// Validate checks a new device and names every wrong field.
func (d *Device) Validate() error {
	var v Validation
	d.AssetTag, d.Serial, d.Model = strings.TrimSpace(d.AssetTag), strings.TrimSpace(d.Serial), strings.TrimSpace(d.Model)
	if !ValidAssetTag(d.AssetTag) {
		v.Add("asset_tag", "device.assettag.invalid", "use 3 to 32 letters, digits or dashes", nil)
	}
	if d.Serial == "" || utf8.RuneCountInString(d.Serial) > 64 {
		v.Add("serial", "device.serial.invalid", "enter the serial number (at most 64 characters)", nil)
	}
	if d.Model == "" || utf8.RuneCountInString(d.Model) > 100 {
		v.Add("model", "device.model.invalid", "enter the model (at most 100 characters)", nil)
	}
	if d.Kind != KindChromebook && d.Kind != KindLaptop {
		v.Add("kind", "device.kind.invalid", "use chromebook or laptop", nil)
	}
	if d.Connectivity != WiFi && d.Connectivity != Mobile {
		v.Add("connectivity", "device.connectivity.invalid", "use wifi or 4g", nil)
	}
	if _, ok := ParseRegion(d.RegionCode); !ok {
		v.Add("region", "device.region.invalid", "use one of ANT BRU LIM OVL VBR WVL or the region's name", nil)
	}
	switch {
	case !d.State.Valid():
		v.Add("state", "device.state.unknown", "choose one of the device states", nil)
	case !d.State.Initial():
		v.Add("state", "device.state.initial", "a new device starts as expected, in_stock, in_repair, spare or retired", nil)
	}
	return v.Err()
}

// LendBlocker says why a device cannot be lent now, or "" when it can: it is
// in stock, and a 4G device carries an active SIM (DESIGN invariant 4).
func (d *Device) LendBlocker() string {
	switch {
	case d.State == StateSpare:
		return "device.blocked.spare"
	case d.State != StateInStock:
		return "device.blocked.state"
	case d.Connectivity == Mobile && (d.SIM == nil || d.SIM.State != SIMActive):
		return "device.blocked.sim"
	}
	return ""
}

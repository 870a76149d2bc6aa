package traject

import (
	"strings"
	"time"
)

// SIMState is the state of a SIM's subscription.
type SIMState string

// SIM states.
const (
	SIMActive     SIMState = "active"
	SIMSuspended  SIMState = "suspended"
	SIMTerminated SIMState = "terminated"
)

// SIM is the data bundle of a 4G device, tracked as an item of its own: it can
// move to another device, and its bundle ends on its own date.
type SIM struct {
	ID          int64     `json:"id"`
	ICCID       string    `json:"iccid"`
	Phone       string    `json:"phone,omitempty"`
	BundleUntil time.Time `json:"bundle_until,omitzero"`
	State       SIMState  `json:"state"`
	AssetTag    string    `json:"asset_tag,omitempty"` // the device it is in
}

// NormalizeICCID strips the spaces and dashes people type or print.
func NormalizeICCID(s string) string {
	return strings.NewReplacer(" ", "", "-", "", ".", "").Replace(strings.TrimSpace(s))
}

// ValidICCID reports whether s is 19 or 20 digits with a valid Luhn check digit.
func ValidICCID(s string) bool {
	if len(s) < 19 || len(s) > 20 {
		return false
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[len(s)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Validate checks a SIM.
func (s *SIM) Validate() error {
	var v Validation
	s.ICCID = NormalizeICCID(s.ICCID)
	if !ValidICCID(s.ICCID) {
		v.Add("sim_iccid", "sim.iccid.invalid", "an ICCID has 19 or 20 digits and a valid check digit", nil)
	}
	switch s.State {
	case SIMActive, SIMSuspended, SIMTerminated:
	default:
		v.Add("sim_state", "sim.state.invalid", "use active, suspended or terminated", nil)
	}
	return v.Err()
}

// BundleEndsWithin reports whether the bundle ends within days of today.
func (s *SIM) BundleEndsWithin(today time.Time, days int) bool {
	return !s.BundleUntil.IsZero() && !s.BundleUntil.After(today.AddDate(0, 0, days))
}

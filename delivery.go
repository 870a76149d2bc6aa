package traject

import (
	"strings"
	"time"
	"unicode/utf8"
)

// DateLayout is how dates are written in files, URLs and the API.
const DateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date as midnight UTC; dates carry no time zone.
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	return t, err == nil
}

// Delivery is a batch of devices from a supplier, planned and actual.
type Delivery struct {
	ID           int64          `json:"id"`
	Reference    string         `json:"reference"`
	Supplier     string         `json:"supplier"`
	PlannedOn    time.Time      `json:"planned_on"`
	PlannedCount int            `json:"planned_count"`
	ArrivedOn    time.Time      `json:"arrived_on,omitzero"`
	Allocation   map[string]int `json:"allocation,omitempty"` // region code -> planned count
}

// Validate checks a delivery.
func (d *Delivery) Validate() error {
	var v Validation
	d.Reference, d.Supplier = strings.TrimSpace(d.Reference), strings.TrimSpace(d.Supplier)
	switch {
	case !ValidAssetTag(d.Reference):
		v.Add("reference", "delivery.reference.invalid", "use 3 to 32 letters, digits or dashes", nil)
	case strings.EqualFold(d.Reference, "new"):
		// /deliveries/new is the form to announce one.
		v.Add("reference", "delivery.reference.reserved", "choose another reference: new is the name of a page", nil)
	}
	if d.Supplier == "" || utf8.RuneCountInString(d.Supplier) > 100 {
		v.Add("supplier", "delivery.supplier.invalid", "enter the supplier (at most 100 characters)", nil)
	}
	if d.PlannedOn.IsZero() {
		v.Add("planned_on", "delivery.plannedon.invalid", "enter the planned date as YYYY-MM-DD", nil)
	}
	if d.PlannedCount < 0 || d.PlannedCount > 1_000_000 {
		v.Add("planned_count", "delivery.count.invalid", "enter a count from 0 to 1000000", nil)
	}
	total := 0
	for code, n := range d.Allocation {
		if _, ok := ParseRegion(code); !ok || n < 0 {
			v.Add("allocation", "delivery.allocation.invalid", "allocate whole numbers to the six regions", nil)
			break
		}
		total += n
	}
	if len(d.Allocation) > 0 && total != d.PlannedCount {
		v.Add("allocation", "delivery.allocation.total", "the regions' counts must add up to the planned count", nil)
	}
	return v.Err()
}

// DelayDays is how many days the delivery arrived after it was planned
// (negative when early), or, while it has not arrived, how late it is today.
func (d *Delivery) DelayDays(today time.Time) int {
	end := d.ArrivedOn
	if end.IsZero() {
		end = today
	}
	return int(end.Sub(d.PlannedOn).Hours() / 24)
}

package traject

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// BarrierResource is the kind of thing a barrier concerns.
type BarrierResource string

// The resource kinds.
const (
	ResourceSoftware BarrierResource = "software" // an app or program: a video-call app, a browser
	ResourceWebsite  BarrierResource = "website"  // a website or online service
	ResourceMaterial BarrierResource = "material" // learning material, in the catalogue or not
)

// BarrierResources lists the kinds in the order forms show them.
var BarrierResources = []BarrierResource{ResourceSoftware, ResourceWebsite, ResourceMaterial}

// BarrierCategory is why the resource does not suit the learners.
type BarrierCategory string

// The barrier categories.
const (
	BarrierLanguage      BarrierCategory = "language"      // the language or its level
	BarrierLiteracy      BarrierCategory = "literacy"      // needs reading or writing learners cannot do
	BarrierAccessibility BarrierCategory = "accessibility" // a disability is not provided for
	BarrierDevice        BarrierCategory = "device"        // does not run on the learner's device
	BarrierConnectivity  BarrierCategory = "connectivity"  // needs more internet than learners have
	BarrierAccount       BarrierCategory = "account"       // needs an account, e-mail or eID learners lack
	BarrierCost          BarrierCategory = "cost"          // must be paid for
)

// BarrierCategories lists the categories in the order forms and reports show them.
var BarrierCategories = []BarrierCategory{BarrierLanguage, BarrierLiteracy, BarrierAccessibility, BarrierDevice,
	BarrierConnectivity, BarrierAccount, BarrierCost}

// BarrierSeverity says how much the barrier hinders learners.
type BarrierSeverity string

// The severities, from least to most.
const (
	SeverityLow      BarrierSeverity = "low"
	SeverityMedium   BarrierSeverity = "medium"
	SeverityHigh     BarrierSeverity = "high"
	SeverityBlocking BarrierSeverity = "blocking" // learners cannot take part at all
)

// BarrierSeverities lists the severities from least to most.
var BarrierSeverities = []BarrierSeverity{SeverityLow, SeverityMedium, SeverityHigh, SeverityBlocking}

// Rank orders severities: 1 for low to 4 for blocking, 0 for an unknown one.
func (s BarrierSeverity) Rank() int { return slices.Index(BarrierSeverities, s) + 1 }

// BarrierStatus is where the handling of a barrier stands.
type BarrierStatus string

// The barrier statuses.
const (
	BarrierOpen       BarrierStatus = "open"
	BarrierInProgress BarrierStatus = "in_progress"
	BarrierResolved   BarrierStatus = "resolved"
	BarrierWontFix    BarrierStatus = "wont_fix" // known, and it will stay so: the note says why
)

// BarrierStatuses lists the statuses in the order lists show them.
var BarrierStatuses = []BarrierStatus{BarrierOpen, BarrierInProgress, BarrierResolved, BarrierWontFix}

// Valid reports whether k is a known resource kind.
func (k BarrierResource) Valid() bool { return slices.Contains(BarrierResources, k) }

// Valid reports whether c is a known category.
func (c BarrierCategory) Valid() bool { return slices.Contains(BarrierCategories, c) }

// Valid reports whether s is a known severity.
func (s BarrierSeverity) Valid() bool { return slices.Contains(BarrierSeverities, s) }

// Valid reports whether s is a known status.
func (s BarrierStatus) Valid() bool { return slices.Contains(BarrierStatuses, s) }

// Closed reports whether the barrier needs no more work: resolved or won't fix.
func (s BarrierStatus) Closed() bool { return s == BarrierResolved || s == BarrierWontFix }

// Barrier is a finding, reported by any staff member, that a piece of
// software, a website or a learning material does not suit the learners. It
// belongs to a region: the reporter's, or the one a national role chose.
type Barrier struct {
	ID          int64           `json:"id"`
	Kind        BarrierResource `json:"resource_kind"`
	Resource    string          `json:"resource"`              // its name as people know it: "Zoom", "mijnburgerprofiel.be"
	MaterialID  int64           `json:"material_id,omitempty"` // the material in the catalogue, when it is one
	Category    BarrierCategory `json:"category"`
	Severity    BarrierSeverity `json:"severity"`
	Description string          `json:"description"`
	Status      BarrierStatus   `json:"status"`
	ReportedBy  int64           `json:"reported_by,omitempty"` // 0 for the command line or the demo
	Reporter    string          `json:"reporter"`
	RegionCode  string          `json:"region"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// Barrier field limits.
const (
	BarrierResourceMax    = 200
	BarrierDescriptionMax = 4000
	BarrierNoteMax        = 2000
)

// Validate checks a new barrier, tidies what people type, and names every
// wrong field in the order the form asks. A barrier linked to a catalogue
// material is about a material and may leave its name to the catalogue.
func (b *Barrier) Validate() error {
	var v Validation
	b.Resource, b.Description = strings.Join(strings.Fields(b.Resource), " "), strings.TrimSpace(b.Description)
	if b.MaterialID != 0 && b.Kind == "" {
		b.Kind = ResourceMaterial
	}
	switch {
	case !b.Kind.Valid():
		v.Add("resource_kind", "barrier.kind.invalid", "choose software, website or material", nil)
	case b.MaterialID != 0 && b.Kind != ResourceMaterial:
		v.Add("resource_kind", "barrier.kind.material", "a barrier linked to a material is about a material", nil)
	}
	if (b.Resource == "" && b.MaterialID == 0) || utf8.RuneCountInString(b.Resource) > BarrierResourceMax {
		v.Add("resource", "barrier.resource.invalid", "name the software, website or material (at most 200 characters)", nil)
	}
	if !b.Category.Valid() {
		v.Add("category", "barrier.category.invalid", "choose a category", nil)
	}
	if !b.Severity.Valid() {
		v.Add("severity", "barrier.severity.invalid", "choose low, medium, high or blocking", nil)
	}
	if b.Description == "" || utf8.RuneCountInString(b.Description) > BarrierDescriptionMax {
		v.Add("description", "barrier.description.invalid", "describe what goes wrong for learners (at most 4000 characters)", nil)
	}
	if _, ok := ParseRegion(b.RegionCode); !ok {
		v.Add("region", "barrier.region.invalid", "choose the region where learners meet the barrier", nil)
	}
	return v.Err()
}

// ResourceKey is the name a summary groups a resource by: "Zoom", "zoom " and
// "ZOOM" are one resource.
func ResourceKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// BarrierRegion decides the region of a new barrier reported by actor: a
// regional role reports for its own region (choosing another is refused), a
// national role and the system must choose one.
func BarrierRegion(actor *User, chosen string) (string, error) {
	if r, ok := ParseRegion(chosen); ok {
		chosen = r.Code
	}
	scope := actor.ScopeRegion()
	if actor == nil || scope == "" {
		return chosen, nil // Validate refuses an empty or unknown region
	}
	if chosen != "" && chosen != scope {
		return "", Errorf(EFORBIDDEN, "barrier.region.forbidden", "you report barriers for your own region only")
	}
	return scope, nil
}

// barrierTransitions lists where each status may go. A closed barrier can
// be opened again when it comes back.
var barrierTransitions = map[BarrierStatus][]BarrierStatus{
	BarrierOpen:       {BarrierInProgress, BarrierResolved, BarrierWontFix},
	BarrierInProgress: {BarrierOpen, BarrierResolved, BarrierWontFix},
	BarrierResolved:   {BarrierOpen},
	BarrierWontFix:    {BarrierOpen},
}

// NextBarrierStatuses returns the statuses a barrier in s can move to.
func NextBarrierStatuses(s BarrierStatus) []BarrierStatus { return barrierTransitions[s] }

// CheckBarrierTransition says whether a barrier may go from one status to
// another with this note. Closing a barrier (resolved, won't fix) and opening
// a closed one again need a note: what was done, why nothing will be, or what
// came back. Starting work needs none.
func CheckBarrierTransition(from, to BarrierStatus, note string) error {
	note = strings.TrimSpace(note)
	switch {
	case !to.Valid():
		return invalid("status", "barrier.status.invalid", "choose one of the statuses", nil)
	case from == to:
		return &Error{Code: ECONFLICT, Key: "barrier.status.same", Args: map[string]any{"Status": string(to)},
			Message: "the barrier is already " + string(to)}
	case !slices.Contains(barrierTransitions[from], to):
		return &Error{Code: ECONFLICT, Key: "barrier.status.refused", Args: map[string]any{"From": string(from), "To": string(to)},
			Message: "a barrier cannot go from " + string(from) + " to " + string(to)}
	case utf8.RuneCountInString(note) > BarrierNoteMax:
		return invalid("note", "barrier.note.long", "write at most 2000 characters", nil)
	case note == "" && (to.Closed() || from.Closed()):
		return invalid("note", "barrier.note.required", "say what was done, or why", nil)
	}
	return nil
}

// BarrierCount counts barriers by status.
type BarrierCount struct {
	Open       int `json:"open"`
	InProgress int `json:"in_progress"`
	Resolved   int `json:"resolved"`
	WontFix    int `json:"wont_fix"`
}

// Unresolved is how many still need work: open or in progress.
func (c BarrierCount) Unresolved() int { return c.Open + c.InProgress }

// Total is how many were reported.
func (c BarrierCount) Total() int { return c.Open + c.InProgress + c.Resolved + c.WontFix }

// ResourceSummary is the barriers reported for one resource.
type ResourceSummary struct {
	Kind       BarrierResource `json:"resource_kind"`
	Resource   string          `json:"resource"`
	MaterialID int64           `json:"material_id,omitempty"`
	BarrierCount
	// Worst is the highest severity among its unresolved barriers, "" when
	// none is unresolved.
	Worst BarrierSeverity `json:"worst_open_severity,omitempty"`
}

// CategorySummary is the barriers reported in one category.
type CategorySummary struct {
	Category BarrierCategory `json:"category"`
	BarrierCount
}

// BarrierSummary is what the barriers page and the barriers report show: the
// counts per resource (most unresolved first) and per category (every
// category, in the fixed order, also when none was reported).
type BarrierSummary struct {
	Resources  []ResourceSummary `json:"resources"`
	Categories []CategorySummary `json:"categories"`
	Total      BarrierCount      `json:"total"`
}

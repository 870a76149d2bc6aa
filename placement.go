package traject

import (
	"strings"
	"time"
	"unicode/utf8"
)

// LevelTrack is the level of a course and of a learner's placement: a highly
// educated learner and a low-literate learner follow different tracks.
type LevelTrack string

// The level tracks.
const (
	TrackBasic     LevelTrack = "basic"
	TrackStandard  LevelTrack = "standard"
	TrackIntensive LevelTrack = "intensive"
)

// LevelTracks lists the tracks from the slowest to the fastest.
var LevelTracks = []LevelTrack{TrackBasic, TrackStandard, TrackIntensive}

// Valid reports whether t is a known track.
func (t LevelTrack) Valid() bool { return oneOf(t, LevelTracks) }

// Mode is how lessons are given: online, on site, or a mix of both.
type Mode string

// The modes.
const (
	ModeOnline  Mode = "online"
	ModeBlended Mode = "blended"
	ModeOnsite  Mode = "onsite"
)

// Modes lists the modes from the most to the least online.
var Modes = []Mode{ModeOnline, ModeBlended, ModeOnsite}

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return oneOf(m, Modes) }

// LoanNeed says which device, if any, the desk should lend a learner: a Wi-Fi
// device, or a 4G device with its data bundle for a learner without internet.
type LoanNeed string

// The loan needs.
const (
	LoanNone LoanNeed = "none"
	LoanWiFi LoanNeed = LoanNeed(WiFi)
	Loan4G   LoanNeed = LoanNeed(Mobile)
)

// LoanNeeds lists the loan needs.
var LoanNeeds = []LoanNeed{LoanNone, LoanWiFi, Loan4G}

// Valid reports whether l is a known loan need.
func (l LoanNeed) Valid() bool { return oneOf(l, LoanNeeds) }

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// The four things a placement decides, as rules and reasons name them.
const (
	FieldTrack    = "track"
	FieldMode     = "mode"
	FieldPreTrack = "pretrack"
	FieldLoan     = "loan"
)

// PlacementFields lists what a placement decides, in the order pages show it.
var PlacementFields = []string{FieldTrack, FieldMode, FieldPreTrack, FieldLoan}

// PlacementOutcome is what a placement decides: the level track, the mode,
// whether the digital-skills pre-track comes first, and which device to lend.
type PlacementOutcome struct {
	Track    LevelTrack `json:"track" enum:"basic,standard,intensive"`
	Mode     Mode       `json:"mode" enum:"online,blended,onsite"`
	PreTrack bool       `json:"pretrack" doc:"The digital-skills pre-track comes first."`
	Loan     LoanNeed   `json:"loan" enum:"none,wifi,4g" doc:"The device to lend: none, a Wi-Fi device, or a 4G device with a data bundle."`
}

// Validate checks an outcome chosen by a person (an override).
func (o PlacementOutcome) Validate() error {
	var v Validation
	if !o.Track.Valid() {
		v.Add(FieldTrack, "placement.track.invalid", "choose basic, standard or intensive", nil)
	}
	if !o.Mode.Valid() {
		v.Add(FieldMode, "placement.mode.invalid", "choose online, blended or onsite", nil)
	}
	if !o.Loan.Valid() {
		v.Add(FieldLoan, "placement.loan.invalid", "choose none, wifi or 4g", nil)
	}
	return v.Err()
}

// PlacementReason explains one decision of a recommendation: which rule made
// it, and the catalog key and arguments of its explanation in words.
type PlacementReason struct {
	Field string         `json:"field" enum:"track,mode,pretrack,loan"`
	Rule  string         `json:"rule"`
	Key   string         `json:"key" doc:"The catalog key of the explanation."`
	Args  map[string]any `json:"args,omitempty"`
}

// Placement is a recommendation made from one assessment by one version of
// the placement rules. It is never changed afterwards: a new rule version
// leaves it as it was, and a person who disagrees overrides it, with a reason.
type Placement struct {
	ID           int64              `json:"id"`
	LearnerRef   string             `json:"learner"`
	AssessmentID int64              `json:"assessment_id"`
	RulesVersion int                `json:"rules_version"`
	Recommended  PlacementOutcome   `json:"recommended"`
	Reasons      []PlacementReason  `json:"reasons"`
	Override     *PlacementOverride `json:"override,omitempty"`
	CreatedBy    string             `json:"created_by"`
	CreatedAt    time.Time          `json:"created_at"`
}

// Final is the placement that holds: the override when there is one, else
// the recommendation.
func (p *Placement) Final() PlacementOutcome {
	if p.Override != nil {
		return p.Override.PlacementOutcome
	}
	return p.Recommended
}

// Reason returns the explanation of one decision.
func (p *Placement) Reason(field string) (PlacementReason, bool) {
	for _, r := range p.Reasons {
		if r.Field == field {
			return r, true
		}
	}
	return PlacementReason{}, false
}

// PlacementOverride is a staff member's own choice instead of the
// recommendation, with the reason they gave.
type PlacementOverride struct {
	PlacementOutcome
	Reason    string    `json:"reason"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxOverrideReason bounds the reason of an override.
const MaxOverrideReason = 1000

// CheckOverride says whether a person may replace the placement that holds
// now (current) by o, with reason: o must be a valid choice, differ from
// current, and come with a reason.
func CheckOverride(current, o PlacementOutcome, reason string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	var v Validation
	if o == current {
		v.Add(FieldTrack, "placement.override.same", "change at least one answer, or keep the placement as it is", nil)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxOverrideReason {
		v.Add("reason", "placement.override.reason", "say why you choose differently (at most 1000 characters)",
			map[string]any{"Max": MaxOverrideReason})
	}
	return v.Err()
}

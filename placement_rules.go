package traject

import (
	"slices"
	"time"
)

// PlacementRules is one version of the placement rules: data, written as JSON
// by an admin, read by a small engine. The rules are tried in order; for each
// of the four decisions (track, mode, pre-track, loan) the first rule that
// applies and sets it decides, and its explanation says why. A rule without
// conditions always applies: it is the fallback of what it sets, and every
// decision needs one, so that every assessment gets a whole recommendation.
type PlacementRules struct {
	Version   int             `json:"-"`
	Rules     []PlacementRule `json:"rules"`
	Note      string          `json:"-"` // what the version changes, as its author wrote it
	Text      string          `json:"-"` // the JSON exactly as published
	Active    bool            `json:"-"`
	CreatedBy string          `json:"-"`
	CreatedAt time.Time       `json:"-"`
}

// PlacementRule is one rule: when the assessment meets every condition, it
// sets the decisions in Then, explained by the catalog text Explain.
type PlacementRule struct {
	Name    string             `json:"name"`
	When    PlacementCondition `json:"when,omitzero"`
	Then    RuleOutcome        `json:"then"`
	Explain string             `json:"explain"`
}

// PlacementCondition holds a rule's conditions; each one set must hold. A
// list holds when the answer is one of its values; Lacks holds when the
// learner lacks at least one of the skills listed.
type PlacementCondition struct {
	DeviceAccess  []DeviceAccess `json:"device_access,omitempty"`
	Internet      []Internet     `json:"internet,omitempty"`
	Literacy      []Literacy     `json:"literacy,omitempty"`
	Education     []Education    `json:"education,omitempty"`
	DutchLevel    []DutchLevel   `json:"dutch_level,omitempty"`
	Lacks         []Skill        `json:"lacks,omitempty"`
	SkillsBelow   *int           `json:"skills_below,omitempty"`    // the skills score is below this
	SkillsAtLeast *int           `json:"skills_at_least,omitempty"` // the skills score is at least this
}

// IsZero reports whether the condition is empty, so that the rule always applies.
func (c PlacementCondition) IsZero() bool {
	return c.DeviceAccess == nil && c.Internet == nil && c.Literacy == nil && c.Education == nil &&
		c.DutchLevel == nil && c.Lacks == nil && c.SkillsBelow == nil && c.SkillsAtLeast == nil
}

// Holds reports whether the assessment meets the condition.
func (c PlacementCondition) Holds(a *Assessment) bool {
	score := a.Skills.Score()
	switch {
	case c.DeviceAccess != nil && !slices.Contains(c.DeviceAccess, a.DeviceAccess),
		c.Internet != nil && !slices.Contains(c.Internet, a.Internet),
		c.Literacy != nil && !slices.Contains(c.Literacy, a.Literacy),
		c.Education != nil && !slices.Contains(c.Education, a.Education),
		c.DutchLevel != nil && !slices.Contains(c.DutchLevel, a.DutchLevel),
		c.Lacks != nil && !slices.ContainsFunc(c.Lacks, func(s Skill) bool { return !a.Skills.Has(s) }),
		c.SkillsBelow != nil && score >= *c.SkillsBelow,
		c.SkillsAtLeast != nil && score < *c.SkillsAtLeast:
		return false
	}
	return true
}

// RuleOutcome is what a rule sets; an empty field leaves that decision to the
// rules after it.
type RuleOutcome struct {
	Track    LevelTrack `json:"track,omitempty"`
	Mode     Mode       `json:"mode,omitempty"`
	PreTrack *bool      `json:"pretrack,omitempty"`
	Loan     LoanNeed   `json:"loan,omitempty"`
}

// Sets returns the decisions the outcome sets, in PlacementFields order.
func (o RuleOutcome) Sets() []string {
	var out []string
	if o.Track != "" {
		out = append(out, FieldTrack)
	}
	if o.Mode != "" {
		out = append(out, FieldMode)
	}
	if o.PreTrack != nil {
		out = append(out, FieldPreTrack)
	}
	if o.Loan != "" {
		out = append(out, FieldLoan)
	}
	return out
}

// apply writes the decision of field into p.
func (o RuleOutcome) apply(field string, p *PlacementOutcome) {
	switch field {
	case FieldTrack:
		p.Track = o.Track
	case FieldMode:
		p.Mode = o.Mode
	case FieldPreTrack:
		p.PreTrack = *o.PreTrack
	case FieldLoan:
		p.Loan = o.Loan
	}
}

// Place applies the rules to an assessment and returns the recommendation and
// one reason per decision, in PlacementFields order. It is pure: the same
// assessment and rules always give the same answer.
func (rs *PlacementRules) Place(a *Assessment) (PlacementOutcome, []PlacementReason) {
	var out PlacementOutcome
	decided := map[string]PlacementReason{}
	for _, r := range rs.Rules {
		if !r.When.Holds(a) {
			continue
		}
		for _, field := range r.Then.Sets() {
			if _, done := decided[field]; done {
				continue
			}
			r.Then.apply(field, &out)
			decided[field] = PlacementReason{Field: field, Rule: r.Name, Key: r.Explain, Args: reasonArgs(r, a)}
		}
	}
	reasons := make([]PlacementReason, 0, len(decided))
	for _, field := range PlacementFields {
		if reason, ok := decided[field]; ok {
			reasons = append(reasons, reason)
		}
	}
	return out, reasons
}

// reasonArgs are the values an explanation may use: the learner's skills
// score out of five, the rule's name, and the thresholds of its conditions.
func reasonArgs(r PlacementRule, a *Assessment) map[string]any {
	args := map[string]any{"Score": a.Skills.Score(), "Max": MaxSkillScore, "Rule": r.Name}
	if r.When.SkillsBelow != nil {
		args["Threshold"] = *r.When.SkillsBelow
	}
	if r.When.SkillsAtLeast != nil {
		args["AtLeast"] = *r.When.SkillsAtLeast
	}
	return args
}

// PlacementExplanations lists the catalog keys a rule may use to explain
// itself; the catalogs hold each in every language, so a recommendation reads
// in the learner's counsellor's language. placement.why.rule is the generic
// one, for a new rule that none of the others fits: it names the rule.
var PlacementExplanations = []string{
	"placement.why.track_standard",
	"placement.why.track_basic_low_literate",
	"placement.why.track_basic_no_education",
	"placement.why.track_basic_other_script",
	"placement.why.track_intensive_higher",
	"placement.why.track_intensive_dutch",
	"placement.why.mode_online",
	"placement.why.mode_blended_skills",
	"placement.why.mode_blended_shared_computer",
	"placement.why.mode_onsite_low_literate",
	"placement.why.mode_onsite_no_internet",
	"placement.why.mode_onsite_skills",
	"placement.why.pretrack_skills",
	"placement.why.no_pretrack",
	"placement.why.loan_none",
	"placement.why.loan_wifi",
	"placement.why.loan_4g",
	"placement.why.rule",
}

// DefaultPlacementRules is the rule set the first placement migration seeds
// as version 1 (a store test keeps the two the same): low literacy or no
// schooling gives the basic track, higher education in the Latin script the
// intensive one; fewer than three of the five digital skills gives the
// pre-track and blended lessons; no computer gives a loan, a 4G one when
// there is no internet either.
const DefaultPlacementRules = `{
  "rules": [
    {"name": "track_basic_low_literate", "when": {"literacy": ["low_literate"]}, "then": {"track": "basic"}, "explain": "placement.why.track_basic_low_literate"},
    {"name": "track_basic_no_education", "when": {"education": ["none"]}, "then": {"track": "basic"}, "explain": "placement.why.track_basic_no_education"},
    {"name": "track_intensive_higher", "when": {"education": ["higher"], "literacy": ["literate_latin"]}, "then": {"track": "intensive"}, "explain": "placement.why.track_intensive_higher"},
    {"name": "track_standard", "then": {"track": "standard"}, "explain": "placement.why.track_standard"},
    {"name": "mode_onsite_low_literate", "when": {"literacy": ["low_literate"]}, "then": {"mode": "onsite"}, "explain": "placement.why.mode_onsite_low_literate"},
    {"name": "mode_onsite_no_internet", "when": {"internet": ["none"], "device_access": ["shared_computer", "own_computer"]}, "then": {"mode": "onsite"}, "explain": "placement.why.mode_onsite_no_internet"},
    {"name": "mode_blended_skills", "when": {"skills_below": 3}, "then": {"mode": "blended"}, "explain": "placement.why.mode_blended_skills"},
    {"name": "mode_online", "then": {"mode": "online"}, "explain": "placement.why.mode_online"},
    {"name": "pretrack_skills", "when": {"skills_below": 3}, "then": {"pretrack": true}, "explain": "placement.why.pretrack_skills"},
    {"name": "no_pretrack", "then": {"pretrack": false}, "explain": "placement.why.no_pretrack"},
    {"name": "loan_4g", "when": {"device_access": ["none", "smartphone_only"], "internet": ["none"]}, "then": {"loan": "4g"}, "explain": "placement.why.loan_4g"},
    {"name": "loan_wifi", "when": {"device_access": ["none", "smartphone_only"]}, "then": {"loan": "wifi"}, "explain": "placement.why.loan_wifi"},
    {"name": "loan_none", "then": {"loan": "none"}, "explain": "placement.why.loan_none"}
  ]
}
`

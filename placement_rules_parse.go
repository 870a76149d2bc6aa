package traject

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bounds of a rule set, so that a mistake cannot make placement slow.
const (
	MaxPlacementRulesSize = 64 << 10
	MaxPlacementRules     = 200
)

// RulesField is the form field (and API body field) every rule-set error is
// reported on: the one box that holds the JSON.
const RulesField = "rules"

var ruleNamePattern = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// ParsePlacementRules reads and checks a rule set. Every problem is reported
// at once, each naming the rule (by name, or by position when it has no
// usable name) and what is wrong with it, so an admin can fix them in one go.
func ParsePlacementRules(text string) (*PlacementRules, error) {
	var v Validation
	rs := parseRuleSet(text, &v)
	if rs != nil {
		checkRuleSet(rs, &v)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rs.Text = text
	return rs, nil
}

func parseRuleSet(text string, v *Validation) *PlacementRules {
	if strings.TrimSpace(text) == "" || len(text) > MaxPlacementRulesSize {
		v.Add(RulesField, "placement.rules.size", "paste the rules as JSON (at most 64 KB)", map[string]any{"Max": MaxPlacementRulesSize >> 10})
		return nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		addSyntaxError(v, text, err)
		return nil
	}
	for _, k := range unknownKeys(top, "rules") {
		v.Add(RulesField, "placement.rules.top", "the rules are an object with only a \"rules\" list", map[string]any{"Field": k})
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(top["rules"], &raws); err != nil || raws == nil {
		v.Add(RulesField, "placement.rules.list", "put the rules in a list under \"rules\"", nil)
		return nil
	}
	if len(raws) > MaxPlacementRules {
		v.Add(RulesField, "placement.rules.many", "use at most 200 rules", map[string]any{"Max": MaxPlacementRules})
		return nil
	}
	rs := &PlacementRules{}
	for i, raw := range raws {
		if r, ok := parseRule(i+1, raw, v); ok {
			rs.Rules = append(rs.Rules, r)
		}
	}
	return rs
}

// addSyntaxError reports JSON that cannot be read, with the line and column
// where reading stopped.
func addSyntaxError(v *Validation, text string, err error) {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := lineColumn(text, syn.Offset)
		v.Add(RulesField, "placement.rules.json", fmt.Sprintf("the JSON cannot be read at line %d, column %d", line, col),
			map[string]any{"Line": line, "Column": col})
		return
	}
	v.Add(RulesField, "placement.rules.list", "put the rules in a list under \"rules\"", nil)
}

// lineColumn turns a byte offset into a 1-based line and column (in characters).
func lineColumn(text string, offset int64) (int, int) {
	if offset > int64(len(text)) {
		offset = int64(len(text))
	}
	before := text[:offset]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
	return line, max(col, 1)
}

// ruleKeys, conditionKeys and outcomeKeys are the words a rule may use.
var (
	ruleKeys      = []string{"name", "when", "then", "explain"}
	conditionKeys = []string{"device_access", "internet", "literacy", "education", "dutch_level", "lacks", "skills_below", "skills_at_least"}
	outcomeKeys   = []string{FieldTrack, FieldMode, FieldPreTrack, FieldLoan}
)

// parseRule reads rule number pos; it reports its problems to v and returns
// false when the rule cannot be used.
func parseRule(pos int, raw json.RawMessage, v *Validation) (PlacementRule, bool) {
	var r PlacementRule
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		v.Add(RulesField, "placement.rules.object", fmt.Sprintf("rule %d is not an object", pos), map[string]any{"Rule": ruleLabel(pos, "")})
		return r, false
	}
	var name string
	_ = json.Unmarshal(fields["name"], &name) // a name of the wrong type is reported below
	label := ruleLabel(pos, name)
	n := len(v.fields)
	checkKeys(v, label, "", fields, ruleKeys)
	checkKeys(v, label, "when.", subKeys(fields["when"]), conditionKeys)
	checkKeys(v, label, "then.", subKeys(fields["then"]), outcomeKeys)
	if err := strictUnmarshal(raw, &r); err != nil {
		addTypeError(v, label, err)
		return r, false
	}
	if !ruleNamePattern.MatchString(r.Name) {
		v.Add(RulesField, "placement.rules.name", "give each rule a name of lower-case letters, digits and _", map[string]any{"Rule": label})
	}
	checkCondition(v, label, r.When)
	checkOutcome(v, label, r.Then)
	if !slices.Contains(PlacementExplanations, r.Explain) {
		v.Add(RulesField, "placement.rules.explain", "choose an explanation from the list of explanations",
			map[string]any{"Rule": label, "Key": r.Explain})
	}
	return r, len(v.fields) == n
}

// ruleLabel names a rule in messages: by its name when it has a usable one,
// else by its position ("#3").
func ruleLabel(pos int, name string) string {
	if ruleNamePattern.MatchString(name) {
		return name
	}
	return fmt.Sprintf("#%d", pos)
}

func subKeys(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m) // not an object: the typed read reports it
	return m
}

func unknownKeys(m map[string]json.RawMessage, known ...string) []string {
	var out []string
	for k := range m {
		if !slices.Contains(known, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func checkKeys(v *Validation, label, prefix string, m map[string]json.RawMessage, known []string) {
	for _, k := range unknownKeys(m, known...) {
		v.Add(RulesField, "placement.rules.key", fmt.Sprintf("rule %s: unknown word %q", label, prefix+k),
			map[string]any{"Rule": label, "Field": prefix + k})
	}
}

// strictUnmarshal reads JSON refusing fields the type does not have (the
// keys were reported by name already; this only stops the rule).
func strictUnmarshal(raw json.RawMessage, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

func addTypeError(v *Validation, label string, err error) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		v.Add(RulesField, "placement.rules.type", fmt.Sprintf("rule %s: %s has the wrong kind of value", label, te.Field),
			map[string]any{"Rule": label, "Field": te.Field})
	}
	// Other errors are unknown keys, which checkKeys has named.
}

func checkCondition(v *Validation, label string, c PlacementCondition) {
	checkValues(v, label, "device_access", c.DeviceAccess, DeviceAccesses)
	checkValues(v, label, "internet", c.Internet, Internets)
	checkValues(v, label, "literacy", c.Literacy, Literacies)
	checkValues(v, label, "education", c.Education, Educations)
	checkValues(v, label, "dutch_level", c.DutchLevel, DutchLevels)
	checkValues(v, label, "lacks", c.Lacks, Skills)
	below, atLeast := c.SkillsBelow, c.SkillsAtLeast
	if (below != nil && (*below < 1 || *below > MaxSkillScore)) || (atLeast != nil && (*atLeast < 0 || *atLeast > MaxSkillScore)) {
		v.Add(RulesField, "placement.rules.skills", "skills_below goes from 1 to 5, skills_at_least from 0 to 5", map[string]any{"Rule": label})
	} else if below != nil && atLeast != nil && *atLeast >= *below {
		v.Add(RulesField, "placement.rules.never", "no score is both at least skills_at_least and below skills_below", map[string]any{"Rule": label})
	}
}

// checkValues reports a value that is not a possible answer, and an empty
// list, which no assessment could meet.
func checkValues[T ~string](v *Validation, label, field string, values, allowed []T) {
	if values != nil && len(values) == 0 {
		v.Add(RulesField, "placement.rules.emptylist", fmt.Sprintf("rule %s: %s lists no answers", label, field),
			map[string]any{"Rule": label, "Field": field})
	}
	for _, x := range values {
		if !slices.Contains(allowed, x) {
			v.Add(RulesField, "placement.rules.value", fmt.Sprintf("rule %s: %q is not a possible answer for %s", label, x, field),
				map[string]any{"Rule": label, "Field": field, "Value": string(x), "Allowed": joinValues(allowed)})
		}
	}
}

func joinValues[T ~string](values []T) string {
	out := make([]string, len(values))
	for i, x := range values {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}

func checkOutcome(v *Validation, label string, o RuleOutcome) {
	if len(o.Sets()) == 0 {
		v.Add(RulesField, "placement.rules.nothing", fmt.Sprintf("rule %s decides nothing", label), map[string]any{"Rule": label})
	}
	if o.Track != "" {
		checkValues(v, label, "then.track", []LevelTrack{o.Track}, LevelTracks)
	}
	if o.Mode != "" {
		checkValues(v, label, "then.mode", []Mode{o.Mode}, Modes)
	}
	if o.Loan != "" {
		checkValues(v, label, "then.loan", []LoanNeed{o.Loan}, LoanNeeds)
	}
}

// checkRuleSet checks what only the whole set shows: names used twice,
// decisions without a fallback, and rules that can never decide anything
// because fallbacks before them decide all they set.
func checkRuleSet(rs *PlacementRules, v *Validation) {
	seen := map[string]bool{}
	fallback := map[string]string{} // field -> the rule without conditions that decides it
	for _, r := range rs.Rules {
		if seen[r.Name] {
			v.Add(RulesField, "placement.rules.duplicate", "give each rule its own name", map[string]any{"Rule": r.Name})
		}
		seen[r.Name] = true
		if before, shadowed := shadowedBy(r, fallback); shadowed {
			v.Add(RulesField, "placement.rules.unreachable", fmt.Sprintf("rule %s never applies: %s before it always decides", r.Name, before),
				map[string]any{"Rule": r.Name, "Before": before})
		}
		if r.When.IsZero() {
			for _, f := range r.Then.Sets() {
				if _, ok := fallback[f]; !ok {
					fallback[f] = r.Name
				}
			}
		}
	}
	for _, f := range PlacementFields {
		if _, ok := fallback[f]; !ok {
			v.Add(RulesField, "placement.rules.fallback", fmt.Sprintf("add a rule without \"when\" that sets %s", f), map[string]any{"Field": f})
		}
	}
}

// shadowedBy reports whether every decision r sets is already taken by a
// fallback before it, and names the first such fallback.
func shadowedBy(r PlacementRule, fallback map[string]string) (string, bool) {
	sets := r.Then.Sets()
	for _, f := range sets {
		if _, ok := fallback[f]; !ok {
			return "", false
		}
	}
	if len(sets) == 0 {
		return "", false
	}
	return fallback[sets[0]], true
}

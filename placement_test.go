package traject_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/i18n"
)

// baseAssessment is a learner no rule singles out: an own computer, Wi-Fi,
// all five skills, literate in the Latin script, secondary school.
func baseAssessment() *traject.Assessment {
	return &traject.Assessment{
		AssessedOn:   time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC),
		DeviceAccess: traject.DeviceOwnComputer, Internet: traject.InternetWiFi,
		Skills:   traject.DigitalSkills{LogIn: true, Website: true, VideoLesson: true, EmailAttachment: true, OnlineForm: true},
		Literacy: traject.LiterateLatin, Education: traject.EducationSecondary, DutchLevel: "A2", Languages: []string{"ar"},
	}
}

// withSkills keeps the first n of the five skills.
func withSkills(n int) func(*traject.Assessment) {
	return func(a *traject.Assessment) {
		a.Skills = traject.DigitalSkills{}
		for _, s := range traject.Skills[:n] {
			a.Skills.Set(s, true)
		}
	}
}

func defaultRules(t testing.TB) *traject.PlacementRules {
	t.Helper()
	rs, err := traject.ParsePlacementRules(traject.DefaultPlacementRules)
	if err != nil {
		t.Fatalf("the default rules do not parse: %v", err)
	}
	return rs
}

// decision is what one field came to and which rule decided it.
type decision struct{ Value, Rule string }

func decisions(o traject.PlacementOutcome, reasons []traject.PlacementReason) map[string]decision {
	values := map[string]string{
		traject.FieldTrack: string(o.Track), traject.FieldMode: string(o.Mode),
		traject.FieldPreTrack: fmt.Sprint(o.PreTrack), traject.FieldLoan: string(o.Loan),
	}
	out := map[string]decision{}
	for _, r := range reasons {
		out[r.Field] = decision{values[r.Field], r.Rule}
	}
	return out
}

// TestDefaultRules covers each rule of the seeded rule set, and the order
// between the rules that compete for the same decision.
func TestDefaultRules(t *testing.T) {
	rs := defaultRules(t)
	standard := map[string]decision{
		"track": {"standard", "track_standard"}, "mode": {"online", "mode_online"},
		"pretrack": {"false", "no_pretrack"}, "loan": {"none", "loan_none"},
	}
	tests := []struct {
		name string
		edit []func(*traject.Assessment)
		want map[string]decision // only the decisions that differ from standard
	}{
		{"nothing stands out", nil, nil},
		{"low literate: basic track, in class", []func(*traject.Assessment){func(a *traject.Assessment) { a.Literacy = traject.LowLiterate }},
			map[string]decision{"track": {"basic", "track_basic_low_literate"}, "mode": {"onsite", "mode_onsite_low_literate"}}},
		{"no schooling: basic track", []func(*traject.Assessment){func(a *traject.Assessment) { a.Education = traject.EducationNone }},
			map[string]decision{"track": {"basic", "track_basic_no_education"}}},
		{"low literate and no schooling: the first rule explains", []func(*traject.Assessment){func(a *traject.Assessment) {
			a.Literacy, a.Education = traject.LowLiterate, traject.EducationNone
		}}, map[string]decision{"track": {"basic", "track_basic_low_literate"}, "mode": {"onsite", "mode_onsite_low_literate"}}},
		{"higher education, Latin script: intensive", []func(*traject.Assessment){func(a *traject.Assessment) { a.Education = traject.EducationHigher }},
			map[string]decision{"track": {"intensive", "track_intensive_higher"}}},
		{"higher education, other script: standard", []func(*traject.Assessment){func(a *traject.Assessment) {
			a.Education, a.Literacy = traject.EducationHigher, traject.LiterateOtherScript
		}}, nil},
		{"primary school: standard", []func(*traject.Assessment){func(a *traject.Assessment) { a.Education = traject.EducationPrimary }}, nil},
		{"two skills: pre-track and blended", []func(*traject.Assessment){withSkills(2)},
			map[string]decision{"mode": {"blended", "mode_blended_skills"}, "pretrack": {"true", "pretrack_skills"}}},
		{"no skills: pre-track and blended", []func(*traject.Assessment){withSkills(0)},
			map[string]decision{"mode": {"blended", "mode_blended_skills"}, "pretrack": {"true", "pretrack_skills"}}},
		{"three skills is the threshold: online, no pre-track", []func(*traject.Assessment){withSkills(3)}, nil},
		{"low literate with few skills: in class, and the pre-track", []func(*traject.Assessment){withSkills(1), func(a *traject.Assessment) { a.Literacy = traject.LowLiterate }},
			map[string]decision{"track": {"basic", "track_basic_low_literate"}, "mode": {"onsite", "mode_onsite_low_literate"}, "pretrack": {"true", "pretrack_skills"}}},
		{"computer without internet: in class, no loan", []func(*traject.Assessment){func(a *traject.Assessment) { a.Internet = traject.InternetNone }},
			map[string]decision{"mode": {"onsite", "mode_onsite_no_internet"}}},
		{"shared computer without internet: in class, no loan", []func(*traject.Assessment){func(a *traject.Assessment) {
			a.DeviceAccess, a.Internet = traject.DeviceSharedComputer, traject.InternetNone
		}}, map[string]decision{"mode": {"onsite", "mode_onsite_no_internet"}}},
		{"shared computer with Wi-Fi: no loan", []func(*traject.Assessment){func(a *traject.Assessment) { a.DeviceAccess = traject.DeviceSharedComputer }}, nil},
		{"no device, Wi-Fi: Wi-Fi loan", []func(*traject.Assessment){func(a *traject.Assessment) { a.DeviceAccess = traject.DeviceNone }},
			map[string]decision{"loan": {"wifi", "loan_wifi"}}},
		{"smartphone with mobile data: Wi-Fi loan", []func(*traject.Assessment){func(a *traject.Assessment) {
			a.DeviceAccess, a.Internet = traject.DeviceSmartphoneOnly, traject.InternetMobileData
		}}, map[string]decision{"loan": {"wifi", "loan_wifi"}}},
		{"no device, no internet: 4G loan, online", []func(*traject.Assessment){func(a *traject.Assessment) {
			a.DeviceAccess, a.Internet = traject.DeviceNone, traject.InternetNone
		}}, map[string]decision{"loan": {"4g", "loan_4g"}}},
		{"smartphone, no internet: 4G loan", []func(*traject.Assessment){func(a *traject.Assessment) {
			a.DeviceAccess, a.Internet = traject.DeviceSmartphoneOnly, traject.InternetNone
		}}, map[string]decision{"loan": {"4g", "loan_4g"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := baseAssessment()
			for _, e := range tt.edit {
				e(a)
			}
			want := map[string]decision{}
			for k, v := range standard {
				want[k] = v
			}
			for k, v := range tt.want {
				want[k] = v
			}
			if diff := cmp.Diff(want, decisions(rs.Place(a))); diff != "" {
				t.Errorf("placement (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEveryDefaultRuleIsCovered keeps TestDefaultRules honest: each rule of
// the seeded set decides something for at least one assessment there.
func TestEveryDefaultRuleIsCovered(t *testing.T) {
	rs := defaultRules(t)
	used := map[string]bool{}
	for _, dev := range traject.DeviceAccesses {
		for _, net := range traject.Internets {
			for _, lit := range traject.Literacies {
				for _, edu := range traject.Educations {
					for n := 0; n <= traject.MaxSkillScore; n++ {
						a := baseAssessment()
						a.DeviceAccess, a.Internet, a.Literacy, a.Education = dev, net, lit, edu
						withSkills(n)(a)
						o, reasons := rs.Place(a)
						checkWhole(t, o, reasons)
						for _, r := range reasons {
							used[r.Rule] = true
						}
					}
				}
			}
		}
	}
	for _, r := range rs.Rules {
		if !used[r.Name] {
			t.Errorf("rule %s never decides anything", r.Name)
		}
	}
}

// checkWhole fails unless all four decisions are made, with valid values.
func checkWhole(t *testing.T, o traject.PlacementOutcome, reasons []traject.PlacementReason) {
	t.Helper()
	if err := o.Validate(); err != nil {
		t.Fatalf("outcome %+v: %v", o, err)
	}
	var fields []string
	for _, r := range reasons {
		fields = append(fields, r.Field)
	}
	if !slices.Equal(fields, traject.PlacementFields) {
		t.Fatalf("reasons for %v, want one for each of %v", fields, traject.PlacementFields)
	}
}

func TestPlaceFirstRuleDecidesEachField(t *testing.T) {
	rs, err := traject.ParsePlacementRules(`{"rules": [
		{"name": "a", "when": {"skills_below": 5}, "then": {"mode": "blended", "pretrack": true}, "explain": "placement.why.rule"},
		{"name": "b", "when": {"skills_below": 5}, "then": {"mode": "onsite", "track": "basic"}, "explain": "placement.why.rule"},
		{"name": "all", "then": {"track": "standard", "mode": "online", "pretrack": false, "loan": "none"}, "explain": "placement.why.rule"}
	]}`)
	if err != nil {
		t.Fatal(err)
	}
	a := baseAssessment()
	withSkills(4)(a)
	got := decisions(rs.Place(a))
	want := map[string]decision{"mode": {"blended", "a"}, "pretrack": {"true", "a"}, "track": {"basic", "b"}, "loan": {"none", "all"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func intp(n int) *int { return &n }

func TestConditionHolds(t *testing.T) {
	a := baseAssessment()
	a.Skills = traject.DigitalSkills{LogIn: true, Website: true}
	a.DutchLevel = "A1"
	tests := []struct {
		name string
		c    traject.PlacementCondition
		want bool
	}{
		{"empty always holds", traject.PlacementCondition{}, true},
		{"lacks one of them", traject.PlacementCondition{Lacks: []traject.Skill{traject.SkillLogIn, traject.SkillVideoLesson}}, true},
		{"lacks none of them", traject.PlacementCondition{Lacks: []traject.Skill{traject.SkillLogIn, traject.SkillWebsite}}, false},
		{"skills at least 2", traject.PlacementCondition{SkillsAtLeast: intp(2)}, true},
		{"skills at least 3", traject.PlacementCondition{SkillsAtLeast: intp(3)}, false},
		{"skills below 2", traject.PlacementCondition{SkillsBelow: intp(2)}, false},
		{"skills below 3", traject.PlacementCondition{SkillsBelow: intp(3)}, true},
		{"dutch level listed", traject.PlacementCondition{DutchLevel: []traject.DutchLevel{"A1", "A2"}}, true},
		{"dutch level not listed", traject.PlacementCondition{DutchLevel: []traject.DutchLevel{"B1"}}, false},
		{"all conditions must hold", traject.PlacementCondition{DutchLevel: []traject.DutchLevel{"A1"}, Internet: []traject.Internet{traject.InternetNone}}, false},
	}
	for _, tt := range tests {
		if got := tt.c.Holds(a); got != tt.want {
			t.Errorf("%s: Holds = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// fallbacks completes a rule set under test, so that only the rule tested is wrong.
const fallbacks = `{"name": "all", "then": {"track": "standard", "mode": "online", "pretrack": false, "loan": "none"}, "explain": "placement.why.rule"}`

func rulesWith(rule string) string { return `{"rules": [` + rule + `, ` + fallbacks + `]}` }

// problem is one reported problem: its key and the rule or field it names.
type problem struct{ Key, Rule, Field string }

func problems(err error) []problem {
	e, _ := traject.AsError(err)
	if e == nil {
		return nil
	}
	var out []problem
	for _, f := range e.Fields {
		p := problem{Key: f.Key}
		p.Rule, _ = f.Args["Rule"].(string)
		p.Field, _ = f.Args["Field"].(string)
		out = append(out, p)
		if f.Field != traject.RulesField {
			panic("a rule-set error on field " + f.Field)
		}
	}
	return out
}

func TestParsePlacementRulesRefuses(t *testing.T) {
	valid := `"then": {"track": "basic"}, "explain": "placement.why.rule"`
	tests := []struct {
		name string
		text string
		want []problem
	}{
		{"empty", "  ", []problem{{Key: "placement.rules.size"}}},
		{"too big", strings.Repeat(" ", traject.MaxPlacementRulesSize) + "{}", []problem{{Key: "placement.rules.size"}}},
		{"not JSON", "{\n  \"rules\": [,\n]}", []problem{{Key: "placement.rules.json"}}},
		{"a list, not an object", `[]`, []problem{{Key: "placement.rules.list"}}},
		{"rules not a list", `{"rules": {}}`, []problem{{Key: "placement.rules.list"}}},
		{"no rules key", `{}`, []problem{{Key: "placement.rules.list"}}},
		{"unknown top-level key", `{"version": 2, "rules": [` + fallbacks + `]}`, []problem{{Key: "placement.rules.top", Field: "version"}}},
		{"a rule that is a number", rulesWith(`7`), []problem{{Key: "placement.rules.object", Rule: "#1"}}},
		{"no name", rulesWith(`{` + valid + `}`), []problem{{Key: "placement.rules.name", Rule: "#1"}}},
		{"bad name", rulesWith(`{"name": "Basic track", ` + valid + `}`), []problem{{Key: "placement.rules.name", Rule: "#1"}}},
		{"unknown rule key", rulesWith(`{"name": "r", "if": {}, ` + valid + `}`), []problem{{Key: "placement.rules.key", Rule: "r", Field: "if"}}},
		{"misspelt condition", rulesWith(`{"name": "r", "when": {"literacyy": ["low_literate"]}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.key", Rule: "r", Field: "when.literacyy"}}},
		{"misspelt outcome", rulesWith(`{"name": "r", "then": {"level": "basic"}, "explain": "placement.why.rule"}`),
			[]problem{{Key: "placement.rules.key", Rule: "r", Field: "then.level"}}},
		{"unknown answer", rulesWith(`{"name": "r", "when": {"literacy": ["illiterate"]}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.value", Rule: "r", Field: "literacy"}}},
		{"unknown skill", rulesWith(`{"name": "r", "when": {"lacks": ["typing"]}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.value", Rule: "r", Field: "lacks"}}},
		{"empty list", rulesWith(`{"name": "r", "when": {"internet": []}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.emptylist", Rule: "r", Field: "internet"}}},
		{"a string instead of a list", rulesWith(`{"name": "r", "when": {"internet": "none"}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.type", Rule: "r", Field: "when.internet"}}},
		{"pretrack as text", rulesWith(`{"name": "r", "when": {"internet": ["none"]}, "then": {"pretrack": "yes"}, "explain": "placement.why.rule"}`),
			[]problem{{Key: "placement.rules.type", Rule: "r", Field: "then.pretrack"}}},
		{"skills out of range", rulesWith(`{"name": "r", "when": {"skills_below": 6}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.skills", Rule: "r"}}},
		{"skills below zero", rulesWith(`{"name": "r", "when": {"skills_below": 0}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.skills", Rule: "r"}}},
		{"contradictory skills", rulesWith(`{"name": "r", "when": {"skills_below": 2, "skills_at_least": 2}, ` + valid + `}`),
			[]problem{{Key: "placement.rules.never", Rule: "r"}}},
		{"decides nothing", rulesWith(`{"name": "r", "when": {"internet": ["none"]}, "then": {}, "explain": "placement.why.rule"}`),
			[]problem{{Key: "placement.rules.nothing", Rule: "r"}}},
		{"unknown track", rulesWith(`{"name": "r", "when": {"internet": ["none"]}, "then": {"track": "fast"}, "explain": "placement.why.rule"}`),
			[]problem{{Key: "placement.rules.value", Rule: "r", Field: "then.track"}}},
		{"unknown mode and loan", rulesWith(`{"name": "r", "when": {"internet": ["none"]}, "then": {"mode": "home", "loan": "5g"}, "explain": "placement.why.rule"}`),
			[]problem{{Key: "placement.rules.value", Rule: "r", Field: "then.mode"}, {Key: "placement.rules.value", Rule: "r", Field: "then.loan"}}},
		{"unknown explanation", rulesWith(`{"name": "r", "when": {"internet": ["none"]}, "then": {"track": "basic"}, "explain": "because"}`),
			[]problem{{Key: "placement.rules.explain", Rule: "r"}}},
		{"same name twice", `{"rules": [` + `{"name": "all", "when": {"internet": ["none"]}, ` + valid + `}, ` + fallbacks + `]}`,
			[]problem{{Key: "placement.rules.duplicate", Rule: "all"}}},
		{"after the fallback", `{"rules": [` + fallbacks + `, {"name": "late", "when": {"internet": ["none"]}, ` + valid + `}]}`,
			[]problem{{Key: "placement.rules.unreachable", Rule: "late"}}},
		{"no fallback for the loan", `{"rules": [{"name": "all", "then": {"track": "standard", "mode": "online", "pretrack": false}, "explain": "placement.why.rule"}]}`,
			[]problem{{Key: "placement.rules.fallback", Field: "loan"}}},
		{"no rules at all", `{"rules": []}`, []problem{
			{Key: "placement.rules.fallback", Field: "track"}, {Key: "placement.rules.fallback", Field: "mode"},
			{Key: "placement.rules.fallback", Field: "pretrack"}, {Key: "placement.rules.fallback", Field: "loan"}}},
		{"every problem at once, each named", `{"rules": [
			{"name": "one", "when": {"literacy": ["illiterate"]}, ` + valid + `},
			{"name": "two", "when": {"internet": ["none"]}, "then": {"track": "basic"}, "explain": "nope"},
			` + fallbacks + `]}`, []problem{
			{Key: "placement.rules.value", Rule: "one", Field: "literacy"}, {Key: "placement.rules.explain", Rule: "two"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := traject.ParsePlacementRules(tt.text)
			if err == nil {
				t.Fatalf("accepted: %+v", rs)
			}
			if traject.ErrorCode(err) != traject.EINVALID {
				t.Fatalf("code %s, want invalid", traject.ErrorCode(err))
			}
			if diff := cmp.Diff(tt.want, problems(err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePlacementRulesSyntaxPosition(t *testing.T) {
	_, err := traject.ParsePlacementRules("{\n  \"rules\": [\n    {\"name\": \"é\",, }\n  ]\n}")
	e, _ := traject.AsError(err)
	if e == nil || len(e.Fields) != 1 {
		t.Fatalf("err = %v", err)
	}
	if got := e.Fields[0].Args; got["Line"] != 3 || got["Column"] != 18 {
		t.Errorf("position = line %v, column %v; want line 3, column 18", got["Line"], got["Column"])
	}
}

func TestParsePlacementRulesKeepsText(t *testing.T) {
	rs := defaultRules(t)
	if rs.Text != traject.DefaultPlacementRules {
		t.Error("the published text is not kept as written")
	}
	if len(rs.Rules) != 13 {
		t.Errorf("%d rules, want 13", len(rs.Rules))
	}
}

func TestCheckOverride(t *testing.T) {
	current := traject.PlacementOutcome{Track: traject.TrackStandard, Mode: traject.ModeOnline, Loan: traject.LoanNone}
	changed := current
	changed.Mode = traject.ModeOnsite
	tests := []struct {
		name   string
		o      traject.PlacementOutcome
		reason string
		want   []string
	}{
		{"a change with a reason", changed, "Works days; evening class only.", nil},
		{"no reason", changed, "  ", []string{"reason"}},
		{"reason too long", changed, strings.Repeat("x", traject.MaxOverrideReason+1), []string{"reason"}},
		{"no change", current, "because", []string{"track"}},
		{"bad values", traject.PlacementOutcome{Track: "fast", Mode: "home", Loan: "5g"}, "because", []string{"track", "mode", "loan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			if e, ok := traject.AsError(traject.CheckOverride(current, tt.o, tt.reason)); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlacementFinal(t *testing.T) {
	p := &traject.Placement{Recommended: traject.PlacementOutcome{Track: traject.TrackBasic}}
	if p.Final().Track != traject.TrackBasic {
		t.Error("without an override the recommendation holds")
	}
	p.Override = &traject.PlacementOverride{PlacementOutcome: traject.PlacementOutcome{Track: traject.TrackIntensive}}
	if p.Final().Track != traject.TrackIntensive {
		t.Error("the override does not hold")
	}
}

func localizers(t testing.TB) map[string]*i18n.Localizer {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*i18n.Localizer{}
	for _, l := range i18n.Languages {
		out[l.Tag] = b.Localizer(l.Tag)
	}
	return out
}

// TestExplanationsReadInEveryLanguage renders every explanation a rule may
// use, in every language, with the arguments the engine gives.
func TestExplanationsReadInEveryLanguage(t *testing.T) {
	args := map[string]any{"Score": 2, "Max": 5, "Threshold": 3, "AtLeast": 1, "Rule": "my_rule"}
	for tag, loc := range localizers(t) {
		for _, key := range traject.PlacementExplanations {
			got := loc.TMap(key, args)
			if i18n.MissingMarker(got) || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("%s %s: %q", tag, key, got)
			}
		}
	}
}

// TestExplanationTexts reads the reasons of real recommendations in Dutch and
// English, as the placement page shows them.
func TestExplanationTexts(t *testing.T) {
	rs := defaultRules(t)
	locs := localizers(t)
	a := baseAssessment()
	a.DeviceAccess, a.Internet, a.Literacy, a.Education = traject.DeviceSmartphoneOnly, traject.InternetNone, traject.LowLiterate, traject.EducationPrimary
	withSkills(2)(a)
	_, reasons := rs.Place(a)
	want := map[string][]string{
		"nl": {
			"De inburgeraar leest en schrijft moeilijk. Het basistraject gaat trager en werkt met meer beeld.",
			"De inburgeraar leest en schrijft moeilijk. Les in de klas werkt dan het best.",
			"De inburgeraar kan 2 van de 5 digitale taken. Dat is minder dan 3. Eerst volgt het voortraject digitale vaardigheden.",
			"De inburgeraar heeft geen computer en geen internet. Een 4G-toestel met databundel is nodig.",
		},
		"en": {
			"The learner finds reading and writing hard. The basic track goes slower and uses more pictures.",
			"The learner finds reading and writing hard. Lessons in class work best.",
			"The learner can do 2 of the 5 digital tasks, fewer than 3. The digital-skills pre-track comes first.",
			"The learner has no computer and no internet. A 4G device with a data bundle is needed.",
		},
	}
	for tag, texts := range want {
		var got []string
		for _, r := range reasons {
			got = append(got, locs[tag].TMap(r.Key, r.Args))
		}
		if diff := cmp.Diff(texts, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tag, diff)
		}
	}
	standard := baseAssessment()
	withSkills(4)(standard)
	_, reasons = rs.Place(standard)
	for tag, want := range map[string]string{
		"nl": "De inburgeraar kan 4 van de 5 digitale taken. Een voortraject is niet nodig.",
		"en": "The learner can do 4 of the 5 digital tasks. No pre-track is needed.",
	} {
		r, _ := (&traject.Placement{Reasons: reasons}).Reason(traject.FieldPreTrack)
		if got := locs[tag].TMap(r.Key, r.Args); got != want {
			t.Errorf("%s: %q, want %q", tag, got, want)
		}
	}
}

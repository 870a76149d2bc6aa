package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
)

// rulesData is the admin page of the placement rules: every version, the
// form to publish a new one, and the words a rule may use.
type rulesData struct {
	Versions     []traject.PlacementRules
	Rules, Note  string // the form, as typed
	From         int    // the version the form starts from
	Explanations []explanationRow
	Conditions   []conditionRow
}

// explanationRow is one explanation a rule may name, with its text.
type explanationRow struct{ Key, Text string }

// conditionRow is one condition a rule may use and its possible values.
type conditionRow struct{ Name, Values string }

func (s *Server) placementRules(w http.ResponseWriter, r *http.Request) error {
	return s.showPlacementRules(w, r, http.StatusOK, nil, nil)
}

// showPlacementRules renders the page; typed is the refused form, if any.
func (s *Server) showPlacementRules(w http.ResponseWriter, r *http.Request, status int, typed *rulesData, err error) error {
	versions, verr := s.Store.PlacementRuleVersions(r.Context())
	if verr != nil {
		return verr
	}
	data := &rulesData{Versions: versions, Explanations: s.explanations(r), Conditions: ruleConditions()}
	if typed != nil {
		data.Rules, data.Note = typed.Rules, typed.Note
	} else {
		data.From, data.Rules = startingVersion(versions, r.URL.Query().Get("from"))
	}
	p := s.newPage(r, "rulespage.title", data)
	s.withErrors(r, p, err, traject.RulesField)
	return s.render(w, r, status, "placement_rules", p)
}

// startingVersion picks the text the form starts from: the version asked
// for in ?from=, else the active one.
func startingVersion(versions []traject.PlacementRules, from string) (int, string) {
	want, _ := strconv.Atoi(from)
	for _, v := range versions {
		if v.Version == want || (want == 0 && v.Active) {
			return v.Version, v.Text
		}
	}
	return 0, ""
}

func (s *Server) explanations(r *http.Request) []explanationRow {
	loc := s.localizer(r)
	args := map[string]any{"Score": 2, "Max": traject.MaxSkillScore, "Threshold": 3, "AtLeast": 1, "Rule": "…"}
	out := make([]explanationRow, len(traject.PlacementExplanations))
	for i, key := range traject.PlacementExplanations {
		out[i] = explanationRow{Key: key, Text: loc.TMap(key, args)}
	}
	return out
}

// ruleConditions lists the words of "when" and "then" with their values.
func ruleConditions() []conditionRow {
	return []conditionRow{
		{"when.device_access", ruleValues(traject.DeviceAccesses)},
		{"when.internet", ruleValues(traject.Internets)},
		{"when.literacy", ruleValues(traject.Literacies)},
		{"when.education", ruleValues(traject.Educations)},
		{"when.dutch_level", ruleValues(traject.DutchLevels)},
		{"when.lacks", ruleValues(traject.Skills)},
		{"when.skills_below", "1 … 5"},
		{"when.skills_at_least", "0 … 5"},
		{"then.track", ruleValues(traject.LevelTracks)},
		{"then.mode", ruleValues(traject.Modes)},
		{"then.pretrack", "true, false"},
		{"then.loan", ruleValues(traject.LoanNeeds)},
	}
}

func ruleValues[T ~string](values []T) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

func (s *Server) publishPlacementRules(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm() // an unreadable body gives an empty rule set, which is refused
	typed := &rulesData{Rules: r.PostFormValue("rules"), Note: r.PostFormValue("note")}
	rs, err := s.Store.PublishPlacementRules(r.Context(), typed.Rules, typed.Note)
	switch traject.ErrorCode(err) {
	case "":
		s.flash(r, s.localizer(r).T("rulespage.done", "Version", rs.Version))
		http.Redirect(w, r, "/admin/placement-rules", http.StatusSeeOther)
		return nil
	case traject.EINVALID:
		return s.showPlacementRules(w, r, http.StatusUnprocessableEntity, typed, err)
	case traject.ECONFLICT:
		return s.showPlacementRules(w, r, http.StatusConflict, typed, err)
	}
	return err
}

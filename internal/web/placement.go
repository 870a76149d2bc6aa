package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"traject"
	"traject/internal/i18n"
)

// placementData is the placement page: the newest recommendation with its
// reasons in words, what it was made from, and the override form.
type placementData struct {
	Learner    *traject.Learner
	Current    *traject.Placement   // nil before the first intake
	Assessment *traject.Assessment  // the intake Current was made from
	Answers    []answerRow          // that intake, in words
	Rows       []placementRow       // one per decision
	Earlier    []traject.Placement  // older placements, newest first
	Active     int                  // the rules version in use now
	CanWrite   bool                 // may do an intake, override and place again
	Override   overrideForm         // the override form, as typed
	Groups     []choiceGroup        // the override form's questions
	Intakes    []traject.Assessment // every intake, newest first
}

// placementRow is one decision: the recommendation, what holds, and why.
type placementRow struct {
	Field, Recommended, Final, Why string
	Changed                        bool
}

// answerRow is one answer of the intake, in words.
type answerRow struct{ Question, Answer string }

// overrideForm is a staff member's own choice, as typed.
type overrideForm struct {
	PlacementID                 int64
	Track, Mode, PreTrack, Loan string
	Reason                      string
}

func (s *Server) placement(w http.ResponseWriter, r *http.Request) error {
	return s.showPlacement(w, r, http.StatusOK, nil, nil)
}

// showPlacement renders the page; after a refused override it shows err
// with the answers in typed kept, under the given status.
func (s *Server) showPlacement(w http.ResponseWriter, r *http.Request, status int, typed *overrideForm, err error) error {
	data, derr := s.placementData(r)
	if derr != nil {
		return derr
	}
	if typed != nil {
		data.Override = *typed
	}
	p := s.newPage(r, "placementpage.title", data)
	p.Title = s.localizer(r).T("placementpage.pagetitle", "Ref", data.Learner.Ref)
	s.withErrors(r, p, err, "track")
	data.Groups = overrideGroups(p, data.Override)
	return s.render(w, r, status, "placement", p)
}

// placementData reads everything the page shows, within the actor's region.
func (s *Server) placementData(r *http.Request) (*placementData, error) {
	ctx, ref := r.Context(), r.PathValue("ref")
	l, err := s.Store.Learner(ctx, ref)
	if err != nil {
		return nil, err
	}
	d := &placementData{Learner: l, CanWrite: traject.UserFromContext(ctx).Can(traject.PermLearnersWrite)}
	all, err := s.Store.Placements(ctx, ref)
	if err != nil {
		return nil, err
	}
	if d.Intakes, err = s.Store.Assessments(ctx, ref); err != nil {
		return nil, err
	}
	rules, err := s.Store.ActivePlacementRules(ctx)
	if err != nil {
		return nil, err
	}
	d.Active = rules.Version
	if len(all) > 0 {
		d.Current, d.Earlier = &all[0], all[1:]
		d.fill(s.localizer(r))
	}
	return d, nil
}

// fill puts the current placement and its intake into words, and the
// current placement into the override form.
func (d *placementData) fill(loc *i18n.Localizer) {
	for i := range d.Intakes {
		if d.Intakes[i].ID == d.Current.AssessmentID {
			d.Assessment = &d.Intakes[i]
			d.Answers = intakeAnswers(loc, d.Assessment)
		}
	}
	rec, final := outcomeWords(loc, d.Current.Recommended), outcomeWords(loc, d.Current.Final())
	for _, f := range traject.PlacementFields {
		row := placementRow{Field: f, Recommended: rec[f], Final: final[f], Changed: rec[f] != final[f]}
		if reason, ok := d.Current.Reason(f); ok {
			row.Why = loc.TMap(reason.Key, reason.Args)
		}
		d.Rows = append(d.Rows, row)
	}
	o := d.Current.Final()
	d.Override = overrideForm{PlacementID: d.Current.ID, Track: string(o.Track), Mode: string(o.Mode),
		PreTrack: strconv.FormatBool(o.PreTrack), Loan: string(o.Loan)}
}

// outcomeWords gives each decision of o in words.
func outcomeWords(loc *i18n.Localizer, o traject.PlacementOutcome) map[string]string {
	return map[string]string{
		traject.FieldTrack:    loc.T("placement.track." + string(o.Track)),
		traject.FieldMode:     loc.T("placement.mode." + string(o.Mode)),
		traject.FieldPreTrack: loc.T("placement.pretrack." + strconv.FormatBool(o.PreTrack)),
		traject.FieldLoan:     loc.T("placement.loan." + string(o.Loan)),
	}
}

// intakeAnswers writes an intake's answers in words, in the order the form asks.
func intakeAnswers(loc *i18n.Localizer, a *traject.Assessment) []answerRow {
	var skills []string
	for _, sk := range traject.Skills {
		if a.Skills.Has(sk) {
			skills = append(skills, loc.T("assessment.skill."+string(sk)))
		}
	}
	skillText := loc.T("placementpage.skills.score", "Score", a.Skills.Score(), "Max", traject.MaxSkillScore)
	if len(skills) > 0 {
		skillText += ": " + strings.Join(skills, ", ")
	}
	dutch := string(a.DutchLevel)
	if a.DutchLevel == traject.DutchNone {
		dutch = loc.T("assessment.dutch.none")
	}
	return []answerRow{
		{loc.T("assessment.short.device_access"), loc.T("assessment.device." + string(a.DeviceAccess))},
		{loc.T("assessment.short.internet"), loc.T("assessment.internet." + string(a.Internet))},
		{loc.T("assessment.short.skills"), skillText},
		{loc.T("assessment.short.literacy"), loc.T("assessment.literacy." + string(a.Literacy))},
		{loc.T("assessment.short.education"), loc.T("assessment.education." + string(a.Education))},
		{loc.T("assessment.short.dutch_level"), dutch},
		{loc.T("assessment.short.languages"), strings.Join(a.Languages, ", ")},
	}
}

// overrideGroups are the questions of the override form.
func overrideGroups(p *page, f overrideForm) []choiceGroup {
	group := func(name string, opts []choiceOption, chosen string) choiceGroup {
		return choiceGroup{Name: name, Legend: "placement.field." + name, Options: opts, Chosen: chosen, Error: p.FieldError(name)}
	}
	return []choiceGroup{
		group(traject.FieldTrack, choicesOf("placement.track.", traject.LevelTracks), f.Track),
		group(traject.FieldMode, choicesOf("placement.mode.", traject.Modes), f.Mode),
		group(traject.FieldPreTrack, choicesOf("placement.pretrack.", []string{"true", "false"}), f.PreTrack),
		group(traject.FieldLoan, choicesOf("placement.loan.", traject.LoanNeeds), f.Loan),
	}
}

func (s *Server) overridePlacement(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	f := readOverrideForm(r)
	o, err := f.outcome()
	if err == nil {
		_, err = s.Store.OverridePlacement(r.Context(), ref, f.PlacementID, o, f.Reason)
	}
	switch traject.ErrorCode(err) {
	case "":
		s.flash(r, s.localizer(r).T("placementpage.override.done"))
		http.Redirect(w, r, placementURL(ref), http.StatusSeeOther)
		return nil
	case traject.EINVALID:
		return s.showPlacement(w, r, http.StatusUnprocessableEntity, &f, err)
	case traject.ECONFLICT:
		// A newer recommendation was made meanwhile: show it, not the old answers.
		return s.showPlacement(w, r, http.StatusConflict, nil, err)
	}
	return err
}

func readOverrideForm(r *http.Request) overrideForm {
	_ = r.ParseForm() // an unreadable body gives empty answers, which are refused
	f := overrideForm{Track: r.PostFormValue("track"), Mode: r.PostFormValue("mode"), PreTrack: r.PostFormValue("pretrack"),
		Loan: r.PostFormValue("loan"), Reason: r.PostFormValue("reason")}
	f.PlacementID, _ = strconv.ParseInt(r.PostFormValue("placement_id"), 10, 64) // 0 is refused as stale
	return f
}

// outcome reads the choice; the domain checks the rest, but only the form
// can tell a missing yes-or-no from a no.
func (f overrideForm) outcome() (traject.PlacementOutcome, error) {
	o := traject.PlacementOutcome{Track: traject.LevelTrack(f.Track), Mode: traject.Mode(f.Mode),
		PreTrack: f.PreTrack == "true", Loan: traject.LoanNeed(f.Loan)}
	if f.PreTrack != "true" && f.PreTrack != "false" {
		var v traject.Validation
		v.Add(traject.FieldPreTrack, "placement.pretrack.invalid", "choose whether the pre-track comes first", nil)
		return o, v.Err()
	}
	return o, nil
}

// placeAgain makes a new recommendation with the rules in use now.
func (s *Server) placeAgain(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	p, err := s.Store.PlaceLearner(r.Context(), ref)
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("placementpage.placed", "Version", fmt.Sprint(p.RulesVersion)))
	http.Redirect(w, r, placementURL(ref), http.StatusSeeOther)
	return nil
}

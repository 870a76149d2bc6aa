package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// placementKit is a store with an admin, a counsellor in Antwerp and one in
// Brussels, and a learner in each of the two regions.
type placementKit struct {
	s                      *store.Store
	admin, ant, bru        context.Context
	antLearner, bruLearner string
}

func newPlacementKit(t *testing.T, s *store.Store) placementKit {
	t.Helper()
	user := func(email string, role traject.Role, region string) context.Context {
		return adminCtx(mustCreateUser(t, s, &traject.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, RegionCode: region}))
	}
	k := placementKit{s: s, admin: user("admin@example.org", traject.RoleAdmin, ""),
		ant: user("counsellor-ant@example.org", traject.RoleCounsellor, "ANT"),
		bru: user("counsellor-bru@example.org", traject.RoleCounsellor, "BRU"), antLearner: "INB-ANT-1", bruLearner: "INB-BRU-1"}
	k.learner(t, k.antLearner, "ANT")
	k.learner(t, k.bruLearner, "BRU")
	return k
}

func (k placementKit) learner(t *testing.T, ref, region string) {
	t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amina", LastName: "Haddad", BirthDate: date("1990-05-17"), Language: "ar",
		RegionCode: region, Obligation: traject.Obliged}
	if err := k.s.CreateLearner(k.admin, l); err != nil {
		t.Fatalf("learner %s: %v", ref, err)
	}
}

// intake is an assessment of a learner with a smartphone and no internet,
// two digital skills, literate in another script, primary school.
func intake() *traject.Assessment {
	return &traject.Assessment{AssessedOn: date("2020-04-01"), DeviceAccess: traject.DeviceSmartphoneOnly, Internet: traject.InternetNone,
		Skills:   traject.DigitalSkills{LogIn: true, Website: true},
		Literacy: traject.LiterateOtherScript, Education: traject.EducationPrimary, DutchLevel: "A1", Languages: []string{"AR", "fr"}}
}

func auditActions(t *testing.T, k placementKit, ref string) []string {
	t.Helper()
	entries, err := k.s.AuditLog(k.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: ref})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	slices.Reverse(out)
	return out
}

func TestRecordAssessmentPlacesIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		p, err := s.RecordAssessment(k.ant, k.antLearner, intake())
		if err != nil {
			t.Fatal(err)
		}
		want := traject.PlacementOutcome{Track: traject.TrackStandard, Mode: traject.ModeBlended, PreTrack: true, Loan: traject.Loan4G}
		if p.Recommended != want || p.RulesVersion != 1 || p.Override != nil {
			t.Errorf("placement = %+v (version %d), want %+v by version 1", p.Recommended, p.RulesVersion, want)
		}
		stored, err := s.Placement(k.ant, k.antLearner)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, stored, cmpPlacement); diff != "" {
			t.Errorf("stored placement differs (-made +stored):\n%s", diff)
		}
		list, err := s.Assessments(k.ant, k.antLearner)
		if err != nil || len(list) != 1 {
			t.Fatalf("assessments = %v, %v", list, err)
		}
		a := list[0]
		if a.ID != p.AssessmentID || a.LearnerRef != k.antLearner || !a.AssessedOn.Equal(date("2020-04-01")) || a.Author != "counsellor-ant" ||
			a.Skills.Score() != 2 || !slices.Equal(a.Languages, []string{"ar", "fr"}) || a.DutchLevel != "A1" {
			t.Errorf("assessment read back as %+v", a)
		}
		if got := auditActions(t, k, k.antLearner); !slices.Equal(got, []string{"learner.create", "assessment.create", "placement.create"}) {
			t.Errorf("audit = %v", got)
		}
	})
}

// cmpPlacement compares placements as stored: JSON turns the numbers of the
// reasons' arguments into float64.
var cmpPlacement = cmp.Transformer("args", func(args map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range args {
		out[k] = fmt.Sprint(v)
	}
	return out
})

func TestSeededRulesAreTheDefault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rs, err := s.ActivePlacementRules(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		def, _ := traject.ParsePlacementRules(traject.DefaultPlacementRules)
		if rs.Version != 1 || !rs.Active || rs.CreatedBy != "" {
			t.Errorf("seeded version = %d, active %v, by %q", rs.Version, rs.Active, rs.CreatedBy)
		}
		if diff := cmp.Diff(def.Rules, rs.Rules); diff != "" {
			t.Errorf("the migration's rules differ from traject.DefaultPlacementRules (-go +migration):\n%s", diff)
		}
	})
}

// intensiveRules place everyone on the intensive track.
const intensiveRules = `{"rules": [
  {"name": "all", "then": {"track": "intensive", "mode": "online", "pretrack": false, "loan": "none"}, "explain": "placement.why.rule"}
]}`

func TestPublishNeverChangesPlacementsMade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		first, err := s.RecordAssessment(k.ant, k.antLearner, intake())
		if err != nil {
			t.Fatal(err)
		}
		rs, err := s.PublishPlacementRules(k.admin, intensiveRules, " Everyone intensive ")
		if err != nil {
			t.Fatal(err)
		}
		if rs.Version != 2 || rs.Note != "Everyone intensive" || rs.CreatedBy != "admin" {
			t.Errorf("published %+v", rs)
		}
		kept, err := s.Placement(k.ant, k.antLearner)
		if err != nil {
			t.Fatal(err)
		}
		if kept.ID != first.ID || kept.RulesVersion != 1 || kept.Recommended != first.Recommended {
			t.Errorf("after publishing, the placement became %+v", kept)
		}
		again, err := s.PlaceLearner(k.ant, k.antLearner)
		if err != nil {
			t.Fatal(err)
		}
		if again.RulesVersion != 2 || again.Recommended.Track != traject.TrackIntensive || again.AssessmentID != first.AssessmentID {
			t.Errorf("new placement = %+v", again)
		}
		all, _ := s.Placements(k.ant, k.antLearner)
		if len(all) != 2 || all[0].ID != again.ID || all[1].RulesVersion != 1 || all[1].Recommended != first.Recommended {
			t.Errorf("placements = %+v", all)
		}
		checkVersions(t, s, []int{2, 1}, 2)
	})
}

// checkVersions checks the versions, newest first, and which one is active.
func checkVersions(t *testing.T, s *store.Store, want []int, active int) {
	t.Helper()
	list, err := s.PlacementRuleVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, v := range list {
		got = append(got, v.Version)
		if v.Active != (v.Version == active) {
			t.Errorf("version %d active = %v", v.Version, v.Active)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("versions = %v, want %v", got, want)
	}
}

func TestPublishRefusesAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		bad := strings.Replace(traject.DefaultPlacementRules, `"literacy": ["low_literate"]`, `"literacy": ["illiterate"]`, 1)
		_, err := s.PublishPlacementRules(k.admin, bad, "")
		e, _ := traject.AsError(err)
		if traject.ErrorCode(err) != traject.EINVALID || len(e.Fields) != 1 || e.Fields[0].Args["Rule"] != "track_basic_low_literate" {
			t.Errorf("invalid rules: %v", err)
		}
		_, err = s.PublishPlacementRules(k.admin, intensiveRules, strings.Repeat("x", store.MaxRulesNote+1))
		if e, _ := traject.AsError(err); e == nil || e.Fields[0].Field != "note" {
			t.Errorf("long note: %v", err)
		}
		if _, err := s.PublishPlacementRules(k.ant, intensiveRules, ""); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("a counsellor published: %v", err)
		}
		checkVersions(t, s, []int{1}, 1)
		entries, _ := s.AuditLog(k.admin, traject.AuditFilter{ObjectType: "placement_rules"})
		if len(entries) != 0 {
			t.Errorf("refused publishing left %d audit rows", len(entries))
		}
	})
}

func TestPublishAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		if _, err := s.PublishPlacementRules(k.admin, intensiveRules, "note"); err != nil {
			t.Fatal(err)
		}
		entries, err := s.AuditLog(k.admin, traject.AuditFilter{ObjectType: "placement_rules"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit = %v, %v", entries, err)
		}
		e := entries[0]
		if e.Action != "placement_rules.publish" || e.ObjectID != "2" || e.ActorLabel != "admin@example.org" ||
			!strings.Contains(e.After, "intensive") || strings.ReplaceAll(e.Before, " ", "") != `{"active_version":1}` {
			t.Errorf("audit row = %+v", e)
		}
	})
}

func TestOverridePlacement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		p, err := s.RecordAssessment(k.ant, k.antLearner, intake())
		if err != nil {
			t.Fatal(err)
		}
		choice := p.Recommended
		choice.Mode, choice.PreTrack = traject.ModeOnsite, false
		reason := "Works during the day; comes to the evening class."
		after, err := s.OverridePlacement(k.ant, k.antLearner, p.ID, choice, "  "+reason+" ")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.Placement(k.ant, k.antLearner)
		if got.Override == nil || got.Final() != choice || got.Recommended != p.Recommended || got.Override.Reason != reason ||
			got.Override.CreatedBy != "counsellor-ant" || after.Final() != choice {
			t.Errorf("after the override: %+v %+v", got, got.Override)
		}
		entries, _ := s.AuditLog(k.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: k.antLearner})
		if e := entries[0]; e.Action != "placement.override" || e.Reason != reason || e.RegionCode != "ANT" ||
			!strings.Contains(e.Before, `"blended"`) || !strings.Contains(e.After, `"onsite"`) {
			t.Errorf("audit row = %+v", e)
		}
	})
}

func TestOverrideRefusedChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		p, err := s.RecordAssessment(k.ant, k.antLearner, intake())
		if err != nil {
			t.Fatal(err)
		}
		changed := p.Recommended
		changed.Track = traject.TrackBasic
		tests := []struct {
			name string
			ctx  context.Context
			ref  string
			id   int64
			o    traject.PlacementOutcome
			why  string
			code string
		}{
			{"no reason", k.ant, k.antLearner, p.ID, changed, " ", traject.EINVALID},
			{"nothing changed", k.ant, k.antLearner, p.ID, p.Recommended, "because", traject.EINVALID},
			{"unknown track", k.ant, k.antLearner, p.ID, traject.PlacementOutcome{Track: "fast", Mode: "online", Loan: "none"}, "because", traject.EINVALID},
			{"a placement that is not the newest", k.ant, k.antLearner, p.ID + 1000, changed, "because", traject.ECONFLICT},
			{"another region's learner", k.bru, k.antLearner, p.ID, changed, "because", traject.ENOTFOUND},
		}
		for _, tt := range tests {
			if _, err := s.OverridePlacement(tt.ctx, tt.ref, tt.id, tt.o, tt.why); traject.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		got, _ := s.Placement(k.ant, k.antLearner)
		if got.Override != nil {
			t.Errorf("a refused override was kept: %+v", got.Override)
		}
		if acts := auditActions(t, k, k.antLearner); slices.Contains(acts, "placement.override") {
			t.Errorf("a refused override was audited: %v", acts)
		}
	})
}

func TestAssessmentRefusedChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		bad := intake()
		bad.Literacy, bad.Languages = "literate", []string{"xx"}
		_, err := s.RecordAssessment(k.ant, k.antLearner, bad)
		if e, _ := traject.AsError(err); traject.ErrorCode(err) != traject.EINVALID || len(e.Fields) != 2 {
			t.Errorf("bad answers: %v", err)
		}
		future := intake()
		future.AssessedOn = time.Now().AddDate(0, 0, 2)
		if _, err := s.RecordAssessment(k.ant, k.antLearner, future); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("a date in the future: %v", err)
		}
		if _, err := s.RecordAssessment(k.bru, k.antLearner, intake()); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another region's learner: %v", err)
		}
		if _, err := s.RecordAssessment(k.ant, "INB-NONE", intake()); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("an unknown learner: %v", err)
		}
		list, err := s.Assessments(k.ant, k.antLearner)
		if err != nil || len(list) != 0 {
			t.Errorf("assessments after refusals: %v, %v", list, err)
		}
		if acts := auditActions(t, k, k.antLearner); !slices.Equal(acts, []string{"learner.create"}) {
			t.Errorf("audit after refusals: %v", acts)
		}
	})
}

func TestPlacementScopeAndAbsence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		if _, err := s.Placement(k.ant, k.antLearner); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("placement before any intake: %v", err)
		} else if e, _ := traject.AsError(err); e.Key != "placement.noassessment" {
			t.Errorf("key = %s", e.Key)
		}
		if _, err := s.PlaceLearner(k.ant, k.antLearner); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("placing without an intake: %v", err)
		}
		if _, err := s.RecordAssessment(k.bru, k.bruLearner, intake()); err != nil {
			t.Fatal(err)
		}
		for name, call := range map[string]func() error{
			"assessments": func() error { _, err := s.Assessments(k.ant, k.bruLearner); return err },
			"latest":      func() error { _, err := s.LatestAssessment(k.ant, k.bruLearner); return err },
			"placement":   func() error { _, err := s.Placement(k.ant, k.bruLearner); return err },
			"place":       func() error { _, err := s.PlaceLearner(k.ant, k.bruLearner); return err },
		} {
			if err := call(); traject.ErrorCode(err) != traject.ENOTFOUND {
				t.Errorf("%s of another region's learner: %v", name, err)
			}
		}
		if _, err := s.Placement(k.admin, k.bruLearner); err != nil {
			t.Errorf("a national role cannot read it: %v", err)
		}
	})
}

// TestConcurrentPublishKeepsOneActiveVersion publishes from several
// goroutines at once: each either gets its own version or is told to try
// again, and exactly one version is active afterwards.
func TestConcurrentPublishKeepsOneActiveVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newPlacementKit(t, s)
		const n = 4
		errs := make(chan error, n)
		for range n {
			go func() {
				_, err := s.PublishPlacementRules(k.admin, intensiveRules, "")
				errs <- err
			}()
		}
		published := 1
		for range n {
			switch err := <-errs; traject.ErrorCode(err) {
			case "":
				published++
			case traject.ECONFLICT:
			default:
				t.Errorf("publish: %v", err)
			}
		}
		var want []int
		for v := published; v >= 1; v-- {
			want = append(want, v)
		}
		checkVersions(t, s, want, published)
	})
}

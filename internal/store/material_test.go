package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// catalogue is a store with a submitter and two reviewers.
type catalogue struct {
	s                    *store.Store
	admin, coord, coord2 context.Context
	coordUser            *traject.User
}

func newCatalogue(t *testing.T, s *store.Store) catalogue {
	admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
	coord := mustCreateUser(t, s, &traject.User{Email: "coord@example.org", Name: "Coord", Role: traject.RoleCoordinator, RegionCode: "ANT"})
	coord2 := mustCreateUser(t, s, &traject.User{Email: "coord2@example.org", Name: "Coord Two", Role: traject.RoleCoordinator, RegionCode: "BRU"})
	return catalogue{s: s, admin: adminCtx(admin), coord: adminCtx(coord), coord2: adminCtx(coord2), coordUser: coord}
}

func (c catalogue) material(t *testing.T, ctx context.Context, title, link string, typ traject.MaterialType, track traject.MaterialTrack, langs ...string) *traject.Material {
	t.Helper()
	m := &traject.Material{Title: title, Link: link, Type: typ, Theme: "wonen", Languages: langs, Track: track}
	if err := c.s.CreateMaterial(ctx, m); err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	return m
}

func materialApproval() *traject.MaterialReview {
	r := &traject.MaterialReview{Decision: traject.MaterialApproved}
	for _, c := range traject.MaterialCriteria {
		r.SetAnswer(c, true)
	}
	return r
}

func TestMaterialCreateAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCatalogue(t, s)
		m := c.material(t, c.coord, "Wonen in Vlaanderen", "https://example.org/wonen", traject.MaterialModule, traject.MaterialTrackBasic, "nl", "AR", "nl")
		got, err := s.Material(c.admin, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != traject.MaterialSubmitted || got.Submitter != "Coord" || got.SubmittedBy != c.coordUser.ID ||
			!slices.Equal(got.Languages, []string{"ar", "nl"}) || got.CreatedAt.IsZero() || len(got.Reviews) != 0 {
			t.Errorf("material = %+v", got)
		}
		rows, _ := s.AuditLog(c.admin, traject.AuditFilter{ObjectType: "material", ObjectID: fmt.Sprint(m.ID)})
		if len(rows) != 1 || rows[0].Action != "material.create" || rows[0].ActorLabel != "coord@example.org" {
			t.Errorf("audit = %+v", rows)
		}
		if _, err := s.Material(c.admin, 999); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("unknown material: %v", err)
		}
	})
}

// TestMaterialBadInputChangesNothing: refused materials leave no row and no audit.
func TestMaterialBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCatalogue(t, s)
		c.material(t, c.coord, "Video", "https://example.org/v", traject.MaterialVideo, traject.MaterialTrackAny, "nl")
		before, _ := s.AuditLog(c.admin, traject.AuditFilter{})
		for name, m := range map[string]*traject.Material{
			"same link":   {Title: "Other", Link: "https://example.org/v", Type: "video", Theme: "x", Languages: []string{"nl"}, Track: "any"},
			"bad link":    {Title: "Other", Link: "javascript:alert(1)", Type: "video", Theme: "x", Languages: []string{"nl"}, Track: "any"},
			"bad code":    {Title: "Other", Link: "https://example.org/w", Type: "video", Theme: "x", Languages: []string{"dutch"}, Track: "any"},
			"nothing set": {},
		} {
			err := s.CreateMaterial(c.coord, m)
			if traject.ErrorCode(err) != traject.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
			if name == "same link" {
				if e, _ := traject.AsError(err); len(e.Fields) != 1 || e.Fields[0].Key != "material.link.taken" {
					t.Errorf("same link: %+v", err)
				}
			}
		}
		after, _ := s.AuditLog(c.admin, traject.AuditFilter{})
		page, _ := s.Materials(c.admin, store.MaterialFilter{})
		if len(after) != len(before) || len(page.Materials) != 1 {
			t.Errorf("refused materials wrote %d audit rows and %d materials", len(after)-len(before), len(page.Materials)-1)
		}
	})
}

func TestMaterialFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCatalogue(t, s)
		c.material(t, c.coord, "A basic module", "https://example.org/a", traject.MaterialModule, traject.MaterialTrackBasic, "nl", "ar")
		c.material(t, c.coord, "B video for all", "https://example.org/b", traject.MaterialVideo, traject.MaterialTrackAny, "nl", "fr")
		c.material(t, c.coord, "C intensive exercise", "https://example.org/c", traject.MaterialExercise, traject.MaterialTrackIntensive, "en")
		d := c.material(t, c.coord, "D method", "https://example.org/d", traject.MaterialMethod, traject.MaterialTrackStandard, "ar")
		if _, err := s.ReviewMaterial(c.coord2, d.ID, materialApproval()); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    store.MaterialFilter
			want []string
		}{
			{"all, by title", store.MaterialFilter{}, []string{"A basic module", "B video for all", "C intensive exercise", "D method"}},
			{"type", store.MaterialFilter{Type: traject.MaterialVideo}, []string{"B video for all"}},
			{"basic track finds any track too", store.MaterialFilter{Track: traject.MaterialTrackBasic}, []string{"A basic module", "B video for all"}},
			{"any track only", store.MaterialFilter{Track: traject.MaterialTrackAny}, []string{"B video for all"}},
			{"language", store.MaterialFilter{Language: "ar"}, []string{"A basic module", "D method"}},
			{"status", store.MaterialFilter{Status: traject.MaterialApproved}, []string{"D method"}},
			{"combined", store.MaterialFilter{Language: "nl", Track: traject.MaterialTrackIntensive}, []string{"B video for all"}},
			{"none", store.MaterialFilter{Language: "zu"}, nil},
		}
		for _, tt := range tests {
			page, err := s.Materials(c.coord, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range page.Materials {
				got = append(got, m.Title)
				if len(m.Languages) == 0 {
					t.Errorf("%s: %s without languages", tt.name, m.Title)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
		langs, err := s.CatalogueLanguages(c.coord)
		if err != nil || !slices.Equal(langs, []string{"ar", "en", "fr", "nl"}) {
			t.Errorf("languages %v, %v", langs, err)
		}
	})
}

func TestMaterialPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCatalogue(t, s)
		for i := range 7 {
			c.material(t, c.coord, fmt.Sprintf("Module %02d", 6-i), fmt.Sprintf("https://example.org/%d", i), traject.MaterialModule, traject.MaterialTrackAny, "nl")
		}
		c.material(t, c.coord, "Module 03", "https://example.org/dup", traject.MaterialModule, traject.MaterialTrackAny, "nl") // same title
		var seen []string
		f := store.MaterialFilter{Limit: 3}
		for pages := 0; ; pages++ {
			page, err := s.Materials(c.coord, f)
			if err != nil || pages > 4 {
				t.Fatalf("page %d: %v", pages, err)
			}
			for _, m := range page.Materials {
				seen = append(seen, m.Title)
			}
			if page.Next == 0 {
				break
			}
			f.After = page.Next
		}
		want := []string{"Module 00", "Module 01", "Module 02", "Module 03", "Module 03", "Module 04", "Module 05", "Module 06"}
		if !slices.Equal(seen, want) {
			t.Errorf("pages gave %v", seen)
		}
	})
}

func TestMaterialReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCatalogue(t, s)
		m := c.material(t, c.coord, "Video", "https://example.org/v", traject.MaterialVideo, traject.MaterialTrackAny, "nl")
		before, _ := s.AuditLog(c.admin, traject.AuditFilter{})
		reject := materialApproval()
		reject.Decision = traject.MaterialRejected
		incomplete := materialApproval()
		incomplete.MobileData = nil
		for _, tc := range []struct {
			name string
			ctx  context.Context
			r    *traject.MaterialReview
			code string
		}{
			{"own material", c.coord, materialApproval(), traject.EFORBIDDEN},
			{"rejection without a note", c.coord2, reject, traject.EINVALID},
			{"unanswered criterion", c.coord2, incomplete, traject.EINVALID},
		} {
			if _, err := s.ReviewMaterial(tc.ctx, m.ID, tc.r); traject.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if _, err := s.ReviewMaterial(c.coord2, 999, materialApproval()); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("unknown material: %v", err)
		}
		after, _ := s.AuditLog(c.admin, traject.AuditFilter{})
		if got, _ := s.Material(c.admin, m.ID); len(after) != len(before) || got.Status != traject.MaterialSubmitted || len(got.Reviews) != 0 {
			t.Fatalf("refused reviews changed something: %d audit rows, status %s, %d reviews", len(after)-len(before), got.Status, len(got.Reviews))
		}

		reject.Notes = "  Only in English.  "
		got, err := s.ReviewMaterial(c.coord2, m.ID, reject)
		if err != nil || got.Status != traject.MaterialRejected || len(got.Reviews) != 1 {
			t.Fatalf("reject: %v %+v", err, got)
		}
		r := got.Reviews[0]
		if r.Reviewer != "Coord Two" || r.Notes != "Only in English." || r.Decision != traject.MaterialRejected || *r.Chromebook != true {
			t.Errorf("review = %+v", r)
		}
		again := materialApproval()
		again.MobileData, again.Notes = materialAnswer(false), "Subtitles added; the video needs Wi-Fi."
		got, err = s.ReviewMaterial(c.admin, m.ID, again)
		if err != nil || got.Status != traject.MaterialApproved || len(got.Reviews) != 2 || got.Reviews[0].Decision != traject.MaterialApproved {
			t.Fatalf("approve after rejection: %v %+v", err, got)
		}
		rows, _ := s.AuditLog(c.admin, traject.AuditFilter{ObjectType: "material", ObjectID: fmt.Sprint(m.ID)})
		if len(rows) != 3 || rows[0].Action != "material.review" || rows[0].Reason != again.Notes || rows[1].Reason != "Only in English." {
			t.Errorf("audit = %+v", rows)
		}
	})
}

func materialAnswer(b bool) *bool { return &b }

// TestMaterialSubmittedBySystem: the demo and the command line submit under
// their label, and any reviewer may judge what they submitted; an account that
// cannot submit (here: an inactive one) is refused.
func TestMaterialSubmittedBySystem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCatalogue(t, s)
		ctx := traject.NewContextWithActorLabel(context.Background(), "demo")
		m := c.material(t, ctx, "Demo", "https://example.org/demo", traject.MaterialVideo, traject.MaterialTrackAny, "nl")
		got, _ := s.Material(c.admin, m.ID)
		if got.Submitter != "demo" || got.SubmittedBy != 0 {
			t.Errorf("submitter %q (%d)", got.Submitter, got.SubmittedBy)
		}
		if _, err := s.ReviewMaterial(c.coord, m.ID, materialApproval()); err != nil {
			t.Errorf("a colleague reviews the demo's material: %v", err)
		}
		inactive := &traject.User{ID: 99, Role: traject.RoleTeacher, RegionCode: "ANT"}
		err := s.CreateMaterial(adminCtx(inactive), &traject.Material{Title: "x", Link: "https://example.org/x", Type: "video", Theme: "x", Languages: []string{"nl"}, Track: "any"})
		if traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("an inactive account submitted: %v", err)
		}
	})
}

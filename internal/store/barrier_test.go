package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// barrierFixture is a catalogue with a desk in Antwerp and one in Brussels.
type barrierFixture struct {
	catalogue
	deskANT, deskBRU context.Context
}

func newBarrierFixture(t *testing.T, s *store.Store) barrierFixture {
	c := newCatalogue(t, s)
	ant := mustCreateUser(t, s, &traject.User{Email: "desk-ant@example.org", Name: "Desk ANT", Role: traject.RoleDesk, RegionCode: "ANT"})
	bru := mustCreateUser(t, s, &traject.User{Email: "desk-bru@example.org", Name: "Desk BRU", Role: traject.RoleDesk, RegionCode: "BRU"})
	return barrierFixture{catalogue: c, deskANT: adminCtx(ant), deskBRU: adminCtx(bru)}
}

func (f barrierFixture) barrier(t *testing.T, ctx context.Context, resource string, cat traject.BarrierCategory, sev traject.BarrierSeverity) *traject.Barrier {
	t.Helper()
	b := &traject.Barrier{Kind: traject.ResourceSoftware, Resource: resource, Category: cat, Severity: sev, Description: "does not suit"}
	if err := f.s.CreateBarrier(ctx, b); err != nil {
		t.Fatalf("create %s: %v", resource, err)
	}
	return b
}

func TestBarrierCreateInReporterRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newBarrierFixture(t, s)
		b := f.barrier(t, f.deskANT, "Zoom", traject.BarrierLanguage, traject.SeverityHigh)
		got, err := s.Barrier(f.deskANT, b.ID)
		if err != nil || got.RegionCode != "ANT" || got.Status != traject.BarrierOpen || got.Reporter != "Desk ANT" || got.Resource != "Zoom" {
			t.Fatalf("barrier = %+v, %v", got, err)
		}
		if _, err := s.Barrier(f.deskBRU, b.ID); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another region's barrier: %v", err)
		}
		if _, err := s.Barrier(f.admin, b.ID); err != nil {
			t.Errorf("the admin sees every region: %v", err)
		}
		rows, _ := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "barrier", ObjectID: fmt.Sprint(b.ID)})
		if len(rows) != 1 || rows[0].Action != "barrier.create" || rows[0].RegionCode != "ANT" {
			t.Errorf("audit = %+v", rows)
		}
		// A national role chooses the region; a regional one cannot choose another.
		nat := &traject.Barrier{Kind: "website", Resource: "mijn.example.be", Category: "account", Severity: "blocking", Description: "needs an eID", RegionCode: "Limburg"}
		if err := s.CreateBarrier(f.admin, nat); err != nil || nat.RegionCode != "LIM" {
			t.Errorf("national: %v, region %q", err, nat.RegionCode)
		}
		before, _ := s.AuditLog(f.admin, traject.AuditFilter{})
		for name, tc := range map[string]struct {
			ctx  context.Context
			b    *traject.Barrier
			code string
		}{
			"regional chooses another region": {f.deskANT, &traject.Barrier{Kind: "software", Resource: "x", Category: "cost", Severity: "low", Description: "x", RegionCode: "BRU"}, traject.EFORBIDDEN},
			"national chooses none":           {f.admin, &traject.Barrier{Kind: "software", Resource: "x", Category: "cost", Severity: "low", Description: "x"}, traject.EINVALID},
			"unknown category":                {f.deskANT, &traject.Barrier{Kind: "software", Resource: "x", Category: "price", Severity: "low", Description: "x"}, traject.EINVALID},
			"unknown material":                {f.deskANT, &traject.Barrier{MaterialID: 999, Category: "cost", Severity: "low", Description: "x"}, traject.EINVALID},
		} {
			if err := s.CreateBarrier(tc.ctx, tc.b); traject.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		after, _ := s.AuditLog(f.admin, traject.AuditFilter{})
		if len(after) != len(before) {
			t.Errorf("refused barriers wrote %d audit rows", len(after)-len(before))
		}
	})
}

func TestBarrierAboutAMaterial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newBarrierFixture(t, s)
		m := f.material(t, f.coord, "Wonen in Vlaanderen", "https://example.org/wonen", traject.MaterialVideo, traject.MaterialTrackAny, "nl")
		b := &traject.Barrier{MaterialID: m.ID, Category: traject.BarrierConnectivity, Severity: traject.SeverityMedium, Description: "200 MB video"}
		if err := s.CreateBarrier(f.deskBRU, b); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Barrier(f.deskBRU, b.ID)
		if got.Kind != traject.ResourceMaterial || got.Resource != m.Title || got.MaterialID != m.ID || got.RegionCode != "BRU" {
			t.Errorf("barrier = %+v", got)
		}
		page, err := s.Barriers(f.admin, store.BarrierFilter{MaterialID: m.ID})
		if err != nil || len(page.Barriers) != 1 {
			t.Errorf("barriers of the material: %v %v", page, err)
		}
	})
}

func TestBarrierListScopeFiltersAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newBarrierFixture(t, s)
		for i := range 5 {
			f.barrier(t, f.deskANT, fmt.Sprintf("App %d", i), traject.BarrierLanguage, traject.SeverityLow)
		}
		f.barrier(t, f.deskBRU, "Teams", traject.BarrierDevice, traject.SeverityBlocking)
		count := func(ctx context.Context, bf store.BarrierFilter) int {
			t.Helper()
			n := 0
			for pages := 0; ; pages++ {
				page, err := s.Barriers(ctx, bf)
				if err != nil || pages > 10 {
					t.Fatalf("list: %v", err)
				}
				n += len(page.Barriers)
				if page.Next == 0 {
					return n
				}
				bf.After = page.Next
			}
		}
		for name, tc := range map[string]struct {
			ctx  context.Context
			f    store.BarrierFilter
			want int
		}{
			"ANT desk sees ANT":               {f.deskANT, store.BarrierFilter{}, 5},
			"ANT desk cannot ask for BRU":     {f.deskANT, store.BarrierFilter{Region: "BRU"}, 0},
			"BRU desk sees BRU":               {f.deskBRU, store.BarrierFilter{}, 1},
			"admin sees all, in pages of two": {f.admin, store.BarrierFilter{Limit: 2}, 6},
			"admin filters a region":          {f.admin, store.BarrierFilter{Region: "BRU"}, 1},
			"category":                        {f.admin, store.BarrierFilter{Category: traject.BarrierDevice}, 1},
			"severity":                        {f.admin, store.BarrierFilter{Severity: traject.SeverityLow}, 5},
			"status":                          {f.admin, store.BarrierFilter{Status: traject.BarrierResolved}, 0},
			"unresolved":                      {f.admin, store.BarrierFilter{Unresolved: true}, 6},
			"reported later":                  {f.admin, store.BarrierFilter{From: time.Now().Add(time.Hour)}, 0},
			"nobody signed in sees nothing":   {context.Background(), store.BarrierFilter{}, 0},
		} {
			if got := count(tc.ctx, tc.f); got != tc.want {
				t.Errorf("%s: %d, want %d", name, got, tc.want)
			}
		}
	})
}

func TestBarrierStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newBarrierFixture(t, s)
		b := f.barrier(t, f.deskANT, "Zoom", traject.BarrierLanguage, traject.SeverityHigh)
		before, _ := s.AuditLog(f.admin, traject.AuditFilter{})
		for name, tc := range map[string]struct {
			ctx  context.Context
			to   traject.BarrierStatus
			note string
			code string
		}{
			"another region's coordinator": {f.coord2, traject.BarrierInProgress, "", traject.ENOTFOUND},
			"resolved without a note":      {f.coord, traject.BarrierResolved, " ", traject.EINVALID},
			"unknown status":               {f.coord, "closed", "x", traject.EINVALID},
			"same status":                  {f.coord, traject.BarrierOpen, "x", traject.ECONFLICT},
		} {
			if _, err := s.SetBarrierStatus(tc.ctx, b.ID, tc.to, tc.note); traject.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		after, _ := s.AuditLog(f.admin, traject.AuditFilter{})
		if got, _ := s.Barrier(f.admin, b.ID); len(after) != len(before) || got.Status != traject.BarrierOpen {
			t.Fatalf("refused changes changed something: %d audit rows, status %s", len(after)-len(before), got.Status)
		}
		if got, err := s.SetBarrierStatus(f.coord, b.ID, traject.BarrierInProgress, ""); err != nil || got.Status != traject.BarrierInProgress {
			t.Fatalf("in progress: %v %+v", err, got)
		}
		if _, err := s.SetBarrierStatus(f.admin, b.ID, traject.BarrierResolved, " Dutch subtitles added "); err != nil {
			t.Fatal(err)
		}
		rows, err := s.BarrierTimeline(f.coord, b.ID)
		if err != nil || len(rows) != 3 || rows[0].Action != "barrier.status" || rows[0].Reason != "Dutch subtitles added" || rows[2].Action != "barrier.create" {
			t.Errorf("timeline = %+v, %v", rows, err)
		}
		if _, err := s.BarrierTimeline(f.coord2, b.ID); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another region's timeline: %v", err)
		}
	})
}

func TestBarrierSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newBarrierFixture(t, s)
		z1 := f.barrier(t, f.deskANT, "Zoom", traject.BarrierLanguage, traject.SeverityLow)
		f.barrier(t, f.deskANT, " zoom ", traject.BarrierDevice, traject.SeverityHigh)
		z3 := f.barrier(t, f.deskANT, "ZOOM", traject.BarrierDevice, traject.SeverityBlocking)
		f.barrier(t, f.deskANT, "Teams", traject.BarrierCost, traject.SeverityMedium)
		f.barrier(t, f.deskBRU, "Teams", traject.BarrierCost, traject.SeverityMedium)
		if _, err := s.SetBarrierStatus(f.coord, z3.ID, traject.BarrierResolved, "fixed"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetBarrierStatus(f.coord, z1.ID, traject.BarrierInProgress, ""); err != nil {
			t.Fatal(err)
		}

		sum, err := s.BarrierSummary(f.deskANT, store.BarrierSummaryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Resources) != 2 {
			t.Fatalf("resources = %+v", sum.Resources)
		}
		zoom, teams := sum.Resources[0], sum.Resources[1]
		if zoom.Kind != traject.ResourceSoftware || traject.ResourceKey(zoom.Resource) != "zoom" ||
			zoom.BarrierCount != (traject.BarrierCount{Open: 1, InProgress: 1, Resolved: 1}) || zoom.Worst != traject.SeverityHigh {
			t.Errorf("zoom = %+v", zoom)
		}
		if teams.Resource != "Teams" || teams.BarrierCount != (traject.BarrierCount{Open: 1}) || teams.Worst != traject.SeverityMedium {
			t.Errorf("ANT sees Brussels' Teams barrier: %+v", teams)
		}
		if len(sum.Categories) != len(traject.BarrierCategories) || sum.Categories[0].Category != traject.BarrierLanguage ||
			sum.Categories[0].InProgress != 1 || sum.Categories[3].Open != 1 || sum.Categories[3].Resolved != 1 || sum.Categories[6].Open != 1 {
			t.Errorf("categories = %+v", sum.Categories)
		}
		if sum.Total != (traject.BarrierCount{Open: 2, InProgress: 1, Resolved: 1}) {
			t.Errorf("total = %+v", sum.Total)
		}

		all, _ := s.BarrierSummary(f.admin, store.BarrierSummaryFilter{})
		if all.Total.Total() != 5 || all.Resources[len(all.Resources)-1].Resource != "Teams" || all.Resources[1].Open != 2 {
			t.Errorf("national summary = %+v", all)
		}
		bru, _ := s.BarrierSummary(f.admin, store.BarrierSummaryFilter{Region: "BRU"})
		later, _ := s.BarrierSummary(f.admin, store.BarrierSummaryFilter{From: time.Now().Add(time.Hour)})
		if bru.Total.Total() != 1 || later.Total.Total() != 0 || len(later.Resources) != 0 || len(later.Categories) != 7 {
			t.Errorf("filtered summaries: %+v / %+v", bru.Total, later)
		}
	})
}

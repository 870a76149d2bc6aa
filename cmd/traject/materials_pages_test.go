package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"traject"
	"traject/internal/i18n"
)

// matFixture is a server with one account per role (regional ones in ANT, a
// desk and a coordinator in BRU), a material proposed by the ANT teacher and
// a barrier reported in each of ANT and BRU.
type matFixture struct {
	*testMain
	material           *traject.Material
	antBarrier, bruBar *traject.Barrier
}

// The accounts of the fixture besides one per role (staffEmail(role, homeRegion(role))).
const (
	matDeskBRU  = "desk-bru@example.org"
	matCoordBRU = "coordinator-bru@example.org"
)

func newMatFixture(t *testing.T) *matFixture {
	t.Helper()
	tm := mustRun(t, "")
	users := map[traject.Role]*traject.User{}
	for _, role := range traject.Roles {
		users[role] = tm.mustUser(staffEmail(role, homeRegion(role)), role, homeRegion(role))
	}
	tm.mustUser(matDeskBRU, traject.RoleDesk, "BRU")
	tm.mustUser(matCoordBRU, traject.RoleCoordinator, "BRU")
	f := &matFixture{testMain: tm}
	teacher := traject.NewContextWithUser(context.Background(), users[traject.RoleTeacher])
	f.material = &traject.Material{Title: "Wonen in Vlaanderen", Link: "https://example.org/wonen", Type: traject.MaterialVideo,
		Theme: "wonen", Languages: []string{"nl", "ar"}, Track: traject.MaterialTrackAny}
	if err := tm.Store().CreateMaterial(teacher, f.material); err != nil {
		t.Fatal(err)
	}
	f.antBarrier = f.mustBarrier(teacher, "Zoom", traject.BarrierLanguage)
	f.bruBar = f.mustBarrier(traject.NewContextWithUser(context.Background(), users[traject.RoleAdmin]), "Brusselse app", traject.BarrierCost)
	return f
}

func (f *matFixture) mustBarrier(ctx context.Context, resource string, cat traject.BarrierCategory) *traject.Barrier {
	f.t.Helper()
	b := &traject.Barrier{Kind: traject.ResourceSoftware, Resource: resource, Category: cat, Severity: traject.SeverityHigh,
		Description: "Only in English.", RegionCode: "BRU"}
	if traject.UserFromContext(ctx).ScopeRegion() != "" {
		b.RegionCode = ""
	}
	if err := f.Store().CreateBarrier(ctx, b); err != nil {
		f.t.Fatalf("barrier %s: %v", resource, err)
	}
	return b
}

func (f *matFixture) as(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	f.login(c, email)
	return c
}

func (f *matFixture) materialStatus() traject.MaterialStatus {
	f.t.Helper()
	m, err := f.Store().Material(context.Background(), f.material.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return m.Status
}

func (f *matFixture) barrierStatus(id int64) traject.BarrierStatus {
	f.t.Helper()
	admin := traject.NewContextWithUser(context.Background(), &traject.User{Role: traject.RoleAdmin, Active: true})
	b, err := f.Store().Barrier(admin, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return b.Status
}

func (f *matFixture) paths() []string {
	return []string{"/materials", "/materials?type=video&track=basic&language=ar&status=submitted", "/materials/new",
		fmt.Sprintf("/materials/%d", f.material.ID), "/barriers", "/barriers?status=open&category=language&severity=high",
		"/barriers/new", fmt.Sprintf("/barriers/new?material=%d", f.material.ID), fmt.Sprintf("/barriers/%d", f.antBarrier.ID)}
}

// TestMaterialPagesForEveryRole: every staff member reads the catalogue and
// the barriers, proposes and reports; only coordinators and admins review a
// material or change a barrier's status, and a refused POST changes nothing.
func TestMaterialPagesForEveryRole(t *testing.T) {
	f := newMatFixture(t)
	nl := mustLocalizer(t, "nl")
	review := url.Values{"language_level": {"yes"}, "accessible": {"yes"}, "chromebook": {"yes"}, "mobile_data": {"yes"}, "decision": {"approved"}}
	for _, role := range traject.Roles {
		t.Run(string(role), func(t *testing.T) {
			f := &matFixture{testMain: f.forTest(t), material: f.material, antBarrier: f.antBarrier, bruBar: f.bruBar}
			c := f.as(staffEmail(role, homeRegion(role)))
			for _, path := range f.paths() {
				res := f.get(c, path)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: status %d\n%s", path, res.StatusCode, excerpt(res.Body))
				}
				checkPageFrame(t, res.Body, i18n.Languages[0], "")
			}
			home := mustDoc(t, f.get(c, "/").Body)
			for _, key := range []string{"nav.materials", "nav.barriers"} {
				if !strings.Contains(home.Find("nav.nav").Text(), nl.T(key)) {
					t.Errorf("the menu lacks %q", nl.T(key))
				}
			}
			mayReview := role == traject.RoleAdmin || role == traject.RoleCoordinator
			page := mustDoc(t, f.get(c, fmt.Sprintf("/materials/%d", f.material.ID)).Body)
			hasForm := page.Find(fmt.Sprintf(`form[action="/materials/%d/reviews"]`, f.material.ID)).Length() == 1
			if hasForm != mayReview {
				t.Errorf("review form shown: %v", hasForm)
			}
			barrier := mustDoc(t, f.get(c, fmt.Sprintf("/barriers/%d", f.antBarrier.ID)).Body)
			if got := barrier.Find(`form[action$="/status"]`).Length() == 1; got != mayReview {
				t.Errorf("status form shown: %v", got)
			}
			if !mayReview {
				if res := f.post(c, fmt.Sprintf("/materials/%d/reviews", f.material.ID), review); res.StatusCode != http.StatusForbidden {
					t.Errorf("POST review: status %d, want 403", res.StatusCode)
				}
				if res := f.post(c, fmt.Sprintf("/barriers/%d/status", f.antBarrier.ID), url.Values{"status": {"in_progress"}}); res.StatusCode != http.StatusForbidden {
					t.Errorf("POST status: status %d, want 403", res.StatusCode)
				}
			}
		})
	}
	if f.materialStatus() != traject.MaterialSubmitted || f.barrierStatus(f.antBarrier.ID) != traject.BarrierOpen {
		t.Fatal("a refused POST changed the material or the barrier")
	}
	for _, path := range f.paths() {
		if res := f.get(f.client(), path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("GET %s signed out: status %d", path, res.StatusCode)
		}
	}
}

// TestMaterialProposeAndReview goes through the whole life of a material in
// the browser: a refused proposal, a proposal, a refused review and a review.
func TestMaterialProposeAndReview(t *testing.T) {
	f := newMatFixture(t)
	nl := mustLocalizer(t, "nl")
	desk := f.as(staffEmail(traject.RoleDesk, "ANT"))
	before := lastAuditID(t, f.Store())

	res := f.post(desk, "/materials", url.Values{"title": {"Oefening"}, "link": {"javascript:alert(1)"}, "languages": {"nl, dutch"}, "type": {"exercise"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad proposal: status %d", res.StatusCode)
	}
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("materialnew.title"))
	for _, field := range []string{"link", "theme", "languages", "track", "works_offline"} {
		if doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 || doc.Find("#"+field).Length() != 1 || doc.Find("#"+field+"-error").Length() != 1 {
			t.Errorf("the error on %s is not linked to its field", field)
		}
	}
	if doc.Find(`.error-summary a[href="#title"]`).Length() != 0 {
		t.Error("a good title is reported as wrong")
	}
	if v, _ := doc.Find("#title").Attr("value"); v != "Oefening" {
		t.Errorf("the title typed was not kept: %q", v)
	}
	if !strings.Contains(doc.Find(".error-summary").Text(), "dutch") {
		t.Error("the summary does not name the wrong language code")
	}
	if rows := auditSince(t, f.Store(), before); len(rows) != 0 {
		t.Fatalf("a refused proposal wrote %d audit rows", len(rows))
	}

	res = f.post(desk, "/materials", url.Values{"title": {"Oefening werk"}, "link": {"https://example.org/werk"}, "type": {"exercise"},
		"theme": {"werk"}, "languages": {"NL fr"}, "track": {"basic"}, "works_offline": {"no"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/materials/") {
		t.Fatalf("proposal: status %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	page := f.get(desk, res.Header.Get("Location"))
	if !strings.Contains(page.Body, nl.T("materialnew.done", "Title", "Oefening werk")) || !strings.Contains(page.Body, "Frans, Nederlands") {
		t.Errorf("the new material's page lacks the flash or its languages:\n%s", excerpt(page.Body))
	}
	if res := f.post(desk, "/materials", url.Values{"title": {"Again"}, "link": {"https://example.org/werk"}, "type": {"exercise"},
		"theme": {"werk"}, "languages": {"nl"}, "track": {"basic"}, "works_offline": {"no"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, escaped(nl.T("material.link.taken"))) {
		t.Errorf("the same link twice: status %d", res.StatusCode)
	}

	coord := f.as(staffEmail(traject.RoleCoordinator, "ANT"))
	path := fmt.Sprintf("/materials/%d/reviews", f.material.ID)
	before = lastAuditID(t, f.Store())
	res = f.post(coord, path, url.Values{"language_level": {"yes"}, "chromebook": {"no"}, "decision": {"rejected"}, "notes": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete review: status %d", res.StatusCode)
	}
	doc = checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("materialpage.title", "Title", f.material.Title))
	for _, field := range []string{"accessible", "mobile_data", "notes"} {
		if doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 || doc.Find("#"+field).Length() != 1 {
			t.Errorf("the error on %s is not linked to its field", field)
		}
	}
	if _, ok := doc.Find("#chromebook-no").Attr("checked"); !ok {
		t.Error("the answers given were not kept")
	}
	if rows := auditSince(t, f.Store(), before); len(rows) != 0 || f.materialStatus() != traject.MaterialSubmitted {
		t.Fatalf("a refused review wrote %d audit rows", len(rows))
	}
	res = f.post(coord, path, url.Values{"language_level": {"yes"}, "accessible": {"yes"}, "chromebook": {"yes"}, "mobile_data": {"no"},
		"decision": {"approved"}, "notes": {"Grote video: alleen met wifi."}})
	if res.StatusCode != http.StatusSeeOther || f.materialStatus() != traject.MaterialApproved {
		t.Fatalf("review: status %d, material %s", res.StatusCode, f.materialStatus())
	}
	page = f.get(coord, res.Header.Get("Location"))
	if !strings.Contains(page.Body, nl.T("materialpage.review.done.approved")) || !strings.Contains(page.Body, "Grote video: alleen met wifi.") {
		t.Error("the material page lacks the flash or the review's notes")
	}
	rows := auditSince(t, f.Store(), before)
	if len(rows) != 1 || rows[0].Action != "material.review" || rows[0].Reason != "Grote video: alleen met wifi." {
		t.Errorf("audit = %+v", rows)
	}
	// The teacher who proposed it cannot review it, even as a crafted POST.
	teacherMaterial := mustDoc(t, f.get(f.as(staffEmail(traject.RoleTeacher, "ANT")), fmt.Sprintf("/materials/%d", f.material.ID)).Body)
	if teacherMaterial.Find("form[action$=\"/reviews\"]").Length() != 0 {
		t.Error("the submitter sees a review form")
	}
}

// TestMaterialOwnReviewRefused: a coordinator who proposed a material gets
// no review form, and a crafted review is refused.
func TestMaterialOwnReviewRefused(t *testing.T) {
	f := newMatFixture(t)
	coord := f.as(staffEmail(traject.RoleCoordinator, "ANT"))
	res := f.post(coord, "/materials", url.Values{"title": {"Eigen"}, "link": {"https://example.org/eigen"}, "type": {"method"},
		"theme": {"werk"}, "languages": {"nl"}, "track": {"any"}, "works_offline": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("proposal: status %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	doc := mustDoc(t, f.get(coord, loc).Body)
	if doc.Find(`form[action$="/reviews"]`).Length() != 0 || doc.Find(".notice").Length() != 1 {
		t.Error("the submitter sees a review form, or no word why not")
	}
	res = f.post(coord, loc+"/reviews", url.Values{"language_level": {"yes"}, "accessible": {"yes"}, "chromebook": {"yes"}, "mobile_data": {"yes"}, "decision": {"approved"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("own review: status %d, want 403", res.StatusCode)
	}
	for _, path := range []string{"/materials/999999", "/materials/abc", "/barriers/999999", "/barriers/abc", "/barriers/new?material=999999"} {
		if res := f.get(coord, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, res.StatusCode)
		}
	}
	if res := f.get(coord, "/materials?type=podcast&language=xx"); res.StatusCode != http.StatusUnprocessableEntity ||
		mustDoc(t, res.Body).Find(".error-summary a").Length() != 2 {
		t.Errorf("bad filters: status %d", res.StatusCode)
	}
}

// TestBarrierPagesRegionScope: a regional role reports in and sees its own
// region only, in the list, the summary and the detail page; a national role
// chooses the region and sees them all.
func TestBarrierPagesRegionScope(t *testing.T) {
	f := newMatFixture(t)
	nl := mustLocalizer(t, "nl")
	bruDesk, antDesk, admin := f.as(matDeskBRU), f.as(staffEmail(traject.RoleDesk, "ANT")), f.as(staffEmail(traject.RoleAdmin, ""))

	list := mustDoc(t, f.get(bruDesk, "/barriers").Body)
	if strings.Contains(list.Text(), "Zoom") || !strings.Contains(list.Text(), "Brusselse app") {
		t.Error("the BRU desk sees Antwerp's barrier, or not its own")
	}
	if list.Find("select#region").Length() != 0 {
		t.Error("a regional role gets a region filter")
	}
	if got := list.Find("#category-language td").First().Text(); got != "0" {
		t.Errorf("BRU summary counts Antwerp's language barrier: %q", got)
	}
	if got := list.Find("#category-cost td").First().Text(); got != "1" {
		t.Errorf("BRU summary misses its own cost barrier: %q", got)
	}
	if res := f.get(bruDesk, "/barriers?region=ANT"); strings.Contains(res.Body, "Zoom") {
		t.Error("the BRU desk reads Antwerp's barriers with ?region=ANT")
	}
	if res := f.get(bruDesk, fmt.Sprintf("/barriers/%d", f.antBarrier.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("BRU desk opens an Antwerp barrier: status %d", res.StatusCode)
	}
	if res := f.post(f.as(matCoordBRU), fmt.Sprintf("/barriers/%d/status", f.antBarrier.ID), url.Values{"status": {"in_progress"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("BRU coordinator changes an Antwerp barrier: status %d", res.StatusCode)
	}
	all := mustDoc(t, f.get(admin, "/barriers").Body)
	if !strings.Contains(all.Text(), "Zoom") || !strings.Contains(all.Text(), "Brusselse app") {
		t.Error("the admin does not see every region")
	}
	if ant := f.get(admin, "/barriers?region=ANT").Body; !strings.Contains(ant, "Zoom") || strings.Contains(ant, "Brusselse app") {
		t.Error("the admin's region filter does not work")
	}

	// Reporting: the regional form has no region; its report lands in ANT.
	form := mustDoc(t, f.get(antDesk, "/barriers/new").Body)
	if form.Find(`input[name="region"]`).Length() != 0 {
		t.Error("the regional form asks for a region")
	}
	before := lastAuditID(t, f.Store())
	res := f.post(antDesk, "/barriers", url.Values{"resource_kind": {"website"}, "category": {"account"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete report: status %d", res.StatusCode)
	}
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("barriernew.title"))
	for _, field := range []string{"resource", "severity", "description"} {
		if doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 || doc.Find("#"+field).Length() != 1 {
			t.Errorf("the error on %s is not linked to its field", field)
		}
	}
	if rows := auditSince(t, f.Store(), before); len(rows) != 0 {
		t.Fatalf("a refused report wrote %d audit rows", len(rows))
	}
	res = f.post(antDesk, "/barriers", url.Values{"resource_kind": {"website"}, "resource": {"mijn.example.be"}, "category": {"account"},
		"severity": {"blocking"}, "description": {"Vraagt een eID."}, "region": {"BRU"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("ANT desk reporting for BRU: status %d, want 403", res.StatusCode)
	}
	res = f.post(antDesk, "/barriers", url.Values{"resource_kind": {"website"}, "resource": {"mijn.example.be"}, "category": {"account"},
		"severity": {"blocking"}, "description": {"Vraagt een eID."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: status %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if page := f.get(antDesk, res.Header.Get("Location")).Body; !strings.Contains(page, nl.T("barriernew.done")) || !strings.Contains(page, nl.T("region.ANT")) {
		t.Error("the new barrier's page lacks the flash or its region")
	}
	// A national role must choose a region; a report from a material page
	// is linked to the material.
	res = f.post(admin, "/barriers", url.Values{"material": {fmt.Sprint(f.material.ID)}, "category": {"connectivity"}, "severity": {"medium"},
		"description": {"200 MB."}})
	if res.StatusCode != http.StatusUnprocessableEntity || mustDoc(t, res.Body).Find(`.error-summary a[href="#region"]`).Length() != 1 {
		t.Errorf("national report without a region: status %d", res.StatusCode)
	}
	res = f.post(admin, "/barriers", url.Values{"material": {fmt.Sprint(f.material.ID)}, "category": {"connectivity"}, "severity": {"medium"},
		"description": {"200 MB."}, "region": {"LIM"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report on a material: status %d", res.StatusCode)
	}
	m := mustDoc(t, f.get(admin, fmt.Sprintf("/materials/%d", f.material.ID)).Body)
	if !strings.Contains(m.Text(), nl.T("materialpage.barriers.one")) {
		t.Error("the material page does not count its barrier")
	}
}

// TestBarrierStatusForm: a coordinator moves a barrier on; closing needs a
// note, a refused change writes nothing, and the history says what happened.
func TestBarrierStatusForm(t *testing.T) {
	f := newMatFixture(t)
	nl := mustLocalizer(t, "nl")
	coord := f.as(staffEmail(traject.RoleCoordinator, "ANT"))
	path := fmt.Sprintf("/barriers/%d", f.antBarrier.ID)
	before := lastAuditID(t, f.Store())
	for _, tc := range []struct {
		form   url.Values
		status int
		field  string
	}{
		{url.Values{"status": {"resolved"}, "note": {" "}}, 422, "note"},
		{url.Values{}, 422, "status"},
		{url.Values{"status": {"open"}}, 409, "status"},
	} {
		res := f.post(coord, path+"/status", tc.form)
		if res.StatusCode != tc.status {
			t.Errorf("%v: status %d, want %d", tc.form, res.StatusCode, tc.status)
			continue
		}
		doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("barrierpage.title", "Resource", "Zoom"))
		if doc.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 || doc.Find("#"+tc.field).Length() != 1 {
			t.Errorf("%v: the summary does not link to #%s", tc.form, tc.field)
		}
	}
	if rows := auditSince(t, f.Store(), before); len(rows) != 0 || f.barrierStatus(f.antBarrier.ID) != traject.BarrierOpen {
		t.Fatalf("refused changes wrote %d audit rows", len(rows))
	}
	res := f.post(coord, path+"/status", url.Values{"status": {"resolved"}, "note": {"Nederlandse ondertitels toegevoegd"}})
	if res.StatusCode != http.StatusSeeOther || f.barrierStatus(f.antBarrier.ID) != traject.BarrierResolved {
		t.Fatalf("resolve: status %d", res.StatusCode)
	}
	doc := mustDoc(t, f.get(coord, path).Body)
	row := doc.Find("tbody tr").First().Text()
	if !strings.Contains(row, "Nederlandse ondertitels toegevoegd") || !strings.Contains(row, nl.T("barrierstatus.resolved")) {
		t.Errorf("the history's newest row %q lacks the note or the status", row)
	}
	if doc.Find(`input[name="status"]`).Length() != 1 {
		t.Error("a resolved barrier can only be opened again")
	}
}

// TestMaterialPagesInEveryLanguage renders every page, and a refused form,
// in nl, en, fr and ar.
func TestMaterialPagesInEveryLanguage(t *testing.T) {
	f := newMatFixture(t)
	admin := f.as(staffEmail(traject.RoleAdmin, ""))
	if _, err := f.Store().ReviewMaterial(traject.NewContextWithActorLabel(context.Background(), "test"), f.material.ID, matFullReview()); err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages {
		for _, path := range f.paths() {
			res := f.get(admin, withLang(path, lang.Tag))
			t.Run(lang.Tag+path, func(t *testing.T) {
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d", res.StatusCode)
				}
				checkPageFrame(t, res.Body, lang, "")
			})
		}
		for _, post := range []string{"/materials", fmt.Sprintf("/materials/%d/reviews", f.material.ID), "/barriers", fmt.Sprintf("/barriers/%d/status", f.antBarrier.ID)} {
			res := f.post(admin, withLang(post, lang.Tag), url.Values{"status": {"open"}})
			t.Run(lang.Tag+post, func(t *testing.T) {
				if res.StatusCode < 400 {
					t.Fatalf("status %d, want an error", res.StatusCode)
				}
				if doc := checkPageFrame(t, res.Body, lang, ""); doc.Find(".error-summary").Length() != 1 {
					t.Error("no error summary")
				}
			})
		}
	}
}

// matFullReview answers every criterion yes and approves.
func matFullReview() *traject.MaterialReview {
	r := &traject.MaterialReview{Decision: traject.MaterialApproved}
	for _, c := range traject.MaterialCriteria {
		r.SetAnswer(c, true)
	}
	return r
}

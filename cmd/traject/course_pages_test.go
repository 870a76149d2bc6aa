package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/i18n"
)

// crsFixture is a running server with staff in every role that reads
// courses, three courses (two in Antwerp with different teachers, one in
// Brussels) and four learners.
type crsFixture struct {
	*testMain
	admin context.Context
}

// The accounts of the fixture.
const (
	crsAdmin      = "crs-admin@example.org"
	crsCoordANT   = "crs-coord-ant@example.org"
	crsCoordBRU   = "crs-coord-bru@example.org"
	crsTeacher    = "crs-teacher@example.org"
	crsTeacher2   = "crs-teacher2@example.org"
	crsCounsellor = "crs-counsellor@example.org"
	crsAnalyst    = "crs-analyst@example.org"
	crsEnforcer   = "crs-enforcement@example.org"
)

func newCrsFixture(t *testing.T) *crsFixture {
	t.Helper()
	tm := mustRun(t, "")
	admin := tm.mustUser(crsAdmin, traject.RoleAdmin, "")
	tm.mustUser(crsCoordANT, traject.RoleCoordinator, "ANT")
	tm.mustUser(crsCoordBRU, traject.RoleCoordinator, "BRU")
	tm.mustUser(crsTeacher, traject.RoleTeacher, "ANT")
	tm.mustUser(crsTeacher2, traject.RoleTeacher, "ANT")
	tm.mustUser(crsCounsellor, traject.RoleCounsellor, "ANT")
	tm.mustUser(crsAnalyst, traject.RoleAnalyst, "")
	tm.mustUser(crsEnforcer, traject.RoleEnforcement, "")
	f := &crsFixture{testMain: tm, admin: traject.NewContextWithUser(context.Background(), admin)}
	f.course("MO-ANT-01", "ANT", crsTeacher, 2)
	f.course("MO-ANT-02", "ANT", crsTeacher2, 10)
	f.course("MO-BRU-01", "BRU", "", 10)
	for _, l := range [][2]string{{"L-1", "ANT"}, {"L-2", "ANT"}, {"L-3", "ANT"}, {"L-BRU", "BRU"}} {
		f.learner(l[0], l[1])
	}
	return f
}

// course adds a blended course, mon+thu 9:00-12:00 from Monday 19 October
// 2020 (the week before summer time ends) to 12 November: 8 sessions.
func (f *crsFixture) course(ref, region, teacher string, capacity int) {
	f.t.Helper()
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: ref, Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: region, TeacherEmail: teacher, StartsOn: invDate("2020-10-19"),
		EndsOn: invDate("2020-11-12"), Capacity: capacity, Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
	if err := f.Store().CreateCourse(f.admin, c); err != nil {
		f.t.Fatalf("course %s: %v", ref, err)
	}
}

func (f *crsFixture) learner(ref, region string) {
	f.t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Samira", LastName: "Learner " + ref, BirthDate: invDate("1988-05-05"),
		Language: "ar", RegionCode: region, Obligation: traject.Obliged}
	if err := f.Store().CreateLearner(f.admin, l); err != nil {
		f.t.Fatalf("learner %s: %v", ref, err)
	}
}

func (f *crsFixture) as(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	f.login(c, email)
	return c
}

// enrolled reads a course's lists as the admin sees them: "L-1 enrolled", ...
func (f *crsFixture) enrolled(ref string) []string {
	f.t.Helper()
	list, err := f.Store().Enrolments(f.admin, ref)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.LearnerRef+" "+string(e.State))
	}
	return out
}

// TestCoursePagesPermissions opens every course page as each role: the
// status, and for the course list, which courses it shows.
func TestCoursePagesPermissions(t *testing.T) {
	f := newCrsFixture(t)
	if _, err := f.Store().Enrol(f.admin, "MO-ANT-01", "L-1"); err != nil {
		t.Fatal(err)
	}
	clients := map[string]*http.Client{}
	for _, email := range []string{crsAdmin, crsCoordANT, crsCoordBRU, crsTeacher, crsCounsellor, crsAnalyst, crsEnforcer} {
		clients[email] = f.as(email)
	}
	tests := []struct {
		path   string
		status map[string]int // by account; missing means 200
	}{
		{"/courses", map[string]int{crsEnforcer: 403}},
		{"/courses?mode=blended&track=standard&kind=civic_orientation&language=ar&q=MO", map[string]int{crsEnforcer: 403}},
		{"/courses/new", map[string]int{crsTeacher: 403, crsCounsellor: 403, crsAnalyst: 403, crsEnforcer: 403}},
		{"/courses/MO-ANT-01", map[string]int{crsCoordBRU: 404, crsEnforcer: 403}},
		{"/courses/MO-ANT-02", map[string]int{crsCoordBRU: 404, crsTeacher: 404, crsEnforcer: 403}},
		{"/courses/NOPE", map[string]int{crsAdmin: 404, crsCoordANT: 404, crsCoordBRU: 404, crsTeacher: 404, crsCounsellor: 404, crsAnalyst: 404, crsEnforcer: 403}},
		{"/learners/L-1/calendar", map[string]int{crsCoordBRU: 404, crsAnalyst: 403}},
	}
	for _, tt := range tests {
		for email, c := range clients {
			want := http.StatusOK
			if s, ok := tt.status[email]; ok {
				want = s
			}
			res := f.get(c, tt.path)
			if res.StatusCode != want {
				t.Errorf("%s %s: status %d, want %d", email, tt.path, res.StatusCode, want)
				continue
			}
			if want == http.StatusOK {
				t.Run(email+tt.path, func(t *testing.T) { checkPageFrame(t, res.Body, i18n.Languages[0], "") })
			}
		}
	}
	listed := map[string][]string{
		crsAdmin: {"MO-ANT-01", "MO-ANT-02", "MO-BRU-01"}, crsCoordANT: {"MO-ANT-01", "MO-ANT-02"},
		crsCoordBRU: {"MO-BRU-01"}, crsTeacher: {"MO-ANT-01"},
	}
	for email, want := range listed {
		doc := mustDoc(t, f.get(clients[email], "/courses").Body)
		var got []string
		doc.Find(`main table tbody a[href^="/courses/"]`).Each(func(_ int, a *goquery.Selection) { got = append(got, strings.TrimSpace(a.Text())) })
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s lists %v, want %v", email, got, want)
		}
	}
	// Readers without courses:write see no form that changes a course.
	for _, email := range []string{crsTeacher, crsCounsellor, crsAnalyst} {
		if forms := mustDoc(t, f.get(clients[email], "/courses/MO-ANT-01").Body).Find(`main form[method="post"]`); forms.Length() != 0 {
			t.Errorf("%s sees %d write forms on a course", email, forms.Length())
		}
	}
	for _, post := range []string{"/courses", "/courses/MO-ANT-01/enrolments", "/courses/MO-ANT-01/withdrawals", "/courses/MO-ANT-01/sessions"} {
		for _, email := range []string{crsTeacher, crsCounsellor, crsAnalyst} {
			if res := f.post(clients[email], post, url.Values{"learner": {"L-1"}, "ref": {"X-1"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: status %d, want 403", email, post, res.StatusCode)
			}
		}
	}
	if got := f.enrolled("MO-ANT-01"); strings.Join(got, ",") != "L-1 enrolled" {
		t.Errorf("refused POSTs changed the course: %v", got)
	}
}

// TestCourseCreateForm sends the form empty (422 with every error named
// and linked), then filled in: the course and its sessions, with dates and
// hours written out on its page.
func TestCourseCreateForm(t *testing.T) {
	f := newCrsFixture(t)
	coord := f.as(crsCoordANT)
	res := f.post(coord, "/courses", url.Values{"weekdays": {"mon"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d", res.StatusCode)
	}
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], "")
	var links []string
	doc.Find(".error-summary a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
	want := "#ref #kind #language #mode #track #starts_on #ends_on #capacity #start_time #end_time"
	if strings.Join(links, " ") != want {
		t.Errorf("error summary links %v, want %s", links, want)
	}
	for _, id := range strings.Fields(strings.ReplaceAll(want, "#", "")) {
		if doc.Find("#"+id).Length() != 1 {
			t.Errorf("the summary links to #%s, which is not on the page", id)
		}
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Fout:") || doc.Find(`#weekdays[checked]`).Length() != 1 {
		t.Error("no error prefix in the title, or the checked weekday was lost")
	}
	form := url.Values{"ref": {"MO-ANT-NEW"}, "kind": {"civic_orientation"}, "language": {"TI"}, "mode": {"blended"}, "track": {"basic"},
		"region": {"BRU"}, "teacher": {crsTeacher}, "office": {"1"},
		"starts_on_day": {"19"}, "starts_on_month": {"10"}, "starts_on_year": {"2020"},
		"ends_on_day": {"29"}, "ends_on_month": {"10"}, "ends_on_year": {"2020"},
		"capacity": {"15"}, "weekdays": {"mon", "thu"}, "start_time": {"9.00"}, "end_time": {"12.00"}}
	res = f.post(coord, "/courses", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/courses/MO-ANT-NEW" {
		t.Fatalf("create: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), excerpt(res.Body))
	}
	page := f.get(coord, "/courses/MO-ANT-NEW")
	for _, s := range []string{"Cursus MO-ANT-NEW is toegevoegd, met 4 lesmomenten.", "maandag 19 oktober 2020", "maandag 26 oktober 2020",
		"09.00–12.00 uur", `<time datetime="2020-10-19T09:00">`, `<time datetime="2020-10-26T09:00">`, "Antwerpen", "crs-teacher"} {
		if !strings.Contains(page.Body, s) {
			t.Errorf("course page lacks %q", s)
		}
	}
	c, err := f.Store().Course(f.admin, "MO-ANT-NEW")
	if err != nil || c.RegionCode != "ANT" || c.Language != "ti" {
		t.Errorf("course = %+v, %v (a regional coordinator adds in their own region)", c, err)
	}
	res = f.post(coord, "/courses", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Er is al een cursus met referentie MO-ANT-NEW.") {
		t.Errorf("same reference again: %d", res.StatusCode)
	}
}

// TestCourseEnrolAndWithdrawForms fills a course of two, puts a third
// learner on the waiting list, and withdraws the first: the third moves up.
func TestCourseEnrolAndWithdrawForms(t *testing.T) {
	f := newCrsFixture(t)
	coord := f.as(crsCoordANT)
	for _, ref := range []string{"L-1", "L-2", "L-3"} {
		res := f.post(coord, "/courses/MO-ANT-01/enrolments", url.Values{"learner": {" " + ref + " "}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("enrol %s: %d\n%s", ref, res.StatusCode, excerpt(res.Body))
		}
	}
	for _, tt := range []struct {
		learner, want string
		status        int
	}{
		{"", "Vul de referentie van de inburgeraar in.", 422},
		{"L-9", "Er is geen inburgeraar met referentie L-9 in uw regio.", 422},
		{"L-BRU", "Er is geen inburgeraar met referentie L-BRU in uw regio.", 422},
		{"L-3", "Deze inburgeraar staat al op de wachtlijst van deze cursus.", 409},
	} {
		res := f.post(coord, "/courses/MO-ANT-01/enrolments", url.Values{"learner": {tt.learner}})
		if res.StatusCode != tt.status || !strings.Contains(res.Body, tt.want) {
			t.Errorf("enrol %q: %d, want %d with %q", tt.learner, res.StatusCode, tt.status, tt.want)
			continue
		}
		doc := checkPageFrame(t, res.Body, i18n.Languages[0], "")
		if doc.Find(`.error-summary a[href="#learner"]`).Length() != 1 || doc.Find(`#learner`).AttrOr("value", "") != tt.learner {
			t.Errorf("enrol %q: the summary does not link to the field, or the answer was lost", tt.learner)
		}
	}
	page := f.get(coord, "/courses/MO-ANT-01").Body
	if !strings.Contains(page, "Ingeschreven (2)") || !strings.Contains(page, "Wachtlijst (1)") {
		t.Errorf("lists not shown:\n%s", excerpt(page))
	}
	res := f.post(coord, "/courses/MO-ANT-01/withdrawals", url.Values{"learner": {"L-1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if page := f.get(coord, "/courses/MO-ANT-01").Body; !strings.Contains(page, "L-1 is uitgeschreven. Samira Learner L-3 (L-3) kreeg de vrije plaats.") {
		t.Errorf("no promotion message:\n%s", excerpt(page))
	}
	if got := strings.Join(f.enrolled("MO-ANT-01"), ","); got != "L-2 enrolled,L-3 enrolled" {
		t.Errorf("after withdrawing L-1: %s", got)
	}
	if res := f.post(coord, "/courses/MO-ANT-01/withdrawals", url.Values{"learner": {"L-1"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("withdraw twice: %d", res.StatusCode)
	}
	if res := f.post(f.as(crsCoordBRU), "/courses/MO-ANT-01/enrolments", url.Values{"learner": {"L-BRU"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("BRU enrols into an ANT course: %d", res.StatusCode)
	}
	cal := f.get(f.as(crsTeacher), "/learners/L-3/calendar")
	if cal.StatusCode != 200 || strings.Count(cal.Body, `<time datetime=`) != 8 || !strings.Contains(cal.Body, "donderdag 22 oktober 2020") {
		t.Errorf("L-3's calendar: %d\n%s", cal.StatusCode, excerpt(cal.Body))
	}
}

// TestCourseAddSessionForm adds a lesson by hand; wrong answers come back
// with 422 and the answers kept.
func TestCourseAddSessionForm(t *testing.T) {
	f := newCrsFixture(t)
	coord := f.as(crsCoordANT)
	good := url.Values{"date_day": {"21"}, "date_month": {"10"}, "date_year": {"2020"}, "start_time": {"13:30"}, "end_time": {"15.30"}, "mode": {"onsite"}}
	for _, tt := range []struct {
		name  string
		edit  func(v url.Values)
		field string
	}{
		{"no date", func(v url.Values) { v.Set("date_day", "") }, "date"},
		{"31 February", func(v url.Values) { v.Set("date_day", "31"); v.Set("date_month", "2") }, "date"},
		{"outside the course", func(v url.Values) { v.Set("date_month", "12") }, "date"},
		{"bad time", func(v url.Values) { v.Set("start_time", "half twee") }, "start_time"},
		{"overlap", func(v url.Values) { v.Set("date_day", "22"); v.Set("start_time", "11:00") }, "start_time"},
		{"no mode", func(v url.Values) { v.Del("mode") }, "mode"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = append([]string(nil), v...)
		}
		tt.edit(form)
		res := f.post(coord, "/courses/MO-ANT-01/sessions", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tt.name, res.StatusCode)
			continue
		}
		doc := mustDoc(t, res.Body)
		if doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 || doc.Find(`#end_time`).AttrOr("value", "") != "15.30" {
			t.Errorf("%s: no link to #%s, or the answers were lost", tt.name, tt.field)
		}
	}
	res := f.post(coord, "/courses/MO-ANT-01/sessions", good)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if page := f.get(coord, "/courses/MO-ANT-01").Body; !strings.Contains(page, "Het lesmoment van woensdag 21 oktober 2020 is toegevoegd.") ||
		!strings.Contains(page, "Lesmomenten (9)") || !strings.Contains(page, "13.30–15.30 uur") {
		t.Errorf("added lesson not shown:\n%s", excerpt(page))
	}
}

// TestCoursePagesInEveryLanguage renders the course pages, and a form sent
// back, in nl, en, fr and ar.
func TestCoursePagesInEveryLanguage(t *testing.T) {
	f := newCrsFixture(t)
	if _, err := f.Store().Enrol(f.admin, "MO-ANT-01", "L-1"); err != nil {
		t.Fatal(err)
	}
	admin := f.as(crsAdmin)
	for _, lang := range i18n.Languages {
		if home := f.get(admin, withLang("/", lang.Tag)).Body; !strings.Contains(home, `href="/courses"`) ||
			!strings.Contains(home, html.EscapeString(mustLocalizer(t, lang.Tag).T("nav.courses.hint"))) {
			t.Errorf("%s: the home page has no card for the courses", lang.Tag)
		}
		for _, path := range []string{"/courses", "/courses/new", "/courses/MO-ANT-01", "/learners/L-1/calendar"} {
			res := f.get(admin, withLang(path, lang.Tag))
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s: status %d", lang.Tag, path, res.StatusCode)
				continue
			}
			t.Run(lang.Tag+path, func(t *testing.T) { checkPageFrame(t, res.Body, lang, "") })
		}
		for _, post := range []string{"/courses", "/courses/MO-ANT-01/enrolments", "/courses/MO-ANT-01/sessions"} {
			res := f.post(admin, withLang(post, lang.Tag), url.Values{"learner": {"L-9"}})
			t.Run(lang.Tag+post, func(t *testing.T) {
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", res.StatusCode)
				}
				doc := checkPageFrame(t, res.Body, lang, "")
				if doc.Find(".error-summary").Length() != 1 ||
					!strings.HasPrefix(doc.Find("title").Text(), mustLocalizer(t, lang.Tag).T("error.prefix")) {
					t.Error("no error summary or no error prefix in the title")
				}
			})
		}
	}
}

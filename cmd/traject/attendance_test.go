package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/i18n"
)

// attFixture is a running server with a course in Antwerp of 20 learners,
// taught by att-teacher, and the staff who act on it.
type attFixture struct {
	*testMain
	admin    context.Context
	sessions []traject.Session
	learners []string
}

const (
	attTeacher    = "att-teacher@example.org"
	attOther      = "att-other@example.org"
	attCoord      = "att-coord@example.org"
	attDesk       = "att-desk@example.org"
	attCounsellor = "att-counsellor@example.org"
	attAnalyst    = "att-analyst@example.org"
)

func newAttFixture(t *testing.T) *attFixture {
	t.Helper()
	tm := mustRun(t, "")
	admin := tm.mustUser("att-admin@example.org", traject.RoleAdmin, "")
	tm.mustUser(attTeacher, traject.RoleTeacher, "ANT")
	tm.mustUser(attOther, traject.RoleTeacher, "ANT")
	tm.mustUser(attCoord, traject.RoleCoordinator, "ANT")
	tm.mustUser(attDesk, traject.RoleDesk, "ANT")
	tm.mustUser(attCounsellor, traject.RoleCounsellor, "ANT")
	tm.mustUser(attAnalyst, traject.RoleAnalyst, "")
	f := &attFixture{testMain: tm, admin: traject.NewContextWithUser(context.Background(), admin)}
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: "MO-ANT-20", Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: "ANT", TeacherEmail: attTeacher, StartsOn: invDate("2020-03-02"),
		EndsOn: invDate("2020-03-26"), Capacity: 25, Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
	if err := tm.Store().CreateCourse(f.admin, c); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		ref := fmt.Sprintf("LRN-%02d", i+1)
		l := &traject.Learner{Ref: ref, FirstName: "Amina", LastName: fmt.Sprintf("Learner %02d", i+1), BirthDate: invDate("1990-01-01"),
			Language: "ar", RegionCode: "ANT", Obligation: traject.Obliged}
		if err := tm.Store().CreateLearner(f.admin, l); err != nil {
			t.Fatal(err)
		}
		if _, err := tm.Store().Enrol(f.admin, c.Ref, ref); err != nil {
			t.Fatal(err)
		}
		f.learners = append(f.learners, ref)
	}
	var err error
	if f.sessions, err = tm.Store().CourseSessions(f.admin, c.Ref); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *attFixture) as(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	f.login(c, email)
	return c
}

func (f *attFixture) sheetURL(i int) string {
	return fmt.Sprintf("/sessions/%d/attendance", f.sessions[i].ID)
}

// recorded reads a session's marks from the store: learner ref -> status.
func (f *attFixture) recorded(i int) map[string]traject.AttendanceStatus {
	f.t.Helper()
	sheet, err := f.Store().AttendanceSheet(f.admin, f.sessions[i].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]traject.AttendanceStatus{}
	for _, r := range sheet.Rows {
		if r.Mark != nil {
			out[r.LearnerRef] = r.Mark.Status
		}
	}
	return out
}

// sheetForm fills in the sheet as a browser without JavaScript would: it
// reads the form's own radios and selects, and answers every row with
// status, except where answers says otherwise (by row number).
func sheetForm(t *testing.T, body string, status traject.AttendanceStatus, answers map[int][2]string) url.Values {
	t.Helper()
	doc := mustDoc(t, body)
	form := url.Values{}
	rows := doc.Find("form#attendance-form .attendance-row")
	rows.Each(func(i int, row *goquery.Selection) {
		name, _ := row.Find("input[type=radio]").First().Attr("name")
		reason, _ := row.Find("select").Attr("name")
		st, rs := string(status), ""
		if a, ok := answers[i]; ok {
			st, rs = a[0], a[1]
		}
		if row.Find(fmt.Sprintf("input[type=radio][value=%q]", st)).Length() != 1 && st != "" {
			t.Fatalf("row %d has no radio %s", i, st)
		}
		if st != "" {
			form.Set(name, st)
		}
		form.Set(reason, rs)
	})
	if rows.Length() == 0 {
		t.Fatalf("no attendance form:\n%s", excerpt(body))
	}
	return form
}

// TestAttendanceSheetOfTwentyInOneSubmission is the "done when": a
// teacher takes the attendance of 20 learners in one plain form POST, with
// no JavaScript, and a missing reason names the learner's row and saves
// nothing.
func TestAttendanceSheetOfTwentyInOneSubmission(t *testing.T) {
	f := newAttFixture(t)
	teacher := f.as(attTeacher)
	res := f.get(teacher, f.sheetURL(0))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sheet: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	doc := mustDoc(t, res.Body)
	if n := doc.Find(".attendance-row").Length(); n != 20 {
		t.Fatalf("%d rows, want 20", n)
	}
	if n := doc.Find("input[type=radio]").Length(); n != 100 {
		t.Errorf("%d radios, want 5 per learner", n)
	}
	if n := doc.Find("input[type=radio]:checked").Length(); n != 0 {
		t.Errorf("%d radios chosen before anything is recorded", n)
	}
	if doc.Find("script:not([defer])").Length() != 0 || doc.Find("[onclick],[onchange]").Length() != 0 {
		t.Error("the sheet depends on inline JavaScript")
	}

	// Row 6 excused without a reason, row 12 without any answer: 422, both
	// rows named, nothing saved.
	form := sheetForm(t, res.Body, traject.AttendancePresentOnsite, map[int][2]string{5: {"excused", ""}, 11: {"", ""}})
	bad := f.post(teacher, f.sheetURL(0), form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("missing reason: status %d", bad.StatusCode)
	}
	doc = mustDoc(t, bad.Body)
	summary := doc.Find(".error-summary a")
	if summary.Length() != 2 || !strings.Contains(summary.First().Text(), "Learner 06") || !strings.Contains(summary.Last().Text(), "Learner 12") {
		t.Errorf("error summary: %q", summary.Text())
	}
	if href, _ := summary.First().Attr("href"); doc.Find(href).Length() != 1 || !strings.HasPrefix(href, "#reason-") {
		t.Errorf("the summary links to %s, which is not the row's reason", href)
	}
	if title := doc.Find("title").Text(); !strings.HasPrefix(title, "Fout:") {
		t.Errorf("title %q", title)
	}
	if n := doc.Find("input[type=radio]:checked").Length(); n != 19 {
		t.Errorf("%d answers kept, want 19", n)
	}
	if got := f.recorded(0); len(got) != 0 {
		t.Errorf("a refused sheet saved %d marks", len(got))
	}

	// The corrected sheet: 20 learners in one submission.
	form = sheetForm(t, bad.Body, traject.AttendancePresentOnsite, map[int][2]string{
		1: {"present_online", ""}, 2: {"late", "illness"}, 5: {"excused", "illness"}, 7: {"excused", "no_device_yet"}, 11: {"absent", ""}})
	ok := f.post(teacher, f.sheetURL(0), form)
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != f.sheetURL(0) {
		t.Fatalf("save: %d %s\n%s", ok.StatusCode, ok.Header.Get("Location"), excerpt(ok.Body))
	}
	got := f.recorded(0)
	if len(got) != 20 || got["LRN-02"] != traject.AttendancePresentOnline || got["LRN-03"] != traject.AttendanceLate ||
		got["LRN-06"] != traject.AttendanceExcused || got["LRN-12"] != traject.AttendanceAbsent || got["LRN-20"] != traject.AttendancePresentOnsite {
		t.Errorf("recorded = %v", got)
	}
	page := f.get(teacher, f.sheetURL(0))
	doc = mustDoc(t, page.Body)
	if !strings.Contains(doc.Find(".banner").Text(), "20 cursisten gewijzigd") {
		t.Errorf("flash: %q", doc.Find(".banner").Text())
	}
	if n := doc.Find("input[type=radio]:checked").Length(); n != 20 {
		t.Errorf("%d radios show the recorded status", n)
	}
	if v, _ := doc.Find("select#reason-" + rowID(t, doc, 7) + " option[selected]").Attr("value"); v != "no_device_yet" {
		t.Errorf("row 8's reason shows %q", v)
	}
}

// rowID is the learner id in the i-th row's reason select.
func rowID(t *testing.T, doc *goquery.Document, i int) string {
	t.Helper()
	id, _ := doc.Find(".attendance-row select").Eq(i).Attr("id")
	return strings.TrimPrefix(id, "reason-")
}

func TestAttendancePagesRights(t *testing.T) {
	f := newAttFixture(t)
	tests := []struct {
		email                string
		sheet, participation int
		form                 bool // the sheet is a form
		post                 int  // answer to a full sheet
		followUp             int
	}{
		{attTeacher, 200, 200, true, 303, 403},
		{attCoord, 200, 200, true, 303, 200},
		{attDesk, 200, 200, false, 403, 403},
		{attCounsellor, 200, 200, false, 403, 200},
		{attOther, 404, 404, false, 404, 403},
		{attAnalyst, 403, 403, false, 403, 403},
	}
	for _, tt := range tests {
		c := f.as(tt.email)
		res := f.get(c, f.sheetURL(1))
		if res.StatusCode != tt.sheet {
			t.Errorf("%s: sheet %d", tt.email, res.StatusCode)
		}
		if got := strings.Contains(res.Body, `id="attendance-form"`); got != tt.form {
			t.Errorf("%s: form shown = %v", tt.email, got)
		}
		form := url.Values{}
		for i := range 20 {
			form.Set(fmt.Sprintf("status-%d", i+1), "present_onsite")
		}
		if res := f.post(c, f.sheetURL(1), form); res.StatusCode != tt.post && !(tt.post == 303 && res.StatusCode == 422) {
			t.Errorf("%s: post %d", tt.email, res.StatusCode)
		}
		if res := f.get(c, "/courses/MO-ANT-20/participation"); res.StatusCode != tt.participation {
			t.Errorf("%s: participation %d", tt.email, res.StatusCode)
		}
		if res := f.get(c, "/followup"); res.StatusCode != tt.followUp {
			t.Errorf("%s: follow-up %d", tt.email, res.StatusCode)
		}
	}
	if res := f.get(f.as(attTeacher), "/sessions/abc/attendance"); res.StatusCode != http.StatusNotFound {
		t.Errorf("bad session id: %d", res.StatusCode)
	}
}

func TestParticipationPageAndSuspension(t *testing.T) {
	f := newAttFixture(t)
	teacher := f.as(attTeacher)
	// The first learner misses the first two sessions; the others come.
	for i := range 2 {
		marks := []traject.AttendanceMark{{LearnerRef: f.learners[0], Status: traject.AttendanceAbsent}}
		for _, ref := range f.learners[1:] {
			marks = append(marks, traject.AttendanceMark{LearnerRef: ref, Status: traject.AttendancePresentOnsite})
		}
		if _, err := f.Store().RecordAttendance(f.admin, f.sessions[i].ID, marks); err != nil {
			t.Fatal(err)
		}
	}
	res := f.get(teacher, "/courses/MO-ANT-20/participation")
	doc := mustDoc(t, res.Body)
	first := doc.Find("table").First().Find("tbody tr").First()
	if !strings.Contains(first.Text(), "Learner 01") || !strings.Contains(first.Text(), "Twee keer na elkaar afwezig") {
		t.Errorf("first learner row: %q", first.Text())
	}
	if doc.Find(`form[action="/courses/MO-ANT-20/suspensions"]`).Length() != 0 {
		t.Error("a teacher sees the suspend form")
	}
	if doc.Find(fmt.Sprintf(`a[href="%s"]`, f.sheetURL(2))).Length() != 1 {
		t.Error("no link to the third session's sheet")
	}

	coord := f.as(attCoord)
	bad := f.post(coord, "/courses/MO-ANT-20/suspensions", url.Values{"from_day": {"9"}, "from_month": {"3"}, "from_year": {"2020"},
		"until_day": {"31"}, "until_month": {"2"}, "until_year": {"2020"}, "reason": {""}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad suspension: %d", bad.StatusCode)
	}
	if n := mustDoc(t, bad.Body).Find(".error-summary a").Length(); n != 2 {
		t.Errorf("%d errors for a bad date and no reason:\n%s", n, mustDoc(t, bad.Body).Find(".error-summary").Text())
	}
	ok := f.post(coord, "/courses/MO-ANT-20/suspensions", url.Values{"from_day": {"9"}, "from_month": {"3"}, "from_year": {"2020"},
		"until_day": {"15"}, "until_month": {"3"}, "until_year": {"2020"}, "reason": {"Lockdown"}})
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: %d\n%s", ok.StatusCode, excerpt(ok.Body))
	}
	sheet := f.get(teacher, f.sheetURL(2))
	if strings.Contains(sheet.Body, `id="attendance-form"`) || !strings.Contains(sheet.Body, "opgeschort") {
		t.Errorf("a suspended session's sheet:\n%s", excerpt(sheet.Body))
	}
	if res := f.post(teacher, f.sheetURL(2), url.Values{}); res.StatusCode != http.StatusConflict {
		t.Errorf("record a suspended session: %d", res.StatusCode)
	}
	if got := f.recorded(3); len(got) != 20 || got["LRN-01"] != traject.AttendanceExcused {
		t.Errorf("suspended session's marks: %v", got)
	}
}

func TestFollowUpPageAndNorm(t *testing.T) {
	f := newAttFixture(t)
	for _, i := range []int{0, 1} {
		if _, err := f.Store().RecordAttendance(f.admin, f.sessions[i].ID, []traject.AttendanceMark{{LearnerRef: "LRN-04", Status: traject.AttendanceAbsent}}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.as(attCounsellor)
	if res := f.get(c, "/followup"); strings.Contains(res.Body, "LRN-04") {
		t.Error("a course of 2020 is on the list of running courses")
	}
	res := f.get(c, "/followup?ended=1")
	doc := mustDoc(t, res.Body)
	if rows := doc.Find("table").First().Find("tbody tr"); rows.Length() != 1 || !strings.Contains(rows.Text(), "LRN-04") {
		t.Errorf("follow-up rows: %q", rows.Text())
	}
	if doc.Find(`form[action="/followup/norm"]`).Length() != 0 {
		t.Error("a counsellor sees the norm form")
	}
	admin := f.as("att-admin@example.org")
	bad := f.post(admin, "/followup/norm", url.Values{"percent": {"120"}, "valid_from_day": {"1"}, "valid_from_month": {"1"}, "valid_from_year": {"2020"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || mustDoc(t, bad.Body).Find(".error-summary a").Length() != 2 {
		t.Errorf("bad norm: %d", bad.StatusCode)
	}
	if res := f.post(f.as(attCoord), "/followup/norm", url.Values{"percent": {"70"}, "valid_from_day": {"1"}, "valid_from_month": {"1"}, "valid_from_year": {"2099"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a coordinator sets the norm: %d", res.StatusCode)
	}
	ok := f.post(admin, "/followup/norm", url.Values{"percent": {"70%"}, "valid_from_day": {"1"}, "valid_from_month": {"1"}, "valid_from_year": {"2099"}})
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("norm: %d\n%s", ok.StatusCode, excerpt(ok.Body))
	}
	if h, _ := f.Store().ParticipationNorms(f.admin); len(h) != 2 || h[1].Percent != 70 {
		t.Errorf("norms = %+v", h)
	}
}

func TestAttendanceAPI(t *testing.T) {
	f := newAttFixture(t)
	token := f.mustToken(f.mustUser("att-api@example.org", traject.RoleCoordinator, "ANT"))
	path := fmt.Sprintf("/api/v1/attendance?session=%d", f.sessions[0].ID)
	var sheet struct {
		Course   string
		Learners []struct{ Learner, Status string }
	}
	if res := f.apiJSON(token, http.MethodGet, path, "", &sheet); res.StatusCode != 200 || sheet.Course != "MO-ANT-20" || len(sheet.Learners) != 20 || sheet.Learners[0].Status != "" {
		t.Fatalf("get: %d %+v", res.StatusCode, sheet)
	}
	marks := make([]string, 0, 20)
	for i, ref := range f.learners {
		st := `"status":"present_online"`
		if i == 3 {
			st = `"status":"excused"`
		}
		marks = append(marks, `{"learner":"`+ref+`",`+st+`}`)
	}
	body := fmt.Sprintf(`{"session":%d,"marks":[%s]}`, f.sessions[0].ID, strings.Join(marks, ","))
	res := f.apiJSON(token, http.MethodPut, "/api/v1/attendance", body, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "body.marks[3].reason") {
		t.Errorf("excused without reason: %d %s", res.StatusCode, res.Body)
	}
	if got := f.recorded(0); len(got) != 0 {
		t.Errorf("a refused list saved %d marks", len(got))
	}
	body = strings.Replace(body, `"status":"excused"`, `"status":"excused","reason":"device_failure"`, 1)
	var saved struct{ Changed int }
	if res := f.apiJSON(token, http.MethodPut, "/api/v1/attendance", body, &saved); res.StatusCode != 200 || saved.Changed != 20 {
		t.Errorf("put: %d %s", res.StatusCode, res.Body)
	}
	var p struct {
		Norm     int
		Reach    map[string]int
		Learners []struct {
			Learner      string
			AgencyCaused int `json:"agency_caused"`
		}
	}
	if res := f.apiJSON(token, http.MethodGet, "/api/v1/courses/MO-ANT-20/participation", "", &p); res.StatusCode != 200 ||
		p.Norm != 80 || p.Reach["reached_online"] != 19 || p.Learners[3].AgencyCaused != 1 {
		t.Errorf("participation: %d %+v", res.StatusCode, p)
	}
	var su struct{ ID int64 }
	if res := f.apiJSON(token, http.MethodPost, "/api/v1/courses/MO-ANT-20/suspensions", `{"from":"2020-03-16","until":"2020-03-20","reason":"Lockdown"}`, &su); res.StatusCode != 201 || su.ID == 0 {
		t.Errorf("suspend: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(token, http.MethodPost, "/api/v1/courses/MO-ANT-20/suspensions", `{"from":"16/3","until":"2020-03-20","reason":"x"}`, nil); res.StatusCode != 422 {
		t.Errorf("bad date: %d", res.StatusCode)
	}
	var list struct{ Items []struct{ Learner string } }
	if res := f.apiJSON(token, http.MethodGet, "/api/v1/followup?ended=true", "", &list); res.StatusCode != 200 {
		t.Errorf("follow-up: %d %s", res.StatusCode, res.Body)
	}
	teacher := f.mustToken(f.mustUser("att-api-teacher@example.org", traject.RoleTeacher, "ANT"))
	if res := f.apiJSON(teacher, http.MethodGet, path, "", nil); res.StatusCode != 404 {
		t.Errorf("another teacher reads the sheet: %d", res.StatusCode)
	}
}

// TestAttendancePagesInEveryLanguage opens the attendance pages, and their
// error states, in nl, en, fr and ar: no untranslated key, one h1, the
// error prefix in the title.
func TestAttendancePagesInEveryLanguage(t *testing.T) {
	f := newAttFixture(t)
	if _, err := f.Store().RecordAttendance(f.admin, f.sessions[1].ID, []traject.AttendanceMark{
		{LearnerRef: f.learners[0], Status: traject.AttendanceAbsent},
		{LearnerRef: f.learners[1], Status: traject.AttendanceExcused, Reason: traject.ExcuseNoData}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Store().SuspendCourse(f.admin, "MO-ANT-20", &traject.CourseSuspension{From: invDate("2020-03-16"), Until: invDate("2020-03-16"), Reason: "Staking"}); err != nil {
		t.Fatal(err)
	}
	admin := f.as("att-admin@example.org")
	for _, lang := range i18n.Languages {
		for _, path := range []string{f.sheetURL(0), f.sheetURL(1), f.sheetURL(4), "/courses/MO-ANT-20/participation", "/followup?ended=1"} {
			res := f.get(admin, withLang(path, lang.Tag))
			t.Run(lang.Tag+path, func(t *testing.T) {
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d", res.StatusCode)
				}
				checkPageFrame(t, res.Body, lang, "")
			})
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{f.sheetURL(0), url.Values{"status-1": {"excused"}}},
			{"/courses/MO-ANT-20/suspensions", url.Values{"reason": {""}}},
			{"/followup/norm", url.Values{"percent": {"0"}}},
		} {
			res := f.post(admin, withLang(post.path, lang.Tag), post.form)
			t.Run(lang.Tag+post.path, func(t *testing.T) {
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", res.StatusCode)
				}
				doc := checkPageFrame(t, res.Body, lang, "")
				if doc.Find(".error-summary").Length() != 1 {
					t.Error("no error summary")
				}
				if title := doc.Find("title").Text(); !strings.HasPrefix(title, mustLocalizer(t, lang.Tag).T("error.prefix")) {
					t.Errorf("title %q lacks the error prefix", title)
				}
			})
		}
	}
}

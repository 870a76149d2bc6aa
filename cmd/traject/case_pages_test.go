package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/i18n"
	"traject/internal/report"
)

// caseFixture is a server with two enforcement officers, a coordinator and
// an analyst, a course in Antwerp with a suspension in October 2020, and
// two obliged learners: CASE-SUSP enrolled in the suspended course, CASE-OK
// with a draft file.
type casePageFixture struct {
	*testMain
	file *traject.InfractionFile
}

func newCasePageFixture(t *testing.T) *casePageFixture {
	t.Helper()
	tm := mustRun(t, "")
	admin := traject.NewContextWithUser(context.Background(), tm.mustUser("admin-case@example.org", traject.RoleAdmin, ""))
	enf := traject.NewContextWithUser(context.Background(), tm.mustUser("enf1@example.org", traject.RoleEnforcement, ""))
	tm.mustUser("enf2@example.org", traject.RoleEnforcement, "")
	tm.mustUser("coord-case@example.org", traject.RoleCoordinator, "ANT")
	tm.mustUser("analyst-case@example.org", traject.RoleAnalyst, "")
	s := tm.Store()
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: "CASE-MO-1", Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: "ANT", StartsOn: day(t, "2020-10-19"), EndsOn: day(t, "2020-11-12"),
		Capacity: 10, Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
	if err := s.CreateCourse(admin, c); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"CASE-SUSP", "CASE-OK"} {
		l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: day(t, "1990-01-01"), Language: "ar",
			RegionCode: "ANT", Obligation: traject.Obliged}
		if err := s.CreateLearner(admin, l); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Enrol(admin, "CASE-MO-1", "CASE-SUSP"); err != nil {
		t.Fatal(err)
	}
	if err := s.SuspendCourse(admin, "CASE-MO-1", &traject.CourseSuspension{From: day(t, "2020-10-26"), Until: day(t, "2020-10-30"), Reason: "Lockdown"}); err != nil {
		t.Fatal(err)
	}
	f, err := s.OpenFile(enf, &traject.FileOpening{LearnerRef: "CASE-OK", Type: traject.InfractionCourseAbandoned,
		From: day(t, "2020-10-19"), Until: day(t, "2020-11-12")})
	if err != nil {
		t.Fatal(err)
	}
	return &casePageFixture{testMain: tm, file: f}
}

func day(t testing.TB, s string) time.Time {
	d, ok := traject.ParseDate(s)
	if !ok {
		t.Fatalf("bad date %s", s)
	}
	return d
}

func (f *casePageFixture) as(email string) *http.Client {
	c := f.client()
	f.login(c, email)
	return c
}

// TestCasePagesGuardAndProcedure opens a file that the guard refuses, with
// its cause on the page; warns a file and prints its letter; and refuses a
// sign-off while the checklist fails.
func TestCasePagesGuardAndProcedure(t *testing.T) {
	f := newCasePageFixture(t)
	nl := mustLocalizer(t, "nl")
	c := f.as("enf1@example.org")
	for _, path := range []string{"/cases", "/cases/new", fmt.Sprintf("/cases/%d", f.file.ID), "/reports/fines?from=2020-01&to=2020-12"} {
		res := f.get(c, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, excerpt(res.Body))
		}
		checkPageFrame(t, res.Body, i18n.Languages[0], "")
	}
	form := url.Values{"learner": {"CASE-SUSP"}, "type": {"insufficient_participation"},
		"from_day": {"19"}, "from_month": {"10"}, "from_year": {"2020"}, "until_day": {"12"}, "until_month": {"11"}, "until_year": {"2020"}}
	res := f.post(c, "/cases", form)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("guarded open: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	doc := mustDoc(t, res.Body)
	if got := doc.Find(".notification li").Text(); !strings.Contains(got, nl.T("cause.course_suspended")) || !strings.Contains(got, "CASE-MO-1") {
		t.Errorf("the refusal does not name the suspension: %q", got)
	}
	if list := mustDoc(t, f.get(c, "/cases").Body); !strings.Contains(list.Find("#refusals ~ table").First().Text(), "CASE-SUSP") {
		t.Error("the refused attempt is not listed")
	}
	bad := url.Values{"learner": {"CASE-OK"}, "type": {"speeding"}, "from_day": {"31"}, "from_month": {"2"}, "from_year": {"2020"}}
	if res := f.post(c, "/cases", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#from"`) {
		t.Errorf("bad form: %d", res.StatusCode)
	}
	id := f.file.ID
	warn := url.Values{"on_day": {"1"}, "on_month": {"12"}, "on_year": {"2020"}}
	if res := f.post(c, fmt.Sprintf("/cases/%d/steps/warn", id), warn); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("warn: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	enf := traject.NewContextWithUser(context.Background(), &traject.User{Role: traject.RoleEnforcement, Active: true})
	ev, err := f.Store().FileEvidence(enf, id)
	if err != nil || len(ev.Letters) != 1 {
		t.Fatalf("letters: %+v, %v", ev, err)
	}
	pdf := f.get(c, fmt.Sprintf("/cases/%d/letters/%d", id, ev.Letters[0].ID))
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix([]byte(pdf.Body), []byte("%PDF")) {
		t.Errorf("letter PDF: %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	// No outreach call yet: the checklist fails and the sign-off is refused.
	res = f.post(c, fmt.Sprintf("/cases/%d/signoffs", id), nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, nl.T("case.signoff.checklist")) {
		t.Errorf("sign-off with a failing checklist: %d", res.StatusCode)
	}
	if res := f.post(c, fmt.Sprintf("/cases/%d/steps/refer", id), nil); res.StatusCode != http.StatusConflict {
		t.Errorf("refer without the checklist: %d", res.StatusCode)
	}
	if got, _ := f.Store().FileEvidence(enf, id); got.File.State != traject.FileWarningSent {
		t.Errorf("state after refused steps: %s", got.File.State)
	}
}

// TestCasePagesRights: a coordinator cannot open the files; an analyst reads
// the fines report only.
func TestCasePagesRights(t *testing.T) {
	f := newCasePageFixture(t)
	coord := f.as("coord-case@example.org")
	for _, path := range []string{"/cases", fmt.Sprintf("/cases/%d", f.file.ID)} {
		if res := f.get(coord, path); res.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator GET %s: %d", path, res.StatusCode)
		}
	}
	if res := f.post(coord, "/cases", url.Values{"learner": {"CASE-OK"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator POST /cases: %d", res.StatusCode)
	}
	analyst := f.as("analyst-case@example.org")
	if res := f.get(analyst, "/reports/fines?from=2020-01&to=2020-12"); res.StatusCode != http.StatusOK {
		t.Errorf("analyst fines report: %d", res.StatusCode)
	}
	if res := f.get(analyst, "/reports/fines?from=2020-12&to=2020-01"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reversed months: %d", res.StatusCode)
	}
	if res := f.get(analyst, "/cases"); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst GET /cases: %d", res.StatusCode)
	}
}

// TestReportFinesCommand runs the command body on the fixture's database.
func TestReportFinesCommand(t *testing.T) {
	f := newCasePageFixture(t)
	var out bytes.Buffer
	ctx := traject.NewContextWithActorLabel(context.Background(), traject.ActorCLI)
	if err := runFinesReport(ctx, f.Store(), finesOptions{From: "2020-01", To: "2020-03", Format: "csv"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), strings.Join(report.FinesColumns, ",")) || strings.Count(out.String(), "\nevent,") != 3 {
		t.Errorf("csv:\n%s", out.String())
	}
	if err := runFinesReport(ctx, f.Store(), finesOptions{From: "2020-01", To: "2020-03", Format: "pdf"}, &out); exitCode(err) != exitUsage {
		t.Errorf("unknown format: %v", err)
	}
	if err := runFinesReport(ctx, f.Store(), finesOptions{From: "2020-05", To: "2020-03"}, &out); traject.ErrorCode(err) != traject.EINVALID {
		t.Errorf("reversed months: %v", err)
	}
}

// TestCaseAPI opens a file through the API, is refused with every cause
// named, warns a file and reads the fines statistics.
func TestCaseAPI(t *testing.T) {
	f := newCasePageFixture(t)
	enf := f.mustToken(f.mustUser("enf-api@example.org", traject.RoleEnforcement, ""))
	coord := f.mustToken(f.mustUser("coord-api@example.org", traject.RoleCoordinator, "ANT"))
	res := f.apiJSON(enf, "POST", "/api/v1/cases", `{"learner":"CASE-SUSP","type":"insufficient_participation","from":"2020-10-19","until":"2020-11-12"}`, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, `"causes[0]"`) || !strings.Contains(res.Body, "CASE-MO-1") {
		t.Fatalf("guarded open: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(enf, "POST", "/api/v1/cases", `{"learner":"CASE-OK","type":"course_abandoned","from":"2020-13-01","until":"2020-11-12"}`, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d %s", res.StatusCode, res.Body)
	}
	var file traject.InfractionFile
	res = f.apiJSON(enf, "POST", fmt.Sprintf("/api/v1/cases/%d/steps/warn", f.file.ID), `{"on":"2020-12-01"}`, &file)
	if res.StatusCode != http.StatusOK || file.State != traject.FileWarningSent || file.WarningDeadline.Format(traject.DateLayout) != "2020-12-31" {
		t.Fatalf("warn: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(enf, "POST", fmt.Sprintf("/api/v1/cases/%d/steps/refer", f.file.ID), `{}`, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("refer without checklist and sign-offs: %d %s", res.StatusCode, res.Body)
	}
	var got struct {
		Checklist []traject.CheckItem `json:"checklist"`
		NextSteps []string            `json:"next_steps"`
	}
	if res := f.apiJSON(enf, "GET", fmt.Sprintf("/api/v1/cases/%d", f.file.ID), "", &got); res.StatusCode != http.StatusOK || len(got.Checklist) != 5 || len(got.NextSteps) != 2 {
		t.Errorf("get case: %d %+v", res.StatusCode, got)
	}
	if res := f.apiJSON(coord, "GET", "/api/v1/cases", "", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator lists files: %d", res.StatusCode)
	}
	var st traject.FineStats
	if res := f.apiJSON(coord, "GET", "/api/v1/fines/statistics?from=2020-10&to=2020-12", "", &st); res.StatusCode != http.StatusOK || len(st.ByEvent) != 3 {
		t.Errorf("statistics: %d %s", res.StatusCode, res.Body)
	}
	// The same figures as the fines report, beside the other reports.
	var rep traject.FineStats
	if res := f.apiJSON(coord, "GET", "/api/v1/reports/fines?from=2020-10&to=2020-12", "", &rep); res.StatusCode != http.StatusOK || !reflect.DeepEqual(rep, st) {
		t.Errorf("reports/fines: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(coord, "GET", "/api/v1/reports/fines?from=2020-13&to=2020-12", "", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reports/fines with a bad month: %d", res.StatusCode)
	}
}

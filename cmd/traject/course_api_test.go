package main

import (
	"net/http"
	"strings"
	"testing"

	"traject"
	"traject/internal/i18n"
	"traject/internal/store/storetest"
)

// courseJSON is a course as the API answers it.
type courseJSON struct {
	Ref, Kind, Language, Mode, Track, Region, Office, Teacher string
	ID                                                        int64
	StartsOn                                                  string `json:"starts_on"`
	Weekdays                                                  string
	StartTime                                                 string `json:"start_time"`
	Capacity                                                  int
	Enrolled                                                  *int `json:"enrolled_count"`
	Waiting                                                   *int `json:"waiting_count"`
}

// TestAPICourses creates a course, reads it and its sessions, pages the list
// as each role sees it, enrols learners up to the waiting list and
// withdraws one; every refusal is a problem document that changes nothing.
func TestAPICourses(t *testing.T) {
	f := newCrsFixture(t)
	admin, coordANT, coordBRU := f.mustToken(mustUserByEmail(t, f, crsAdmin)), f.mustToken(mustUserByEmail(t, f, crsCoordANT)), f.mustToken(mustUserByEmail(t, f, crsCoordBRU))
	teacher, enforcer := f.mustToken(mustUserByEmail(t, f, crsTeacher)), f.mustToken(mustUserByEmail(t, f, crsEnforcer))

	body := `{"ref":"API-1","kind":"digital_pretrack","language":"NL","mode":"onsite","track":"basic","region":"Antwerpen",
		"office":"Antwerpen","teacher":"crs-teacher@example.org","starts_on":"2020-10-19","ends_on":"2020-10-30","capacity":1,
		"weekdays":"mon+wed+fri","start_time":"13:30","end_time":"15:30"}`
	var c courseJSON
	res := f.apiJSON(coordANT, "POST", "/api/v1/courses", body, &c)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/courses/API-1" || c.ID == 0 ||
		c.Language != "nl" || c.Region != "ANT" || c.Office != "Antwerpen" || c.Teacher != crsTeacher || c.Weekdays != "mon+wed+fri" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	for name, tt := range map[string]struct {
		token, body string
		status      int
		want        string
	}{
		"taken ref":        {coordANT, body, 422, "A course with reference API-1 already exists"},
		"other region":     {coordBRU, strings.Replace(body, `"API-1"`, `"API-2"`, 1), 403, "only in your own region"},
		"teacher":          {teacher, body, 403, ""},
		"bad date":         {coordANT, strings.Replace(body, `"2020-10-19"`, `"19/10/2020"`, 1), 422, "body.starts_on"},
		"bad weekdays":     {coordANT, strings.Replace(body, `"mon+wed+fri"`, `"ma+wo"`, 1), 422, "body.weekdays"},
		"capacity zero":    {coordANT, strings.Replace(body, `"capacity":1`, `"capacity":0`, 1), 422, "capacity"},
		"unknown teacher":  {coordANT, strings.Replace(strings.Replace(body, "crs-teacher@", "nobody@", 1), `"API-1"`, `"API-3"`, 1), 422, "body.teacher"},
		"hours, no days":   {coordANT, strings.Replace(strings.Replace(body, `"mon+wed+fri"`, `""`, 1), `"API-1"`, `"API-3"`, 1), 422, "body.weekdays"},
		"broken JSON":      {coordANT, `{"ref":`, 400, ""},
		"unknown language": {coordANT, strings.Replace(strings.Replace(body, `"NL"`, `"xx"`, 1), `"API-1"`, `"API-3"`, 1), 422, "body.language"},
	} {
		res := f.apiJSON(tt.token, "POST", "/api/v1/courses", tt.body, nil)
		if res.StatusCode != tt.status || !strings.Contains(res.Body, tt.want) {
			t.Errorf("%s: %d %s", name, res.StatusCode, res.Body)
		}
		checkProblem(t, res)
	}

	var sessions struct {
		Items []struct {
			ID       int64
			StartsAt string `json:"starts_at"`
			Mode     string
		} `json:"items"`
	}
	if res := f.apiJSON(teacher, "GET", "/api/v1/courses/API-1/sessions", "", &sessions); res.StatusCode != 200 || len(sessions.Items) != 6 ||
		sessions.Items[0].StartsAt != "2020-10-19T13:30:00+02:00" || sessions.Items[3].StartsAt != "2020-10-26T13:30:00+01:00" || sessions.Items[0].Mode != "onsite" {
		t.Errorf("sessions: %d %s", res.StatusCode, res.Body)
	}
	for _, tt := range []struct {
		token, path string
		status      int
	}{
		{coordBRU, "/api/v1/courses/API-1", 404}, {coordBRU, "/api/v1/courses/API-1/sessions", 404},
		{enforcer, "/api/v1/courses", 403}, {teacher, "/api/v1/courses/MO-ANT-02", 404}, {teacher, "/api/v1/courses/API-1", 200},
		{admin, "/api/v1/courses?from=tomorrow", 422}, {admin, "/api/v1/courses?after=garbage", 422}, {admin, "/api/v1/courses?mode=hybrid", 422},
	} {
		if res := f.apiJSON(tt.token, "GET", tt.path, "", nil); res.StatusCode != tt.status {
			t.Errorf("GET %s: %d, want %d: %s", tt.path, res.StatusCode, tt.status, res.Body)
		}
	}

	refs := func(token, query string) []string {
		var out []string
		after := ""
		for {
			var page struct {
				Items []courseJSON `json:"items"`
				Next  string       `json:"next"`
			}
			path := "/api/v1/courses?limit=2" + query
			if after != "" {
				path += "&after=" + after
			}
			if res := f.apiJSON(token, "GET", path, "", &page); res.StatusCode != 200 {
				t.Fatalf("list: %d %s", res.StatusCode, res.Body)
			}
			for _, c := range page.Items {
				out = append(out, c.Ref)
				if c.Enrolled == nil || c.Waiting == nil {
					t.Errorf("%s: no counts in the list", c.Ref)
				}
			}
			if after = page.Next; after == "" {
				return out
			}
		}
	}
	for _, tt := range []struct{ token, query, want string }{
		{admin, "", "API-1 MO-ANT-01 MO-ANT-02 MO-BRU-01"},
		{coordANT, "", "API-1 MO-ANT-01 MO-ANT-02"},
		{coordBRU, "&region=ANT", ""},
		{teacher, "", "API-1 MO-ANT-01"},
		{admin, "&kind=digital_pretrack&language=nl", "API-1"},
	} {
		if got := strings.Join(refs(tt.token, tt.query), " "); got != tt.want {
			t.Errorf("list%s: %q, want %q", tt.query, got, tt.want)
		}
	}

	var e struct {
		Course, Learner, State string
		Position               int
	}
	if res := f.apiJSON(coordANT, "POST", "/api/v1/courses/API-1/enrolments", `{"learner":"L-1"}`, &e); res.StatusCode != 201 || e.State != "enrolled" ||
		res.Header.Get("Location") != "/api/v1/courses/API-1/enrolments" {
		t.Fatalf("enrol L-1: %d %s", res.StatusCode, res.Body)
	}
	for _, ref := range []string{"L-2", "L-3"} {
		if res := f.apiJSON(coordANT, "POST", "/api/v1/courses/API-1/enrolments", `{"learner":"`+ref+`"}`, &e); res.StatusCode != 201 || e.State != "waiting" {
			t.Fatalf("enrol %s: %d %s", ref, res.StatusCode, res.Body)
		}
	}
	if e.Position != 2 {
		t.Errorf("L-3 waits at position %d, want 2", e.Position)
	}
	for name, tt := range map[string]struct {
		token, body string
		status      int
	}{
		"twice":           {coordANT, `{"learner":"L-1"}`, 409},
		"unknown learner": {coordANT, `{"learner":"L-9"}`, 422},
		"teacher":         {teacher, `{"learner":"L-1"}`, 403},
		"other region":    {coordBRU, `{"learner":"L-BRU"}`, 404},
	} {
		if res := f.apiJSON(tt.token, "POST", "/api/v1/courses/API-1/enrolments", tt.body, nil); res.StatusCode != tt.status {
			t.Errorf("enrol %s: %d, want %d: %s", name, res.StatusCode, tt.status, res.Body)
		}
	}
	var promoted struct{ Promoted []string }
	if res := f.apiJSON(coordANT, "DELETE", "/api/v1/courses/API-1/enrolments/L-1?reason=moved", "", &promoted); res.StatusCode != 200 ||
		strings.Join(promoted.Promoted, ",") != "L-2" {
		t.Errorf("withdraw L-1: %d %s", res.StatusCode, res.Body)
	}
	if res := f.apiJSON(coordANT, "DELETE", "/api/v1/courses/API-1/enrolments/L-1", "", nil); res.StatusCode != 409 {
		t.Errorf("withdraw twice: %d", res.StatusCode)
	}
	var list struct {
		Items []struct {
			Learner, State string
			Position       int
		} `json:"items"`
	}
	if res := f.apiJSON(teacher, "GET", "/api/v1/courses/API-1/enrolments", "", &list); res.StatusCode != 200 || len(list.Items) != 2 ||
		list.Items[0].Learner != "L-2" || list.Items[1].Learner != "L-3" || list.Items[1].Position != 1 {
		t.Errorf("enrolments: %d %s", res.StatusCode, res.Body)
	}
}

func mustUserByEmail(t *testing.T, f *crsFixture, email string) *traject.User {
	t.Helper()
	u, err := f.Store().UserByEmail(f.admin, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const (
	coursesHeader = "ref,kind,language,mode,track,region,starts_on,ends_on,capacity,weekdays,start_time,end_time\n"
	coursesCSV    = coursesHeader +
		"MO-ANT-01,civic_orientation,ar,blended,standard,Antwerpen,2020-10-19,2020-11-12,12,mon+thu,9:00,12:00\n" +
		"DIG-BRU-01,digital_pretrack,fr,onsite,basic,BRU,2020-09-01,2020-09-30,8,,,\n"
	badCoursesCSV = coursesCSV + "MO-ANT-02,civic_orientation,ar,blended,standard,ANT,2020-10-19,2020-11-12,0,mon+thu,9:00,12:00\n"
)

// TestCLIImportCourses imports a file with a bad row (exit 1, the row
// named, nothing changed), then the fixed file, then the same file again.
func TestCLIImportCourses(t *testing.T) {
	db := storetest.SQLiteURL(t)
	vars := map[string]string{"TRAJECT_DB": db}
	good, bad := writeFile(t, "courses.csv", coursesCSV), writeFile(t, "bad.csv", badCoursesCSV)
	code, stdout, stderr := runCLI(t, vars, "", "import", "courses", bad)
	if code != exitRejected || stdout != "" || stderr != bad+":4: capacity: enter a capacity from 1 to 500\n"+
		"traject: "+bad+" was not imported: 1 row was rejected; nothing was changed\n" {
		t.Errorf("bad file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := runCLI(t, vars, "", "import", "courses", good, "--dry-run"); code != exitOK ||
		stdout != "checked 2 courses in "+good+": all good; nothing was changed (dry run)\n" {
		t.Errorf("dry run: %d %q", code, stdout)
	}
	if code, stdout, _ := runCLI(t, vars, "", "import", "courses", good); code != exitOK || stdout != "imported 2 courses from "+good+"\n" {
		t.Errorf("good file: %d %q", code, stdout)
	}
	if code, _, stderr := runCLI(t, vars, "", "import", "courses", good); code != exitRejected ||
		!strings.Contains(stderr, good+":2: ref: a course with reference MO-ANT-01 already exists") {
		t.Errorf("again: %d %q", code, stderr)
	}
	s := storetest.OpenURL(t, db)
	sessions, err := s.CourseSessions(traject.NewContextWithUser(t.Context(), &traject.User{Role: traject.RoleAdmin, Active: true}), "MO-ANT-01")
	if err != nil || len(sessions) != 8 {
		t.Errorf("imported course has %d sessions, %v; want 8", len(sessions), err)
	}
}

// TestAPIImportCourses posts a file with a bad row (422 naming it, nothing
// changed) and the fixed one; a role without courses:write is refused.
func TestAPIImportCourses(t *testing.T) {
	f := newCrsFixture(t)
	coord, teacher := bearer(f.mustToken(mustUserByEmail(t, f, crsCoordANT))), bearer(f.mustToken(mustUserByEmail(t, f, crsTeacher)))
	post := func(h http.Header, body string) *response {
		h = h.Clone()
		h.Set("Content-Type", "text/csv")
		return f.do(f.client(), http.MethodPost, "/api/v1/imports/courses", strings.NewReader(body), h)
	}
	file := strings.ReplaceAll(strings.ReplaceAll(badCoursesCSV, "MO-ANT-", "IMP-ANT-"), "DIG-BRU-01,digital_pretrack,fr,onsite,basic,BRU", "DIG-ANT-01,digital_pretrack,fr,onsite,basic,ANT")
	res := post(coord, file)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `"location":"line 4, capacity"`) {
		t.Fatalf("bad file: %d %s", res.StatusCode, res.Body)
	}
	checkProblem(t, res)
	if _, err := f.Store().Course(f.admin, "IMP-ANT-01"); traject.ErrorCode(err) != traject.ENOTFOUND {
		t.Errorf("a rejected file added IMP-ANT-01: %v", err)
	}
	if res := post(teacher, file); res.StatusCode != http.StatusForbidden {
		t.Errorf("teacher: %d", res.StatusCode)
	}
	good := strings.Join(strings.Split(file, "\n")[:3], "\n") + "\n"
	res = post(coord, good)
	if res.StatusCode != http.StatusOK || res.Body != `{"kind":"courses","dry_run":false,"rows":2,"imported":2}`+"\n" {
		t.Fatalf("good file: %d %s", res.StatusCode, res.Body)
	}
	if res := post(coord, strings.ReplaceAll(good, "IMP-", "BRU-IMP-")+"X-1,civic_orientation,ar,online,basic,BRU,2020-10-19,2020-11-12,5,,,\n"); res.StatusCode != 422 ||
		!strings.Contains(res.Body, "line 4, region") {
		t.Errorf("a row in another region: %d %s", res.StatusCode, res.Body)
	}
}

// TestWebImportCourses checks and imports a courses file on the import page,
// as a coordinator, and lands on the course list.
func TestWebImportCourses(t *testing.T) {
	f := newCrsFixture(t)
	coord := f.as(crsCoordANT)
	if form := f.get(coord, "/imports?kind=courses"); !strings.Contains(form.Body, `value="courses"`) {
		t.Error("the import page offers no courses to a coordinator")
	} else {
		checkPageFrame(t, form.Body, i18n.Languages[0], "")
	}
	file := strings.ReplaceAll(coursesCSV, "DIG-BRU-01,digital_pretrack,fr,onsite,basic,BRU", "DIG-ANT-01,digital_pretrack,fr,onsite,basic,ANT")
	file = strings.ReplaceAll(file, "MO-ANT-01", "WEB-ANT-01")
	if res := upload(t, f.testMain, coord, "courses", "courses.csv", strings.Replace(file, ",12,", ",0,", 1)); !strings.Contains(res.Body, "capacity") {
		t.Errorf("a bad file's check names no capacity problem:\n%s", excerpt(res.Body))
	}
	res := upload(t, f.testMain, coord, "courses", "courses.csv", file)
	checkPageFrame(t, res.Body, i18n.Languages[1], "")
	confirm(t, f.testMain, coord, "/courses")
	if body := f.get(coord, "/courses").Body; !strings.Contains(body, "WEB-ANT-01") || !strings.Contains(body, "DIG-ANT-01") {
		t.Errorf("imported courses not listed:\n%s", excerpt(body))
	}
}

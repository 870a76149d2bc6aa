package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"traject"
	"traject/internal/store/storetest"
)

// loanDesk is a running server with the people and things a loan needs.
type loanDesk struct {
	*testMain
	ctx context.Context // Traject itself, for fixtures
}

func newLoanDesk(tm *testMain) *loanDesk {
	return &loanDesk{testMain: tm, ctx: traject.NewContextWithActorLabel(context.Background(), "test")}
}

// device adds an in-stock device; a 4G one with an active SIM.
func (d *loanDesk) device(tag, region string, conn traject.Connectivity) {
	d.t.Helper()
	dev := &traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
		Connectivity: conn, RegionCode: region, State: traject.StateInStock}
	if conn == traject.Mobile {
		dev.SIM = &traject.SIM{ICCID: testICCID(tag)}
	}
	if err := d.store.CreateDevice(d.ctx, dev); err != nil {
		d.t.Fatalf("device %s: %v", tag, err)
	}
}

// testICCID makes a valid ICCID (Luhn check digit) from a tag.
func testICCID(tag string) string {
	n := uint64(0)
	for _, r := range tag {
		n = n*31 + uint64(r)
	}
	base := fmt.Sprintf("893200%012d", n%1_000_000_000_000)
	for c := 0; c < 10; c++ {
		if id := base + fmt.Sprint(c); traject.ValidICCID(id) {
			return id
		}
	}
	panic("no check digit")
}

func (d *loanDesk) learner(ref, region string) {
	d.t.Helper()
	birth, _ := traject.ParseDate("1990-01-01")
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: birth, Language: "ar",
		RegionCode: region, Obligation: traject.Obliged}
	if err := d.store.CreateLearner(d.ctx, l); err != nil {
		d.t.Fatalf("learner %s: %v", ref, err)
	}
}

// course adds a course in region from..until.
func (d *loanDesk) course(ref, region, from, until string) {
	d.t.Helper()
	w, _ := traject.ParseWeekdays("mon+thu")
	starts, _ := traject.ParseDate(from)
	ends, _ := traject.ParseDate(until)
	c := &traject.Course{Ref: ref, Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: region, StartsOn: starts, EndsOn: ends, Capacity: 20, Weekdays: w,
		StartTime: "09:00", EndTime: "12:00"}
	if err := d.store.CreateCourse(d.ctx, c); err != nil {
		d.t.Fatalf("course %s: %v", ref, err)
	}
}

// apiProblem is a problem document as a client reads it.
type apiProblem struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

func (p apiProblem) locations() string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return strings.Join(out, " ")
}

// problemOf reads res as a problem document and fails when it is not one.
func problemOf(t *testing.T, res *response) apiProblem {
	t.Helper()
	var p apiProblem
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%d answered %q, not a problem document: %s", res.StatusCode, ct, res.Body)
	}
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Errorf("problem %v in %s", err, res.Body)
	}
	return p
}

// apiLoan is a loan as a client decodes it.
type apiLoan struct {
	ID           int64  `json:"id"`
	State        string `json:"state"`
	AssetTag     string `json:"asset_tag"`
	Learner      string `json:"learner"`
	Course       string `json:"course"`
	Region       string `json:"region"`
	Connectivity string `json:"connectivity"`
	From         string `json:"from"`
	Until        string `json:"until"`
	Due          string `json:"due"`
	Accepted     bool   `json:"accepted"`
	HandedOutOn  string `json:"handed_out_on"`
	ReturnedOn   string `json:"returned_on"`
	Condition    string `json:"condition"`
}

func reserveBody(learner, tag, from, until string) string {
	b := fmt.Sprintf(`{"learner":%q,"course":"","region":"ANT","connectivity":"wifi","from":%q,"until":%q`, learner, from, until)
	if tag != "" {
		b += fmt.Sprintf(`,"asset_tag":%q`, tag)
	}
	return b + "}"
}

// TestAPILoans walks a loan through the API on both databases: reserve,
// the agreement, acceptance, hand-out, extension, swap, return, loss and
// cancellation, with each refusal changing nothing.
func TestAPILoans(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) { testAPILoans(t, mustRun(t, db.URL)) })
	}
}

func testAPILoans(t *testing.T, tm *testMain) {
	d := newLoanDesk(tm)
	admin := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	desk := tm.mustToken(tm.mustUser("desk.ant@example.org", traject.RoleDesk, "ANT"))
	bru := tm.mustToken(tm.mustUser("desk.bru@example.org", traject.RoleDesk, "BRU"))
	teacher := tm.mustToken(tm.mustUser("teacher@example.org", traject.RoleTeacher, "ANT"))
	d.device("CB-W01", "ANT", traject.WiFi)
	d.device("CB-W02", "ANT", traject.WiFi)
	for _, ref := range []string{"L-001", "L-002", "L-003"} {
		d.learner(ref, "ANT")
	}

	var l1 apiLoan
	res := tm.apiJSON(desk, "POST", "/api/v1/loans", reserveBody("L-001", "CB-W01", "2020-09-01", "2020-10-31"), &l1)
	if res.StatusCode != http.StatusCreated || l1.ID == 0 || l1.State != "reserved" || l1.AssetTag != "CB-W01" ||
		l1.Due != "2020-10-31" || l1.Accepted || res.Header.Get("Location") != fmt.Sprintf("/api/v1/loans/%d", l1.ID) {
		t.Fatalf("reserve: %d %s", res.StatusCode, res.Body)
	}
	for _, k := range []string{`"id"`, `"state"`, `"asset_tag"`, `"learner"`, `"region"`, `"connectivity"`, `"from"`, `"until"`, `"due"`, `"accepted"`} {
		if !strings.Contains(res.Body, k) {
			t.Errorf("the loan lacks %s: %s", k, res.Body)
		}
	}
	loanCount := func() int {
		var list struct{ Items []apiLoan }
		tm.apiJSON(admin, "GET", "/api/v1/loans?limit=500", "", &list)
		return len(list.Items)
	}

	// Overlapping days on the chosen device, then the free pool running out.
	res = tm.apiJSON(desk, "POST", "/api/v1/loans", reserveBody("L-002", "CB-W01", "2020-10-31", "2020-11-30"), nil)
	if p := problemOf(t, res); res.StatusCode != http.StatusConflict || p.Type != "urn:traject:problem:loan.device.taken" {
		t.Errorf("overlap on a chosen device: %d %s", res.StatusCode, res.Body)
	}
	var l2 apiLoan
	if res := tm.apiJSON(desk, "POST", "/api/v1/loans", reserveBody("L-002", "", "2020-09-15", "2020-10-15"), &l2); res.StatusCode != http.StatusCreated || l2.AssetTag != "CB-W02" {
		t.Fatalf("reserve from the pool: %d %s", res.StatusCode, res.Body)
	}
	res = tm.apiJSON(desk, "POST", "/api/v1/loans", reserveBody("L-003", "", "2020-10-01", "2020-10-02"), nil)
	if p := problemOf(t, res); res.StatusCode != http.StatusConflict || p.Type != "urn:traject:problem:loan.none_free" {
		t.Errorf("none free: %d %s", res.StatusCode, res.Body)
	}
	if n := loanCount(); n != 2 {
		t.Fatalf("%d loans after two refusals, want 2", n)
	}

	testReserveRefusals(t, tm, admin, desk, teacher)
	if n := loanCount(); n != 2 {
		t.Fatalf("%d loans after the refused inputs, want 2", n)
	}
	testLoanReads(t, tm, l1, admin, desk, bru, teacher)
	testLoanLifecycle(t, d, l1, l2, admin, desk)
	testLoanRequests(t, d, admin, desk, bru)
	testAgreementVersions(t, tm, admin, desk)
	testHostileLoanInputs(t, tm, admin, l1.ID)
}

// testReserveRefusals: each bad reservation names its fields, 4xx, problem+json.
func testReserveRefusals(t *testing.T, tm *testMain, admin, desk, teacher string) {
	for _, tc := range []struct {
		name, token, body string
		status            int
		locations         string
	}{
		{"garbage", desk, `{"learner":`, http.StatusBadRequest, ""},
		{"bad dates", desk, reserveBody("L-003", "", "01/09/2020", "2020-02-30"), 422, "body.from body.until"},
		{"until before from", desk, reserveBody("L-003", "", "2020-09-02", "2020-09-01"), 422, "body.until"},
		{"a year and more", desk, reserveBody("L-003", "", "2020-09-01", "2021-09-30"), 422, "body.until"},
		{"unknown learner", desk, reserveBody("L-999", "", "2020-09-01", "2020-09-30"), 422, "body.learner"},
		{"unknown device", desk, reserveBody("L-003", "CB-NOPE", "2020-09-01", "2020-09-30"), 422, "body.asset_tag"},
		{"unknown course", desk, `{"learner":"L-003","course":"C-NOPE","region":"ANT","connectivity":"wifi","from":"2020-09-01","until":"2020-09-30"}`, 422, "body.course"},
		{"empty fields", desk, `{"learner":"","course":"","region":"","connectivity":"wifi","from":"","until":""}`, 422, "body.learner body.region body.from"},
		{"5g", desk, `{"learner":"L-003","course":"","region":"ANT","connectivity":"5g","from":"2020-09-01","until":"2020-09-30"}`, 422, "body.connectivity"},
		{"missing keys", desk, `{"learner":"L-003"}`, 422, ""},
		{"unknown key", desk, `{"learner":"L-003","course":"","region":"ANT","connectivity":"wifi","from":"2020-09-01","until":"2020-09-30","price":1}`, 422, ""},
		{"learner of another region", admin, `{"learner":"L-003","course":"","region":"BRU","connectivity":"wifi","from":"2020-09-01","until":"2020-09-30"}`, 422, ""},
		{"no permission", teacher, reserveBody("L-003", "", "2020-09-01", "2020-09-30"), 403, ""},
		{"no token", "nope", reserveBody("L-003", "", "2020-09-01", "2020-09-30"), 401, ""},
	} {
		res := tm.apiJSON(tc.token, "POST", "/api/v1/loans", tc.body, nil)
		p := problemOf(t, res)
		if res.StatusCode != tc.status || (tc.locations != "" && p.locations() != tc.locations) {
			t.Errorf("%s: %d %s, want %d at %q", tc.name, res.StatusCode, res.Body, tc.status, tc.locations)
		}
	}
}

// testLoanReads: list filters, keyset pages and the region scope.
func testLoanReads(t *testing.T, tm *testMain, l1 apiLoan, admin, desk, bru, teacher string) {
	var page struct {
		Items []apiLoan
		Next  int64
	}
	if res := tm.apiJSON(desk, "GET", "/api/v1/loans?limit=1", "", &page); res.StatusCode != 200 || len(page.Items) != 1 || page.Next != l1.ID {
		t.Errorf("first page: %d %s", res.StatusCode, res.Body)
	}
	page.Next = 0
	if res := tm.apiJSON(desk, "GET", fmt.Sprintf("/api/v1/loans?limit=1&after=%d", l1.ID), "", &page); res.StatusCode != 200 || len(page.Items) != 1 || page.Next != 0 || page.Items[0].ID == l1.ID {
		t.Errorf("second page: %d %s", res.StatusCode, res.Body)
	}
	for query, want := range map[string]int{"learner=L-001": 1, "asset_tag=CB-W02": 1, "state=reserved": 2, "state=returned": 0, "region=BRU": 0, "course=C-NOPE": 0} {
		page.Items = nil
		if res := tm.apiJSON(admin, "GET", "/api/v1/loans?"+query, "", &page); res.StatusCode != 200 || len(page.Items) != want {
			t.Errorf("%s: %d loans, want %d: %s", query, len(page.Items), want, res.Body)
		}
	}
	page.Items = nil
	if res := tm.apiJSON(bru, "GET", "/api/v1/loans", "", &page); res.StatusCode != 200 || len(page.Items) != 0 {
		t.Errorf("another region's list: %d %s", res.StatusCode, res.Body)
	}
	for _, path := range []string{"", "/timeline", "/agreement", "/acceptance"} {
		if res := tm.apiJSON(bru, "GET", fmt.Sprintf("/api/v1/loans/%d%s", l1.ID, path), "", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("another region's loan%s: %d %s", path, res.StatusCode, res.Body)
		}
	}
	if res := tm.apiJSON(bru, "POST", fmt.Sprintf("/api/v1/loans/%d/cancel", l1.ID), `{"reason":"not mine"}`, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("cancelling another region's loan: %d %s", res.StatusCode, res.Body)
	}
	for _, path := range []string{"/api/v1/loans", fmt.Sprintf("/api/v1/loans/%d", l1.ID), "/api/v1/loan-requests", "/api/v1/agreement"} {
		if res := tm.apiJSON(teacher, "GET", path, "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("teacher GET %s: %d", path, res.StatusCode)
		}
	}
	var got apiLoan
	if res := tm.apiJSON(desk, "GET", fmt.Sprintf("/api/v1/loans/%d", l1.ID), "", &got); res.StatusCode != 200 || got != l1 {
		t.Errorf("get: %d %+v, want %+v", res.StatusCode, got, l1)
	}
	if res := tm.apiJSON(desk, "GET", "/api/v1/loans/999999", "", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown loan: %d", res.StatusCode)
	}
}

// testLoanLifecycle: agreement, acceptance, hand-out, extend, swap, return,
// loss and cancel; each refusal leaves the loan as it was.
func testLoanLifecycle(t *testing.T, d *loanDesk, l1, l2 apiLoan, admin, desk string) {
	tm := d.testMain
	path := func(l apiLoan, action string) string { return fmt.Sprintf("/api/v1/loans/%d/%s", l.ID, action) }
	get := func(l apiLoan) apiLoan {
		var got apiLoan
		tm.apiJSON(admin, "GET", fmt.Sprintf("/api/v1/loans/%d", l.ID), "", &got)
		return got
	}
	deviceState := func(tag string) string {
		var dev struct {
			State string
			SIM   *struct{ State string }
		}
		tm.apiJSON(admin, "GET", "/api/v1/devices/"+tag, "", &dev)
		if dev.SIM != nil {
			return dev.State + "/" + dev.SIM.State
		}
		return dev.State
	}
	checked := `{"on":"2020-09-01","checklist":{"device":true,"charger":true}}`

	// No hand-out without an acceptance of the version in force: 409, nothing changed.
	res := tm.apiJSON(desk, "POST", path(l1, "handout"), checked, nil)
	if p := problemOf(t, res); res.StatusCode != http.StatusConflict || p.Type != "urn:traject:problem:loan.handout.unaccepted" {
		t.Errorf("hand-out without acceptance: %d %s", res.StatusCode, res.Body)
	}
	if got := get(l1); got.State != "reserved" || got.HandedOutOn != "" || deviceState("CB-W01") != "in_stock" {
		t.Errorf("after the refused hand-out: %+v, device %s", got, deviceState("CB-W01"))
	}

	var text struct {
		Version  int    `json:"version"`
		Language string `json:"language"`
		NL       string `json:"nl"`
		Text     string `json:"text"`
		Hash     string `json:"text_sha256"`
	}
	if res := tm.apiJSON(desk, "GET", path(l1, "agreement?language=ar"), "", &text); res.StatusCode != 200 || text.Version != 1 ||
		text.Language != "ar" || !strings.Contains(text.NL, "CB-W01") || !strings.Contains(text.Text, "31-10-2020") ||
		text.Hash != traject.TextHash(text.NL+"\n\n---\n\n"+text.Text) {
		t.Fatalf("agreement: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "GET", path(l1, "agreement?language=de"), "", nil); res.StatusCode != 422 {
		t.Errorf("agreement in German: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name, body string
		status     int
		typ        string
	}{
		{"no proof", `{"language":"ar","method":"signature"}`, 422, ""},
		{"unknown method", `{"language":"ar","method":"telepathy","typed_name":"x"}`, 422, ""},
		{"paper without scan", `{"language":"ar","method":"paper"}`, 422, ""},
		{"scan not base64", `{"language":"ar","method":"paper","scan_base64":"%%%","scan_type":"application/pdf"}`, 422, ""},
		{"scan without type", `{"language":"ar","method":"paper","scan_base64":"JVBERi0="}`, 422, ""},
		{"another text", `{"language":"ar","method":"signature","typed_name":"Amal","text_sha256":"` + strings.Repeat("ab", 32) + `"}`, 409, "urn:traject:problem:acceptance.changed"},
	} {
		res := tm.apiJSON(desk, "POST", path(l1, "acceptance"), tc.body, nil)
		if p := problemOf(t, res); res.StatusCode != tc.status || p.Type != tc.typ && tc.typ != "" {
			t.Errorf("acceptance %s: %d %s", tc.name, res.StatusCode, res.Body)
		}
	}
	if get(l1).Accepted {
		t.Fatal("a refused acceptance was recorded")
	}
	var acc struct {
		Version  int    `json:"version"`
		Language string `json:"language"`
		Hash     string `json:"text_sha256"`
		Method   string `json:"method"`
		Witness  string `json:"witness"`
		At       string `json:"accepted_at"`
	}
	res = tm.apiJSON(desk, "POST", path(l1, "acceptance"), `{"language":"ar","method":"signature","typed_name":"Amal L-001","signature":"M 10 10 L 20 20","text_sha256":"`+text.Hash+`"}`, &acc)
	if res.StatusCode != http.StatusCreated || acc.Version != 1 || acc.Language != "ar" || acc.Hash != text.Hash || acc.Method != "signature" ||
		acc.Witness != "desk.ant@example.org" || acc.At == "" {
		t.Fatalf("acceptance: %d %s", res.StatusCode, res.Body)
	}
	var accs struct{ Items []struct{ Witness string } }
	if res := tm.apiJSON(desk, "GET", path(l1, "acceptance"), "", &accs); res.StatusCode != 200 || len(accs.Items) != 1 || accs.Items[0].Witness != "desk.ant@example.org" {
		t.Errorf("acceptances: %d %s", res.StatusCode, res.Body)
	}

	// Hand-out: the checklist first.
	if res := tm.apiJSON(desk, "POST", path(l1, "handout"), `{"on":"2020-09-01","checklist":{"device":true,"charger":false}}`, nil); res.StatusCode != 422 || problemOf(t, res).locations() != "body.charger" {
		t.Errorf("hand-out without the charger: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l1, "handout"), `{"on":"1 sept","checklist":{"device":true,"charger":true}}`, nil); res.StatusCode != 422 {
		t.Errorf("hand-out on a bad date: %d %s", res.StatusCode, res.Body)
	}
	var l apiLoan
	if res := tm.apiJSON(desk, "POST", path(l1, "handout"), checked, &l); res.StatusCode != 200 || l.State != "handed_out" || l.HandedOutOn != "2020-09-01" ||
		!l.Accepted || deviceState("CB-W01") != "on_loan" {
		t.Fatalf("hand-out: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l1, "handout"), checked, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("a second hand-out: %d %s", res.StatusCode, res.Body)
	}

	// Extension moves the due date only.
	for body, want := range map[string]int{
		`{"due":"2020-10-01","reason":"exam"}`: 409, `{"due":"2020-13-01","reason":"exam"}`: 422,
		`{"due":"2020-11-30","reason":""}`: 422, `{"due":"","reason":"exam"}`: 422,
	} {
		if res := tm.apiJSON(desk, "POST", path(l1, "extend"), body, nil); res.StatusCode != want {
			t.Errorf("extend %s: %d, want %d: %s", body, res.StatusCode, want, res.Body)
		}
	}
	if res := tm.apiJSON(desk, "POST", path(l1, "extend"), `{"due":"2020-11-30","reason":"exam retake"}`, &l); res.StatusCode != 200 ||
		l.Due != "2020-11-30" || l.Until != "2020-10-31" || l.From != "2020-09-01" {
		t.Errorf("extend: %d %s", res.StatusCode, res.Body)
	}

	// Swap: CB-W02 is reserved for l2's days; a new device is free.
	if res := tm.apiJSON(desk, "POST", path(l1, "swap"), `{"asset_tag":"CB-W02","reason":"screen"}`, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("swap to a reserved device: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l1, "swap"), `{"asset_tag":"CB-NOPE","reason":"screen"}`, nil); res.StatusCode != 422 || problemOf(t, res).locations() != "body.asset_tag" {
		t.Errorf("swap to an unknown device: %d %s", res.StatusCode, res.Body)
	}
	if got := get(l1); got.AssetTag != "CB-W01" {
		t.Errorf("a refused swap changed the device: %+v", got)
	}
	d.device("CB-W03", "ANT", traject.WiFi)
	if res := tm.apiJSON(desk, "POST", path(l1, "swap"), `{"asset_tag":"CB-W03","reason":"screen broken"}`, &l); res.StatusCode != 200 ||
		l.AssetTag != "CB-W03" || deviceState("CB-W01") != "in_repair" || deviceState("CB-W03") != "on_loan" {
		t.Errorf("swap: %d %s", res.StatusCode, res.Body)
	}

	// Return.
	if res := tm.apiJSON(desk, "POST", path(l1, "return"), `{"on":"2020-08-01","checklist":{"device":true,"charger":true},"condition":"good"}`, nil); res.StatusCode != 422 || problemOf(t, res).locations() != "body.on" {
		t.Errorf("return before hand-out: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l1, "return"), `{"on":"2020-11-02","checklist":{"device":true,"charger":true},"condition":"broken"}`, nil); res.StatusCode != 422 {
		t.Errorf("return in an unknown condition: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l1, "return"), `{"on":"2020-11-02","checklist":{"device":true,"charger":true},"condition":"damaged","note":"scratch"}`, &l); res.StatusCode != 200 ||
		l.State != "returned" || l.ReturnedOn != "2020-11-02" || l.Condition != "damaged" || deviceState("CB-W03") != "quarantine" {
		t.Errorf("return: %d %s", res.StatusCode, res.Body)
	}

	// Loss ends only a handed-out loan; cancel ends only a reservation.
	if res := tm.apiJSON(desk, "POST", path(l2, "lost"), `{"state":"stolen","on":"2020-09-20","note":"bag stolen"}`, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("loss of a reserved loan: %d %s", res.StatusCode, res.Body)
	}
	testLoss(t, d, desk, deviceState)
	if res := tm.apiJSON(desk, "POST", path(l2, "cancel"), `{"reason":""}`, nil); res.StatusCode != 422 || get(l2).State != "reserved" {
		t.Errorf("cancel without reason: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l2, "cancel"), `{"reason":"the learner found a laptop"}`, &l); res.StatusCode != 200 || l.State != "cancelled" {
		t.Errorf("cancel: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", path(l2, "cancel"), `{"reason":"again"}`, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("cancel twice: %d %s", res.StatusCode, res.Body)
	}

	var tl struct {
		Items []struct{ Action, Actor, Reason string }
	}
	if res := tm.apiJSON(desk, "GET", path(l1, "timeline"), "", &tl); res.StatusCode != 200 {
		t.Fatalf("timeline: %d %s", res.StatusCode, res.Body)
	}
	var actions []string
	for _, e := range tl.Items {
		actions = append(actions, e.Action)
	}
	if got, want := strings.Join(actions, " "), "loan.return loan.swap loan.extend loan.handout loan.accept loan.reserve"; got != want {
		t.Errorf("timeline: %s, want %s", got, want)
	}
}

// testLoss: a stolen 4G device ends its loan and its SIM is suspended.
func testLoss(t *testing.T, d *loanDesk, desk string, deviceState func(string) string) {
	tm := d.testMain
	d.device("CB-G01", "ANT", traject.Mobile)
	d.learner("L-004", "ANT")
	var l apiLoan
	res := tm.apiJSON(desk, "POST", "/api/v1/loans", `{"learner":"L-004","course":"","region":"Antwerpen","connectivity":"4g","from":"2020-09-01","until":"2020-09-30"}`, &l)
	if res.StatusCode != http.StatusCreated || l.AssetTag != "CB-G01" || l.Region != "ANT" {
		t.Fatalf("reserve 4G: %d %s", res.StatusCode, res.Body)
	}
	base := fmt.Sprintf("/api/v1/loans/%d/", l.ID)
	scan := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 signed on paper"))
	if res := tm.apiJSON(desk, "POST", base+"acceptance", `{"language":"fr","method":"paper","scan_base64":"`+scan+`","scan_type":"application/pdf"}`, nil); res.StatusCode != 201 {
		t.Fatalf("paper acceptance: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", base+"handout", `{"checklist":{"device":true,"charger":true}}`, nil); res.StatusCode != 422 || problemOf(t, res).locations() != "body.sim" {
		t.Errorf("4G hand-out without the SIM: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", base+"handout", `{"checklist":{"device":true,"charger":true,"sim":true}}`, nil); res.StatusCode != 200 {
		t.Fatalf("4G hand-out: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", base+"lost", `{"state":"lost","on":"2020-09-20","note":""}`, nil); res.StatusCode != 422 {
		t.Errorf("loss without a note: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(desk, "POST", base+"lost", `{"state":"stolen","on":"2020-09-20","note":"bag stolen on the tram"}`, &l); res.StatusCode != 200 ||
		l.State != "stolen" || deviceState("CB-G01") != "stolen/suspended" {
		t.Errorf("stolen: %d %s, device %s", res.StatusCode, res.Body, deviceState("CB-G01"))
	}
}

// testLoanRequests: a request is allocated at once when a device is free,
// else it waits in the queue, with the transfers other regions could make.
func testLoanRequests(t *testing.T, d *loanDesk, admin, desk, bru string) {
	tm := d.testMain
	d.course("C-ANT", "ANT", "2020-12-01", "2021-01-31")
	d.device("CB-B01", "BRU", traject.WiFi)
	var req struct {
		Ref, State string
		LoanID     int64 `json:"loan_id"`
		Loan       *apiLoan
	}
	res := tm.apiJSON(desk, "POST", "/api/v1/loan-requests", `{"learner":"L-001","course":"C-ANT","need":"wifi","channel":"desk"}`, &req)
	if res.StatusCode != http.StatusCreated || req.State != "allocated" || req.Loan == nil || req.Loan.ID != req.LoanID ||
		req.Loan.From != "2020-12-01" || req.Loan.Until != "2021-01-31" || res.Header.Get("Location") != "/api/v1/loan-requests/"+req.Ref {
		t.Fatalf("allocated request: %d %s", res.StatusCode, res.Body)
	}
	// CB-W02 is free again (its reservation was cancelled); then none is.
	if res := tm.apiJSON(desk, "POST", "/api/v1/loan-requests", `{"learner":"L-002","course":"C-ANT","need":"wifi","channel":"phone"}`, &req); res.StatusCode != 201 || req.State != "allocated" {
		t.Fatalf("second request: %d %s", res.StatusCode, res.Body)
	}
	req.Loan = nil
	if res := tm.apiJSON(desk, "POST", "/api/v1/loan-requests", `{"learner":"L-003","course":"C-ANT","need":"wifi","channel":"counsellor"}`, &req); res.StatusCode != 201 ||
		req.State != "waiting" || req.Loan != nil || strings.Contains(res.Body, `"loan"`) {
		t.Fatalf("waiting request: %d %s", res.StatusCode, res.Body)
	}
	waiting := req.Ref
	for name, tc := range map[string]struct {
		body      string
		status    int
		locations string
	}{
		"duplicate":       {`{"learner":"L-003","course":"C-ANT","need":"wifi","channel":"desk"}`, 409, ""},
		"unknown course":  {`{"learner":"L-003","course":"C-NOPE","need":"wifi","channel":"desk"}`, 422, "body.course"},
		"unknown learner": {`{"learner":"L-NOPE","course":"C-ANT","need":"wifi","channel":"desk"}`, 422, "body.learner"},
		"bad channel":     {`{"learner":"L-003","course":"C-ANT","need":"wifi","channel":"pigeon"}`, 422, "body.channel"},
		"bad need":        {`{"learner":"L-003","course":"C-ANT","need":"5g","channel":"desk"}`, 422, "body.need"},
		"garbage":         {`[1,2`, 400, ""},
	} {
		res := tm.apiJSON(desk, "POST", "/api/v1/loan-requests", tc.body, nil)
		if p := problemOf(t, res); res.StatusCode != tc.status || tc.locations != "" && p.locations() != tc.locations {
			t.Errorf("request %s: %d %s", name, res.StatusCode, res.Body)
		}
	}
	var q struct {
		Items []struct {
			Ref      string
			Position int
		}
		Transfers []struct {
			Request    string
			FromRegion string `json:"from_region"`
			ToRegion   string `json:"to_region"`
			Free       int
		}
	}
	if res := tm.apiJSON(desk, "GET", "/api/v1/loan-requests", "", &q); res.StatusCode != 200 || len(q.Items) != 1 || q.Items[0].Ref != waiting ||
		q.Items[0].Position != 1 || len(q.Transfers) != 1 || q.Transfers[0].FromRegion != "BRU" || q.Transfers[0].ToRegion != "ANT" || q.Transfers[0].Free != 1 {
		t.Errorf("queue: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(bru, "GET", "/api/v1/loan-requests", "", &q); res.StatusCode != 200 || len(q.Items) != 0 {
		t.Errorf("BRU queue: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(bru, "GET", "/api/v1/loan-requests/"+waiting, "", nil); res.StatusCode != 404 {
		t.Errorf("another region's request: %d", res.StatusCode)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/loan-requests/"+waiting, "", &req); res.StatusCode != 200 || req.State != "waiting" {
		t.Errorf("request: %d %s", res.StatusCode, res.Body)
	}
}

// testAgreementVersions: only administrators publish; a new version needs a
// new acceptance; a wrong template is refused naming its language.
func testAgreementVersions(t *testing.T, tm *testMain, admin, desk string) {
	var a struct {
		Version int
		Texts   map[string]string
	}
	if res := tm.apiJSON(desk, "GET", "/api/v1/agreement", "", &a); res.StatusCode != 200 || a.Version != 1 || len(a.Texts) != 4 || a.Texts["nl"] == "" {
		t.Fatalf("agreement: %d %s", res.StatusCode, res.Body)
	}
	body := `{"texts":{"nl":"Ik, {learner}, leen {device} tot {due}.","en":"I, {learner}, borrow {device} until {due}."}}`
	if res := tm.apiJSON(desk, "POST", "/api/v1/agreement", body, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a desk publishes: %d", res.StatusCode)
	}
	for name, tc := range map[string]struct {
		body, locations string
	}{
		"unknown placeholder": {`{"texts":{"nl":"Ik, {naam}.","en":"I, {learner}."}}`, "body.texts.nl"},
		"no Dutch":            {`{"texts":{"en":"I, {learner}."}}`, "body.texts.nl"},
		"unknown language":    {`{"texts":{"nl":"Ik.","de":"Ich."}}`, "body.texts.de"},
	} {
		res := tm.apiJSON(admin, "POST", "/api/v1/agreement", tc.body, nil)
		if p := problemOf(t, res); res.StatusCode != 422 || p.locations() != tc.locations {
			t.Errorf("publish %s: %d %s", name, res.StatusCode, res.Body)
		}
	}
	if res := tm.apiJSON(admin, "POST", "/api/v1/agreement", body, &a); res.StatusCode != http.StatusCreated || a.Version != 2 {
		t.Fatalf("publish: %d %s", res.StatusCode, res.Body)
	}
	var list struct{ Items []apiLoan }
	tm.apiJSON(admin, "GET", "/api/v1/loans?state=reserved", "", &list)
	if len(list.Items) == 0 {
		t.Fatal("no reserved loan left to check")
	}
	for _, l := range list.Items {
		if l.Accepted {
			t.Errorf("loan %d counts as accepted under a version it never saw", l.ID)
		}
	}
	a.Texts = nil // Unmarshal would merge into the old map
	if res := tm.apiJSON(admin, "GET", "/api/v1/agreement", "", &a); a.Version != 2 || len(a.Texts) != 2 || a.Texts["fr"] != "" {
		t.Errorf("agreement after publishing: %d %s", res.StatusCode, res.Body)
	}
}

// testHostileLoanInputs throws odd bodies and paths at every loan operation:
// each must be answered below 500, with a problem document when refused.
func testHostileLoanInputs(t *testing.T, tm *testMain, admin string, id int64) {
	bodies := []string{
		``, `null`, `[]`, `"x"`, `12`, `{`, `{}`, `{"learner":{"$ne":1}}`, `{"learner":null,"from":null}`,
		`{"learner":"L-001","course":"","region":"ANT","connectivity":"wifi","from":"0001-01-01","until":"0001-01-02"}`,
		`{"learner":"L-001","course":"","region":"ANT","connectivity":"wifi","from":"9999-12-31","until":"9999-12-31"}`,
		`{"learner":"L-001","course":"","region":"ANT","connectivity":"wifi","from":"2020-09-01","until":"2020-09-02","asset_tag":"x' OR '1'='1"}`,
		`{"learner":"` + strings.Repeat("é", 5000) + `","course":"","region":"ANT","connectivity":"wifi","from":"2020-09-01","until":"2020-09-02"}`,
		"{\"learner\":\"L-\xff\xfe\",\"course\":\"\",\"region\":\"ANT\",\"connectivity\":\"wifi\",\"from\":\"2020-09-01\",\"until\":\"2020-09-02\"}",
		`{"on":"2020-09-01","checklist":{"device":"yes","charger":1}}`, `{"due":"9999-12-31","reason":"` + strings.Repeat("x", 600) + `"}`,
		`{"state":"returned","on":"2020-01-01","note":"x"}`, `{"asset_tag":"` + strings.Repeat("A", 40) + `","reason":"x"}`,
		`{"language":"ar","method":"signature","typed_name":"\u0000"}`, `{"texts":{"nl":"{","ar":"}"}}`,
		`{"learner":"L-001","course":"C-ANT","need":"wifi","channel":"desk","extra":[` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `]}`,
		strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000),
	}
	paths := []string{"/api/v1/loans", "/api/v1/loan-requests", "/api/v1/agreement"}
	for _, action := range []string{"acceptance", "handout", "return", "extend", "swap", "lost", "cancel"} {
		paths = append(paths, fmt.Sprintf("/api/v1/loans/%d/%s", id, action), "/api/v1/loans/0/"+action,
			"/api/v1/loans/99999999999999999999/"+action, "/api/v1/loans/-1/"+action, "/api/v1/loans/abc/"+action)
	}
	for _, p := range paths {
		for i, b := range bodies {
			res := tm.apiJSON(admin, "POST", p, b, nil)
			if res.StatusCode >= 500 {
				t.Errorf("POST %s body %d: %d %s", p, i, res.StatusCode, res.Body)
			}
			if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("POST %s body %d: %d as %q", p, i, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	}
	for _, q := range []string{"/api/v1/loans?after=-1", "/api/v1/loans?limit=0", "/api/v1/loans?state=gone", "/api/v1/loans?learner=" + strings.Repeat("x", 40),
		"/api/v1/loans/1/agreement?language=%00", "/api/v1/loan-requests?region=XX", "/api/v1/loan-requests/%20", "/api/v1/loans/1e3"} {
		if res := tm.apiJSON(admin, "GET", q, "", nil); res.StatusCode >= 500 || res.StatusCode == 200 && strings.Contains(q, "gone") {
			t.Errorf("GET %s: %d %s", q, res.StatusCode, res.Body)
		}
	}
}

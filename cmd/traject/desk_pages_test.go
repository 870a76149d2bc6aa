package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/i18n"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// deskFixture is a running server with desk staff in Antwerp and Brussels, a
// course in Antwerp, three learners and a few devices: one Wi-Fi device in
// stock and one in repair in Antwerp, a 4G device in Antwerp, and a Wi-Fi
// device in Brussels (which the queue suggests to transfer).
type deskFixture struct {
	*testMain
	admin context.Context
}

// The accounts of the fixture.
const (
	deskAdmin   = "desk-admin@example.org"
	deskANT     = "desk-ant@example.org"
	deskBRU     = "desk-bru@example.org"
	deskAnalyst = "desk-analyst@example.org"
	deskTeacher = "desk-teacher@example.org"
)

func newDeskFixture(t *testing.T, dbURL string) *deskFixture {
	t.Helper()
	tm := mustRun(t, dbURL)
	admin := tm.mustUser(deskAdmin, traject.RoleAdmin, "")
	tm.mustUser(deskANT, traject.RoleDesk, "ANT")
	tm.mustUser(deskBRU, traject.RoleDesk, "BRU")
	tm.mustUser(deskAnalyst, traject.RoleAnalyst, "")
	tm.mustUser(deskTeacher, traject.RoleTeacher, "ANT")
	f := &deskFixture{testMain: tm, admin: traject.NewContextWithUser(context.Background(), admin)}
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: "MO-ANT-01", Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: "ANT", StartsOn: invDate("2020-10-19"), EndsOn: invDate("2020-11-12"),
		Capacity: 10, Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
	if err := tm.Store().CreateCourse(f.admin, c); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][2]string{{"L-1", "ANT"}, {"L-2", "ANT"}, {"L-3", "ANT"}, {"L-BRU", "BRU"}} {
		le := &traject.Learner{Ref: l[0], FirstName: "Samira", LastName: "Learner " + l[0], BirthDate: invDate("1988-05-05"),
			Language: "ar", RegionCode: l[1], Obligation: traject.Obliged}
		if err := tm.Store().CreateLearner(f.admin, le); err != nil {
			t.Fatal(err)
		}
	}
	f.device("CB-A001", "ANT", traject.WiFi, traject.StateInStock)
	f.device("CB-A002", "ANT", traject.WiFi, traject.StateInRepair)
	f.device("CB-A003", "ANT", traject.Mobile, traject.StateInStock)
	f.device("CB-B001", "BRU", traject.WiFi, traject.StateInStock)
	return f
}

func (f *deskFixture) device(tag, region string, conn traject.Connectivity, state traject.DeviceState) {
	f.t.Helper()
	d := &traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
		Connectivity: conn, RegionCode: region, State: state}
	if conn == traject.Mobile {
		d.SIM = &traject.SIM{ICCID: invICCID(len(tag)), BundleUntil: invDate("2021-12-31")}
	}
	if err := f.Store().CreateDevice(f.admin, d); err != nil {
		f.t.Fatalf("create %s: %v", tag, err)
	}
}

func (f *deskFixture) as(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	f.login(c, email)
	return c
}

// loan reads a loan as the admin sees it.
func (f *deskFixture) loan(id int64) *traject.Loan {
	f.t.Helper()
	l, err := f.Store().Loan(f.admin, id)
	if err != nil {
		f.t.Fatalf("loan %d: %v", id, err)
	}
	return l
}

// deviceState reads a device's state as the admin sees it.
func (f *deskFixture) deviceState(tag string) traject.DeviceState {
	f.t.Helper()
	d, err := f.Store().Device(f.admin, tag)
	if err != nil {
		f.t.Fatal(err)
	}
	return d.State
}

// reserve makes a reserved loan through the store, for the pages to act on.
func (f *deskFixture) reserve(learner, tag string, conn traject.Connectivity) *traject.Loan {
	f.t.Helper()
	l, err := f.Store().Reserve(f.admin, traject.Reservation{LearnerRef: learner, CourseRef: "MO-ANT-01", RegionCode: "ANT",
		Connectivity: conn, From: invDate("2020-10-19"), Until: invDate("2020-11-12"), AssetTag: tag})
	if err != nil {
		f.t.Fatalf("reserve %s: %v", tag, err)
	}
	return l
}

// postMultipart submits a multipart form, as the acceptance form is sent.
func (f *deskFixture) postMultipart(c *http.Client, path string, fields map[string]string, file, fileName string, content []byte) *response {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != "" {
		w, _ := mw.CreateFormFile(file, fileName)
		_, _ = w.Write(content)
	}
	_ = mw.Close()
	return f.do(c, http.MethodPost, path, &body, http.Header{"Content-Type": {mw.FormDataContentType()}, "Sec-Fetch-Site": {"same-origin"}})
}

// summaryLinks returns the fields the error summary of a page links to.
func summaryLinks(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	mustDoc(t, body).Find(`.error-summary a`).Each(func(_ int, a *goquery.Selection) {
		out = append(out, strings.TrimPrefix(a.AttrOr("href", ""), "#"))
	})
	return out
}

// wantRefused checks a refused form: the status, the error summary linking
// to exactly the fields given (each present on the page), and the message of
// key in it.
func wantRefused(t *testing.T, res *response, status int, key string, fields ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d\n%s", res.StatusCode, status, excerpt(res.Body))
	}
	doc := mustDoc(t, res.Body)
	links := summaryLinks(t, res.Body)
	if strings.Join(links, " ") != strings.Join(fields, " ") {
		t.Errorf("summary links %q, want %q", links, fields)
	}
	for _, id := range links {
		if doc.Find("#"+id).Length() != 1 {
			t.Errorf("the summary links to #%s, which is not on the page", id)
		}
	}
	if key != "" {
		msg := mustLocalizer(t, "nl").T(key)
		if !strings.Contains(doc.Find(".error-summary").Text(), msg) {
			t.Errorf("the summary does not say %q:\n%s", msg, doc.Find(".error-summary").Text())
		}
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Fout:") && status == http.StatusUnprocessableEntity {
		t.Errorf("title %q lacks the error prefix", doc.Find("title").Text())
	}
}

// TestDeskPagesRender opens every desk page in every language.
func TestDeskPagesRender(t *testing.T) {
	f := newDeskFixture(t, "")
	l := f.reserve("L-1", "CB-A001", traject.WiFi)
	if _, err := f.Store().RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-2", CourseRef: "MO-ANT-01",
		Need: traject.WiFi, Channel: traject.ChannelPhone}); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(l.ID)
	pages := []struct{ path, titleKey string }{
		{"/desk", "desk.title"}, {"/desk/queue", "deskqueue.title"}, {"/desk/requests/new", "deskrequest.title"},
		{"/loans", "loanlist.title"}, {"/loans?state=reserved", "loanlist.title"}, {"/loans/" + id, ""},
		{"/loans/" + id + "/accept", ""}, {"/agreement", "agreementpage.title"}, {"/", "home.pagetitle"},
	}
	c := f.as(deskANT)
	for _, lang := range i18n.Languages {
		loc := mustLocalizer(t, lang.Tag)
		for _, p := range pages {
			t.Run(lang.Tag+p.path, func(t *testing.T) {
				res := f.get(c, withLang(p.path, lang.Tag))
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d\n%s", res.StatusCode, excerpt(res.Body))
				}
				title := ""
				if p.titleKey != "" {
					title = loc.T(p.titleKey)
				}
				doc := checkPageFrame(t, res.Body, lang, title)
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
				}
				if p.path == "/" && doc.Find(`a[href="/desk"]`).Length() == 0 {
					t.Error("the home page has no way to the desk")
				}
			})
		}
	}
	t.Run("the queue states its rule and suggests a transfer", func(t *testing.T) {
		res := f.get(c, "/desk/queue?lang=nl")
		doc := mustDoc(t, res.Body)
		if rule := mustLocalizer(t, "nl").T("deskqueue.rule"); !strings.Contains(res.Body, rule) {
			t.Errorf("the queue does not state its rule %q", rule)
		}
		if doc.Find("tbody tr").First().Find("td").Eq(2).Text() == "" || !strings.Contains(res.Body, "L-2") {
			t.Error("the waiting request of L-2 is not listed")
		}
		if doc.Find(`a[href="/transfers?to=ANT"]`).Length() != 1 {
			t.Error("no suggested transfer to Antwerp from Brussels' free device")
		}
	})
	t.Run("the desk lists today's hand-out", func(t *testing.T) {
		// The fixture's reservation is for 2020: its period has passed, so it
		// is counted as a reservation to cancel, not a hand-out to do.
		today := traject.Date(time.Now())
		now, err := f.Store().Reserve(f.admin, traject.Reservation{LearnerRef: "L-1", RegionCode: "ANT", Connectivity: traject.WiFi,
			From: today.AddDate(0, 0, -1), Until: today.AddDate(0, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		res := f.get(c, "/desk?lang=nl")
		doc := mustDoc(t, res.Body)
		if doc.Find(`a[href="/loans/`+strconv.FormatInt(now.ID, 10)+`"]`).Length() == 0 {
			t.Error("the current reservation is not among today's hand-outs")
		}
		if doc.Find(`a[href="/loans/`+id+`"]`).Length() != 0 {
			t.Error("the 2020 reservation is listed as a hand-out for today")
		}
		if !strings.Contains(res.Body, mustLocalizer(t, "nl").T("desk.stale", "Count", 1)) {
			t.Error("the desk does not count the reservation whose period has passed")
		}
		if _, err := f.Store().CancelLoan(f.admin, now.ID, "test over"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Body, mustLocalizer(t, "nl").T("desk.queue", "Count", 1)) {
			t.Error("the desk does not count the waiting request")
		}
	})
	t.Run("the acceptance page shows Dutch beside Arabic", func(t *testing.T) {
		doc := mustDoc(t, f.get(c, "/loans/"+id+"/accept?lang=nl").Body)
		if doc.Find(`.agreement[lang="nl"][dir="ltr"]`).Length() != 1 || doc.Find(`.agreement[lang="ar"][dir="rtl"]`).Length() != 1 {
			t.Error("the agreement blocks lack lang and dir for Dutch and Arabic")
		}
		if !strings.Contains(doc.Find(`.agreement[lang="nl"]`).Text(), "CB-A001") {
			t.Error("the Dutch text does not name the device")
		}
	})
}

// TestDeskRefusals: the wrong region does not see a loan, and a role without
// loans:write cannot act on one.
func TestDeskRefusals(t *testing.T) {
	f := newDeskFixture(t, "")
	l := f.reserve("L-1", "CB-A001", traject.WiFi)
	id := fmt.Sprint(l.ID)
	bru, analyst, teacher := f.as(deskBRU), f.as(deskAnalyst), f.as(deskTeacher)
	for _, path := range []string{"/loans/" + id, "/loans/" + id + "/accept", "/loans/" + id + "/agreement.pdf"} {
		if res := f.get(bru, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("Brussels desk GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	if res := f.post(bru, "/loans/"+id+"/cancel", url.Values{"reason": {"not mine"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("Brussels desk cancels an Antwerp loan: %d, want 404", res.StatusCode)
	}
	if res := f.post(analyst, "/loans/"+id+"/cancel", url.Values{"reason": {"no"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst cancels: %d, want 403", res.StatusCode)
	}
	if res := f.get(analyst, "/loans/"+id); res.StatusCode != http.StatusOK || strings.Contains(res.Body, `action="/loans/`+id+`/cancel"`) {
		t.Errorf("analyst reads the loan: %d, and must see no action form", res.StatusCode)
	}
	if res := f.get(teacher, "/desk"); res.StatusCode != http.StatusForbidden {
		t.Errorf("teacher opens the desk: %d, want 403", res.StatusCode)
	}
	if res := f.post(f.as(deskANT), "/agreement", url.Values{"text_nl": {"Nieuw {learner}"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a regional desk publishes the agreement: %d, want 403", res.StatusCode)
	}
	if got := f.loan(l.ID).State; got != traject.LoanReserved {
		t.Errorf("after the refusals the loan is %s, want reserved", got)
	}
	big := append([]byte("%PDF-1.4\n"), make([]byte, traject.MaxScanBytes+10)...)
	wantRefused(t, f.postMultipart(f.as(deskANT), "/loans/"+id+"/accept", map[string]string{"method": "paper", "confirm": "on", "language": "nl"},
		"scan", "big.pdf", big), 422, "acceptance.scan.large", "scan")
	if accs, _ := f.Store().Acceptances(f.admin, l.ID); len(accs) != 0 {
		t.Errorf("a scan over 5 MB was recorded: %d acceptances", len(accs))
	}
	if res := f.get(f.as(deskANT), "/loans/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown loan: %d, want 404", res.StatusCode)
	}
	if res := f.get(f.as(deskANT), "/loans/"+id+"/agreement.pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PDF of an agreement not accepted: %d, want 404", res.StatusCode)
	}
}

// TestDeskActionFlow walks one loan through the desk's pages, from request to
// wipe, on both databases; each refused step is checked to change nothing.
func TestDeskActionFlow(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) { deskActionFlow(t, db.URL) })
	}
}

func deskActionFlow(t *testing.T, dbURL string) {
	f := newDeskFixture(t, dbURL)
	c := f.as(deskANT)
	queue := func() []traject.LoanRequest {
		q, err := f.Store().Queue(f.admin, "ANT")
		if err != nil {
			t.Fatal(err)
		}
		return q
	}

	// Request: wrong answers, an unknown learner, then a device at once and a wait.
	wantRefused(t, f.post(c, "/desk/requests", url.Values{}), 422, "", "learner", "course", "need", "channel")
	wantRefused(t, f.post(c, "/desk/requests", url.Values{"learner": {"L-404"}, "course": {"MO-ANT-01"}, "need": {"wifi"}, "channel": {"desk"}}),
		422, "", "learner")
	if n := len(queue()); n != 0 {
		t.Fatalf("refused requests left %d in the queue", n)
	}
	res := f.post(c, "/desk/requests", url.Values{"learner": {"L-1"}, "course": {"MO-ANT-01"}, "need": {"wifi"}, "channel": {"desk"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/loans/") {
		t.Fatalf("request L-1: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), excerpt(res.Body))
	}
	loanPath := res.Header.Get("Location")
	var id int64
	fmt.Sscan(strings.TrimPrefix(loanPath, "/loans/"), &id)
	if l := f.loan(id); l.AssetTag != "CB-A001" || l.State != traject.LoanReserved {
		t.Fatalf("the request reserved %+v", l)
	}
	res = f.post(c, "/desk/requests", url.Values{"learner": {"L-2"}, "course": {"MO-ANT-01"}, "need": {"wifi"}, "channel": {"phone"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/queue" {
		t.Fatalf("request L-2: %d to %q, want the queue", res.StatusCode, res.Header.Get("Location"))
	}
	if q := queue(); len(q) != 1 || q[0].LearnerRef != "L-2" {
		t.Fatalf("queue %+v, want L-2 waiting", q)
	}
	wantRefused(t, f.post(c, "/desk/requests", url.Values{"learner": {"L-2"}, "course": {"MO-ANT-01"}, "need": {"wifi"}, "channel": {"phone"}}),
		409, "request.duplicate", "learner")

	// Hand-out without acceptance is refused with the reason on the page.
	all := url.Values{"device": {"on"}, "charger": {"on"}}
	wantRefused(t, f.post(c, loanPath+"/handout", all), 409, "loan.handout.unaccepted", "handout-device")
	if l := f.loan(id); l.State != traject.LoanReserved {
		t.Fatalf("refused hand-out changed the loan to %s", l.State)
	}

	// Acceptance: refused without a name and the confirmation, with a
	// malformed drawing, and then by the typed name.
	text, err := f.Store().LoanAgreement(f.admin, id, "ar")
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"language": "ar", "text_sha256": text.Hash, "method": "signature"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	wantRefused(t, f.postMultipart(c, loanPath+"/accept", base, "", "", nil), 422, "", "confirm", "typed_name")
	wantRefused(t, f.postMultipart(c, loanPath+"/accept", with(map[string]string{"signature": "<script>", "confirm": "on"}), "", "", nil),
		422, "acceptance.signature.invalid", "typed_name")
	wantRefused(t, f.postMultipart(c, loanPath+"/accept", with(map[string]string{"method": "paper", "confirm": "on"}), "scan", "x.txt", []byte("just text")),
		422, "acceptance.scan.type", "scan")
	wantRefused(t, f.postMultipart(c, loanPath+"/accept", with(map[string]string{"text_sha256": strings.Repeat("0", 64), "typed_name": "Samira", "confirm": "on"}), "", "", nil),
		409, "acceptance.changed", "method")
	if accs, _ := f.Store().Acceptances(f.admin, id); len(accs) != 0 {
		t.Fatalf("refused acceptances recorded %d", len(accs))
	}
	res = f.postMultipart(c, loanPath+"/accept", with(map[string]string{"typed_name": "Samira Learner L-1", "confirm": "on",
		"signature": "M10 10 L100 50"}), "", "", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != loanPath {
		t.Fatalf("accept: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	accs, _ := f.Store().Acceptances(f.admin, id)
	if len(accs) != 1 || accs[0].Language != "ar" || accs[0].TypedName != "Samira Learner L-1" || accs[0].Witness != deskANT ||
		accs[0].TextHash != text.Hash || accs[0].Signature != "M10 10 L100 50" {
		t.Fatalf("acceptance %+v", accs)
	}
	pdf := f.get(c, loanPath+"/agreement.pdf")
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("agreement PDF: %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}

	// Hand-out: the checklist must be complete.
	wantRefused(t, f.post(c, loanPath+"/handout", url.Values{"device": {"on"}}), 422, "loan.checklist.charger", "handout-charger")
	if l := f.loan(id); l.State != traject.LoanReserved {
		t.Fatalf("hand-out with a missing charger changed the loan to %s", l.State)
	}
	if res := f.post(c, loanPath+"/handout", all); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hand-out: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if l := f.loan(id); l.State != traject.LoanHandedOut || f.deviceState("CB-A001") != traject.StateOnLoan {
		t.Fatalf("after hand-out: %s, device %s", l.State, f.deviceState("CB-A001"))
	}

	// Extension: a reason is needed, and only the due date moves.
	before := f.loan(id)
	wantRefused(t, f.post(c, loanPath+"/extend", url.Values{"due_day": {"30"}, "due_month": {"11"}, "due_year": {"2020"}}),
		422, "loan.extend.reason", "extend-reason")
	wantRefused(t, f.post(c, loanPath+"/extend", url.Values{"due_day": {"31"}, "due_month": {"2"}, "due_year": {"2020"}, "reason": {"exam"}}),
		422, "date.invalid", "extend-due")
	if l := f.loan(id); !l.Due.Equal(before.Due) {
		t.Fatalf("refused extensions moved the due date to %s", l.Due)
	}
	if res := f.post(c, loanPath+"/extend", url.Values{"due_day": {"30"}, "due_month": {"11"}, "due_year": {"2020"}, "reason": {"exam"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("extend: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if l := f.loan(id); !l.Due.Equal(invDate("2020-11-30")) || !l.Until.Equal(before.Until) {
		t.Errorf("after extension due %s until %s", l.Due, l.Until)
	}

	// Swap: the replacement must be lendable.
	wantRefused(t, f.post(c, loanPath+"/swap", url.Values{"asset_tag": {"CB-A002"}, "reason": {"screen broken"}}), 409, "", "swap-asset_tag")
	if _, err := f.Store().TransitionDevice(f.admin, "CB-A002", traject.StateInStock, "repaired"); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, f.post(c, loanPath+"/swap", url.Values{"asset_tag": {"CB-A002"}}), 422, "loan.swap.reason", "swap-reason")
	if l := f.loan(id); l.AssetTag != "CB-A001" {
		t.Fatalf("refused swaps changed the device to %s", l.AssetTag)
	}
	if res := f.post(c, loanPath+"/swap", url.Values{"asset_tag": {"CB-A002"}, "reason": {"screen broken"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("swap: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if l := f.loan(id); l.AssetTag != "CB-A002" || f.deviceState("CB-A001") != traject.StateInRepair {
		t.Fatalf("after swap: %s, old device %s", l.AssetTag, f.deviceState("CB-A001"))
	}

	// Return: a real date and a condition, then the device waits for its wipe.
	wantRefused(t, f.post(c, loanPath+"/return", url.Values{"on_day": {"x"}, "on_month": {"1"}, "on_year": {"2021"}, "device": {"on"}, "charger": {"on"}, "condition": {"good"}}),
		422, "date.invalid", "return-on")
	now := time.Now().In(i18n.Brussels)
	day, month, year := fmt.Sprint(now.Day()), fmt.Sprint(int(now.Month())), fmt.Sprint(now.Year())
	wantRefused(t, f.post(c, loanPath+"/return", url.Values{"on_day": {day}, "on_month": {month}, "on_year": {year}, "device": {"on"}, "charger": {"on"}}),
		422, "loan.return.condition", "return-condition")
	if l := f.loan(id); l.State != traject.LoanHandedOut {
		t.Fatalf("refused returns changed the loan to %s", l.State)
	}
	res = f.post(c, loanPath+"/return", url.Values{"on_day": {day}, "on_month": {month}, "on_year": {year}, "device": {"on"}, "charger": {"on"}, "condition": {"good"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if l := f.loan(id); l.State != traject.LoanReturned || f.deviceState("CB-A002") != traject.StateQuarantine {
		t.Fatalf("after return: %s, device %s", l.State, f.deviceState("CB-A002"))
	}

	// The loan page shows its whole history in words and offers the wipe.
	page := f.get(c, loanPath+"?lang=nl")
	doc := mustDoc(t, page.Body)
	nl := mustLocalizer(t, "nl")
	for _, want := range []string{nl.T("loantimeline.loan.handout"), nl.T("loantimeline.loan.return"),
		nl.T("loantimeline.loan.swap", "Before", "CB-A001", "AssetTag", "CB-A002"), "screen broken", "exam"} {
		if !strings.Contains(doc.Find("table").Last().Text(), want) {
			t.Errorf("the timeline does not say %q", want)
		}
	}
	if doc.Find(`form[action="/desk/wipe"]`).Length() != 1 {
		t.Fatal("the returned loan offers no wipe confirmation")
	}

	// Wipe: the device goes back in stock and the waiting request gets it.
	res = f.post(c, "/desk/wipe", url.Values{"asset_tag": {"CB-A002"}, "back": {loanPath}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != loanPath {
		t.Fatalf("wipe: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := f.deviceState("CB-A002"); got != traject.StateInStock {
		t.Errorf("after the wipe the device is %s", got)
	}
	if q := queue(); len(q) != 0 {
		t.Errorf("queue after the wipe: %+v, want L-2 served", q)
	}
	if res := f.post(c, "/desk/wipe", url.Values{"asset_tag": {"CB-A002"}, "back": {"/desk"}}); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Body, nl.T("loan.wipe.state")) {
		t.Errorf("a second wipe: %d, want 409 saying %q", res.StatusCode, nl.T("loan.wipe.state"))
	}
	if got := f.deviceState("CB-A002"); got != traject.StateInStock {
		t.Errorf("the refused wipe moved the device to %s", got)
	}

	// Paper acceptance and cancellation of L-2's new reservation.
	loans, err := f.Store().Loans(f.admin, store.LoanFilter{Learner: "L-2"})
	if err != nil || len(loans) != 1 {
		t.Fatalf("L-2's loans: %+v, %v", loans, err)
	}
	l2 := fmt.Sprintf("/loans/%d", loans[0].ID)
	text2, _ := f.Store().LoanAgreement(f.admin, loans[0].ID, "nl")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	res = f.postMultipart(c, l2+"/accept", map[string]string{"language": "nl", "text_sha256": text2.Hash, "method": "paper", "confirm": "on"}, "scan", "scan.png", png)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("paper acceptance: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	if accs, _ := f.Store().Acceptances(f.admin, loans[0].ID); len(accs) != 1 || accs[0].Method != traject.AcceptPaper || accs[0].ScanType != "image/png" {
		t.Errorf("paper acceptance recorded %+v", accs)
	}
	wantRefused(t, f.post(c, l2+"/cancel", url.Values{"reason": {" "}}), 422, "loan.cancel.reason", "cancel-reason")
	if res := f.post(c, l2+"/cancel", url.Values{"reason": {"learner moved"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	if got := f.loan(loans[0].ID).State; got != traject.LoanCancelled {
		t.Errorf("after cancel: %s", got)
	}

	// Loss of a 4G device: a note is needed; then the SIM is suspended.
	l3 := f.reserve("L-3", "CB-A003", traject.Mobile)
	if err := f.Store().Accept(f.admin, l3.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptSignature, TypedName: "L-3"}); err != nil {
		t.Fatal(err)
	}
	l3Path := fmt.Sprintf("/loans/%d", l3.ID)
	wantRefused(t, f.post(c, l3Path+"/handout", all), 422, "loan.checklist.sim", "handout-sim")
	if res := f.post(c, l3Path+"/handout", url.Values{"device": {"on"}, "charger": {"on"}, "sim": {"on"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("4G hand-out: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	loss := url.Values{"state": {"stolen"}, "on_day": {"2"}, "on_month": {"11"}, "on_year": {"2020"}}
	wantRefused(t, f.post(c, l3Path+"/loss", loss), 422, "loan.loss.note", "loss-lossnote")
	if got := f.loan(l3.ID).State; got != traject.LoanHandedOut {
		t.Fatalf("refused loss changed the loan to %s", got)
	}
	loss.Set("lossnote", "bag stolen on the tram")
	if res := f.post(c, l3Path+"/loss", loss); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("loss: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	d, _ := f.Store().Device(f.admin, "CB-A003")
	if got := f.loan(l3.ID).State; got != traject.LoanStolen || d.State != traject.StateStolen || d.SIM.State != traject.SIMSuspended {
		t.Errorf("after theft: loan %s, device %s, SIM %s", got, d.State, d.SIM.State)
	}
}

// TestDeskAgreementPublish: the admin publishes a new version; bad texts are
// refused field by field and publish nothing; a loan accepted under the old
// version must accept again.
func TestDeskAgreementPublish(t *testing.T) {
	f := newDeskFixture(t, "")
	l := f.reserve("L-1", "CB-A001", traject.WiFi)
	if err := f.Store().Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptSignature, TypedName: "L-1"}); err != nil {
		t.Fatal(err)
	}
	c := f.as(deskAdmin)
	cur, _ := f.Store().CurrentAgreement(f.admin)
	same := url.Values{}
	for lang, text := range cur.Texts {
		same.Set("text_"+lang, text)
	}
	wantRefused(t, f.post(c, "/agreement", same), 422, "agreement.unchanged", "text-nl")
	wantRefused(t, f.post(c, "/agreement", url.Values{"text_nl": {" "}, "text_fr": {"Prêt de {apparel}"}}), 422, "", "text-nl", "text-fr")
	if now, _ := f.Store().CurrentAgreement(f.admin); now.Version != cur.Version {
		t.Fatalf("refused texts published version %d", now.Version)
	}
	res := f.post(c, "/agreement", url.Values{"text_nl": {"Ik, {learner}, leen {device} tot {due}."}, "text_ar": {"أنا {learner} أستعير {device}."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.StatusCode, excerpt(res.Body))
	}
	now, _ := f.Store().CurrentAgreement(f.admin)
	if now.Version != cur.Version+1 || now.Texts["ar"] == "" || now.Texts["en"] != "" {
		t.Errorf("published %+v", now)
	}
	if f.loan(l.ID).Accepted {
		t.Error("a loan accepted under the old version still counts as accepted")
	}
	page := f.get(c, "/agreement?lang=nl")
	if doc := mustDoc(t, page.Body); doc.Find(`.agreement[lang="ar"][dir="rtl"]`).Length() != 1 {
		t.Error("the Arabic text of the version in force is not marked lang=ar dir=rtl")
	}
}

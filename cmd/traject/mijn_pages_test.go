package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"traject"
	"traject/internal/config"
	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// mijnClock is the store's clock in the learner-page tests: the real time,
// moved forward by hand to let a code expire.
type mijnClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *mijnClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *mijnClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// mijnFixture is a running server whose clock the test moves, with a desk
// member in Antwerp, two learners enrolled in one course, and one free device.
type mijnFixture struct {
	*testMain
	clock *mijnClock
	admin context.Context
}

const (
	mijnDesk   = "mijn-desk@example.org"
	mijnPhone1 = "0470 11 22 33"
	mijnPhone2 = "0470 44 55 66"
)

func newMijnFixture(t *testing.T) *mijnFixture {
	t.Helper()
	clock := &mijnClock{}
	cfg := config.Default()
	cfg.Addr, cfg.DB = "127.0.0.1:0", storetest.SQLiteURL(t)
	cfg.SecretKey = strings.Repeat("ab", 32) // codes are then hashed with a key, as in production
	m := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler), DBFlagSet: true, Sender: &notify.Memory{}, Now: clock.now}
	if err := m.Open(context.Background()); err != nil {
		t.Fatalf("open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tm := &testMain{Main: m, t: t, cancel: cancel, done: make(chan error, 1)}
	go func() { tm.done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-tm.done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	})
	admin := tm.mustUser("mijn-admin@example.org", traject.RoleAdmin, "")
	tm.mustUser(mijnDesk, traject.RoleDesk, "ANT")
	f := &mijnFixture{testMain: tm, clock: clock, admin: traject.NewContextWithUser(context.Background(), admin)}
	f.learner("L-1", mijnPhone1)
	f.learner("L-2", mijnPhone2)
	f.course("MO-1")
	f.enrol("MO-1", "L-1", "L-2")
	f.device("CB-1")
	return f
}

func (f *mijnFixture) learner(ref, phone string) {
	f.t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: "Learner " + ref, BirthDate: invDate("1990-01-01"),
		Language: "ar", RegionCode: "ANT", Obligation: traject.Obliged, Phone: phone}
	if err := f.Store().CreateLearner(f.admin, l); err != nil {
		f.t.Fatalf("learner %s: %v", ref, err)
	}
}

// course adds a course in Antwerp that starts in a week and lasts two months.
func (f *mijnFixture) course(ref string) {
	f.t.Helper()
	start := traject.Date(time.Now().AddDate(0, 0, 7))
	c := &traject.Course{Ref: ref, Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeOnline,
		Track: traject.TrackStandard, RegionCode: "ANT", StartsOn: start, EndsOn: start.AddDate(0, 2, 0), Capacity: 10}
	if err := f.Store().CreateCourse(f.admin, c); err != nil {
		f.t.Fatalf("course %s: %v", ref, err)
	}
}

func (f *mijnFixture) enrol(course string, learners ...string) {
	f.t.Helper()
	for _, l := range learners {
		if _, err := f.Store().Enrol(f.admin, course, l); err != nil {
			f.t.Fatalf("enrol %s: %v", l, err)
		}
	}
}

func (f *mijnFixture) device(tag string) {
	f.t.Helper()
	d := &traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
		Connectivity: traject.WiFi, RegionCode: "ANT", State: traject.StateInStock}
	if err := f.Store().CreateDevice(f.admin, d); err != nil {
		f.t.Fatalf("device %s: %v", tag, err)
	}
}

var mijnCodePattern = regexp.MustCompile(`\b(\d{6})\b`)

// lastCode returns the code of the last SMS sent to phone, and how many
// messages that phone got in all.
func (f *mijnFixture) lastCode(phone string) (string, int) {
	f.t.Helper()
	code, n := "", 0
	for _, m := range f.sent() {
		if m.Channel == notify.SMS && m.To == phone {
			n++
			code = mijnCodePattern.FindString(m.Body)
		}
	}
	return code, n
}

// signIn signs c in as the learner with this phone through an SMS code.
func (f *mijnFixture) signIn(c *http.Client, phone string) {
	f.t.Helper()
	if res := f.post(c, "/mijn/", url.Values{"phone": {phone}}); res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("ask a code: status %d", res.StatusCode)
	}
	code, _ := f.lastCode(phone)
	if res := f.post(c, "/mijn/code", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mijn/home" {
		f.t.Fatalf("sign in with code %q: status %d, location %q\n%s", code, res.StatusCode, res.Header.Get("Location"), res.Body)
	}
}

func mijnWrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// mijnErrorPage checks the GOV.UK error pattern on a re-rendered form.
func mijnErrorPage(t *testing.T, res *response, status int, fields ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d\n%s", res.StatusCode, status, res.Body)
	}
	doc := mustDoc(t, res.Body)
	if !strings.HasPrefix(doc.Find("title").Text(), "Fout:") {
		t.Errorf("title %q lacks the error prefix", doc.Find("title").Text())
	}
	for _, f := range fields {
		if doc.Find(`.error-summary a[href="#`+f+`"]`).Length() != 1 || doc.Find("#"+f).Length() != 1 {
			t.Errorf("the error summary does not link to the field #%s", f)
		}
	}
}

func TestMijnSignInBySMS(t *testing.T) {
	f := newMijnFixture(t)
	c := f.client()
	res := f.get(c, "/mijn/?lang=nl")
	if res.StatusCode != 200 {
		t.Fatalf("sign-in page: %d", res.StatusCode)
	}
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], "")
	if doc.Find("nav.nav").Length() != 0 {
		t.Error("the learner's page shows the staff menu")
	}
	// Bad input: 422, the error summary, and no message sent.
	mijnErrorPage(t, f.post(c, "/mijn/", url.Values{"phone": {"not a number"}}), 422, "phone")
	mijnErrorPage(t, f.post(c, "/mijn/", url.Values{}), 422, "phone")
	if n := len(f.sent()); n != 0 {
		t.Fatalf("%d messages sent after bad input", n)
	}
	// A known and an unknown number get the same answer; only the known one gets an SMS.
	known := f.post(c, "/mijn/", url.Values{"phone": {"+32 470 11 22 33"}})
	unknown := f.post(f.client(), "/mijn/", url.Values{"phone": {"0499 99 99 99"}})
	if known.StatusCode != unknown.StatusCode || known.Header.Get("Location") != unknown.Header.Get("Location") {
		t.Errorf("known number: %d %s; unknown: %d %s", known.StatusCode, known.Header.Get("Location"),
			unknown.StatusCode, unknown.Header.Get("Location"))
	}
	code, n := f.lastCode(mijnPhone1)
	if n != 1 || code == "" || len(f.sent()) != 1 {
		t.Fatalf("sent %+v", f.sent())
	}
	if f.sent()[0].Language != "ar" {
		t.Errorf("SMS in %q, want the learner's language ar", f.sent()[0].Language)
	}
	codePage := f.get(c, "/mijn/code?lang=nl")
	if codePage.StatusCode != 200 || strings.Contains(codePage.Body, `id="identifier"`) {
		t.Errorf("code page: %d, asks for the number again: %v", codePage.StatusCode, strings.Contains(codePage.Body, `id="identifier"`))
	}
	mijnErrorPage(t, f.post(c, "/mijn/code", url.Values{"code": {"12ab"}}), 422, "code")
	mijnErrorPage(t, f.post(c, "/mijn/code", url.Values{"code": {mijnWrongCode(code)}}), 422, "code")
	res = f.post(c, "/mijn/code", url.Values{"code": {code[:3] + " " + code[3:]}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mijn/home" {
		t.Fatalf("right code: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	home := f.get(c, "/mijn/home")
	if home.StatusCode != 200 || !strings.Contains(home.Body, "Amal") || !strings.Contains(home.Body, `lang="ar"`) {
		t.Fatalf("home: %d", home.StatusCode)
	}
	// The code is used: a second browser cannot use it again.
	other := f.client()
	f.post(other, "/mijn/", url.Values{"phone": {"0499 99 99 99"}})
	if res := f.post(other, "/mijn/code", url.Values{"code": {code}, "identifier": {mijnPhone1}}); res.StatusCode != 422 {
		t.Errorf("a used code: status %d", res.StatusCode)
	}
	// The audit log names the learner, and never holds the code.
	rows, err := f.Store().AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-1"})
	if err != nil {
		t.Fatal(err)
	}
	var used bool
	for _, r := range rows {
		used = used || r.Action == "learner_code.use" && r.ActorLabel == "learner:L-1"
		if strings.Contains(r.After+r.Before, code) {
			t.Errorf("audit %s holds the code", r.Action)
		}
	}
	if !used {
		t.Error("no audit row of the code's use by learner:L-1")
	}
	// Sign out ends the learner session.
	if res := f.post(c, "/mijn/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign out: %d", res.StatusCode)
	}
	if res := f.get(c, "/mijn/home"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/mijn/") {
		t.Errorf("home after sign-out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestMijnCodeExpiresAndVoids(t *testing.T) {
	f := newMijnFixture(t)
	c := f.client()
	// Expired after 15 minutes.
	f.post(c, "/mijn/", url.Values{"phone": {mijnPhone2}})
	code, _ := f.lastCode(mijnPhone2)
	f.clock.add(store.CodeLifetime + time.Second)
	mijnErrorPage(t, f.post(c, "/mijn/code", url.Values{"code": {code}}), 422, "code")
	// Five wrong tries void a new code: the right one fails afterwards.
	f.post(c, "/mijn/", url.Values{"phone": {mijnPhone2}})
	code, _ = f.lastCode(mijnPhone2)
	for i := 0; i < store.CodeMaxTries; i++ {
		mijnErrorPage(t, f.post(c, "/mijn/code", url.Values{"code": {mijnWrongCode(code)}}), 422, "code")
	}
	mijnErrorPage(t, f.post(c, "/mijn/code", url.Values{"code": {code}}), 422, "code")
	// Three codes per quarter of an hour (the first has expired, the second
	// was voided): the fourth ask sends nothing, with the same answer.
	for i := 0; i < 2; i++ {
		f.post(c, "/mijn/", url.Values{"phone": {mijnPhone2}})
	}
	_, before := f.lastCode(mijnPhone2)
	res := f.post(c, "/mijn/", url.Values{"phone": {mijnPhone2}})
	if _, after := f.lastCode(mijnPhone2); after != before || res.StatusCode != http.StatusSeeOther {
		t.Errorf("fourth code in 15 minutes: %d messages before, %d after, status %d", before, after, res.StatusCode)
	}
	f.clock.add(store.CodeLifetime)
	f.signIn(c, mijnPhone2)
}

func TestMijnSessionsAreSeparate(t *testing.T) {
	f := newMijnFixture(t)
	learner := f.client()
	f.signIn(learner, mijnPhone1)
	for _, path := range []string{"/", "/learners", "/learners/L-1", "/account"} {
		if res := f.get(learner, path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("a learner session opened staff page %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	staff := f.client()
	f.login(staff, mijnDesk)
	for _, path := range []string{"/mijn/home", "/mijn/request/course"} {
		if res := f.get(staff, path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/mijn/") {
			t.Errorf("a staff session opened learner page %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestMijnRequestAndAccept(t *testing.T) {
	f := newMijnFixture(t)
	c := f.client()
	f.signIn(c, mijnPhone1)
	// One question per page; a wrong answer is refused and changes nothing.
	if res := f.get(c, "/mijn/request/internet"); res.Header.Get("Location") != "/mijn/request/course" {
		t.Errorf("internet before the course: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	mijnErrorPage(t, f.post(c, "/mijn/request/course?lang=nl", url.Values{"course": {"NOT-MINE"}}), 422, "course")
	if res := f.get(c, "/mijn/request/internet"); res.Header.Get("Location") != "/mijn/request/course" {
		t.Errorf("a refused course was kept: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	steps := []struct {
		path string
		form url.Values
		next string
	}{
		{"/mijn/request/course", url.Values{"course": {"MO-1"}}, "/mijn/request/internet"},
		{"/mijn/request/internet", url.Values{"internet": {"yes"}}, "/mijn/request/check"},
	}
	for _, s := range steps {
		if res := f.get(c, s.path); res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", s.path, res.StatusCode)
		}
		if res := f.post(c, s.path, s.form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != s.next {
			t.Fatalf("POST %s: %d %s", s.path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	mijnErrorPage(t, f.post(c, "/mijn/request/internet?lang=nl", url.Values{"internet": {"maybe"}}), 422, "internet")
	check := f.get(c, "/mijn/request/check")
	if check.StatusCode != 200 || !strings.Contains(check.Body, `href="/mijn/request/course?change=1"`) {
		t.Fatalf("check answers: %d", check.StatusCode)
	}
	if q, _ := f.Store().Queue(f.admin, ""); len(q) != 0 {
		t.Fatalf("a request exists before the check page was confirmed: %+v", q)
	}
	if res := f.post(c, "/mijn/request/check", nil); res.Header.Get("Location") != "/mijn/request/done" {
		t.Fatalf("send: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	done := f.get(c, "/mijn/request/done")
	ref := regexp.MustCompile(`AV-[0-9A-Z]{6}`).FindString(done.Body)
	req, err := f.Store().LoanRequest(f.admin, ref)
	if err != nil || req.Channel != traject.ChannelLearner || req.State != traject.RequestAllocated || req.Need != traject.WiFi {
		t.Fatalf("request %q: %+v, %v", ref, req, err)
	}
	agreementPath := fmt.Sprintf("/mijn/loans/%d/agreement", req.LoanID)
	page := f.get(c, agreementPath)
	doc := mustDoc(t, page.Body)
	hash, _ := doc.Find(`input[name="text_sha256"]`).Attr("value")
	shown, _ := doc.Find(`input[name="language"]`).Attr("value")
	if page.StatusCode != 200 || doc.Find(`[lang="nl"][dir="ltr"]`).Length() == 0 || hash == "" {
		t.Fatalf("agreement page: %d, hash %q", page.StatusCode, hash)
	}
	// A code of purpose accept, by SMS.
	if res := f.post(c, fmt.Sprintf("/mijn/loans/%d/code", req.LoanID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask an accept code: %d", res.StatusCode)
	}
	code, _ := f.lastCode(mijnPhone1)
	form := url.Values{"agree": {"yes"}, "code": {code}, "language": {shown}, "text_sha256": {hash}}
	for name, bad := range map[string]url.Values{
		"unticked":   {"code": {code}, "language": {shown}, "text_sha256": {hash}},
		"wrong code": {"agree": {"yes"}, "code": {mijnWrongCode(code)}, "language": {shown}, "text_sha256": {hash}},
		"no code":    {"agree": {"yes"}, "language": {shown}, "text_sha256": {hash}},
	} {
		res := f.post(c, agreementPath+"?lang=nl", bad)
		if res.StatusCode != 422 {
			t.Errorf("%s: status %d", name, res.StatusCode)
		}
	}
	if res := f.post(c, agreementPath, url.Values{"agree": {"yes"}, "code": {code}, "language": {shown}, "text_sha256": {"0"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("another text's hash: status %d", res.StatusCode)
	}
	if acc, _ := f.Store().Acceptances(f.admin, req.LoanID); len(acc) != 0 {
		t.Fatalf("refused forms left %d acceptances", len(acc))
	}
	if res := f.post(c, agreementPath, form); res.Header.Get("Location") != fmt.Sprintf("/mijn/loans/%d/accepted", req.LoanID) {
		t.Fatalf("accept: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	acc, err := f.Store().Acceptances(f.admin, req.LoanID)
	if err != nil || len(acc) != 1 || acc[0].Method != traject.AcceptCode || acc[0].Language != shown || acc[0].TextHash != hash {
		t.Fatalf("acceptances %+v, %v", acc, err)
	}
	if res := f.get(c, fmt.Sprintf("/mijn/loans/%d/accepted", req.LoanID)); res.StatusCode != 200 {
		t.Errorf("confirmation: %d", res.StatusCode)
	}

	// Another learner, signed in with a code from the desk, cannot see or accept this loan.
	desk := f.client()
	f.login(desk, mijnDesk)
	res := f.post(desk, "/learners/L-2/code", url.Values{"for": {"signin"}})
	deskCode := strings.TrimSpace(mustDoc(t, res.Body).Find(".token").Text())
	if res.StatusCode != 200 || len(deskCode) != 6 {
		t.Fatalf("desk code: %d %q", res.StatusCode, deskCode)
	}
	other := f.client()
	if res := f.post(other, "/mijn/code", url.Values{"identifier": {"L-2"}, "code": {deskCode}}); res.Header.Get("Location") != "/mijn/home" {
		t.Fatalf("sign in with the desk code: %d", res.StatusCode)
	}
	for _, p := range []struct{ method, path string }{
		{"GET", agreementPath}, {"POST", agreementPath}, {"POST", fmt.Sprintf("/mijn/loans/%d/code", req.LoanID)},
		{"GET", fmt.Sprintf("/mijn/loans/%d/accepted", req.LoanID)}, {"GET", "/mijn/loans/x/agreement"},
	} {
		var res *response
		if p.method == "GET" {
			res = f.get(other, p.path)
		} else {
			res = f.post(other, p.path, form)
		}
		if res.StatusCode != 404 {
			t.Errorf("%s %s as another learner: %d", p.method, p.path, res.StatusCode)
		}
	}
	// The desk's form needs loans:write, and a learner session is not staff.
	if res := f.post(other, "/learners/L-2/code", url.Values{"for": {"signin"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a learner asked the desk form: %d", res.StatusCode)
	}
	mijnErrorPage(t, f.post(desk, "/learners/L-2/code", url.Values{"for": {"12345"}}), 422, "for")
}

// TestMijnPagesInEveryLanguage opens every learner page in nl, en, fr and ar.
func TestMijnPagesInEveryLanguage(t *testing.T) {
	f := newMijnFixture(t)
	c := f.client()
	f.signIn(c, mijnPhone1)
	f.post(c, "/mijn/request/course", url.Values{"course": {"MO-1"}})
	f.post(c, "/mijn/request/internet", url.Values{"internet": {"no"}})
	paths := []string{"/mijn/", "/mijn/code?desk=1", "/mijn/home", "/mijn/request/course", "/mijn/request/internet",
		"/mijn/request/check", "/mijn/no-such-page"}
	for _, lang := range i18n.Languages {
		for _, p := range paths {
			cl := c
			if p == "/mijn/" || strings.HasPrefix(p, "/mijn/code") {
				cl = f.client() // the sign-in pages, before sign-in
			}
			res := f.get(cl, withLang(p, lang.Tag))
			want := 200
			if strings.Contains(p, "no-such") {
				want = 404
			}
			if res.StatusCode != want {
				t.Errorf("%s %s: %d", lang.Tag, p, res.StatusCode)
				continue
			}
			checkPageFrame(t, res.Body, lang, "")
		}
	}
}

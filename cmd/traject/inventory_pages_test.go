package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"traject"
	"traject/internal/i18n"
)

// invFixture is a server with staff in three roles and a small fleet: devices
// in Antwerp and Brussels, a 4G device with its SIM, a spare, and a delivery
// of three announced devices (two for Antwerp, one for Brussels).
type invFixture struct {
	*testMain
	admin context.Context
	sims  map[string]string // asset tag -> ICCID
}

// The accounts of the fixture.
const (
	invAdmin   = "admin@example.org"
	invDeskANT = "desk-ant@example.org"
	invDeskBRU = "desk-bru@example.org"
	invCoordBR = "coord-bru@example.org"
	invAnalyst = "analyst@example.org"
	invTeacher = "teacher@example.org"
)

func newInvFixture(t *testing.T) *invFixture {
	t.Helper()
	tm := mustRun(t, "")
	admin := tm.mustUser(invAdmin, traject.RoleAdmin, "")
	tm.mustUser(invDeskANT, traject.RoleDesk, "ANT")
	tm.mustUser(invDeskBRU, traject.RoleDesk, "BRU")
	tm.mustUser(invCoordBR, traject.RoleCoordinator, "BRU")
	tm.mustUser(invAnalyst, traject.RoleAnalyst, "")
	tm.mustUser(invTeacher, traject.RoleTeacher, "ANT")
	f := &invFixture{testMain: tm, admin: traject.NewContextWithUser(context.Background(), admin), sims: map[string]string{}}
	f.device("CB-A001", "ANT", traject.WiFi, traject.StateInStock, "")
	f.device("CB-A002", "ANT", traject.WiFi, traject.StateInRepair, "")
	f.device("CB-A003", "ANT", traject.Mobile, traject.StateInStock, "")
	f.device("CB-A004", "ANT", traject.WiFi, traject.StateSpare, "")
	f.device("CB-A005", "ANT", traject.Mobile, traject.StateInStock, "")
	f.device("CB-B001", "BRU", traject.WiFi, traject.StateInStock, "")
	dl := &traject.Delivery{Reference: "LEV-1", Supplier: "Acme", PlannedOn: invDate("2020-03-31"), PlannedCount: 3,
		Allocation: map[string]int{"ANT": 2, "BRU": 1}}
	if err := tm.Store().CreateDelivery(f.admin, dl); err != nil {
		t.Fatal(err)
	}
	for i, region := range []string{"ANT", "ANT", "BRU"} {
		f.device(fmt.Sprintf("CB-L00%d", i+1), region, traject.WiFi, traject.StateExpected, "LEV-1")
	}
	return f
}

// device adds a device; its serial is "SN-" + the tag, except for the devices
// of a delivery, whose serials are S1, S2, ...
func (f *invFixture) device(tag, region string, conn traject.Connectivity, state traject.DeviceState, delivery string) {
	f.t.Helper()
	serial := "SN-" + tag
	if delivery != "" {
		serial = "S" + tag[len(tag)-1:]
	}
	d := &traject.Device{AssetTag: tag, Serial: serial, Model: "Chromebook 11", Kind: traject.KindChromebook,
		Connectivity: conn, RegionCode: region, State: state, Delivery: delivery}
	if conn == traject.Mobile {
		d.SIM = &traject.SIM{ICCID: invICCID(len(f.sims) + 1), BundleUntil: invDate("2020-12-31")}
		f.sims[tag] = d.SIM.ICCID
	}
	if err := f.Store().CreateDevice(f.admin, d); err != nil {
		f.t.Fatalf("create %s: %v", tag, err)
	}
}

// state reads a device's state as the admin sees it.
func (f *invFixture) state(tag string) traject.DeviceState {
	f.t.Helper()
	d, err := f.Store().Device(f.admin, tag)
	if err != nil {
		f.t.Fatalf("device %s: %v", tag, err)
	}
	return d.State
}

// as returns a client signed in as email.
func (f *invFixture) as(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	f.login(c, email)
	return c
}

// follow fetches the page a 303 points to, where the flash shows.
func (f *invFixture) follow(c *http.Client, res *response) *response {
	f.t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("status %d, want 303\n%s", res.StatusCode, excerpt(res.Body))
	}
	return f.get(c, res.Header.Get("Location"))
}

func invDate(s string) time.Time {
	t, ok := traject.ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

// invICCID returns a valid 19-digit ICCID numbered n.
func invICCID(n int) string {
	base := fmt.Sprintf("893200%012d", n)
	for d := range 10 {
		if c := base + fmt.Sprint(d); traject.ValidICCID(c) {
			return c
		}
	}
	panic("no check digit")
}

// invPages are the inventory pages; write marks those that need devices:write.
var invPages = []struct {
	path, titleKey string
	write          bool
}{
	{"/devices", "devices.title", false},
	{"/devices?state=in_stock&connectivity=4g&q=CB-A", "devices.title", false},
	{"/devices/CB-A001", "", false},
	{"/devices/CB-A003", "", false},
	{"/devices/CB-A004", "", false},
	{"/transfers", "transfers.title", false},
	{"/deliveries", "deliveries.title", false},
	{"/deliveries/LEV-1", "", false},
	{"/deliveries/new", "deliverynew.title", true},
	{"/stock", "stock.title", false},
	{"/sims/ending", "simsending.title", false},
}

// TestInventoryPagesPermissions opens every inventory page as a role that may
// and as one that may not.
func TestInventoryPagesPermissions(t *testing.T) {
	f := newInvFixture(t)
	nl := mustLocalizer(t, "nl")
	desk, analyst, teacher := f.as(invDeskANT), f.as(invAnalyst), f.as(invTeacher)
	for _, p := range invPages {
		t.Run(p.path, func(t *testing.T) {
			f := &invFixture{testMain: f.forTest(t), admin: f.admin, sims: f.sims}
			res := f.get(desk, p.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("desk: status %d, want 200\n%s", res.StatusCode, excerpt(res.Body))
			}
			title := ""
			if p.titleKey != "" {
				title = nl.T(p.titleKey)
			}
			checkPageFrame(t, res.Body, i18n.Languages[0], title)
			want := http.StatusOK
			if p.write {
				want = http.StatusForbidden
			}
			if res := f.get(analyst, p.path); res.StatusCode != want {
				t.Errorf("analyst (devices:read only): status %d, want %d", res.StatusCode, want)
			}
			if res := f.get(teacher, p.path); res.StatusCode != http.StatusForbidden {
				t.Errorf("teacher (no devices:read): status %d, want 403", res.StatusCode)
			}
		})
	}
	// The analyst reads but never sees a form that changes something.
	for _, path := range []string{"/devices", "/devices/CB-A001", "/devices/CB-A003", "/transfers", "/deliveries", "/deliveries/LEV-1"} {
		if forms := mustDoc(t, f.get(analyst, path).Body).Find(`main form[method="post"]`); forms.Length() != 0 {
			t.Errorf("the analyst sees %d write forms on %s", forms.Length(), path)
		}
	}
	for _, post := range []string{"/devices/transfer", "/devices/CB-A001/transition", "/sims/move", "/transfers/receive",
		"/deliveries", "/deliveries/LEV-1/receive", "/deliveries/LEV-1/arrival"} {
		if res := f.post(analyst, post, url.Values{"to": {"BRU"}, "asset_tag": {"CB-A001"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("analyst POST %s: status %d, want 403", post, res.StatusCode)
		}
	}
	if f.state("CB-A001") != traject.StateInStock {
		t.Error("a refused POST changed CB-A001")
	}
}

// TestInventoryPagesInEveryLanguage renders every page in nl, en, fr and ar:
// the right direction and no untranslated key, also on a form sent back.
func TestInventoryPagesInEveryLanguage(t *testing.T) {
	f := newInvFixture(t)
	admin := f.as(invAdmin)
	for _, lang := range i18n.Languages {
		for _, p := range invPages {
			res := f.get(admin, withLang(p.path, lang.Tag))
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s: status %d", lang.Tag, p.path, res.StatusCode)
				continue
			}
			t.Run(lang.Tag+p.path, func(t *testing.T) { checkPageFrame(t, res.Body, lang, "") })
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{"/devices/CB-A001/transition", url.Values{"to": {"on_loan"}, "reason": {"x"}}},
			{"/devices/transfer", url.Values{"asset_tag": {"CB-A002"}, "to": {"BRU"}}},
			{"/deliveries", url.Values{"reference": {"x"}}},
			{"/deliveries/LEV-1/receive", url.Values{"serials": {""}}},
		} {
			res := f.post(admin, withLang(post.path, lang.Tag), post.form)
			t.Run(lang.Tag+post.path, func(t *testing.T) {
				if res.StatusCode < 400 {
					t.Fatalf("status %d, want an error", res.StatusCode)
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

// TestInventoryRegionScope: a Brussels coordinator sees Brussels' devices
// only, in the list, on the device page and in the stock.
func TestInventoryRegionScope(t *testing.T) {
	f := newInvFixture(t)
	coord, admin := f.as(invCoordBR), f.as(invAdmin)
	for _, path := range []string{"/devices", "/devices?region=ANT", "/devices?q=CB-A"} {
		body := f.get(coord, path).Body
		if strings.Contains(body, "CB-A00") {
			t.Errorf("BRU coordinator sees an Antwerp device on %s", path)
		}
		if path == "/devices" && !strings.Contains(body, "CB-B001") {
			t.Errorf("BRU coordinator does not see CB-B001")
		}
	}
	if doc := mustDoc(t, f.get(coord, "/devices").Body); doc.Find("select#region").Length() != 0 {
		t.Error("a regional role gets a region filter")
	}
	for _, path := range []string{"/devices/CB-A001", "/devices/CB-A003"} {
		if res := f.get(coord, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("BRU coordinator GET %s: status %d, want 404", path, res.StatusCode)
		}
	}
	if res := f.post(coord, "/devices/CB-A001/transition", url.Values{"to": {"in_repair"}, "reason": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("BRU coordinator changed an Antwerp device: status %d, want 404", res.StatusCode)
	}
	stock := mustDoc(t, f.get(coord, "/stock").Body)
	if stock.Find("#stock-ANT").Length() != 0 || stock.Find("#stock-BRU").Length() != 1 {
		t.Error("BRU coordinator's stock page shows other regions")
	}
	doc := mustDoc(t, f.get(admin, "/devices?region=ANT").Body)
	if doc.Find(`a[href="/devices/CB-A001"]`).Length() != 1 || doc.Find(`a[href="/devices/CB-B001"]`).Length() != 0 {
		t.Error("the admin's region filter does not work")
	}
}

// TestInventoryDeviceListPages walks the keyset pages with "Volgende pagina".
func TestInventoryDeviceListPages(t *testing.T) {
	f := newInvFixture(t)
	for i := range 55 {
		f.device(fmt.Sprintf("CB-Z%03d", i), "OVL", traject.WiFi, traject.StateInStock, "")
	}
	admin := f.as(invAdmin)
	seen := map[string]bool{}
	next, pages := "/devices?region=OVL", 0
	for next != "" {
		doc := mustDoc(t, f.get(admin, next).Body)
		doc.Find(`tbody a[href^="/devices/"]`).Each(func(_ int, a *goquery.Selection) { seen[a.Text()] = true })
		next, _ = doc.Find(`a[rel="next"]`).Attr("href")
		pages++
		if pages > 3 {
			t.Fatal("the pages do not end")
		}
	}
	if pages != 2 || len(seen) != 55 {
		t.Errorf("%d pages with %d devices, want 2 pages with 55", pages, len(seen))
	}
}

// TestInventoryTransitionForm changes a state through the form: a reason is
// required, a refused change leaves the device and the audit log as they were.
func TestInventoryTransitionForm(t *testing.T) {
	f := newInvFixture(t)
	desk := f.as(invDeskANT)
	nl := mustLocalizer(t, "nl")
	tests := []struct {
		name   string
		tag    string
		form   url.Values
		status int
		field  string // the field the error summary links to
		key    string
	}{
		{"without a reason", "CB-A001", url.Values{"to": {"in_repair"}, "reason": {"  "}}, 422, "reason", "device.transition.reason"},
		{"without a state", "CB-A001", url.Values{"reason": {"screen broken"}}, 422, "to", "device.state.unknown"},
		{"only through a hand-out", "CB-A001", url.Values{"to": {"on_loan"}, "reason": {"x"}}, 409, "to", "device.transition.via"},
		{"not allowed at all", "CB-A002", url.Values{"to": {"spare"}, "reason": {"x"}}, 409, "to", "device.transition.refused"},
		{"spare to stock without a reason", "CB-A004", url.Values{"to": {"in_stock"}}, 422, "reason", "device.transition.reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &invFixture{testMain: f.forTest(t), admin: f.admin}
			before, beforeAudit := f.state(tt.tag), lastAuditID(t, f.Store())
			res := f.post(desk, "/devices/"+tt.tag+"/transition", tt.form)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, tt.status, excerpt(res.Body))
			}
			doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("devicepage.title", "AssetTag", tt.tag))
			link := doc.Find(`.error-summary a[href="#` + tt.field + `"]`)
			if link.Length() != 1 || doc.Find("#"+tt.field).Length() != 1 {
				t.Errorf("the summary does not link to #%s on the page:\n%s", tt.field, doc.Find(".error-summary").Text())
			}
			if msg := nl.T(tt.key); !strings.Contains(tt.key, "refused") && !strings.Contains(tt.key, "via") && strings.TrimSpace(link.Text()) != msg {
				t.Errorf("summary says %q, want %q", link.Text(), msg)
			}
			if doc.Find("#"+tt.field+"-error").Length() != 1 {
				t.Errorf("no inline error for %s", tt.field)
			}
			if got := f.state(tt.tag); got != before {
				t.Errorf("state %s after a refused change, want %s", got, before)
			}
			if rows := auditSince(t, f.Store(), beforeAudit); len(rows) != 0 {
				t.Errorf("a refused change wrote %d audit rows", len(rows))
			}
			if v := doc.Find("#reason").Text(); v != tt.form.Get("reason") {
				t.Errorf("the reason typed was not kept: %q", v)
			}
		})
	}
	// The refusals read in words, with the states translated.
	res := f.post(desk, "/devices/CB-A002/transition", url.Values{"to": {"spare"}, "reason": {"x"}})
	if want := escaped(nl.T("device.transition.refused", "From", "in herstelling", "To", "reservevoorraad")); !strings.Contains(res.Body, want) {
		t.Errorf("the refusal does not say %q", want)
	}
	res = f.post(desk, "/devices/CB-A001/transition", url.Values{"to": {"on_loan"}, "reason": {"x"}})
	if want := escaped(nl.T("device.transition.via", "Via", nl.T("via.hand-out"))); !strings.Contains(res.Body, want) {
		t.Errorf("the refusal does not say %q", want)
	}

	t.Run("with a reason", func(t *testing.T) {
		f := &invFixture{testMain: f.forTest(t), admin: f.admin}
		res := f.post(desk, "/devices/CB-A001/transition", url.Values{"to": {"in_repair"}, "reason": {"scherm gebroken"}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/devices/CB-A001" {
			t.Fatalf("status %d Location %q, want 303 to the device page", res.StatusCode, loc)
		}
		if got := f.state("CB-A001"); got != traject.StateInRepair {
			t.Errorf("state %s, want in_repair", got)
		}
		doc := mustDoc(t, f.follow(desk, res).Body)
		if flash := doc.Find(".banner--success").Text(); !strings.Contains(flash, "in herstelling") {
			t.Errorf("flash %q", flash)
		}
		if row := doc.Find("tbody tr").First().Text(); !strings.Contains(row, "scherm gebroken") || !strings.Contains(row, invDeskANT) {
			t.Errorf("the history's newest row %q lacks the reason and the actor", row)
		}
	})
	t.Run("releasing a spare device with a reason", func(t *testing.T) {
		f := &invFixture{testMain: f.forTest(t), admin: f.admin}
		page := mustDoc(t, f.get(desk, "/devices/CB-A004").Body)
		if !strings.Contains(page.Find(".notice").Text(), nl.T("device.blocked.spare")) {
			t.Error("the spare device's page does not say why it is not lendable")
		}
		res := f.post(desk, "/devices/CB-A004/transition", url.Values{"to": {"in_stock"}, "reason": {"replaces CB-A002"}})
		if res.StatusCode != http.StatusSeeOther || f.state("CB-A004") != traject.StateInStock {
			t.Errorf("status %d, state %s", res.StatusCode, f.state("CB-A004"))
		}
	})
}

// TestInventoryBulkTransfer moves devices between regions from the list and
// receives them on the destination's page of incoming devices.
func TestInventoryBulkTransfer(t *testing.T) {
	f := newInvFixture(t)
	ant, bru := f.as(invDeskANT), f.as(invDeskBRU)
	nl := mustLocalizer(t, "nl")
	back := "/devices?state=&q=CB-A"

	res := f.post(ant, "/devices/transfer", url.Values{"asset_tag": {"CB-A001", "CB-A002"}, "to": {"BRU"}, "return": {back}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("a device in repair: status %d, want 409", res.StatusCode)
	}
	doc := checkPageFrame(t, res.Body, i18n.Languages[0], nl.T("error.prefix")+" "+nl.T("devices.title"))
	link := doc.Find(`.error-summary a[href="#select-CB-A002"]`)
	if link.Length() != 1 || !strings.HasPrefix(link.Text(), "CB-A002: ") || !strings.Contains(link.Text(), "in herstelling") {
		t.Errorf("the summary does not name CB-A002: %q", doc.Find(".error-summary").Text())
	}
	for _, tag := range []string{"CB-A001", "CB-A002"} {
		if _, ok := doc.Find("#select-" + tag).Attr("checked"); !ok {
			t.Errorf("%s is no longer checked", tag)
		}
	}
	if doc.Find(`#to option[value="BRU"][selected]`).Length() != 1 {
		t.Error("the region chosen was not kept")
	}
	if f.state("CB-A001") != traject.StateInStock {
		t.Error("a refused bulk transfer moved CB-A001")
	}
	for _, form := range []url.Values{
		{"to": {"BRU"}, "return": {back}},
		{"asset_tag": {"CB-A001"}, "to": {""}, "return": {back}},
	} {
		if res := f.post(ant, "/devices/transfer", form); res.StatusCode != http.StatusUnprocessableEntity ||
			mustDoc(t, res.Body).Find(".error-summary a").Length() != 1 {
			t.Errorf("transfer %v: status %d, want 422 with one error", form, res.StatusCode)
		}
	}

	res = f.post(ant, "/devices/transfer", url.Values{"asset_tag": {"CB-A001", "CB-A003"}, "to": {"BRU"}, "return": {back}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != back {
		t.Fatalf("status %d Location %q, want 303 back to the list", res.StatusCode, loc)
	}
	if flash := mustDoc(t, f.follow(ant, res).Body).Find(".banner--success").Text(); !strings.Contains(flash, nl.T("transfer.sent", "Count", 2, "Region", "Brussel")) {
		t.Errorf("flash %q", flash)
	}
	if res := f.post(ant, "/devices/transfer", url.Values{"asset_tag": {"CB-A005"}, "to": {"LIM"}, "return": {"https://evil.example/"}}); res.Header.Get("Location") != "/devices" {
		t.Errorf("a foreign return address was followed: %q", res.Header.Get("Location"))
	}

	incoming := mustDoc(t, f.get(bru, "/transfers").Body)
	for _, tag := range []string{"CB-A001", "CB-A003"} {
		if incoming.Find("#select-"+tag).Length() != 1 {
			t.Errorf("Brussels does not see %s coming", tag)
		}
	}
	if incoming.Find("#select-CB-A005").Length() != 0 {
		t.Error("Brussels sees a device on its way to Limburg")
	}
	if body := f.get(ant, "/transfers").Body; strings.Contains(body, "CB-A001") {
		t.Error("Antwerp sees its outgoing device as incoming")
	}
	if res := f.post(ant, "/transfers/receive", url.Values{"asset_tag": {"CB-A001"}}); res.StatusCode != http.StatusConflict ||
		!strings.Contains(mustDoc(t, res.Body).Find(".error-summary").Text(), "CB-A001: ") {
		t.Errorf("Antwerp received a device bound for Brussels: status %d", res.StatusCode)
	}
	if res := f.post(bru, "/transfers/receive", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("receiving nothing: status %d, want 422", res.StatusCode)
	}
	res = f.post(bru, "/transfers/receive", url.Values{"asset_tag": {"CB-A001", "CB-A003"}})
	if flash := mustDoc(t, f.follow(bru, res).Body).Find(".banner--success").Text(); !strings.Contains(flash, nl.T("transfer.received", "Count", 2)) {
		t.Errorf("flash %q", flash)
	}
	d, _ := f.Store().Device(f.admin, "CB-A003")
	if d.State != traject.StateInStock || d.RegionCode != "BRU" {
		t.Errorf("CB-A003 after receipt: %s in %s", d.State, d.RegionCode)
	}
	if res := f.get(bru, "/devices/CB-A003"); res.StatusCode != http.StatusOK {
		t.Errorf("Brussels cannot open its new device: %d", res.StatusCode)
	}
}

// TestInventoryDeliveryReceive receives serials from a scanner, one of them
// never announced, and records the arrival date.
func TestInventoryDeliveryReceive(t *testing.T) {
	f := newInvFixture(t)
	ant := f.as(invDeskANT)
	nl := mustLocalizer(t, "nl")

	if res := f.post(ant, "/deliveries/LEV-1/receive", url.Values{"serials": {" \n \n"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		mustDoc(t, res.Body).Find(`.error-summary a[href="#serials"]`).Length() != 1 {
		t.Errorf("no serials: status %d, want 422 linking to #serials", res.StatusCode)
	}
	res := f.post(ant, "/deliveries/LEV-1/receive", url.Values{"serials": {"S1\r\nS9\r\n\r\nS1\r\n"}})
	page := f.follow(ant, res)
	doc := mustDoc(t, page.Body)
	flash := doc.Find(".banner--success").Text()
	if !strings.Contains(flash, nl.T("deliverypage.received.one")) || !strings.Contains(flash, nl.T("deliverypage.unannounced", "Count", 1, "Serials", "S9")) {
		t.Errorf("flash %q", flash)
	}
	if got := doc.Find(".serials").Last().Text(); !strings.Contains(got, "S9") {
		t.Errorf("the unannounced list %q lacks S9", got)
	}
	if f.state("CB-L001") != traject.StateInStock {
		t.Error("S1 was not received")
	}
	res = f.post(ant, "/deliveries/LEV-1/receive", url.Values{"serials": {"S1"}})
	if flash := mustDoc(t, f.follow(ant, res).Body).Find(".banner--success").Text(); !strings.Contains(flash, nl.T("deliverypage.already", "Count", 1, "Serials", "S1")) {
		t.Errorf("a second receipt says %q", flash)
	}
	res = f.post(ant, "/deliveries/LEV-1/receive", url.Values{"serials": {"S2\nS3"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, escaped(nl.T("delivery.receive.region"))) {
		t.Errorf("Antwerp received Brussels' serial: status %d", res.StatusCode)
	}
	if f.state("CB-L002") != traject.StateExpected {
		t.Error("a refused receipt received S2")
	}
	if kept := mustDoc(t, res.Body).Find("#serials").Text(); kept != "S2\nS3" {
		t.Errorf("the serials typed were not kept: %q", kept)
	}

	res = f.post(ant, "/deliveries/LEV-1/arrival", url.Values{"arrived_on_day": {"31"}, "arrived_on_month": {"2"}, "arrived_on_year": {"2020"}})
	if res.StatusCode != http.StatusUnprocessableEntity || mustDoc(t, res.Body).Find(`.error-summary a[href="#arrived_on"]`).Length() != 1 {
		t.Errorf("31 February: status %d, want 422 linking to #arrived_on", res.StatusCode)
	}
	res = f.post(ant, "/deliveries/LEV-1/arrival", url.Values{"arrived_on_day": {"11"}, "arrived_on_month": {"5"}, "arrived_on_year": {"2020"}})
	body := f.follow(ant, res).Body
	if want := nl.T("delivery.delay.late", "Days", 41); !strings.Contains(body, want) {
		t.Errorf("the delivery page does not say %q", want)
	}
	if list := f.get(ant, "/deliveries").Body; !strings.Contains(list, nl.T("delivery.delay.late", "Days", 41)) {
		t.Error("the delivery list does not show the delay")
	}
}

// TestInventoryDeliveryNew announces a delivery: every mistake at once, then
// a valid one.
func TestInventoryDeliveryNew(t *testing.T) {
	f := newInvFixture(t)
	desk := f.as(invDeskANT)
	form := url.Values{"reference": {"LEV 2"}, "supplier": {""}, "planned_on_day": {"30"}, "planned_on_month": {"2"},
		"planned_on_year": {"2020"}, "planned_count": {"1.000"}, "allocation_ANT": {"600"}, "allocation_BRU": {"300"}}
	res := f.post(desk, "/deliveries", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := mustDoc(t, res.Body)
	for _, field := range []string{"reference", "supplier", "planned_on", "allocation"} {
		if doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 || doc.Find("#"+field).Length() != 1 {
			t.Errorf("no error for %s", field)
		}
	}
	if doc.Find(`.error-summary a[href="#planned_count"]`).Length() != 0 {
		t.Error("1.000 is not read as a thousand")
	}
	if doc.Find("#allocation-BRU").AttrOr("value", "") != "300" || doc.Find("#planned_on-month").AttrOr("value", "") != "2" {
		t.Error("the answers were not kept")
	}
	form.Set("reference", "LEV-2")
	form.Set("supplier", "Acme")
	form.Set("planned_on_day", "2")
	form.Set("allocation_LIM", "100")
	res = f.post(desk, "/deliveries", form)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/deliveries/LEV-2" {
		t.Fatalf("status %d Location %q\n%s", res.StatusCode, loc, excerpt(res.Body))
	}
	r, err := f.Store().Delivery(f.admin, "LEV-2")
	if err != nil || r.PlannedCount != 1000 || r.PlannedOn != invDate("2020-02-02") || r.Regions[2].Planned != 100 {
		t.Errorf("delivery %+v, %v", r, err)
	}
	if res := f.post(desk, "/deliveries", form); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, escaped(mustLocalizer(t, "nl").T("delivery.reference.taken"))) {
		t.Errorf("a second LEV-2: status %d", res.StatusCode)
	}
}

// TestInventorySIMForms suspends, terminates and moves SIMs from the device
// page, and shows why a 4G device without an active SIM cannot be lent.
func TestInventorySIMForms(t *testing.T) {
	f := newInvFixture(t)
	desk := f.as(invDeskANT)
	nl := mustLocalizer(t, "nl")
	a3, a5 := f.sims["CB-A003"], f.sims["CB-A005"]

	res := f.post(desk, "/sims/move", url.Values{"iccid": {a3}, "asset_tag": {"CB-A001"}, "from": {"CB-A003"}})
	if res.StatusCode != http.StatusConflict || mustDoc(t, res.Body).Find(`.error-summary a[href="#move_to"]`).Length() != 1 {
		t.Errorf("into a Wi-Fi device: status %d, want 409 linking to #move_to", res.StatusCode)
	}
	if kept := mustDoc(t, res.Body).Find("#move_to").AttrOr("value", ""); kept != "CB-A001" {
		t.Errorf("the target typed was not kept: %q", kept)
	}
	res = f.post(desk, "/sims/"+a5+"/state", url.Values{"state": {"suspended"}, "from": {"CB-A005"}})
	doc := mustDoc(t, f.follow(desk, res).Body)
	if !strings.Contains(doc.Find(".notice").Text(), nl.T("device.blocked.sim")) {
		t.Error("a 4G device with a suspended SIM does not say why it is not lendable")
	}
	if res := f.post(desk, "/sims/"+a5+"/state", url.Values{"state": {"terminated"}, "from": {"CB-A005"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("terminate: status %d", res.StatusCode)
	}
	res = f.post(desk, "/sims/move", url.Values{"iccid": {a3}, "asset_tag": {"CB-A005"}, "from": {"CB-A003"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/devices/CB-A005" {
		t.Fatalf("move: status %d Location %q", res.StatusCode, loc)
	}
	doc = mustDoc(t, f.get(desk, "/devices/CB-A003").Body)
	if doc.Find("#iccid").Length() != 1 || !strings.Contains(doc.Find(".notice").Text(), nl.T("device.blocked.sim")) {
		t.Error("the device the SIM left offers no form to put one in, or does not say why it is blocked")
	}
	if history := doc.Find("tbody").Text(); !strings.Contains(history, nl.T("timeline.device.sim.remove", "SIM", a3)) {
		t.Errorf("the history lacks the SIM's removal:\n%s", history)
	}
	res = f.post(desk, "/sims/move", url.Values{"iccid": {a3}, "asset_tag": {"CB-A003"}, "from": {"CB-A003"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("putting the SIM back: status %d", res.StatusCode)
	}
	// The bundles end on 31 December 2020, long ago: CB-A003's is on the list.
	if ending := mustDoc(t, f.get(desk, "/sims/ending").Body); ending.Find(`a[href="/devices/CB-A003"]`).Length() != 1 {
		t.Error("the bundle that ended is not on the list of ending bundles")
	}
	// Lendable in Antwerp: CB-A001 (Wi-Fi) and CB-A003 (its SIM is back);
	// not CB-A005, whose SIM was terminated.
	stock := mustDoc(t, f.get(desk, "/stock").Body)
	if got := stock.Find("#stock-ANT + .stock__lendable").Text(); got != nl.T("stock.lendable", "Count", 2) {
		t.Errorf("Antwerp lendable %q, want %q", got, nl.T("stock.lendable", "Count", 2))
	}
}

package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
)

// TestSpareNeverLentThroughAnyDoor tries every door a spare-pool device could
// be lent through — the API, the staff page, an import, a new device created
// on loan, a reservation through the API, a loans import — and checks that
// it stays in the pool. The store test
// TestSpareDeviceIsNeverLent covers the database's own guard.
func TestSpareNeverLentThroughAnyDoor(t *testing.T) {
	f := newInvFixture(t) // CB-A004 is a spare in Antwerp
	token := f.mustToken(f.mustUser("api@example.org", traject.RoleAdmin, ""))

	res := f.apiJSON(token, "POST", "/api/v1/devices/CB-A004/transitions", `{"to":"on_loan","reason":"a learner needs one"}`, nil)
	if res.StatusCode != http.StatusConflict {
		t.Errorf("API transition: %d %s", res.StatusCode, res.Body)
	}
	res = f.apiJSON(token, "POST", "/api/v1/devices", `{"asset_tag":"CB-X1","serial":"X1","model":"m","kind":"laptop","connectivity":"wifi","region":"ANT","state":"on_loan"}`, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("API create on loan: %d %s", res.StatusCode, res.Body)
	}

	desk := f.as(invDeskANT)
	res = f.post(desk, "/devices/CB-A004/transition", url.Values{"to": {"on_loan"}, "reason": {"a learner needs one"}})
	if res.StatusCode != http.StatusConflict && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("page transition: %d", res.StatusCode)
	}

	file := filepath.Join(t.TempDir(), "devices.csv")
	csv := "asset_tag,serial,model,kind,connectivity,region,delivery,state,sim_iccid,sim_bundle_until\n" +
		"CB-X2,X2,m,laptop,wifi,ANT,,on_loan,,\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, nil, "", "import", "devices", file, "--db", f.Config.DB)
	if code != exitRejected || !strings.Contains(stderr, file+":2: state") {
		t.Errorf("import on loan: exit %d, %q", code, stderr)
	}

	// Reservations and loans: POST /api/v1/loans asking for the spare by its
	// tag, and an import of a loan of it.
	l := &traject.Learner{Ref: "L-ANT", FirstName: "Amal", LastName: "A", BirthDate: invDate("1990-01-01"), Language: "ar",
		RegionCode: "ANT", Obligation: traject.Obliged}
	if err := f.Store().CreateLearner(f.admin, l); err != nil {
		t.Fatal(err)
	}
	res = f.apiJSON(token, "POST", "/api/v1/loans", `{"learner":"L-ANT","course":"","region":"ANT","connectivity":"wifi","from":"2020-09-01","until":"2020-09-30","asset_tag":"CB-A004"}`, nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "device.blocked.spare") {
		t.Errorf("API reservation of the spare: %d %s", res.StatusCode, res.Body)
	}
	loans := writeFile(t, "loans.csv", "asset_tag,learner,course,from,until,handed_out,returned\nCB-A004,L-ANT,,2020-05-11,2020-06-30,2020-05-11,2020-06-30\n")
	code, _, stderr = runCLI(t, nil, "", "import", "loans", loans, "--db", f.Config.DB)
	if code != exitRejected || !strings.Contains(stderr, loans+":2: asset_tag: device CB-A004 is spare") {
		t.Errorf("import a loan of the spare: exit %d, %q", code, stderr)
	}
	if list, err := f.Store().Loans(f.admin, store.LoanFilter{AssetTag: "CB-A004"}); err != nil || len(list) != 0 {
		t.Errorf("the spare has %d loans, %v", len(list), err)
	}

	if got := f.state("CB-A004"); got != traject.StateSpare {
		t.Errorf("the spare device is now %s", got)
	}
	for _, tag := range []string{"CB-X1", "CB-X2"} {
		if _, err := f.Store().Device(f.admin, tag); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("%s exists: %v", tag, err)
		}
	}
}

// TestStockAlwaysVisibleWhenTransferring: the device list and the incoming
// transfers show every region's stock per connectivity, also to a regional desk.
func TestStockAlwaysVisibleWhenTransferring(t *testing.T) {
	f := newInvFixture(t) // ANT: CB-A001 Wi-Fi, CB-A003 and CB-A005 4G in stock; BRU: CB-B001 Wi-Fi
	desk := f.as(invDeskBRU)
	for _, path := range []string{"/devices", "/transfers"} {
		res := f.get(desk, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		body := strings.Join(strings.Fields(res.Body), " ")
		for _, want := range []string{"In voorraad per regio", "<th scope=\"row\">Antwerpen</th><td>1</td><td>2</td>", "<th scope=\"row\">Brussel</th><td>1</td><td>0</td>"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
}

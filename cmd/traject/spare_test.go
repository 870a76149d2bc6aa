package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traject"
)

// TestSpareNeverLentThroughAnyDoor tries every door a spare-pool device could
// be lent through today — the API, the staff page, an import, a new device
// created on loan — and checks that it stays in the pool. The store test
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

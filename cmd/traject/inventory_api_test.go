package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"traject"
)

// apiJSON sends a JSON body with a bearer token and decodes a JSON answer.
func (tm *testMain) apiJSON(token, method, path, body string, out any) *response {
	tm.t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}}
	if body != "" {
		h.Set("Content-Type", "application/json")
	}
	res := tm.do(tm.client(), method, path, strings.NewReader(body), h)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal([]byte(res.Body), out); err != nil {
			tm.t.Fatalf("%s %s: %v in %s", method, path, err, res.Body)
		}
	}
	return res
}

func TestAPIInventory(t *testing.T) {
	tm := mustRun(t, "")
	admin := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	bruDesk := tm.mustToken(tm.mustUser("desk.bru@example.org", traject.RoleDesk, "BRU"))
	teacher := tm.mustToken(tm.mustUser("teacher@example.org", traject.RoleTeacher, "ANT"))

	res := tm.apiJSON(admin, "POST", "/api/v1/deliveries",
		`{"reference":"LEV-2020-1","supplier":"Acme","planned_on":"2020-03-31","planned_count":2,"allocation":{"ANT":1,"BRU":1}}`, nil)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/deliveries/LEV-2020-1" {
		t.Fatalf("create delivery: %d %s", res.StatusCode, res.Body)
	}
	res = tm.apiJSON(admin, "POST", "/api/v1/deliveries", `{"reference":"LEV-2020-2","supplier":"Acme","planned_on":"31/03/2020","planned_count":1}`, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "YYYY-MM-DD") {
		t.Errorf("bad date: %d %s", res.StatusCode, res.Body)
	}

	var dev struct {
		AssetTag string                  `json:"asset_tag"`
		ID       int64                   `json:"id"`
		Region   string                  `json:"region"`
		State    string                  `json:"state"`
		Lendable bool                    `json:"lendable"`
		SIM      *struct{ ICCID string } `json:"sim"`
	}
	res = tm.apiJSON(admin, "POST", "/api/v1/devices", `{"asset_tag":"CB-0001","serial":"S1","model":"Chromebook 11","kind":"chromebook",
		"connectivity":"4g","region":"Antwerpen","delivery":"LEV-2020-1","sim":{"iccid":"8932 0000 0000 0000 006","bundle_until":"2020-12-31"}}`, &dev)
	if res.StatusCode != http.StatusCreated || dev.AssetTag != "CB-0001" || dev.ID == 0 || dev.Region != "ANT" || !dev.Lendable || dev.SIM == nil {
		t.Fatalf("create device: %d %s", res.StatusCode, res.Body)
	}
	for name, body := range map[string]string{
		"4g without sim":  `{"asset_tag":"CB-0002","serial":"S2","model":"m","kind":"chromebook","connectivity":"4g","region":"ANT"}`,
		"bad iccid":       `{"asset_tag":"CB-0002","serial":"S2","model":"m","kind":"chromebook","connectivity":"4g","region":"ANT","sim":{"iccid":"123"}}`,
		"bad tag":         `{"asset_tag":"C B","serial":"S2","model":"m","kind":"chromebook","connectivity":"wifi","region":"ANT"}`,
		"unknown kind":    `{"asset_tag":"CB-0002","serial":"S2","model":"m","kind":"tablet","connectivity":"wifi","region":"ANT"}`,
		"unknown region":  `{"asset_tag":"CB-0002","serial":"S2","model":"m","kind":"laptop","connectivity":"wifi","region":"Gent"}`,
		"not json":        `{"asset_tag":`,
		"unknown deliver": `{"asset_tag":"CB-0002","serial":"S2","model":"m","kind":"laptop","connectivity":"wifi","region":"ANT","delivery":"NOPE"}`,
	} {
		res := tm.apiJSON(admin, "POST", "/api/v1/devices", body, nil)
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, res.StatusCode, res.Body)
		}
		if res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: content type %q", name, res.Header.Get("Content-Type"))
		}
	}
	if res := tm.apiJSON(admin, "POST", "/api/v1/devices", `{"asset_tag":"CB-0001","serial":"S9","model":"m","kind":"laptop","connectivity":"wifi","region":"ANT"}`, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("duplicate tag: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(bruDesk, "POST", "/api/v1/devices", `{"asset_tag":"CB-0005","serial":"S5","model":"m","kind":"laptop","connectivity":"wifi","region":"ANT"}`, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("BRU desk creating in ANT: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(teacher, "POST", "/api/v1/devices", `{}`, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("teacher: %d", res.StatusCode)
	}

	// Transitions: refused ones change nothing; a manual one needs a reason.
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"to":"on_loan","reason":"x"}`, http.StatusConflict},
		{`{"to":"spare","reason":""}`, http.StatusUnprocessableEntity},
		{`{"to":"borrowed","reason":"x"}`, http.StatusUnprocessableEntity},
		{`{"to":"in_repair","reason":"screen"}`, http.StatusOK},
	} {
		body, want := tc.body, tc.want
		if res := tm.apiJSON(admin, "POST", "/api/v1/devices/CB-0001/transitions", body, nil); res.StatusCode != want {
			t.Errorf("transition %s: %d, want %d: %s", body, res.StatusCode, want, res.Body)
		}
	}
	if res := tm.apiJSON(bruDesk, "GET", "/api/v1/devices/CB-0001", "", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another region's device: %d", res.StatusCode)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/devices/CB-0001", "", &dev); res.StatusCode != http.StatusOK || dev.State != "in_repair" || dev.Lendable {
		t.Errorf("after repair: %d %+v", res.StatusCode, dev)
	}

	var list struct {
		Items []struct {
			AssetTag string `json:"asset_tag"`
		} `json:"items"`
		Next string `json:"next"`
	}
	if res := tm.apiJSON(bruDesk, "GET", "/api/v1/devices", "", &list); res.StatusCode != http.StatusOK || len(list.Items) != 0 {
		t.Errorf("BRU list: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/devices?limit=1000", "", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("limit 1000: %d", res.StatusCode)
	}
	var stock struct {
		Items []struct {
			Region, Connectivity string
			States               map[string]int
			Total                int
		} `json:"items"`
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/stock", "", &stock); res.StatusCode != http.StatusOK || len(stock.Items) != 1 ||
		stock.Items[0].States["in_repair"] != 1 || stock.Items[0].States["in_stock"] != 0 || stock.Items[0].Total != 1 {
		t.Errorf("stock: %d %s", res.StatusCode, res.Body)
	}
	var report struct {
		Received int      `json:"received_count"`
		Missing  []string `json:"missing_serials"`
		Regions  []struct {
			Region  string
			Planned int
		} `json:"regions"`
	}
	if res := tm.apiJSON(teacher, "GET", "/api/v1/deliveries/LEV-2020-1", "", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("teacher reads deliveries: %d", res.StatusCode)
	}
	if res := tm.apiJSON(bruDesk, "GET", "/api/v1/deliveries/LEV-2020-1", "", &report); res.StatusCode != http.StatusOK || len(report.Regions) != 6 || report.Regions[1].Planned != 1 {
		t.Errorf("delivery report: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(admin, "GET", "/api/v1/deliveries/NOPE", "", nil); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "NOPE") {
		t.Errorf("unknown delivery: %d %s", res.StatusCode, res.Body)
	}
}

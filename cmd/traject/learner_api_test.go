package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"traject"
	"traject/internal/config"
)

// TestAPILearners walks the learner API: create (201 with Location), read,
// list and search with keyset pages and the region scope, change, the
// problem documents of bad input, and the reveal with and without the right.
func TestAPILearners(t *testing.T) {
	tm := mustRun(t, "", func(c *config.Config) { c.SecretKey = testSecretKey })
	admin := tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, ""))
	coord := tm.mustToken(tm.mustUser("coord@example.org", traject.RoleCoordinator, "ANT"))
	bru := tm.mustToken(tm.mustUser("coord.bru@example.org", traject.RoleCoordinator, "BRU"))
	enforcement := tm.mustToken(tm.mustUser("enf@example.org", traject.RoleEnforcement, ""))
	birth, _ := traject.ParseDate("1985-07-30")
	n := traject.MakeNationalNumber(birth, 33)

	var got Learner
	res := tm.apiJSON(coord, "POST", "/api/v1/learners", `{"ref":"INB-0001","first_name":"Amina","last_name":"El Amrani",
		"birth_date":"1985-07-30","national_number":"`+n.Format()+`","language":"AR","region":"Antwerpen","obligation":"obliged"}`, &got)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/learners/INB-0001" ||
		got.ID == 0 || got.Region != "ANT" || got.Language != "ar" || got.NationalNumberMasked != n.Mask() {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	for i := range 5 {
		body := fmt.Sprintf(`{"ref":"INB-1%03d","first_name":"Jan","last_name":"Peeters","birth_date":"1990-01-01","language":"nl","region":"ANT","obligation":"entitled"}`, i)
		if res := tm.apiJSON(admin, "POST", "/api/v1/learners", body, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("create %d: %d %s", i, res.StatusCode, res.Body)
		}
	}
	problems := []struct {
		name, token, body string
		status            int
		locations         string
	}{
		{"bad fields", admin, `{"ref":"a/b","first_name":"","last_name":"X","birth_date":"1985-02-30","language":"xx","region":"NAM","obligation":"obliged"}`,
			422, "body.birth_date"},
		{"domain rules", admin, `{"ref":"a/b","first_name":"","last_name":"X","birth_date":"1985-07-30","national_number":"12345","language":"xx","region":"NAM","obligation":"obliged"}`,
			422, "body.ref body.first_name body.national_number body.language body.region"},
		{"taken reference", admin, `{"ref":"INB-0001","first_name":"A","last_name":"B","birth_date":"1985-07-30","language":"nl","region":"ANT","obligation":"obliged"}`,
			409, "body.ref"},
		{"another region", coord, `{"ref":"INB-9","first_name":"A","last_name":"B","birth_date":"1985-07-30","language":"nl","region":"BRU","obligation":"obliged"}`,
			403, ""},
	}
	for _, p := range problems {
		res := tm.apiJSON(p.token, "POST", "/api/v1/learners", p.body, nil)
		if res.StatusCode != p.status || locations(t, res.Body) != p.locations {
			t.Errorf("%s: %d %s", p.name, res.StatusCode, res.Body)
		}
	}

	var page struct {
		Items []Learner
		Next  string
	}
	tm.apiJSON(coord, "GET", "/api/v1/learners?q=peet&limit=3", "", &page)
	if len(page.Items) != 3 || page.Next != "INB-1002" {
		t.Fatalf("first page: %+v", page)
	}
	after := page.Next
	page.Next = ""
	tm.apiJSON(coord, "GET", "/api/v1/learners?q=peet&limit=3&after="+after, "", &page)
	if len(page.Items) != 2 || page.Next != "" {
		t.Errorf("second page: %+v", page)
	}
	for token, want := range map[string]int{coord: 1, bru: 0, enforcement: 1} {
		page.Items = nil
		tm.apiJSON(token, "POST", "/api/v1/learners/search", `{"national_number":"`+n.Digits()+`"}`, &page)
		if len(page.Items) != want {
			t.Errorf("search by number: %d found, want %d", len(page.Items), want)
		}
	}
	if res := tm.apiJSON(bru, "GET", "/api/v1/learners/INB-0001", "", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another region's learner: %d", res.StatusCode)
	}
	res = tm.apiJSON(coord, "PUT", "/api/v1/learners/INB-0001", `{"first_name":"Amina","last_name":"Benali","birth_date":"1985-07-30",
		"language":"ar","region":"ANT","obligation":"entitled","counsellor":"coord@example.org"}`, &got)
	if res.StatusCode != http.StatusOK || got.LastName != "Benali" || got.NationalNumberMasked != n.Mask() || got.Counsellor != "coord@example.org" {
		t.Errorf("update: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(coord, "POST", "/api/v1/learners/INB-0001/reveal", "", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("reveal by a coordinator: %d %s", res.StatusCode, res.Body)
	}
	var revealed struct {
		NationalNumber string `json:"national_number"`
	}
	res = tm.apiJSON(enforcement, "POST", "/api/v1/learners/INB-0001/reveal", "", &revealed)
	if res.StatusCode != http.StatusOK || revealed.NationalNumber != n.Format() {
		t.Errorf("reveal by enforcement: %d %s", res.StatusCode, res.Body)
	}
	if res := tm.apiJSON(enforcement, "POST", "/api/v1/learners/INB-1000/reveal", "", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("reveal without a number on file: %d %s", res.StatusCode, res.Body)
	}
}

// Learner is the JSON of a learner, as a client reads it.
type Learner struct {
	ID                   int64  `json:"id"`
	Ref                  string `json:"ref"`
	LastName             string `json:"last_name"`
	Region               string `json:"region"`
	Language             string `json:"language"`
	Counsellor           string `json:"counsellor"`
	NationalNumberMasked string `json:"national_number_masked"`
}

// locations lists the locations of a problem's errors, in order.
func locations(t *testing.T, body string) string {
	t.Helper()
	var p struct{ Errors []struct{ Location string } }
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return strings.Join(out, " ")
}

// TestCLIImportLearners: the command line imports learners with their
// numbers sealed, and without TRAJECT_SECRET_KEY refuses a file with numbers,
// naming the setting, with nothing changed.
func TestCLIImportLearners(t *testing.T) {
	birth, _ := traject.ParseDate("1985-07-30")
	n := traject.MakeNationalNumber(birth, 33)
	file := writeFile(t, "learners.csv", "ref;first_name;last_name;birth_date;national_number;region;phone;email;language;obligation\n"+
		"INB-1;Amina;El Amrani;1985-07-30;"+n.Format()+";Antwerpen;0470 12 34 56;;ar;obliged\n"+
		"INB-2;Jan;Peeters;1990-01-01;;LIM;;jan@example.org;nl;entitled\n")
	db := "sqlite:" + t.TempDir() + "/traject.db"
	code, _, stderr := runCLI(t, map[string]string{"TRAJECT_DB": db}, "", "import", "learners", file)
	if code != exitRejected || !strings.Contains(stderr, "TRAJECT_SECRET_KEY") || strings.Contains(stderr, n.Digits()[:9]) {
		t.Errorf("without a key: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, map[string]string{"TRAJECT_DB": db, "TRAJECT_SECRET_KEY": testSecretKey}, "", "import", "learners", file)
	if code != exitOK || stdout != "imported 2 learners from "+file+"\n" {
		t.Errorf("with a key: exit %d, %q %q", code, stdout, stderr)
	}
}

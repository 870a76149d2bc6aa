package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"traject"
	"traject/internal/importer"
	"traject/internal/store/storetest"
)

const (
	deliveriesCSV = "reference;supplier;planned_on;planned_count;arrived_on\nD-1;Acme;2020-03-31;2;2020-05-11\nD-2;Acme;2020-06-01;1;\n"
	devicesHeader = "asset_tag,serial,model,kind,connectivity,region,delivery,state,sim_iccid,sim_bundle_until\n"
	devicesCSV    = devicesHeader + "CB-1,SN1,Chromebook,chromebook,wifi,ANT,D-1,,,\nCB-2,SN2,Chromebook,laptop,wifi,Limburg,D-2,,,\n"
	badDevicesCSV = devicesHeader + "CB-1,SN1,Chromebook,chromebook,wifi,ANT,D-1,,,\nCB-2,SN2,Chromebook,tablet,wifi,ANT,D-9,,,\n"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCLIImport runs traject import as a person would: every rejected row on
// stderr as FILE:LINE: column: reason and exit 1 with nothing changed, a
// summary on success, exit 2 for wrong usage.
func TestCLIImport(t *testing.T) {
	vars := map[string]string{"TRAJECT_DB": storetest.SQLiteURL(t)}
	deliveries, devices := writeFile(t, "deliveries.csv", deliveriesCSV), writeFile(t, "devices.csv", devicesCSV)
	bad, empty := writeFile(t, "bad.csv", badDevicesCSV), writeFile(t, "empty.csv", "")
	folder := filepath.Join(t.TempDir(), "folder.csv")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string // exact; stderr "" means any one line that holds want
		want           string
	}{
		{name: "deliveries", args: []string{"import", "deliveries", deliveries}, code: exitOK, stdout: "imported 2 deliveries from " + deliveries + "\n"},
		{name: "bad devices", args: []string{"import", "devices", bad}, code: exitRejected,
			stderr: bad + ":3: kind: use chromebook or laptop\n" + bad + ":3: delivery: there is no delivery D-9: import the deliveries first\n" +
				"traject: " + bad + " was not imported: 1 row was rejected; nothing was changed\n"},
		{name: "dry run", args: []string{"import", "devices", devices, "--dry-run"}, code: exitOK,
			stdout: "checked 2 devices in " + devices + ": all good; nothing was changed (dry run)\n"},
		{name: "devices", args: []string{"import", "devices", devices}, code: exitOK, stdout: "imported 2 devices from " + devices + "\n"},
		{name: "devices again", args: []string{"import", "devices", devices}, code: exitRejected, want: devices + ":2: asset_tag: a device with asset tag CB-1 already exists"},
		{name: "empty file", args: []string{"import", "devices", empty}, code: exitRejected,
			stderr: "traject: " + empty + ": the file is empty: it needs a header line and one line per row; nothing was changed\n"},
		{name: "no such file", args: []string{"import", "devices", "/nonexistent/devices.csv"}, code: exitRejected, want: "there is no such file"},
		{name: "a folder", args: []string{"import", "devices", folder}, code: exitRejected, want: folder + " is a folder, not a file"},
		{name: "devices as loans", args: []string{"import", "loans", devices}, code: exitRejected, want: devices + ":1: serial: unknown column; the columns are asset_tag, learner, course, from, until, handed_out, returned"},
		{name: "unknown kind", args: []string{"import", "cats", devices}, code: exitUsage, want: `cannot import "cats"; what can be imported: deliveries, devices, learners`},
		{name: "wrong extension", args: []string{"import", "devices", "devices.xls"}, code: exitUsage, want: "must end in .csv or .xlsx"},
		{name: "no file", args: []string{"import", "devices"}, code: exitUsage, want: "usage: traject import KIND FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, vars, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			if tt.stdout != "" || tt.code != exitOK {
				if stdout != tt.stdout {
					t.Errorf("stdout = %q, want %q", stdout, tt.stdout)
				}
			}
			if tt.stderr != "" && stderr != tt.stderr {
				t.Errorf("stderr = %q, want %q", stderr, tt.stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

// TestAPIImport covers the import endpoints: success, a 422 that lists every
// rejected row, a dry run, XLSX, 413, 415 and the permission.
func TestAPIImport(t *testing.T) {
	tm := mustRun(t, "")
	admin := bearer(tm.mustToken(tm.mustUser("admin@example.org", traject.RoleAdmin, "")))
	teacher := bearer(tm.mustToken(tm.mustUser("teacher@example.org", traject.RoleTeacher, "LIM")))
	post := func(path, contentType string, body io.Reader, h http.Header) *response {
		h = h.Clone()
		h.Set("Content-Type", contentType)
		return tm.do(tm.client(), http.MethodPost, path, body, h)
	}
	res := post("/api/v1/imports/deliveries", "text/csv; charset=utf-8", strings.NewReader(deliveriesCSV), admin)
	if res.StatusCode != http.StatusOK || res.Body != `{"kind":"deliveries","dry_run":false,"rows":2,"imported":2}`+"\n" {
		t.Fatalf("deliveries: %d %s", res.StatusCode, res.Body)
	}

	res = post("/api/v1/imports/devices", "text/csv", strings.NewReader(badDevicesCSV), admin)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad devices: %d %s", res.StatusCode, res.Body)
	}
	checkProblem(t, res)
	var p struct {
		Detail string
		Errors []struct{ Location, Message string }
	}
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, e := range p.Errors {
		got = append(got, e.Location)
	}
	if strings.Join(got, "|") != "line 3, kind|line 3, delivery" || !strings.Contains(p.Detail, "Rows with a problem: 1") {
		t.Errorf("422 = %s", res.Body)
	}

	res = post("/api/v1/imports/devices?dry_run=true", "text/csv", strings.NewReader(devicesCSV), admin)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"dry_run":true,"rows":2,"imported":0`) {
		t.Errorf("dry run: %d %s", res.StatusCode, res.Body)
	}
	res = post("/api/v1/imports/devices", importer.MediaTypeXLSX, bytes.NewReader(devicesXLSX(t)), admin)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"imported":2`) {
		t.Errorf("XLSX: %d %s", res.StatusCode, res.Body)
	}
	if _, err := tm.Store().Device(traject.NewContextWithUser(context.Background(), &traject.User{Role: traject.RoleAdmin}), "XB-2"); err != nil {
		t.Errorf("XB-2 after the XLSX import: %v", err)
	}

	for _, sc := range []struct {
		name, contentType string
		body              io.Reader
		h                 http.Header
		status            int
		want              string
	}{
		{"JSON is no file", "application/json", strings.NewReader(`{}`), admin, http.StatusUnsupportedMediaType, "text/csv"},
		{"over 50 MB, streamed", "text/csv", io.MultiReader(strings.NewReader(devicesHeader), &zeros{n: importer.MaxBytes}), admin,
			http.StatusRequestEntityTooLarge, "larger than 50 MB"},
		{"a broken workbook", importer.MediaTypeXLSX, strings.NewReader("PK\x03\x04"), admin, http.StatusUnprocessableEntity, "not a readable XLSX file"},
		{"no permission", "text/csv", strings.NewReader(devicesCSV), teacher, http.StatusForbidden, "devices:write"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			res := post("/api/v1/imports/devices", sc.contentType, sc.body, sc.h)
			if res.StatusCode != sc.status || !strings.Contains(res.Body, sc.want) {
				t.Errorf("%d %s", res.StatusCode, res.Body)
			}
			checkProblem(t, res)
		})
	}
}

// zeros reads n zero bytes: a large body that is never in memory.
type zeros struct{ n int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.n)
	clear(p[:n])
	z.n -= n
	return n, nil
}

// devicesXLSX is devicesCSV with other tags and serials, as a workbook.
func devicesXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	csv := strings.ReplaceAll(strings.ReplaceAll(devicesCSV, "CB-", "XB-"), "SN", "XSN")
	for i, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		cells := strings.Split(line, ",")
		row := make([]any, len(cells))
		for j, c := range cells {
			row[j] = c
		}
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWebImport uploads a file, sees the dry run, confirms, and finds the
// devices; a bad file shows every problem and changes nothing.
func TestWebImport(t *testing.T) {
	tm := mustRun(t, "")
	tm.mustUser("admin@example.org", traject.RoleAdmin, "")
	c := tm.client()
	tm.login(c, "admin@example.org")
	if res := tm.get(c, "/imports?lang=en"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("form: %d", res.StatusCode)
	}
	upload(t, tm, c, "deliveries", "deliveries.csv", deliveriesCSV)
	confirm(t, tm, c, "/deliveries")

	res := upload(t, tm, c, "devices", "bad.csv", badDevicesCSV)
	for _, want := range []string{"Rows with a problem: 1", "Choose Chromebook or laptop", "There is no delivery D-9. Import the deliveries first.", "<td class=\"numeric\">3</td>"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("bad file page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, `name="id"`) {
		t.Error("a rejected file can be confirmed")
	}
	res = upload(t, tm, c, "devices", "devices.csv", devicesCSV)
	if !strings.Contains(res.Body, "Devices to import: 2") {
		t.Errorf("good file page: %s", res.Body)
	}
	confirm(t, tm, c, "/devices")
	if res := tm.get(c, "/devices/CB-2"); res.StatusCode != http.StatusOK {
		t.Errorf("CB-2: %d", res.StatusCode)
	}
	// The same confirmation twice imports nothing twice.
	res = tm.do(c, http.MethodPost, "/imports/confirm", strings.NewReader(url.Values{"id": {"00"}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "no longer here") {
		t.Errorf("second confirm: %d", res.StatusCode)
	}
}

var confirmID = regexp.MustCompile(`name="id" value="([0-9a-f]+)"`)

// lastID is the confirmation id of the last upload page.
var lastID string

func upload(t *testing.T, tm *testMain, c *http.Client, kind, name, content string) *response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	res := tm.do(c, http.MethodPost, "/imports?lang=en", &body, http.Header{"Content-Type": {mw.FormDataContentType()}, "Sec-Fetch-Site": {"same-origin"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("upload %s: %d %s", name, res.StatusCode, res.Body)
	}
	if m := confirmID.FindStringSubmatch(res.Body); m != nil {
		lastID = m[1]
	}
	return res
}

func confirm(t *testing.T, tm *testMain, c *http.Client, wantTo string) {
	t.Helper()
	res := tm.do(c, http.MethodPost, "/imports/confirm", strings.NewReader(url.Values{"id": {lastID}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != wantTo {
		t.Fatalf("confirm: %d %s %s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
}

package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"traject"
	"traject/internal/demo"
	"traject/internal/store/storetest"
)

// chromebooksCSV is the minister's 2020 table, in the shared data beside the
// repository.
var chromebooksCSV = filepath.Join("..", "..", "testdata", "chromebooks-2020-by-region.csv")

// demoDB writes the demo into a new SQLite file and returns its --db value.
func demoDB(t *testing.T) string {
	t.Helper()
	url := storetest.SQLiteURL(t)
	s := storetest.OpenURL(t, url)
	if err := demo.Seed(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return url
}

func readCSV(t *testing.T, text string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("not CSV: %v\n%s", err, text)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestReportDemoReproducesThe2020Table runs device-usage over the demo and
// finds, for every row of the minister's table, the devices lent or
// reserved, with the cells the demo documents (internal/demo/loans.go): the
// three 4G cells before any 4G device was in stock are lent as Wi-Fi, and no
// region lends more 4G devices than it holds.
func TestReportDemoReproducesThe2020Table(t *testing.T) {
	raw, err := os.ReadFile(chromebooksCSV)
	if err != nil {
		t.Fatalf("the 2020 table: %v", err)
	}
	db := demoDB(t)
	code, stdout, stderr := runCLI(t, nil, "", "report", "device-usage", "--from", "2020-05", "--to", "2020-12", "--format", "csv", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := map[string]map[string]string{}
	for _, r := range readCSV(t, stdout) {
		got[r["region"]+" "+r["period_from"]+" "+r["period_to"]] = r
	}
	table := readCSV(t, string(raw))
	matched := 0
	for _, want := range table {
		key := want["region"] + " " + want["course_from"] + " " + want["course_to"]
		wifi, _ := strconv.Atoi(want["used_wifi"])
		fourG, _ := strconv.Atoi(want["used_4g"])
		row, ok := got[key]
		if !ok {
			if wifi+fourG != 0 {
				t.Errorf("%s: no row in the report", key)
			}
			continue
		}
		matched++
		region, _ := traject.ParseRegion(want["region"])
		stock4G, _ := strconv.Atoi(row["stock_4g"])
		if demo.NoFourGYet[region.Code+" "+want["course_from"]] {
			wifi, fourG = wifi+fourG, 0
		} else if fourG > stock4G {
			wifi, fourG = wifi+fourG-stock4G, stock4G
		}
		lent, reserved := "lent_", "reserved_"
		if want["status"] == "reserved" {
			lent, reserved = reserved, lent
		}
		for col, n := range map[string]int{lent + "wifi": wifi, lent + "4g": fourG, reserved + "wifi": 0, reserved + "4g": 0} {
			if row[col] != strconv.Itoa(n) {
				t.Errorf("%s: %s = %s, want %d", key, col, row[col], n)
			}
		}
	}
	if matched != len(got) || matched < 25 {
		t.Errorf("the report has %d rows, %d of them in the table", len(got), matched)
	}
	t.Run("formats hold the same figures", func(t *testing.T) { checkFormats(t, db, stdout) })
}

// checkFormats writes device-usage as JSON and XLSX and reads both back:
// they hold the CSV's figures, cell for cell.
func checkFormats(t *testing.T, db, csvText string) {
	want := readCSV(t, csvText)
	args := []string{"report", "device-usage", "--from", "2020-05", "--to", "2020-12", "--db", db}
	code, stdout, stderr := runCLI(t, nil, "", append(args, "--format", "json")...)
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Report  string           `json:"report"`
		Columns []string         `json:"columns"`
		Rows    []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || doc.Report != "device-usage" || len(doc.Rows) != len(want) {
		t.Fatalf("json: %v, %d rows, want %d", err, len(doc.Rows), len(want))
	}
	out := filepath.Join(t.TempDir(), "usage.xlsx")
	if code, _, stderr := runCLI(t, nil, "", append(args, "--out", out)...); code != exitOK {
		t.Fatalf("xlsx: exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, err := f.GetRows("device-usage")
	if err != nil || len(sheet) != len(want)+1 || strings.Join(sheet[0], ",") != strings.Join(doc.Columns, ",") {
		t.Fatalf("xlsx: %v, %d rows, header %v", err, len(sheet), sheet)
	}
	for i, w := range want {
		for j, col := range doc.Columns {
			js := doc.Rows[i][col]
			if n, ok := js.(float64); ok {
				js = strconv.FormatFloat(n, 'f', -1, 64)
			}
			if js != w[col] || sheet[i+1][j] != w[col] {
				t.Errorf("row %d %s: csv %q, json %v, xlsx %q", i, col, w[col], doc.Rows[i][col], sheet[i+1][j])
			}
		}
	}
}

func TestReportCommandUsageAndInput(t *testing.T) {
	db := storetest.SQLiteURL(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown report", []string{"report", "nonsense"}, exitUsage, "loans-by-month"},
		{"no report", []string{"report"}, exitUsage, "usage"},
		{"bad format", []string{"report", "summary", "--format", "pdf"}, exitUsage, "--format"},
		{"xlsx to the terminal", []string{"report", "summary", "--format", "xlsx"}, exitUsage, "--out"},
		{"at on another report", []string{"report", "summary", "--at", "2020-05-01"}, exitUsage, "--at"},
		{"bad month", []string{"report", "loans-by-month", "--from", "2020-13"}, exitRejected, "--from"},
		{"bad to", []string{"report", "loans-by-month", "--to", "May"}, exitRejected, "--to"},
		{"backwards", []string{"report", "loans-by-month", "--from", "2020-05", "--to", "2020-01"}, exitRejected, "before"},
		{"bad region", []string{"report", "reach", "--region", "Atlantis"}, exitRejected, "Atlantis"},
		{"bad day", []string{"report", "stock", "--at", "2020-02-30"}, exitRejected, "--at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, "", append(tt.args, "--db", db)...)
			if code != tt.code || !strings.HasPrefix(stderr, "traject: ") || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d naming %q", code, stderr, stdout, tt.code, tt.want)
			}
		})
	}
	code, stdout, stderr := runCLI(t, nil, "", "report", "loans-by-month", "--from", "2020-01", "--to", "2020-02", "--region", "Limburg", "--db", db)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitOK || len(lines) != 5 || !strings.Contains(lines[0], "avg_agreed_days") || !strings.Contains(lines[1], "Limburg") {
		t.Errorf("table: exit %d, %q, %s", code, stdout, stderr)
	}
}

package importer_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"traject/internal/importer"
	"traject/internal/store/storetest"
)

// writeXLSX returns a workbook whose first sheet holds rows, starting at
// row 1; a nil row stays empty. A second sheet holds nonsense, to be ignored.
func writeXLSX(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Toestellen"); err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // a date cell, as Excel types one
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if row == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Toestellen", cell, &row); err != nil {
			t.Fatal(err)
		}
		for j, v := range row {
			if _, ok := v.(time.Time); ok {
				c, _ := excelize.CoordinatesToCellName(j+1, i+1)
				_ = f.SetCellStyle("Toestellen", c, c, dateStyle)
			}
		}
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellValue("Notes", "A1", "=not a header")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// truncated is a workbook cut in half, as an interrupted download leaves it.
func truncated(t testing.TB) []byte {
	b := writeXLSX(t, [][]any{{"asset_tag"}, {"CB-1"}})
	return b[:len(b)/2]
}

func strs(s string) []any {
	var out []any
	for _, v := range strings.Split(s, ",") {
		out = append(out, v)
	}
	return out
}

// TestImportXLSXRoundTrip writes workbooks with excelize and imports them:
// date cells, numbers, an empty row, the first sheet only, and problems
// located by the row numbers the spreadsheet shows.
func TestImportXLSXRoundTrip(t *testing.T) {
	s := storetest.Open(t)
	deliveries := writeXLSX(t, [][]any{
		strs("reference,supplier,planned_on,planned_count,arrived_on,ANT,BRU"),
		{"X-1", "Acme", time.Date(2020, 3, 31, 0, 0, 0, 0, time.UTC), 200, time.Date(2020, 5, 11, 0, 0, 0, 0, time.UTC), 150, 50},
		{"X-2", "Acme", "2020-06-05", 10, "", 10, 0},
	})
	res, err := importer.Import(cliCtx(), s, importer.Deliveries, bytes.NewReader(deliveries), importer.Options{Format: importer.XLSX})
	if err != nil || !res.OK() || res.Imported != 2 {
		t.Fatalf("deliveries: %+v, %v", res, err)
	}
	d, err := s.Delivery(adminCtx(), "X-1")
	if err != nil || d.PlannedOn != date("2020-03-31") || d.ArrivedOn != date("2020-05-11") || d.Regions[0].Planned != 150 {
		t.Fatalf("X-1 = %+v, %v", d, err)
	}

	rows := [][]any{
		strs(deviceHeader),
		{"CB-1", "SN1", "Chromebook", "chromebook", "4g", "ANT", "X-1", "", iccid(1), time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)},
		nil, // an empty row: skipped, and still counted in the row numbers
		{"CB-2", "SN2", "Chromebook", "laptop", "wifi", "Brussel", "X-2", "", "", ""},
		{"CB-3", "SN3", "=HYPERLINK(\"x\")", "laptop", "wifi", "ANT", "X-9", "", "", ""},
	}
	res, err = importer.Import(cliCtx(), s, importer.Devices, bytes.NewReader(writeXLSX(t, rows)), importer.Options{Format: importer.XLSX})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Error())
	}
	want := []string{"5: model: " + formula, "5: delivery: there is no delivery X-9: import the deliveries first"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || deviceCount(t, s) != 0 {
		t.Fatalf("problems = %q, want %q", got, want)
	}

	rows = rows[:4]
	res, err = importer.Import(cliCtx(), s, importer.Devices, bytes.NewReader(writeXLSX(t, rows)), importer.Options{Format: importer.XLSX})
	if err != nil || !res.OK() || res.Imported != 2 || res.Rows != 2 {
		t.Fatalf("devices: %+v, %v", res, err)
	}
	dev, err := s.Device(adminCtx(), "CB-1")
	if err != nil || dev.SIM == nil || dev.SIM.BundleUntil != date("2020-12-31") {
		t.Fatalf("CB-1 = %+v, %v", dev, err)
	}
	dev, err = s.Device(adminCtx(), "CB-2")
	if err != nil || dev.State != "expected" || dev.RegionCode != "BRU" {
		t.Fatalf("CB-2 = %+v, %v", dev, err)
	}
}

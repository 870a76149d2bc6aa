package importer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/importer"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestImportDevicesOneBadRowIn10000 is the promise: a file of 10,000
// devices with one bad row changes nothing and names that row; the same file
// fixed imports completely. Both on SQLite and, when configured, PostgreSQL.
func TestImportDevicesOneBadRowIn10000(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustDeliveries(t, s)
		bad := deviceCSV(10_000, func(i int, c []string) {
			if i == 6789 {
				c[3] = "tablet"
			}
		})
		res := importCSV(t, s, importer.Devices, bad, importer.Options{})
		want := []importer.RowError{{Line: 6791, Column: "kind", Reason: "use chromebook or laptop", Key: "device.kind.invalid"}}
		if diff := cmp.Diff(want, res.Errors); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
		if res.Rows != 10_000 || res.Rejected != 1 || res.Imported != 0 {
			t.Errorf("result = %+v", res)
		}
		if n := deviceCount(t, s); n != 0 {
			t.Fatalf("a rejected file left %d devices", n)
		}
		if n := auditCount(t, s, "device"); n != 0 {
			t.Fatalf("a rejected file left %d audit rows", n)
		}

		res = importCSV(t, s, importer.Devices, deviceCSV(10_000, nil), importer.Options{})
		if !res.OK() || res.Imported != 10_000 {
			t.Fatalf("fixed file: %+v", res)
		}
		if n := deviceCount(t, s); n != 10_000 {
			t.Errorf("devices = %d, want 10000", n)
		}
		if n := auditCount(t, s, "device"); n != 10_000 {
			t.Errorf("audit rows = %d, want one per device", n)
		}
		checkImportedDevices(t, s)
	})
}

// checkImportedDevices looks at two devices of deviceCSV as the device page
// would: state by delivery, the SIM, the region by name, the audit row.
func checkImportedDevices(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := adminCtx()
	d, err := s.Device(ctx, "CB-000010") // 4G, West-Vlaanderen by name, D-1 (arrived)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != traject.StateInStock || d.RegionCode != "VBR" || d.SIM == nil || d.SIM.ICCID != iccid(10) ||
		d.SIM.BundleUntil != date("2020-12-31") || d.Delivery != "D-1" {
		t.Errorf("CB-000010 = %+v, SIM %+v", d, d.SIM)
	}
	d, err = s.Device(ctx, "CB-000005") // D-2, not arrived
	if err != nil {
		t.Fatal(err)
	}
	if d.State != traject.StateExpected || d.RegionCode != "WVL" {
		t.Errorf("CB-000005 = %+v", d)
	}
	timeline, err := s.DeviceTimeline(ctx, "CB-000005")
	if err != nil || len(timeline) != 1 || timeline[0].Action != "device.create" || timeline[0].ActorLabel != traject.ActorCLI {
		t.Errorf("timeline = %+v, %v", timeline, err)
	}
}

// TestImportBadInput gives every kind of bad input its own message, and
// checks that none changes anything.
func TestImportBadInput(t *testing.T) {
	header := deviceHeader + "\n"
	good := "CB-1,SN1,Chromebook,chromebook,wifi,ANT,D-1,,,\n"
	tests := []struct {
		name string
		kind importer.Kind
		file string
		want []string // "LINE: column: reason" of every problem
	}{
		{"data instead of a header", importer.Devices, good + good, []string{"1: the first line must be the header, with the columns asset_tag, serial, model, kind, connectivity, region, delivery, state, sim_iccid, sim_bundle_until"}},
		{"file of the other kind", importer.Devices, "reference,supplier,planned_on,planned_count,arrived_on\nD-9,Acme,2020-01-01,1,\n",
			[]string{"1: this is a file of deliveries, not of devices: import it as deliveries"}},
		{"unknown column", importer.Devices, strings.TrimSpace(header) + ",colour\n" + strings.TrimSpace(good) + ",red\n",
			[]string{"1: colour: unknown column; the columns are asset_tag, serial, model, kind, connectivity, region, delivery, state, sim_iccid, sim_bundle_until"}},
		{"missing column", importer.Devices, strings.Replace(header, ",model", "", 1) + "CB-1,SN1,chromebook,wifi,ANT,D-1,,,\n",
			[]string{"1: model: this column is missing; the columns are asset_tag, serial, model, kind, connectivity, region, delivery, state, sim_iccid, sim_bundle_until"}},
		{"column twice", importer.Devices, strings.TrimSpace(header) + ",serial\n" + strings.TrimSpace(good) + ",SN1\n",
			[]string{"1: serial: this column appears twice"}},
		{"column without a name", importer.Devices, "asset_tag,,serial,model,kind,connectivity,region,delivery,state,sim_iccid,sim_bundle_until\n",
			[]string{"1: column 2 has no name"}},
		{"not UTF-8", importer.Devices, header + good + "CB-2,SN2,Chromebook \xe9t\xe9,chromebook,wifi,ANT,D-1,,,\n",
			[]string{"3: model: this text is not UTF-8: save the file as CSV UTF-8"}},
		{"formula with =", importer.Devices, header + "CB-2,SN2,=cmd|' /C calc'!A0,chromebook,wifi,ANT,D-1,,,\n",
			[]string{"2: model: " + formula}},
		{"formula with @ and + and -", importer.Devices, header + "CB-2,@SUM(A1),+HYPERLINK(x),-x,wifi,ANT,D-1,,,\n",
			[]string{"2: serial: " + formula, "2: model: " + formula, "2: kind: " + formula}},
		{"a minus before a digit is no formula", importer.Deliveries, "reference,supplier,planned_on,planned_count,arrived_on\nD-9,Acme,2020-01-01,-5,\n",
			[]string{"2: planned_count: enter a whole number from 0 up"}},
		{"broken quote", importer.Devices, header + good + "CB-2,\"SN\"2,Chromebook,chromebook,wifi,ANT,D-1,,,\n" + "CB-3,SN3,Chromebook,chromebook,wifi,ANT,D-1,,,\n",
			[]string{"3: a quote (\") is not closed, or stands inside a value: put values with quotes, commas or semicolons between quotes and double the quotes inside"}},
		{"value beyond the header", importer.Devices, header + strings.TrimSpace(good) + ",extra\n",
			[]string{"2: this line has a value beyond the last column of the header"}},
		{"duplicates inside the file", importer.Devices, header + good + "CB-1,SN1,Chromebook,chromebook,4g,ANT,D-1,," + iccid(1) + ",\n" +
			"CB-3,SN3,Chromebook,chromebook,4g,ANT,D-1,," + iccid(1) + ",\n",
			[]string{"3: asset_tag: CB-1 is also on line 2", "3: serial: SN1 is also on line 2", "4: sim_iccid: " + iccid(1) + " is also on line 3"}},
		{"against the database", importer.Devices, header + "CB-OLD,SN-OLD,Chromebook,chromebook,4g,ANT,D-1,," + iccid(99) + ",\n",
			[]string{"2: asset_tag: a device with asset tag CB-OLD already exists", "2: serial: a device with serial SN-OLD already exists",
				"2: sim_iccid: SIM " + iccid(99) + " is already registered"}},
		{"unknown delivery", importer.Devices, header + "CB-2,SN2,Chromebook,chromebook,wifi,ANT,D-9,,,\n",
			[]string{"2: delivery: there is no delivery D-9: import the deliveries first"}},
		{"state not importable", importer.Devices, header + "CB-2,SN2,Chromebook,chromebook,wifi,ANT,D-1,on_loan,,\n",
			[]string{"2: state: use in_stock, spare, in_repair or retired, or leave it empty"}},
		{"in stock before the delivery arrived", importer.Devices, header + "CB-2,SN2,Chromebook,chromebook,wifi,ANT,D-2,in_stock,,\n",
			[]string{"2: state: delivery D-2 has not arrived: leave the state empty (the device is then expected) or record the arrival first"}},
		{"4G without SIM, Wi-Fi with one", importer.Devices, header + "CB-2,SN2,Chromebook,chromebook,4g,ANT,D-1,,,\n" +
			"CB-3,SN3,Chromebook,chromebook,wifi,ANT,D-1,," + iccid(3) + ",\n",
			[]string{"2: sim_iccid: a 4G device needs the ICCID of its SIM", "3: sim_iccid: a Wi-Fi device has no SIM: leave the ICCID empty"}},
		{"bundle without SIM, bad date, bad region", importer.Devices, header + "CB-2,SN2,Chromebook,chromebook,wifi,Gent,D-1,,,2020-12-31\n" +
			"CB-3,SN3,Chromebook,chromebook,4g,ANT,D-1,," + iccid(3) + ",31/12/2020\n",
			[]string{"2: region: use one of ANT BRU LIM OVL VBR WVL or the region's name",
				"2: sim_bundle_until: a bundle end date needs the ICCID of the SIM in sim_iccid",
				"3: sim_bundle_until: write the date as YYYY-MM-DD, for example 2020-05-11"}},
		{"deliveries: duplicates, dates, counts, allocation", importer.Deliveries,
			"reference;supplier;planned_on;planned_count;arrived_on;ANT;BRU\n" +
				"D-1;Acme;2020-01-01;10;;5;5\n" +
				"D-9;Acme;2020-01-01;10;;5;5\n" +
				"D-9;Acme;1 januari;x;;5;4\n",
			[]string{"2: reference: a delivery with reference D-1 already exists", "4: reference: D-9 is also on line 3",
				"4: planned_on: write the date as YYYY-MM-DD, for example 2020-05-11", "4: planned_count: enter a whole number from 0 up"}},
	}
	s := storetest.Open(t)
	mustDeliveries(t, s)
	old := &traject.Device{AssetTag: "CB-OLD", Serial: "SN-OLD", Model: "m", Kind: "laptop", Connectivity: "4g", RegionCode: "ANT",
		SIM: &traject.SIM{ICCID: iccid(99)}}
	if err := s.CreateDevice(cliCtx(), old); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := importCSV(t, s, tt.kind, []byte(tt.file), importer.Options{})
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if res.Imported != 0 || deviceCount(t, s) != 1 {
				t.Errorf("a rejected file changed something: %+v, %d devices", res, deviceCount(t, s))
			}
		})
	}
}

const formula = "this cell looks like a spreadsheet formula (it starts with =, +, - or @): formulas are refused, type the value itself"

// TestImportBadFiles covers the problems of a file as a whole: each its own
// message, none a panic or a change.
func TestImportBadFiles(t *testing.T) {
	var big bytes.Buffer
	big.WriteString(deviceHeader + "\n")
	big.Write(deviceCSV(200, nil)[len(deviceHeader)+1:])                           // 200 good rows, imported in the transaction...
	big.Write(bytes.Repeat([]byte("\n"), importer.MaxBytes+1-big.Len()+len("\n"))) // ...then past 50 MB
	tests := []struct {
		name   string
		format importer.Format
		data   []byte
		opts   importer.Options
		want   string
	}{
		{"empty", importer.CSV, nil, importer.Options{}, "the file is empty: it needs a header line and one line per row"},
		{"only a byte-order mark", importer.CSV, []byte("\xef\xbb\xbf"), importer.Options{}, "the file is empty: it needs a header line and one line per row"},
		{"only blank lines", importer.CSV, []byte("\n\n  \n"), importer.Options{}, "the file is empty: it needs a header line and one line per row"},
		{"UTF-16", importer.CSV, []byte("\xff\xfea\x00s\x00"), importer.Options{}, "this file is UTF-16 text (\"Unicode text\"): save it as CSV UTF-8"},
		{"header, no rows", importer.CSV, []byte(deviceHeader + "\n\n"), importer.Options{}, "the file has a header but no rows below it"},
		{"over 50 MB", importer.CSV, big.Bytes(), importer.Options{}, "the file is larger than 50 MB: split it into smaller files"},
		{"over a smaller limit", importer.CSV, deviceCSV(100, nil), importer.Options{MaxBytes: 1000}, "the file is larger than 0.000954 MB: split it into smaller files"},
		{"XLSX that is no zip", importer.XLSX, []byte("PK\x03\x04 not really"), importer.Options{}, xlsxCorrupt},
		{"XLSX cut in half", importer.XLSX, truncated(t), importer.Options{}, xlsxCorrupt},
		{"XLSX that is a CSV", importer.XLSX, deviceCSV(3, nil), importer.Options{}, xlsxCorrupt},
	}
	s := storetest.Open(t)
	mustDeliveries(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Format = tt.format
			res, err := importer.Import(cliCtx(), s, importer.Devices, bytes.NewReader(tt.data), tt.opts)
			if traject.ErrorCode(err) != traject.EINVALID || traject.ErrorMessage(err) != tt.want {
				t.Errorf("Import = %+v, %v; want %q", res, err, tt.want)
			}
			if strings.Contains(tt.want, "larger") && !importer.IsTooLarge(err) {
				t.Errorf("IsTooLarge(%v) = false", err)
			}
			if n := deviceCount(t, s); n != 0 {
				t.Errorf("%d devices after a refused file", n)
			}
		})
	}
}

const xlsxCorrupt = "this is not a readable XLSX file: it is damaged or cut short, or another kind of file; save it again as an Excel workbook (.xlsx)"

// TestImportDryRun checks every row and writes nothing, good file or bad.
func TestImportDryRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustDeliveries(t, s)
		res := importCSV(t, s, importer.Devices, deviceCSV(250, nil), importer.Options{DryRun: true})
		if !res.OK() || res.Rows != 250 || res.Imported != 0 || !res.DryRun {
			t.Errorf("dry run of a good file: %+v", res)
		}
		bad := deviceCSV(250, func(i int, c []string) {
			if i == 7 || i == 201 {
				c[1] = ""
			}
		})
		res = importCSV(t, s, importer.Devices, bad, importer.Options{DryRun: true})
		if res.Rejected != 2 || res.Errors[0].Line != 9 || res.Errors[1].Line != 203 {
			t.Errorf("dry run of a bad file: %+v", res)
		}
		if n := deviceCount(t, s); n != 0 {
			t.Errorf("a dry run wrote %d devices", n)
		}
	})
}

// TestImportDeliveries imports deliveries with their allocation, by region
// code or name, with semicolons and a byte-order mark as Excel writes them.
func TestImportDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		file := "\xef\xbb\xbf\r\nreference;supplier;planned_on;planned_count;arrived_on;ANT;Brussel;lim;OVL;VBR;WVL\r\n" +
			"W-1;Signpost;2020-03-31;198;2020-05-11;33;33;33;33;33;33\r\n" +
			"W-2;\"Signpost; Inc.\";2020-06-05;300;;50;50;50;50;50;50\r\n"
		res := importCSV(t, s, importer.Deliveries, []byte(file), importer.Options{})
		if !res.OK() || res.Imported != 2 {
			t.Fatalf("import: %+v", res)
		}
		d, err := s.Delivery(adminCtx(), "W-2")
		if err != nil {
			t.Fatal(err)
		}
		if d.Supplier != "Signpost; Inc." || d.PlannedCount != 300 || !d.ArrivedOn.IsZero() || d.Regions[1].Planned != 50 {
			t.Errorf("W-2 = %+v", d)
		}
		if n := auditCount(t, s, "delivery"); n != 2 {
			t.Errorf("audit rows = %d", n)
		}
		res = importCSV(t, s, importer.Deliveries, []byte(file), importer.Options{})
		if res.Rejected != 2 || res.Errors[0].Column != "reference" {
			t.Errorf("again: %+v", res)
		}
	})
}

// TestImportRegionalActor refuses devices outside a coordinator's region.
func TestImportRegionalActor(t *testing.T) {
	s := storetest.Open(t)
	mustDeliveries(t, s)
	coord := &traject.User{ID: 0, Email: "lim@example.org", Role: traject.RoleCoordinator, RegionCode: "LIM"}
	file := deviceHeader + "\nCB-1,SN1,m,laptop,wifi,LIM,,,,\nCB-2,SN2,m,laptop,wifi,ANT,,,,\n"
	res, err := importer.Import(traject.NewContextWithUser(context.Background(), coord), s, importer.Devices,
		strings.NewReader(file), importer.Options{Format: importer.CSV})
	if err != nil || res.Rejected != 1 || res.Errors[0].Error() != "3: region: you can import devices only into your own region" {
		t.Errorf("import = %+v, %v", res, err)
	}
}

// TestImportErrorsCapped keeps at most MaxErrors problems but counts every
// rejected row, and streams them all to OnError.
func TestImportErrorsCapped(t *testing.T) {
	s := storetest.Open(t)
	mustDeliveries(t, s)
	bad := deviceCSV(300, func(_ int, c []string) { c[3] = "tablet" })
	res := importCSV(t, s, importer.Devices, bad, importer.Options{MaxErrors: 10})
	if res.Rejected != 300 || len(res.Errors) != 10 || res.Dropped != 290 {
		t.Errorf("capped: rejected %d, errors %d, dropped %d", res.Rejected, len(res.Errors), res.Dropped)
	}
	var streamed []importer.RowError
	res = importCSV(t, s, importer.Devices, bad, importer.Options{OnError: func(e importer.RowError) { streamed = append(streamed, e) }})
	if len(streamed) != 300 || len(res.Errors) != 0 || streamed[299].Line != 301 {
		t.Errorf("streamed %d, kept %d", len(streamed), len(res.Errors))
	}
}

func TestRowErrorText(t *testing.T) {
	for _, tt := range []struct {
		e    importer.RowError
		want string
	}{
		{importer.RowError{Line: 12, Column: "serial", Reason: "r"}, "12: serial: r"},
		{importer.RowError{Line: 3, Reason: "r"}, "3: r"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestFormats(t *testing.T) {
	for in, want := range map[string]importer.Format{"a.csv": importer.CSV, "B.XLSX": importer.XLSX, "c.xls": "", "d": ""} {
		if got, _ := importer.FormatOfName(in); got != want {
			t.Errorf("FormatOfName(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]importer.Format{"text/csv; charset=utf-8": importer.CSV, importer.MediaTypeXLSX: importer.XLSX,
		"application/json": "", "": ""} {
		if got, _ := importer.FormatOfMediaType(in); got != want {
			t.Errorf("FormatOfMediaType(%q) = %q", in, got)
		}
	}
}

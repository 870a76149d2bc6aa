package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

func importDevice(i int) *traject.Device {
	d := &traject.Device{AssetTag: fmt.Sprintf("IM-%04d", i), Serial: fmt.Sprintf("IMSN-%04d", i), Model: "Chromebook",
		Kind: traject.KindChromebook, Connectivity: traject.WiFi, RegionCode: "Limburg"}
	if i%3 == 0 {
		d.Connectivity, d.SIM = traject.Mobile, &traject.SIM{ICCID: iccid(5000 + i), BundleUntil: date("2021-06-30")}
	}
	return d
}

func importDevices(from, to int) []*traject.Device {
	var out []*traject.Device
	for i := from; i < to; i++ {
		out = append(out, importDevice(i))
	}
	return out
}

// fields flattens problems to "index field" strings.
func fields(problems [][]traject.FieldError) []string {
	var out []string
	for i, p := range problems {
		for _, f := range p {
			out = append(out, fmt.Sprintf("%d %s", i, f.Field))
		}
	}
	return out
}

func cli() context.Context {
	return traject.NewContextWithActorLabel(context.Background(), traject.ActorCLI)
}

// TestImportDevicesCommitsAllWithAudit imports more than one batch and finds
// every device, its SIM and its audit row.
func TestImportDevicesCommitsAllWithAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		n, err := s.ImportDevices(cli(), false, func(imp *store.DeviceImport) error {
			for _, batch := range [][]*traject.Device{importDevices(0, 100), importDevices(100, 237)} {
				problems, err := imp.Add(batch)
				if err != nil || len(fields(problems)) != 0 || len(problems) != len(batch) {
					return fmt.Errorf("add: %v, %v", fields(problems), err)
				}
			}
			return nil
		})
		if err != nil || n != 237 {
			t.Fatalf("import = %d, %v", n, err)
		}
		d, err := s.Device(v.admin, "IM-0200")
		if err != nil || d.State != traject.StateInStock || d.RegionCode != "LIM" || d.SIM != nil {
			t.Errorf("IM-0200 = %+v, %v", d, err)
		}
		d, err = s.Device(v.admin, "IM-0150")
		if err != nil || d.SIM == nil || d.SIM.ICCID != iccid(5150) || d.SIM.State != traject.SIMActive {
			t.Fatalf("IM-0150 = %+v, %v", d, err)
		}
		timeline, err := s.DeviceTimeline(v.admin, "IM-0150")
		if err != nil || len(timeline) != 1 {
			t.Fatalf("timeline = %+v, %v", timeline, err)
		}
		e := timeline[0]
		var after traject.Device
		if err := json.Unmarshal([]byte(e.After), &after); err != nil {
			t.Fatal(err)
		}
		if e.Action != "device.create" || e.ActorLabel != traject.ActorCLI || e.RegionCode != "LIM" ||
			after.ID != d.ID || after.SIM == nil || after.SIM.ID != d.SIM.ID || after.AssetTag != "IM-0150" {
			t.Errorf("audit = %+v", e)
		}
	})
}

// TestImportDevicesAllOrNothing rejects a file with one bad batch, and still
// checks the batches after it, so that every bad row is named.
func TestImportDevicesAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "IM-0005", "ANT", traject.WiFi, traject.StateInStock)
		var got []string
		n, err := s.ImportDevices(cli(), false, func(imp *store.DeviceImport) error {
			for _, batch := range [][]*traject.Device{importDevices(0, 100), importDevices(100, 200)} {
				batch[50].Kind = "tablet"
				problems, err := imp.Add(batch)
				if err != nil {
					return err
				}
				got = append(got, fields(problems)...)
			}
			return nil
		})
		if err != nil || n != 0 {
			t.Fatalf("import = %d, %v", n, err)
		}
		if want := "[5 asset_tag 50 kind 50 kind]"; fmt.Sprint(got) != want {
			t.Errorf("problems = %v, want %v", got, want)
		}
		if _, err := s.Device(v.admin, "IM-0000"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("a device of a rejected import exists: %v", err)
		}
	})
}

// TestImportDevicesInsertFailure passes a batch that only the database can
// refuse (two devices with one tag: the importer finds these, the store's
// SELECTs cannot). The import names it, keeps checking later batches (on
// PostgreSQL outside the aborted transaction) and commits nothing.
func TestImportDevicesInsertFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		v.device(t, "IM-0150", "ANT", traject.WiFi, traject.StateInStock)
		var got []string
		n, err := s.ImportDevices(cli(), false, func(imp *store.DeviceImport) error {
			twins := importDevices(0, 2)
			twins[1].AssetTag = twins[0].AssetTag
			problems, err := imp.Add(twins)
			if err != nil {
				return err
			}
			got = append(got, fields(problems)...)
			problems, err = imp.Add(importDevices(100, 200))
			got = append(got, fields(problems)...)
			return err
		})
		if err != nil || n != 0 {
			t.Fatalf("import = %d, %v", n, err)
		}
		if want := "[0 asset_tag 50 asset_tag]"; fmt.Sprint(got) != want {
			t.Errorf("problems = %v, want %v", got, want)
		}
		if _, err := s.Device(v.admin, "IM-0000"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("a device of a failed import exists: %v", err)
		}
	})
}

// TestImportRejectAndDryRun commit nothing, however good the rows.
func TestImportRejectAndDryRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		n, err := s.ImportDevices(cli(), false, func(imp *store.DeviceImport) error {
			imp.Reject() // a problem the caller found, such as a cell it could not read
			_, err := imp.Add(importDevices(0, 10))
			return err
		})
		if err != nil || n != 0 {
			t.Errorf("rejected import = %d, %v", n, err)
		}
		n, err = s.ImportDevices(cli(), true, func(imp *store.DeviceImport) error {
			problems, err := imp.Add(importDevices(0, 10))
			if len(fields(problems)) > 0 {
				t.Errorf("dry run problems: %v", fields(problems))
			}
			return err
		})
		if err != nil || n != 0 {
			t.Errorf("dry run = %d, %v", n, err)
		}
		if _, err := s.Device(v.admin, "IM-0000"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("a device of a rejected or dry-run import exists: %v", err)
		}
	})
}

// TestImportDeliveriesStore imports deliveries with their allocation and
// audit rows, and refuses a reference that exists.
func TestImportDeliveriesStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newInv(t, s)
		ds := []*traject.Delivery{
			{Reference: "IMP-1", Supplier: "Acme", PlannedOn: date("2020-03-31"), PlannedCount: 10, Allocation: map[string]int{"ANT": 4, "LIM": 6}},
			{Reference: "IMP-2", Supplier: "Acme", PlannedOn: date("2020-06-01"), PlannedCount: 5, ArrivedOn: date("2020-06-03")},
		}
		n, err := s.ImportDeliveries(cli(), false, func(imp *store.DeliveryImport) error {
			problems, err := imp.Add(ds)
			if len(fields(problems)) > 0 {
				t.Errorf("problems: %v", fields(problems))
			}
			return err
		})
		if err != nil || n != 2 {
			t.Fatalf("import = %d, %v", n, err)
		}
		r, err := s.Delivery(v.admin, "IMP-1")
		if err != nil || r.Regions[0].Planned != 4 || r.Regions[2].Planned != 6 {
			t.Errorf("IMP-1 = %+v, %v", r, err)
		}
		entries, err := s.AuditLog(v.admin, traject.AuditFilter{ObjectType: "delivery", ObjectID: "IMP-2"})
		if err != nil || len(entries) != 1 || entries[0].Action != "delivery.create" {
			t.Errorf("audit = %+v, %v", entries, err)
		}
		var got []string
		n, err = s.ImportDeliveries(cli(), false, func(imp *store.DeliveryImport) error {
			problems, err := imp.Add([]*traject.Delivery{
				{Reference: "IMP-3", Supplier: "Acme", PlannedOn: date("2020-07-01"), PlannedCount: 1},
				{Reference: "IMP-1", Supplier: "Acme", PlannedOn: date("2020-07-01"), PlannedCount: 1},
			})
			got = fields(problems)
			return err
		})
		if err != nil || n != 0 || fmt.Sprint(got) != "[1 reference]" {
			t.Errorf("again = %d, %v, %v", n, got, err)
		}
		if _, err := s.Delivery(v.admin, "IMP-3"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("IMP-3 of a rejected import exists: %v", err)
		}
	})
}

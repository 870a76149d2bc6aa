package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/importer"
	"traject/internal/store"
)

// cliCtx acts as the command line does: no user, a label in the audit log.
func cliCtx() context.Context {
	return traject.NewContextWithActorLabel(context.Background(), traject.ActorCLI)
}

// iccid returns a valid 19-digit ICCID numbered n.
func iccid(n int) string {
	base := fmt.Sprintf("893200%012d", n)
	for d := 0; d < 10; d++ {
		if c := base + fmt.Sprint(d); traject.ValidICCID(c) {
			return c
		}
	}
	panic("no check digit")
}

const deviceHeader = "asset_tag,serial,model,kind,connectivity,region,delivery,state,sim_iccid,sim_bundle_until"

// deviceCells returns the cells of device i: every tenth one is 4G with a
// SIM, the regions and deliveries take turns.
func deviceCells(i int) []string {
	regions := []string{"ANT", "BRU", "LIM", "OVL", "VBR", "West-Vlaanderen"}
	c := []string{fmt.Sprintf("CB-%06d", i), fmt.Sprintf("SN%08d", i), "Chromebook 11 G8", "chromebook", "wifi",
		regions[i%len(regions)], fmt.Sprintf("D-%d", i%2+1), "", "", ""}
	if i%10 == 0 {
		c[4], c[8], c[9] = "4g", iccid(i), "2020-12-31"
	}
	return c
}

// deviceCSV returns a CSV file of n devices; edit may change the cells of a
// row before it is written.
func deviceCSV(n int, edit func(i int, cells []string)) []byte {
	var b bytes.Buffer
	b.Grow(n * 80)
	b.WriteString(deviceHeader + "\n")
	for i := 0; i < n; i++ {
		c := deviceCells(i)
		if edit != nil {
			edit(i, c)
		}
		b.WriteString(strings.Join(c, ","))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// mustDeliveries creates D-1 (arrived) and D-2 (not arrived).
func mustDeliveries(t testing.TB, s *store.Store) {
	t.Helper()
	for _, d := range []*traject.Delivery{
		{Reference: "D-1", Supplier: "Acme", PlannedOn: date("2020-03-31"), PlannedCount: 200, ArrivedOn: date("2020-05-11")},
		{Reference: "D-2", Supplier: "Acme", PlannedOn: date("2020-06-01"), PlannedCount: 300},
	} {
		if err := s.CreateDelivery(cliCtx(), d); err != nil {
			t.Fatalf("create delivery %s: %v", d.Reference, err)
		}
	}
}

func date(s string) time.Time {
	t, ok := traject.ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

// deviceCount counts every device, as a national admin sees them.
func deviceCount(t testing.TB, s *store.Store) int {
	t.Helper()
	rows, err := s.Stock(adminCtx())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		n += r.Count
	}
	return n
}

func importCSV(t testing.TB, s *store.Store, kind importer.Kind, data []byte, opts importer.Options) *importer.Result {
	t.Helper()
	opts.Format = importer.CSV
	res, err := importer.Import(cliCtx(), s, kind, bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("import %s: %v", kind, err)
	}
	return res
}

// adminCtx acts as a national admin, who sees every region.
func adminCtx() context.Context {
	return traject.NewContextWithUser(context.Background(), &traject.User{Email: "admin@example.org", Role: traject.RoleAdmin})
}

// auditCount counts the audit rows of one object type, a page at a time.
func auditCount(t testing.TB, s *store.Store, objectType string) int {
	t.Helper()
	n, before := 0, int64(0)
	for {
		rows, err := s.AuditLog(adminCtx(), traject.AuditFilter{ObjectType: objectType, BeforeID: before, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			return n
		}
		n += len(rows)
		before = rows[len(rows)-1].ID
	}
}

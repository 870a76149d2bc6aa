package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"traject"
	"traject/internal/store"
)

// The 2020 fleet, as data/README.md reconstructs it from the minister's answer.
//
// The answer says 1,000 devices were bought, 992 are deployable for learners,
// 98 of them with a data bundle, and the ICT team keeps the other 8 for tests
// and replacements. The regional table adds up to 990 (6 × 149 Wi-Fi and
// 6 × 16 4G). So the 992 deployable devices are the 990 of the table and 2
// 4G devices outside it (96 + 2 = 98 with a bundle), and the 8 spares have no
// bundle: Wi-Fi devices. That agrees with the store, which records a 4G device
// only with its SIM.
//
// The answer also says the last delivery held 400 devices where the table's
// stock grew by 396, and the plan was 200 by the end of March, where the
// table's first wave is 198. So the deliveries brought more than the table
// counts, and the 10 devices outside it came with them: 200 (198 + 2 spares),
// 302 (300 + 2 spares), 98 4G (96 + the 2 others) and 400 (396 + 4 spares).
// Which delivery brought which spare is not recorded anywhere; this split
// keeps the one figure the answer gives (400) and the planned 200.
//
// The ICT team is taken to work at the agency's head office in Brussels, so
// the spares and the 2 other 4G devices are recorded in region BRU: Brussel
// holds 149 Wi-Fi devices in stock, 8 spare ones and 18 4G devices, every
// other region 149 and 16, as in the table.
//
// Planned dates: the first delivery was due by 2020-03-31; "the rest in early
// June and early July" is read as the second on 2020-06-01 and the 4G and last
// ones on 2020-07-01. The delays are then 41, 2, 0 and 47 days. Each delivery
// was planned with the count it brought: the plan slipped in time, not in size.
var waves2020 = []wave{
	{planned: "2020-03-31", arrived: "2020-05-11", conn: traject.WiFi, perRegion: 33, spares: 2},
	{planned: "2020-06-01", arrived: "2020-06-03", conn: traject.WiFi, perRegion: 50, spares: 2},
	{planned: "2020-07-01", arrived: "2020-07-01", conn: traject.Mobile, perRegion: 16, headOffice: 2},
	{planned: "2020-07-01", arrived: "2020-08-17", conn: traject.WiFi, perRegion: 66, spares: 4},
}

// wave is one delivery of the 2020 fleet.
type wave struct {
	planned, arrived string
	conn             traject.Connectivity
	perRegion        int // to each of the six regions: the table's growth in stock
	headOffice       int // deployable devices outside the table, at the head office
	spares           int // Wi-Fi devices the ICT team kept, in state spare
}

func (w wave) count() int { return 6*w.perRegion + w.headOffice + w.spares }

func (w wave) allocation() map[string]int {
	m := map[string]int{}
	for _, r := range traject.Regions {
		m[r.Code] = w.perRegion
	}
	m[HeadOffice] += w.headOffice + w.spares
	return m
}

// Facts of the demo fleet that tests and the scale command rely on.
const (
	FleetSize  = 1000  // devices in the 2020 fleet, and in each synthetic copy
	MaxScale   = 10000 // copies at most: ten million devices
	HeadOffice = "BRU" // where the ICT team keeps its spares
	Supplier   = "Chromebook supplier (demo)"
	ModelWiFi  = "Chromebook 11 Wi-Fi"
	Model4G    = "Chromebook 11 4G"
)

// bundleUntil is when the data bundles end: a year after the 4G delivery.
var bundleUntil = time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)

// copiesPerTx is how many copies one transaction writes: 10,000 devices keep
// the write lock for a fraction of a second and the memory small, while the
// commits stay too few to matter.
const copiesPerTx = 10

// SeedFleet writes the 2020 fleet: four deliveries with their planned and
// actual dates, 1,000 devices in stock or, for the 8 spares, in the ICT team's
// pool, and an active SIM in each of the 98 4G devices.
func SeedFleet(ctx context.Context, s *store.Store) error {
	return seedCopies(ctx, s, 1, 1)
}

// SeedScale adds synthetic copies of the 2020 fleet to a database that holds
// it, until the fleet is n times its size: copy c has deliveries LEV-Sccccc-1
// to -4 and devices CB-Sccccc-0001 to -1000, with the same dates, regions and
// SIMs as the original, and the 2020 loans repeated on each copy's devices
// (loans_scale.go). n = 1 adds nothing.
func SeedScale(ctx context.Context, s *store.Store, n int) error {
	if n < 1 || n > MaxScale {
		return traject.Errorf(traject.EINVALID, "demo.scale", "the scale is a whole number from 1 to %d", MaxScale)
	}
	if err := seedCopies(ctx, s, 2, n); err != nil {
		return err
	}
	return seedScaleLoans(ctx, s, n)
}

func seedCopies(ctx context.Context, s *store.Store, from, to int) error {
	offices, err := officeIDs(ctx, s)
	if err != nil {
		return err
	}
	for c := from; c <= to; c += copiesPerTx {
		f := &store.Fleet{Devices: make([]traject.Device, 0, FleetSize*copiesPerTx)}
		for k := c; k <= min(c+copiesPerTx-1, to); k++ {
			appendCopy(f, k, offices)
		}
		if err := s.CreateFleet(ctx, f); err != nil {
			return fmt.Errorf("demo: fleet copy %d: %w", c, err)
		}
	}
	return nil
}

// officeIDs maps each region to its first office, where its devices are kept.
func officeIDs(ctx context.Context, s *store.Store) (map[string]int64, error) {
	offices, err := s.Offices(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	for _, o := range offices {
		if _, ok := m[o.RegionCode]; !ok {
			m[o.RegionCode] = o.ID
		}
	}
	return m, nil
}

// appendCopy adds copy c of the 2020 fleet to f; copy 1 is the fleet itself.
// Asset tags run through the deliveries, region by region in the table's
// order, then the head office's devices and the spares.
func appendCopy(f *store.Fleet, c int, offices map[string]int64) {
	n := 0
	add := func(ref, region string, conn traject.Connectivity, state traject.DeviceState) {
		n++
		d := newDevice(c, n, conn)
		d.Delivery, d.RegionCode, d.OfficeID, d.State = ref, region, offices[region], state
		f.Devices = append(f.Devices, d)
	}
	for i, w := range waves2020 {
		ref := deliveryRef(c, i+1)
		f.Deliveries = append(f.Deliveries, &traject.Delivery{Reference: ref, Supplier: Supplier,
			PlannedOn: day(w.planned), ArrivedOn: day(w.arrived), PlannedCount: w.count(), Allocation: w.allocation()})
		for _, r := range traject.Regions {
			for range w.perRegion {
				add(ref, r.Code, w.conn, traject.StateInStock)
			}
		}
		for range w.headOffice {
			add(ref, HeadOffice, w.conn, traject.StateInStock)
		}
		for range w.spares {
			add(ref, HeadOffice, traject.WiFi, traject.StateSpare)
		}
	}
}

// newDevice makes device n (1-based) of copy c, with its SIM when it is 4G.
// Serials run in sequence through all copies, as in a supplier's batch (and,
// appended to the end of their index, they keep a million inserts fast);
// ICCIDs step by a prime, unique yet not in counting order.
func newDevice(c, n int, conn traject.Connectivity) traject.Device {
	g := (c-1)*FleetSize + n
	d := traject.Device{AssetTag: AssetTag(c, n), Serial: fmt.Sprintf("5CD%07d", 2_000_000+g),
		Model: ModelWiFi, Kind: traject.KindChromebook, Connectivity: conn}
	if conn == traject.Mobile {
		d.Model = Model4G
		d.SIM = &traject.SIM{ICCID: iccid(int64(g) * 7919), BundleUntil: bundleUntil, State: traject.SIMActive}
		// No phone number: a made-up number could be a real person's, and the
		// notifications to come could text it.
	}
	return d
}

// AssetTag is the tag of device n (1-based) of copy c: CB-0001 in the 2020
// fleet, CB-S00002-0001 in a synthetic copy. Synthetic tags sort after the
// real ones, and keyset pages by tag run through the copies in order.
func AssetTag(c, n int) string {
	if c == 1 {
		return fmt.Sprintf("CB-%04d", n)
	}
	return fmt.Sprintf("CB-S%05d-%04d", c, n)
}

func deliveryRef(c, i int) string {
	if c == 1 {
		return fmt.Sprintf("LEV-2020-%d", i)
	}
	return fmt.Sprintf("LEV-S%05d-%d", c, i)
}

// iccid makes a Belgian-looking ICCID: 89 (telecom), 32 (Belgium), a two-digit
// issuer, twelve digits of account and the Luhn check digit.
func iccid(account int64) string {
	body := "893210" + fmt.Sprintf("%012d", account%1_000_000_000_000)
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 { // doubled: the check digit will stand to its right
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + strconv.Itoa((10-sum%10)%10)
}

func day(s string) time.Time {
	t, ok := traject.ParseDate(s)
	if !ok {
		panic("demo: bad date " + s) // the table above is fixed: a bad date is a programming error
	}
	return t
}

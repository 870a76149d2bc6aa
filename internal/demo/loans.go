package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// The 2020 loans: per region and course period, the Wi-Fi and 4G devices
// data/chromebooks-2020-by-region.csv says were lent (status used: handed out
// on the course's first day and back on its last) or reserved (status
// reserved: the course of the autumn, never handed out in the records).
//
// Three cells report 4G devices lent before any 4G device was in stock (the
// table's 4G stock starts with the row of 1 July, which is the stock of the
// August courses): Limburg 2020-07 (13), Oost-Vlaanderen 2020-07 (11) and
// Vlaams-Brabant 2020-06..07 (3). A report derived from records cannot show
// a device that did not exist (DESIGN invariant 6), so the demo lends those
// learners a Wi-Fi device instead: the learners got a device, just not one
// with a data bundle. For the same reason one cell is lent partly as Wi-Fi:
// Brussel 2020-09..10 reports 23 4G devices lent for the whole course, where
// Brussel had 18 (the table's 16 and the 2 outside it, fleet.go); 18 are lent
// as 4G and 5 as Wi-Fi.
//
// Each loan's agreed period is its course's (see learners.go for the dates);
// its device is one of the course's region, of the delivery that had arrived
// by the first day, never a spare, and never lent for overlapping days. The
// average agreed period is about 57 days where the minister's answer says
// 65: the table's course periods are one or two months long, and a course
// confined to its months cannot be longer.
var loans2020 = []courseLoans{
	{"ANT", "2020-05", 6, 0, false}, {"ANT", "2020-07", 46, 0, false}, {"ANT", "2020-08", 5, 0, false},
	{"ANT", "2020-09", 130, 15, false}, {"ANT", "2020-11", 90, 8, true},
	{"BRU", "2020-05", 10, 0, false}, {"BRU", "2020-07", 72, 0, false}, {"BRU", "2020-08", 77, 4, false},
	{"BRU", "2020-09", 77, 23, false},
	{"LIM", "2020-05", 9, 0, false}, {"LIM", "2020-07", 8, 13, false}, {"LIM", "2020-08", 30, 2, false},
	{"LIM", "2020-09", 42, 10, false}, {"LIM", "2020-11", 72, 8, true},
	{"OVL", "2020-05", 18, 0, false}, {"OVL", "2020-07", 14, 11, false}, {"OVL", "2020-08", 41, 0, false},
	{"OVL", "2020-09", 60, 14, false}, {"OVL", "2020-10", 96, 10, true},
	{"VBR", "2020-05", 29, 0, false}, {"VBR", "2020-06", 25, 3, false}, {"VBR", "2020-07", 16, 1, false},
	{"VBR", "2020-08", 15, 2, false}, {"VBR", "2020-09", 75, 12, false}, {"VBR", "2020-10", 83, 16, true},
	{"WVL", "2020-05", 23, 0, false}, {"WVL", "2020-07", 0, 0, false}, {"WVL", "2020-08", 49, 13, false},
	{"WVL", "2020-09", 129, 14, false}, {"WVL", "2020-11", 88, 14, true},
}

// NoFourGYet names the cells (region code and first month of the course)
// whose 4G devices the demo lends as Wi-Fi: none was in stock yet.
var NoFourGYet = map[string]bool{"LIM 2020-07": true, "OVL 2020-07": true, "VBR 2020-06": true}

// courseLoans is one row of the table: a course and the devices lent for it.
type courseLoans struct {
	region, from string
	wifi, fourG  int
	reserved     bool
}

// lent is how many Wi-Fi and 4G devices the demo lends for the course.
func (cl courseLoans) lent() (wifi, fourG int) {
	if NoFourGYet[cl.region+" "+cl.from] {
		return cl.wifi + cl.fourG, 0
	}
	if stock := fourGStock(cl.region); cl.fourG > stock {
		return cl.wifi + cl.fourG - stock, stock
	}
	return cl.wifi, cl.fourG
}

// fourGStock counts a region's 4G devices in the demo fleet.
func fourGStock(region string) int {
	n := 0
	for _, w := range waves2020 {
		if w.conn == traject.Mobile {
			n += w.perRegion
			if region == HeadOffice {
				n += w.headOffice
			}
		}
	}
	return n
}

// fleetDevice is a device of the 2020 fleet as the loans plan sees it: when
// it arrived and from which day it is free again.
type fleetDevice struct {
	tag     string
	arrived time.Time
	free    time.Time
}

// lendable lists the fleet's lendable devices per region and connectivity,
// in tag order, numbered as appendCopy numbers them; the spares are left out.
func lendable() map[string][]*fleetDevice {
	pools := map[string][]*fleetDevice{}
	n := 0
	add := func(region string, conn traject.Connectivity, arrived time.Time) {
		n++
		pools[region+" "+string(conn)] = append(pools[region+" "+string(conn)], &fleetDevice{tag: AssetTag(1, n), arrived: arrived})
	}
	for _, w := range waves2020 {
		for _, r := range traject.Regions {
			for range w.perRegion {
				add(r.Code, w.conn, day(w.arrived))
			}
		}
		for range w.headOffice {
			add(HeadOffice, w.conn, day(w.arrived))
		}
		n += w.spares
	}
	return pools
}

// pickDevice takes the first device of a pool that had arrived by from and is free
// from then, and holds it until until (zero: without end).
func pickDevice(pool []*fleetDevice, from, until time.Time) (string, error) {
	for _, d := range pool {
		if !d.arrived.After(from) && !d.free.After(from) {
			d.free = until.AddDate(0, 0, 1)
			if until.IsZero() {
				d.free = day("9999-12-31")
			}
			return d.tag, nil
		}
	}
	return "", fmt.Errorf("demo: no device free on %s", from.Format(time.DateOnly))
}

// SeedLoans writes the 2020 loans, the extra learners they need, and a few
// loans of today for the desk. It needs the fleet and the courses.
func SeedLoans(ctx context.Context, s *store.Store) error {
	admin, err := adminContext(ctx, s)
	if err != nil {
		return err
	}
	plan := &loanPlan{pools: lendable(), today: traject.SessionDay(time.Now())}
	if err := plan.add2020(admin, s); err != nil {
		return err
	}
	if err := plan.addToday(); err != nil {
		return err
	}
	if err := importLearners(ctx, s, plan.learners); err != nil {
		return err
	}
	if err := importLoans(ctx, s, plan.loans); err != nil {
		return err
	}
	return requestWaiting(ctx, s, plan.waiting)
}

// loanPlan is the loans and learners to write.
type loanPlan struct {
	pools    map[string][]*fleetDevice
	today    time.Time
	loans    []*store.HistoricalLoan
	learners []*traject.Learner
	extra    map[string]int // learners made so far per region
	waiting  string         // the learner whose request waits
	rng      *rand.Rand
}

// add2020 plans the table's loans, course by course in the order they start,
// so that a device is lent again only after it came back.
func (p *loanPlan) add2020(admin context.Context, s *store.Store) error {
	p.extra, p.rng = map[string]int{}, rand.New(rand.NewPCG(2020, 12))
	rows := slices.Clone(loans2020)
	slices.SortStableFunc(rows, func(a, b courseLoans) int { return courseOf(a).startsOn().Compare(courseOf(b).startsOn()) })
	for _, cl := range rows {
		c := courseOf(cl)
		learners, err := p.learnersOf(admin, s, c, cl)
		if err != nil {
			return err
		}
		wifi, fourG := cl.lent()
		for i := range wifi + fourG {
			conn := traject.WiFi
			if i >= wifi {
				conn = traject.Mobile
			}
			if err := p.lend(c, conn, learners[i], !cl.reserved); err != nil {
				return fmt.Errorf("%w in %s for %s", err, cl.region, CourseRef(cl.region, cl.from))
			}
		}
	}
	return nil
}

// courseOf finds the course of a row of the table.
func courseOf(cl courseLoans) course2020 {
	for _, c := range courses2020 {
		if c.region == cl.region && c.from == cl.from {
			return c
		}
	}
	panic("demo: no course " + CourseRef(cl.region, cl.from)) // the two tables are fixed
}

// lend plans one loan of the course's days.
func (p *loanPlan) lend(c course2020, conn traject.Connectivity, learner string, used bool) error {
	from, until := c.startsOn(), c.endsOn()
	tag, err := pickDevice(p.pools[c.region+" "+string(conn)], from, until)
	if err != nil {
		return err
	}
	h := &store.HistoricalLoan{Line: len(p.loans) + 1, AssetTag: tag, Learner: learner, Course: CourseRef(c.region, c.from), From: from, Until: until}
	if used {
		h.HandedOut, h.Returned = from, until
	}
	p.loans = append(p.loans, h)
	return nil
}

// learnersOf returns the learners who borrow for a course: its enrolled
// learners, then as many new ones as the loans need. The new ones stand for
// the region's other groups of that period, whose lessons the demo leaves
// out: they are not enrolled in the demo course. Their references read
// REGION-2020-Lnnnn. A Vlaams-Brabant learner more is made for the October
// course: the one whose request waits (see addToday).
func (p *loanPlan) learnersOf(admin context.Context, s *store.Store, c course2020, cl courseLoans) ([]string, error) {
	enrolled, err := s.Enrolments(admin, CourseRef(c.region, c.from))
	if err != nil {
		return nil, fmt.Errorf("demo: learners of %s: %w", CourseRef(c.region, c.from), err)
	}
	var refs []string
	for _, e := range enrolled {
		refs = append(refs, e.LearnerRef)
	}
	wifi, fourG := cl.lent()
	need := wifi + fourG
	if c.region == waitingRegion && c.from == waitingCourse {
		need++
	}
	for len(refs) < need {
		p.extra[c.region]++
		l, _ := newLearner(p.rng, c, len(p.learners)+1, 0)
		l.Ref, l.NationalNumber, l.Counsellor = fmt.Sprintf("%s-2020-L%04d", c.region, p.extra[c.region]), "", ""
		p.learners = append(p.learners, l)
		refs = append(refs, l.Ref)
	}
	if c.region == waitingRegion && c.from == waitingCourse {
		p.waiting = refs[need-1]
	}
	return refs, nil
}

// BorrowerOnly reports whether ref is one of the learners made for the 2020
// loans only: not enrolled in a demo course, without an intake.
func BorrowerOnly(ref string) bool {
	_, rest, ok := strings.Cut(ref, "-2020-L")
	return ok && len(rest) == 4
}

// The request that waits: a 4G device for the Vlaams-Brabant course of
// October, whose 16 4G devices are all reserved. It is the one course of the
// demo where a request truly has to wait.
const (
	waitingRegion = "VBR"
	waitingCourse = "2020-10"
)

// addToday plans a few loans of today in Antwerpen, the demo desk's region,
// so that its pages have something to show: two reservations that start
// today, two devices due back in three days, and two overdue by ten days.
// Today is the day in Brussels when the demo starts; the loans go to the
// learners of the Antwerpen autumn course, without a course of their own (the
// 2020 courses are over).
func (p *loanPlan) addToday() error {
	day := func(n int) time.Time { return p.today.AddDate(0, 0, n) }
	borrowers := []string{}
	for _, h := range p.loans {
		if h.Course == CourseRef("ANT", "2020-11") && len(borrowers) < 6 {
			borrowers = append(borrowers, h.Learner)
		}
	}
	if len(borrowers) < 6 {
		return fmt.Errorf("demo: too few Antwerpen learners for today's loans")
	}
	for i, l := range []struct {
		from, until time.Time
		out         bool
	}{
		{day(0), day(55), false}, {day(0), day(55), false},
		{day(-52), day(3), true}, {day(-52), day(3), true},
		{day(-70), day(-10), true}, {day(-70), day(-10), true},
	} {
		until := l.until
		if l.out {
			until = time.Time{} // out until it comes back
		}
		tag, err := pickDevice(p.pools["ANT "+string(traject.WiFi)], l.from, until)
		if err != nil {
			return err
		}
		h := &store.HistoricalLoan{Line: len(p.loans) + 1, AssetTag: tag, Learner: borrowers[i], From: l.from, Until: l.until}
		if l.out {
			h.HandedOut = l.from
		}
		p.loans = append(p.loans, h)
	}
	return nil
}

// importLearners writes the extra learners in one transaction.
func importLearners(ctx context.Context, s *store.Store, ls []*traject.Learner) error {
	_, err := s.ImportLearners(ctx, false, func(imp *store.LearnerImport) error {
		problems, err := imp.Add(ls)
		if err != nil {
			return err
		}
		return firstProblem("learner", func(i int) string { return ls[i].Ref }, problems)
	})
	return err
}

// importLoans writes every loan in one transaction, through the import: its
// checks keep every invariant (no overlap, no spare, the device's region),
// and a hand-out gets its paper acceptance.
func importLoans(ctx context.Context, s *store.Store, ls []*store.HistoricalLoan) error {
	_, err := s.ImportLoans(ctx, false, func(imp *store.LoanImport) error {
		problems, err := imp.Add(ls)
		if err != nil {
			return err
		}
		return firstProblem("loan", func(i int) string { return ls[i].AssetTag + " " + ls[i].Learner }, problems)
	})
	return err
}

// firstProblem turns the first problem of a demo row into an error: the demo's
// data are fixed, so a problem is a bug.
func firstProblem(kind string, name func(int) string, problems [][]traject.FieldError) error {
	for i, p := range problems {
		if len(p) > 0 {
			return fmt.Errorf("demo: %s %s: %s: %s", kind, name(i), p[0].Field, p[0].Message)
		}
	}
	return nil
}

// requestWaiting records the request that waits in the queue.
func requestWaiting(ctx context.Context, s *store.Store, learner string) error {
	loan, err := s.RequestDevice(ctx, &traject.LoanRequest{LearnerRef: learner, CourseRef: CourseRef(waitingRegion, waitingCourse),
		Need: traject.Mobile, Channel: traject.ChannelPhone})
	switch {
	case err != nil:
		return fmt.Errorf("demo: request of %s: %w", learner, err)
	case loan != nil:
		return fmt.Errorf("demo: the request of %s got device %s: it should wait", learner, loan.AssetTag)
	}
	return nil
}

package demo_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"traject"
	"traject/internal/demo"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// chromebooksCSV is the 2020 table the demo courses follow, in the shared
// data next to the repository.
var chromebooksCSV = filepath.Join("..", "..", "testdata", "chromebooks-2020-by-region.csv")

// TestSeedLearners writes the whole demo and checks the 2020 learners: a
// course for every course period of the table, a few dozen learners per
// region, each enrolled and placed, attendance for the past lessons with
// about 90% of the learners reached, and the catalogue and barriers.
func TestSeedLearners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		start := time.Now()
		if err := demo.Seed(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		// Logged, not asserted: a timed unit test fails on a busy machine, not
		// on slow code (the README's figures come from benchmarks).
		t.Logf("demo.Seed took %s", time.Since(start).Round(time.Millisecond))
		courses := allCourses(t, s)
		t.Run("periods", func(t *testing.T) { checkCoursePeriods(t, s, courses) })
		checkLearners(t, s, courses)
		checkReach(t, s, courses)
		checkCatalogue(t, s)
	})
}

func allCourses(t *testing.T, s *store.Store) []store.CourseSummary {
	t.Helper()
	var out []store.CourseSummary
	f := store.CourseFilter{Limit: 500}
	for {
		page, err := s.Courses(admin(), f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Courses...)
		if page.Next == "" {
			return out
		}
		f.After = page.Next
	}
}

// checkCoursePeriods: every row of the table has a civic-orientation course
// in its region over its period, and there is no other course.
func checkCoursePeriods(t *testing.T, s *store.Store, courses []store.CourseSummary) {
	f, err := os.Open(chromebooksCSV)
	if err != nil {
		t.Fatalf("the 2020 table: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		r, ok := traject.ParseRegion(row[0])
		if !ok {
			t.Fatalf("region %q", row[0])
		}
		from, to := row[4], row[5]
		c, err := s.Course(admin(), demo.CourseRef(r.Code, from))
		if err != nil {
			t.Errorf("%s %s..%s: %v", r.Code, from, to, err)
			continue
		}
		if c.RegionCode != r.Code || c.Kind != traject.CourseCivicOrientation ||
			c.StartsOn.Format("2006-01") != from || c.EndsOn.Format("2006-01") != to {
			t.Errorf("%s %s..%s: course %s in %s, %s from %s to %s", r.Code, from, to, c.Ref, c.RegionCode, c.Kind,
				c.StartsOn.Format(time.DateOnly), c.EndsOn.Format(time.DateOnly))
		}
	}
	if len(courses) != len(rows)-1 {
		t.Errorf("%d courses for %d course periods", len(courses), len(rows)-1)
	}
}

// checkLearners: a few dozen learners per region, every one of them
// enrolled in a course of their region and placed; some with a sealed
// national number, obliged and entitled ones, several contact languages.
func checkLearners(t *testing.T, s *store.Store, courses []store.CourseSummary) {
	t.Helper()
	enrolled := map[string]int{}
	languages := map[string]bool{}
	for _, c := range courses {
		enrolled[c.RegionCode] += c.Enrolled
		languages[c.Language] = true
		if c.Waiting != 0 || c.Enrolled < 6 {
			t.Errorf("%s: %d enrolled, %d waiting", c.Ref, c.Enrolled, c.Waiting)
		}
	}
	if len(languages) < 6 {
		t.Errorf("courses in %d languages, want at least 6", len(languages))
	}
	total, withNumber := 0, 0
	obligations, contact := map[traject.Obligation]int{}, map[string]bool{}
	for _, r := range traject.Regions {
		page, err := s.Learners(admin(), store.LearnerFilter{Region: r.Code, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		page.Learners = slices.DeleteFunc(page.Learners, func(l traject.Learner) bool { return demo.BorrowerOnly(l.Ref) })
		if n := len(page.Learners); n < 24 || n > 60 || n != enrolled[r.Code] {
			t.Errorf("%s: %d learners, %d enrolled; want a few dozen, all enrolled", r.Code, n, enrolled[r.Code])
		}
		for _, l := range page.Learners {
			total++
			obligations[l.Obligation]++
			contact[l.Language] = true
			if l.NationalNumberMasked != "" {
				withNumber++
			}
			if _, err := s.Placement(admin(), l.Ref); err != nil {
				t.Errorf("%s has no placement: %v", l.Ref, err)
			}
		}
	}
	if total != 210 || withNumber == 0 || withNumber == total || obligations[traject.Obliged] == 0 ||
		obligations[traject.Entitled] == 0 || len(contact) < 10 {
		t.Errorf("%d learners, %d with a national number, obligations %v, %d contact languages", total, withNumber, obligations, len(contact))
	}
}

// checkReach: every lesson has its attendance but the last of each region's
// last course; about 90% of the learners were reached, online or on site;
// some absences were the agency's (no device yet), and some learners are on
// the follow-up list.
func checkReach(t *testing.T, s *store.Store, courses []store.CourseSummary) {
	t.Helper()
	reach := map[traject.ReachStatus]int{}
	sessions, unrecorded, agency, followUp := 0, 0, 0, 0
	for _, c := range courses {
		p, err := s.CourseParticipation(admin(), c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		for status, n := range p.Reach {
			reach[status] += n
		}
		for _, se := range p.Sessions {
			sessions++
			switch se.Recorded {
			case 0:
				unrecorded++
			case c.Enrolled:
			default:
				t.Errorf("%s session %d: %d of %d learners recorded", c.Ref, se.ID, se.Recorded, c.Enrolled)
			}
		}
		for _, l := range p.Learners {
			agency += l.AgencyCaused
			if l.OnFollowUp() {
				followUp++
			}
		}
	}
	reached := reach[traject.ReachedOnline] + reach[traject.ReachedOnsite]
	share := reached * 100 / (reached + reach[traject.NotReached])
	t.Logf("%d sessions, %d unrecorded; reach %v (%d%% reached); %d agency-caused absences; %d on follow-up",
		sessions, unrecorded, reach, share, agency, followUp)
	if share < 85 || share > 95 || reach[traject.ReachedOnline] == 0 || reach[traject.ReachedOnsite] == 0 {
		t.Errorf("reach %v: %d%% reached, want about 90%%, online and on site", reach, share)
	}
	if unrecorded != len(traject.Regions) || sessions < 300 {
		t.Errorf("%d sessions, %d without attendance; want one per region", sessions, unrecorded)
	}
	if agency == 0 || followUp == 0 {
		t.Errorf("%d agency-caused absences and %d learners on follow-up, want some of both", agency, followUp)
	}
}

// checkCatalogue: five materials (three approved, one rejected, one waiting
// for review) and five barriers, one resolved, one about a material.
func checkCatalogue(t *testing.T, s *store.Store) {
	t.Helper()
	for status, want := range map[traject.MaterialStatus]int{
		traject.MaterialApproved: 3, traject.MaterialRejected: 1, traject.MaterialSubmitted: 1,
	} {
		page, err := s.Materials(admin(), store.MaterialFilter{Status: status, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Materials) != want {
			t.Errorf("%d materials %s, want %d", len(page.Materials), status, want)
		}
	}
	page, err := s.Barriers(admin(), store.BarrierFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	statuses, material := map[traject.BarrierStatus]int{}, 0
	for _, b := range page.Barriers {
		statuses[b.Status]++
		if b.MaterialID != 0 {
			material++
		}
	}
	if len(page.Barriers) != 5 || statuses[traject.BarrierResolved] != 1 || statuses[traject.BarrierInProgress] != 1 || material != 1 {
		t.Errorf("%d barriers, statuses %v, %d about a material", len(page.Barriers), statuses, material)
	}
}

// TestSeedLearnersWithoutKey: traject demo --out writes the demo without a
// key for national numbers; the learners then have none, and nothing fails.
// Without the demo accounts, SeedLearners says what it needs and writes nothing.
func TestSeedLearnersWithoutKey(t *testing.T) {
	ctx := traject.NewContextWithActorLabel(context.Background(), "demo")
	bare := storetest.Open(t)
	if err := demo.SeedLearners(ctx, bare); err == nil {
		t.Error("SeedLearners without the demo accounts: no error")
	}
	if page, err := bare.Courses(admin(), store.CourseFilter{}); err != nil || len(page.Courses) != 0 {
		t.Errorf("after the refusal: %d courses, %v", len(page.Courses), err)
	}
	s, err := store.Open(ctx, storetest.SQLiteURL(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := demo.Seed(ctx, s); err != nil {
		t.Fatal(err)
	}
	page, err := s.Learners(admin(), store.LearnerFilter{Region: "ANT", Limit: 500})
	if err != nil || len(page.Learners) == 0 {
		t.Fatalf("%d learners, %v", len(page.Learners), err)
	}
	for _, l := range page.Learners {
		if l.NationalNumberMasked != "" {
			t.Errorf("%s has a national number %s without a key", l.Ref, l.NationalNumberMasked)
		}
	}
}

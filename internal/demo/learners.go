package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"traject"
	"traject/internal/store"
)

// The 2020 civic-orientation courses: one per region and course period of
// data/chromebooks-2020-by-region.csv, the periods the devices were lent for.
//
// The modes follow the year: lessons moved online in the spring lockdown,
// were blended or back on site over the summer and autumn, and went online
// again in the second lockdown from 2 November. The devices were lent for the
// length of a course, so the courses are as long as their months allow: each
// starts on the first day of its first month and ends on the last day of its
// last month (lessons fall on weekdays only), with three exceptions the
// fleet forces (see loans.go): the May courses start on Monday 11 May, the
// day the first devices arrived; the Vlaams-Brabant course of June starts on
// 3 June, when the second delivery arrived; and in Oost-Vlaanderen and
// Vlaams-Brabant, where the table has a September-October and an
// October-December course, the first ends on 15 October and the second
// starts on 16 October, because together they need more devices than the
// region has.
var courses2020 = []course2020{
	{"ANT", "2020-05", "2020-06", "nl", traject.ModeOnline, traject.TrackStandard},
	{"ANT", "2020-07", "2020-07", "ar", traject.ModeBlended, traject.TrackBasic},
	{"ANT", "2020-08", "2020-08", "fa", traject.ModeBlended, traject.TrackStandard},
	{"ANT", "2020-09", "2020-10", "en", traject.ModeOnsite, traject.TrackIntensive},
	{"ANT", "2020-11", "2020-12", "ti", traject.ModeOnline, traject.TrackBasic},
	{"BRU", "2020-05", "2020-06", "fr", traject.ModeOnline, traject.TrackStandard},
	{"BRU", "2020-07", "2020-07", "ar", traject.ModeBlended, traject.TrackStandard},
	{"BRU", "2020-08", "2020-08", "nl", traject.ModeOnsite, traject.TrackIntensive},
	{"BRU", "2020-09", "2020-10", "en", traject.ModeBlended, traject.TrackBasic},
	{"LIM", "2020-05", "2020-06", "tr", traject.ModeOnline, traject.TrackStandard},
	{"LIM", "2020-07", "2020-07", "nl", traject.ModeBlended, traject.TrackIntensive},
	{"LIM", "2020-08", "2020-08", "ar", traject.ModeOnsite, traject.TrackBasic},
	{"LIM", "2020-09", "2020-10", "ru", traject.ModeOnsite, traject.TrackStandard},
	{"LIM", "2020-11", "2020-12", "nl", traject.ModeOnline, traject.TrackStandard},
	{"OVL", "2020-05", "2020-06", "ar", traject.ModeOnline, traject.TrackBasic},
	{"OVL", "2020-07", "2020-07", "ps", traject.ModeBlended, traject.TrackStandard},
	{"OVL", "2020-08", "2020-08", "nl", traject.ModeBlended, traject.TrackIntensive},
	{"OVL", "2020-09", "2020-10", "fr", traject.ModeOnsite, traject.TrackStandard},
	{"OVL", "2020-10", "2020-12", "ti", traject.ModeBlended, traject.TrackBasic},
	{"VBR", "2020-05", "2020-06", "nl", traject.ModeOnline, traject.TrackIntensive},
	{"VBR", "2020-06", "2020-07", "en", traject.ModeOnline, traject.TrackStandard},
	{"VBR", "2020-07", "2020-07", "ar", traject.ModeBlended, traject.TrackBasic},
	{"VBR", "2020-08", "2020-08", "fr", traject.ModeOnsite, traject.TrackStandard},
	{"VBR", "2020-09", "2020-10", "fa", traject.ModeOnsite, traject.TrackBasic},
	{"VBR", "2020-10", "2020-12", "nl", traject.ModeBlended, traject.TrackStandard},
	{"WVL", "2020-05", "2020-06", "ar", traject.ModeOnline, traject.TrackStandard},
	{"WVL", "2020-07", "2020-07", "nl", traject.ModeBlended, traject.TrackStandard},
	{"WVL", "2020-08", "2020-08", "ti", traject.ModeBlended, traject.TrackBasic},
	{"WVL", "2020-09", "2020-10", "fa", traject.ModeOnsite, traject.TrackStandard},
	{"WVL", "2020-11", "2020-12", "nl", traject.ModeOnline, traject.TrackIntensive},
}

// course2020 is one course of the 2020 programme: its region, its first and
// last month (YYYY-MM, as in the table), language of instruction, mode and track.
type course2020 struct {
	region, from, to string
	language         string
	mode             traject.Mode
	track            traject.LevelTrack
}

// CourseRef is the reference of the demo course of a region (code) that
// starts in month (YYYY-MM): MO-ANT-2020-05. No region has two 2020 courses
// that start in the same month.
func CourseRef(region, month string) string { return "MO-" + region + "-" + month }

// Lesson days and hours the courses take in turn: twice a week, in the
// morning, the afternoon or the evening (for learners who work).
var (
	weekdays2020 = []string{"mon+thu", "tue+fri", "mon+wed", "tue+thu"}
	hours2020    = [][2]string{{"09:00", "12:00"}, {"13:30", "16:30"}, {"18:30", "21:00"}}
)

// Demo staff the learner data names.
const (
	teacherANT    = "lesgever@traject.test"   // teaches the Antwerpen courses
	counsellorANT = "begeleider@traject.test" // follows the Antwerpen learners
)

// notReachedEvery: every tenth learner was not reached (DESIGN: 90% of the
// learners could be reached digitally in 2020).
const notReachedEvery = 10

// demoLearner is a learner of the demo, with what their attendance depends on.
type demoLearner struct {
	ref          string
	reached      bool // took part in at least one lesson
	waitsDevice  bool // had no device at the intake, and followed online lessons on a lent one
	excuseReason traject.ExcuseReason
}

// SeedLearners writes the 2020 courses, their learners (enrolled, each with
// an intake and so a placement), the attendance of their lessons, and a few
// learning materials and barriers. It needs the demo accounts: the Antwerpen
// courses name the demo teacher, and the Antwerpen learners the demo
// counsellor.
func SeedLearners(ctx context.Context, s *store.Store) error {
	admin, err := adminContext(ctx, s)
	if err != nil {
		return err
	}
	offices, err := officeIDs(ctx, s)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2020, 11))
	k := 0 // learners so far, over every region
	for i, c := range courses2020 {
		course := c.course(i, offices[c.region])
		if err := s.CreateCourse(ctx, course); err != nil {
			return fmt.Errorf("demo: course %s: %w", course.Ref, err)
		}
		learners := make([]demoLearner, 0, 8)
		for range 6 + i%3 {
			k++
			l, err := seedLearner(ctx, s, rng, c, course, k, offices[c.region])
			if err != nil {
				return err
			}
			learners = append(learners, l)
		}
		last := i == len(courses2020)-1 || courses2020[i+1].region != c.region
		if err := seedAttendance(ctx, admin, s, rng, course.Ref, learners, last); err != nil {
			return err
		}
	}
	return seedCatalogue(ctx, admin, s)
}

// adminContext is ctx with the demo admin as actor, for what the store
// leaves to staff: reading a course's sessions, and moving a barrier on.
// Everything else is written under ctx's own actor, the demo.
func adminContext(ctx context.Context, s *store.Store) (context.Context, error) {
	admin, err := s.UserByEmail(ctx, Accounts[0].Email)
	if err != nil {
		return nil, fmt.Errorf("demo: the learners need the demo accounts: %w", err)
	}
	return traject.NewContextWithUser(ctx, admin), nil
}

// course makes course i of the table, given at the region's first office.
func (c course2020) course(i int, office int64) *traject.Course {
	wd, _ := traject.ParseWeekdays(weekdays2020[i%len(weekdays2020)])
	h := hours2020[i%len(hours2020)]
	co := &traject.Course{Ref: CourseRef(c.region, c.from), Kind: traject.CourseCivicOrientation, Language: c.language,
		Mode: c.mode, Track: c.track, RegionCode: c.region, OfficeID: office, StartsOn: c.startsOn(), EndsOn: c.endsOn(),
		Capacity: 14, Weekdays: wd, StartTime: h[0], EndTime: h[1]}
	if c.mode == traject.ModeOnline {
		co.Capacity = 12 // a video lesson works with a smaller group
	}
	if c.region == "ANT" {
		co.TeacherEmail = teacherANT
	}
	return co
}

func (c course2020) startsOn() time.Time {
	switch {
	case c.from == "2020-05":
		return day("2020-05-11") // the day the first devices arrived
	case c.region == "VBR" && c.from == "2020-06":
		return day("2020-06-03") // the May course holds the first devices until June ends
	case c.from == "2020-10" && c.to == "2020-12":
		return day("2020-10-16") // after the region's September course
	}
	return day(c.from + "-01")
}

func (c course2020) endsOn() time.Time {
	if c.from == "2020-09" && c.to == "2020-10" && (c.region == "OVL" || c.region == "VBR") {
		return day("2020-10-15") // the October course needs its devices
	}
	return day(c.to+"-01").AddDate(0, 1, -1)
}

// seedLearner writes learner k (1-based, over all regions) of course c:
// the learner, their intake, and their enrolment.
func seedLearner(ctx context.Context, s *store.Store, rng *rand.Rand, c course2020, course *traject.Course, k int, office int64) (demoLearner, error) {
	l, spoken := newLearner(rng, c, k, office)
	if err := createLearner(ctx, s, l); err != nil {
		return demoLearner{}, fmt.Errorf("demo: learner %s: %w", l.Ref, err)
	}
	dl := demoLearner{ref: l.Ref, reached: k%notReachedEvery != 0, excuseReason: learnerExcuses[k%len(learnerExcuses)]}
	a := intake(rng, c, dl.reached, course.StartsOn.AddDate(0, 0, -7-rng.IntN(21)), spoken)
	dl.waitsDevice = a.DeviceAccess == traject.DeviceNone && c.mode != traject.ModeOnsite
	if _, err := s.RecordAssessment(ctx, l.Ref, a); err != nil {
		return demoLearner{}, fmt.Errorf("demo: intake of %s: %w", l.Ref, err)
	}
	if _, err := s.Enrol(ctx, course.Ref, l.Ref); err != nil {
		return demoLearner{}, fmt.Errorf("demo: enrol %s in %s: %w", l.Ref, course.Ref, err)
	}
	return dl, nil
}

// createLearner adds l, without its national number when the store has no
// key to seal one (traject demo --out without TRAJECT_SECRET_KEY).
func createLearner(ctx context.Context, s *store.Store, l *traject.Learner) error {
	err := s.CreateLearner(ctx, l)
	if traject.ErrorCode(err) == traject.EUNAVAILABLE && l.NationalNumber != "" {
		l.NationalNumber = ""
		err = s.CreateLearner(ctx, l)
	}
	return err
}

// newLearner makes learner k of course c, and the languages they speak: a
// newcomer who speaks the course's language, or for a course in Dutch, one
// of any group.
func newLearner(rng *rand.Rand, c course2020, k int, office int64) (*traject.Learner, []string) {
	groups := groupsFor[c.language]
	g := nameGroups[groups[rng.IntN(len(groups))]]
	birth := time.Date(1962+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	l := &traject.Learner{Ref: fmt.Sprintf("%s-2020-%04d", c.region, k), FirstName: g.first[rng.IntN(len(g.first))],
		LastName: g.last[rng.IntN(len(g.last))], BirthDate: birth, Language: g.languages[0], RegionCode: c.region,
		OfficeID: office, Obligation: traject.Obliged}
	if g.eu || k%8 == 0 {
		// EU citizens may follow the trajectory; so may some others (over 65,
		// or exempted), who asked for it.
		l.Obligation = traject.Entitled
	}
	if k%4 == 1 {
		l.NationalNumber = traject.MakeNationalNumber(birth, k)
	}
	if k%3 == 0 {
		l.Email = email(l.FirstName, l.LastName)
	}
	if c.region == "ANT" {
		l.Counsellor = counsellorANT
	}
	// No phone number: a made-up number could be a real person's.
	return l, g.languages
}

// email makes an address at example.org (reserved: it reaches no one) from
// a name in plain Latin letters, or none for other names.
func email(first, last string) string {
	var b []byte
	for _, r := range first + "." + last {
		switch {
		case r >= 'a' && r <= 'z', r == '.':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		case r == ' ' || r == '-' || r == '\'':
		default:
			return ""
		}
	}
	return string(b) + "@example.org"
}

// learnerExcuses are the learners' own reasons for an excused absence, taken in turn.
var learnerExcuses = []traject.ExcuseReason{traject.ExcuseIllness, traject.ExcuseFamily, traject.ExcuseWork, traject.ExcuseAppointment}

// seedAttendance records every lesson of a course, except the last lesson of
// a region's last course, whose sheet its teacher never filled in: the
// participation page then shows a lesson without attendance.
func seedAttendance(ctx, admin context.Context, s *store.Store, rng *rand.Rand, ref string, learners []demoLearner, skipLast bool) error {
	sessions, err := s.CourseSessions(admin, ref)
	if err != nil {
		return fmt.Errorf("demo: sessions of %s: %w", ref, err)
	}
	if skipLast {
		sessions = sessions[:len(sessions)-1]
	}
	present := make([]bool, len(learners))
	for i, se := range sessions {
		marks := make([]traject.AttendanceMark, len(learners))
		for j, l := range learners {
			final := i == len(sessions)-1 && l.reached && !present[j]
			marks[j] = l.mark(rng, se.Mode, i, final)
			present[j] = present[j] || marks[j].Status.Present()
		}
		if _, err := s.RecordAttendance(ctx, se.ID, marks); err != nil {
			return fmt.Errorf("demo: attendance of %s on %s: %w", ref, se.StartsAt.Format(time.DateOnly), err)
		}
	}
	return nil
}

// mark is the learner's attendance at lesson i, given in mode. A learner
// who was reached is mostly there; one who waited for a device is excused
// (no_device_yet) for the first online lesson; a learner who was not reached
// is never there: excused while waiting for a device that did not come in
// time, or absent. A lent device now and then fails or runs out of data. must forces a presence, so that a reached learner is
// present at least once.
func (l demoLearner) mark(rng *rand.Rand, mode traject.SessionMode, i int, must bool) traject.AttendanceMark {
	m := traject.AttendanceMark{LearnerRef: l.ref}
	r := rng.IntN(100)
	switch {
	case !l.reached && mode == traject.SessionOnline && r < 60:
		m.Status, m.Reason = traject.AttendanceExcused, traject.ExcuseNoDeviceYet
	case !l.reached && r < 70:
		m.Status = traject.AttendanceAbsent
	case !l.reached:
		m.Status, m.Reason = traject.AttendanceExcused, l.excuseReason
	case must:
		m.Status = presentIn(mode)
	case l.waitsDevice && mode == traject.SessionOnline && i == 0:
		m.Status, m.Reason = traject.AttendanceExcused, traject.ExcuseNoDeviceYet
	case r < 4:
		m.Status = traject.AttendanceAbsent
	case r < 8:
		m.Status, m.Reason = traject.AttendanceExcused, l.excuseReason
	case r < 9 && l.waitsDevice && mode == traject.SessionOnline:
		m.Status, m.Reason = traject.AttendanceExcused, traject.ExcuseNoData // the lent device's bundle ran out
	case r < 10 && l.waitsDevice && mode == traject.SessionOnline:
		m.Status, m.Reason = traject.AttendanceExcused, traject.ExcuseDeviceFailure
	case r < 15:
		m.Status = traject.AttendanceLate
	default:
		m.Status = presentIn(mode)
	}
	return m
}

func presentIn(mode traject.SessionMode) traject.AttendanceStatus {
	if mode == traject.SessionOnline {
		return traject.AttendancePresentOnline
	}
	return traject.AttendancePresentOnsite
}

package jobs_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"traject"
	"traject/internal/notify"
	"traject/internal/store"
)

// lending is a fixture for the lending desk's jobs: an admin, Antwerp's
// coordinator, desk and teacher, and helpers that lend devices.
type lending struct {
	s     *store.Store
	admin context.Context
}

func newLending(t *testing.T, s *store.Store) *lending {
	t.Helper()
	f := &lending{s: s}
	admin := f.user(t, "admin@example.org", traject.RoleAdmin, "")
	f.admin = traject.NewContextWithUser(context.Background(), admin)
	f.user(t, "coord-ant@example.org", traject.RoleCoordinator, "ANT")
	f.user(t, "desk-ant@example.org", traject.RoleDesk, "ANT")
	f.user(t, "desk-bru@example.org", traject.RoleDesk, "BRU")
	f.user(t, "teacher-ant@example.org", traject.RoleTeacher, "ANT")
	return f
}

func (f *lending) user(t *testing.T, email string, role traject.Role, region string) *traject.User {
	t.Helper()
	u := &traject.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, RegionCode: region}
	if err := f.s.CreateUser(traject.NewContextWithActorLabel(context.Background(), "test"), u, "hash"); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return u
}

func day(s string) time.Time {
	d, ok := traject.ParseDate(s)
	if !ok {
		panic(s)
	}
	return d
}

func (f *lending) devices(t *testing.T, tags ...string) {
	t.Helper()
	for _, tag := range tags {
		d := &traject.Device{AssetTag: tag, Serial: "SN-" + tag, Model: "Chromebook 11", Kind: traject.KindChromebook,
			Connectivity: traject.WiFi, RegionCode: "ANT", State: traject.StateInStock}
		if err := f.s.CreateDevice(f.admin, d); err != nil {
			t.Fatalf("device %s: %v", tag, err)
		}
	}
}

// learner adds a learner of Antwerp with these contact details.
func (f *lending) learner(t *testing.T, ref, lang, phone, email string) {
	t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: day("1990-01-01"), Language: lang,
		RegionCode: "ANT", Obligation: traject.Obliged, Phone: phone, Email: email}
	if err := f.s.CreateLearner(f.admin, l); err != nil {
		t.Fatalf("learner %s: %v", ref, err)
	}
}

// course adds a course in Antwerp taught by teacher-ant.
func (f *lending) course(t *testing.T, ref, from, until string) {
	t.Helper()
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: ref, Kind: traject.CourseCivicOrientation, Language: "ar", Mode: traject.ModeBlended,
		Track: traject.TrackStandard, RegionCode: "ANT", StartsOn: day(from), EndsOn: day(until), Capacity: 10,
		Weekdays: w, StartTime: "09:00", EndTime: "12:00", TeacherEmail: "teacher-ant@example.org"}
	if err := f.s.CreateCourse(f.admin, c); err != nil {
		t.Fatalf("course %s: %v", ref, err)
	}
}

// lend reserves tag for the learner (for the course when not ""), records
// the acceptance and hands the device out on from.
func (f *lending) lend(t *testing.T, learner, course, tag, from, due string) *traject.Loan {
	t.Helper()
	l, err := f.s.Reserve(f.admin, traject.Reservation{LearnerRef: learner, CourseRef: course, RegionCode: "ANT",
		Connectivity: traject.WiFi, From: day(from), Until: day(due), AssetTag: tag})
	if err != nil {
		t.Fatalf("reserve %s: %v", tag, err)
	}
	if err := f.s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptCode}); err != nil {
		t.Fatal(err)
	}
	if l, err = f.s.HandOut(f.admin, l.ID, day(from), traject.Checklist{Device: true, Charger: true}); err != nil {
		t.Fatalf("hand out %s: %v", tag, err)
	}
	return l
}

// to returns the messages sent to one address.
func to(sent []notify.Message, addr string) []notify.Message {
	var out []notify.Message
	for _, m := range sent {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// flaky is a Sender that refuses its first n messages, then keeps the rest.
type flaky struct {
	mu     sync.Mutex
	refuse int
	notify.Memory
}

func (f *flaky) Send(ctx context.Context, m notify.Message) error {
	f.mu.Lock()
	refuse := f.refuse > 0
	f.refuse--
	f.mu.Unlock()
	if refuse {
		return context.DeadlineExceeded
	}
	return f.Memory.Send(ctx, m)
}

package store_test

import (
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// loanFixture is a course fixture with devices in Antwerp.
type loanFixture struct {
	*courseFixture
	v inv
}

func newLoanFixture(t *testing.T, s *store.Store) *loanFixture {
	t.Helper()
	f := newCourseFixture(t, s)
	return &loanFixture{courseFixture: f, v: inv{s: s, admin: f.admin}}
}

func reservation(learner, tag, from, until string) traject.Reservation {
	return traject.Reservation{LearnerRef: learner, RegionCode: "ANT", Connectivity: traject.WiFi,
		From: date(from), Until: date(until), AssetTag: tag}
}

func TestReserveNeverOverlaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		f.learner(t, "L-002", "ANT")
		l, err := s.Reserve(f.admin, reservation("L-001", "", "2020-09-01", "2020-10-31"))
		if err != nil || l.AssetTag != "CB-0001" || l.State != traject.LoanReserved || l.AgreedDays() != 61 {
			t.Fatalf("first reservation: %+v, %v", l, err)
		}
		// The same device for overlapping days: by choice, and from the free pool.
		if _, err := s.Reserve(f.admin, reservation("L-002", "CB-0001", "2020-10-31", "2020-11-30")); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("overlapping chosen device: %v", err)
		}
		if _, err := s.Reserve(f.admin, reservation("L-002", "", "2020-10-01", "2020-10-02")); !hasKey(err, "loan.none_free") {
			t.Errorf("overlapping from the pool: %v", err)
		}
		// The day after the due date is free.
		if l2, err := s.Reserve(f.admin, reservation("L-002", "", "2020-11-01", "2020-11-30")); err != nil || l2.AssetTag != "CB-0001" {
			t.Errorf("next period: %+v, %v", l2, err)
		}
		// Even a raw insert is refused by the database.
		if err := store.InsertRawLoan(f.admin, s, "CB-0001", "L-002", "2020-10-15", "2020-10-20"); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("a raw overlapping INSERT passed the database: %v", err)
		}
		// An extension that runs into the next reservation is refused too.
		if _, err := s.Extend(f.admin, l.ID, date("2020-11-05"), "exam"); !hasKey(err, "loan.extend.taken") {
			t.Errorf("extension into the next loan: %v", err)
		}
	})
}

func TestReserveRefusesSpareAndWrongDevices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-SPARE", "ANT", traject.WiFi, traject.StateSpare)
		f.v.device(t, "CB-BRU", "BRU", traject.WiFi, traject.StateInStock)
		f.v.device(t, "CB-4G", "ANT", traject.Mobile, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		for _, tc := range []struct{ tag, key string }{
			{"CB-SPARE", "device.blocked.spare"}, {"CB-BRU", "loan.device.region"}, {"CB-4G", "loan.device.connectivity"},
		} {
			if _, err := s.Reserve(f.admin, reservation("L-001", tc.tag, "2020-09-01", "2020-09-30")); !hasKey(err, tc.key) {
				t.Errorf("%s: %v, want %s", tc.tag, err, tc.key)
			}
		}
		if _, err := s.Reserve(f.admin, reservation("L-001", "", "2020-09-01", "2020-09-30")); !hasKey(err, "loan.none_free") {
			t.Errorf("only a spare is free: %v", err)
		}
		if err := store.InsertRawLoan(f.admin, s, "CB-SPARE", "L-001", "2020-09-01", "2020-09-30"); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("a raw INSERT of a loan of a spare device passed the database: %v", err)
		}
	})
}

func TestLoanLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-4G1", "ANT", traject.Mobile, traject.StateInStock)
		f.v.device(t, "CB-4G2", "ANT", traject.Mobile, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		r := reservation("L-001", "CB-4G1", "2020-09-01", "2020-10-31")
		r.Connectivity = traject.Mobile
		l, err := s.Reserve(f.admin, r)
		if err != nil {
			t.Fatal(err)
		}
		all := traject.Checklist{Device: true, Charger: true, SIM: true}
		if _, err := s.HandOut(f.admin, l.ID, date("2020-09-01"), all); !hasKey(err, "loan.handout.unaccepted") {
			t.Fatalf("hand-out without acceptance: %v", err)
		}
		text, err := s.LoanAgreement(f.admin, l.ID, "ar")
		if err != nil || !strings.Contains(text.Dutch, "CB-4G1") || !strings.Contains(text.Shown, "01-09-2020") || text.Version != 1 {
			t.Fatalf("agreement: %+v, %v", text, err)
		}
		if err := s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "ar", Method: traject.AcceptSignature, TypedName: "Amal L-001", TextHash: text.Hash}); err != nil {
			t.Fatal(err)
		}
		// A new version published after the acceptance needs a new one.
		if err := s.PublishAgreement(f.admin, &traject.AgreementVersion{Texts: map[string]string{"nl": "Nieuwe tekst voor {learner} tot {due}."}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.HandOut(f.admin, l.ID, date("2020-09-01"), all); !hasKey(err, "loan.handout.unaccepted") {
			t.Fatalf("hand-out with an old acceptance: %v", err)
		}
		if err := s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "ar", Method: traject.AcceptCode, TextHash: text.Hash}); !hasKey(err, "acceptance.changed") {
			t.Fatalf("accepting a text that changed: %v", err)
		}
		if err := s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptCode}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.HandOut(f.admin, l.ID, date("2020-09-01"), traject.Checklist{Device: true, Charger: true}); traject.ErrorCode(err) != traject.EINVALID {
			t.Fatalf("4G hand-out without the SIM checked: %v", err)
		}
		l, err = s.HandOut(f.admin, l.ID, date("2020-09-01"), all)
		if err != nil || l.State != traject.LoanHandedOut || !l.Accepted {
			t.Fatalf("hand-out: %+v, %v", l, err)
		}
		if d, _ := s.Device(f.admin, "CB-4G1"); d.State != traject.StateOnLoan {
			t.Errorf("device after hand-out: %s", d.State)
		}
		l, err = s.Extend(f.admin, l.ID, date("2020-11-15"), "exam retake")
		if err != nil || !l.Due.Equal(date("2020-11-15")) || !l.Until.Equal(date("2020-10-31")) {
			t.Fatalf("extend: %+v, %v", l, err)
		}
		l, err = s.Swap(f.admin, l.ID, "CB-4G2", "screen broken")
		if err != nil || l.AssetTag != "CB-4G2" {
			t.Fatalf("swap: %+v, %v", l, err)
		}
		if d, _ := s.Device(f.admin, "CB-4G1"); d.State != traject.StateInRepair {
			t.Errorf("old device after swap: %s", d.State)
		}
		l, err = s.ReportLoss(f.admin, l.ID, traject.Loss{State: traject.LoanStolen, On: date("2020-10-10"), Note: "bag stolen on the tram"})
		if err != nil || l.State != traject.LoanStolen {
			t.Fatalf("loss: %+v, %v", l, err)
		}
		d, _ := s.Device(f.admin, "CB-4G2")
		if d.State != traject.StateStolen || d.SIM == nil || d.SIM.State != traject.SIMSuspended {
			t.Errorf("device after theft: %s, SIM %+v", d.State, d.SIM)
		}
		if n := store.CountRows(f.admin, s, "remote_disables"); n != 1 {
			t.Errorf("remote-disable requests: %d", n)
		}
		tl, err := s.LoanTimeline(f.admin, l.ID)
		if err != nil || len(tl) < 6 {
			t.Errorf("timeline: %d entries, %v", len(tl), err)
		}
	})
}

func TestReturnAndQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		f.v.device(t, "CB-BRU", "BRU", traject.WiFi, traject.StateInStock)
		c := f.course(t, newCourse("CO-1"))
		c.Capacity = 5
		for _, ref := range []string{"L-001", "L-002", "L-003"} {
			f.learner(t, ref, "ANT")
		}
		l, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-001", CourseRef: c.Ref, Need: traject.WiFi, Channel: traject.ChannelDesk})
		if err != nil || l == nil || !l.From.Equal(c.StartsOn) || !l.Until.Equal(c.EndsOn) {
			t.Fatalf("first request: %+v, %v", l, err)
		}
		for _, ref := range []string{"L-002", "L-003"} {
			if l, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: ref, CourseRef: c.Ref, Need: traject.WiFi, Channel: traject.ChannelPhone}); err != nil || l != nil {
				t.Fatalf("%s should wait: %+v, %v", ref, l, err)
			}
		}
		if _, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-002", CourseRef: c.Ref, Need: traject.WiFi, Channel: traject.ChannelPhone}); !hasKey(err, "request.duplicate") {
			t.Errorf("second open request: %v", err)
		}
		q, err := s.Queue(f.admin, "ANT")
		if err != nil || len(q) != 2 || q[0].LearnerRef != "L-002" {
			t.Fatalf("queue: %+v, %v", q, err)
		}
		sug, err := s.SuggestedTransfers(f.admin, "ANT")
		if err != nil || len(sug) != 2 || sug[0].FromRegion != "BRU" || sug[0].Free != 1 {
			t.Errorf("suggested transfers: %+v, %v", sug, err)
		}
		if _, err := s.CancelLoan(f.admin, l.ID, "learner moved"); err != nil {
			t.Fatal(err)
		}
		n, err := s.AllocateWaiting(f.admin, "ANT")
		if err != nil || n != 1 {
			t.Fatalf("allocate: %d, %v", n, err)
		}
		q, _ = s.Queue(f.admin, "ANT")
		if len(q) != 1 || q[0].LearnerRef != "L-003" {
			t.Errorf("queue after allocation: %+v", q)
		}
	})
}

func hasKey(err error, key string) bool {
	e, ok := traject.AsError(err)
	return ok && e.Key == key
}

// TestDeskDayFilters: today's hand-outs are the reservations whose agreed
// period includes today; one whose period has passed is stale, to cancel.
func TestDeskDayFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		f.learner(t, "L-001", "ANT")
		old, err := s.Reserve(f.admin, reservation("L-001", "", "2020-11-01", "2020-12-18"))
		if err != nil {
			t.Fatal(err)
		}
		now, err := s.Reserve(f.admin, reservation("L-001", "", "2021-01-04", "2021-02-26"))
		if err != nil {
			t.Fatal(err)
		}
		today := date("2021-01-10")
		hand, err := s.Loans(f.admin, store.LoanFilter{StartsOn: today})
		if err != nil || len(hand) != 1 || hand[0].ID != now.ID {
			t.Errorf("today's hand-outs: %+v, %v", hand, err)
		}
		stale, err := s.Loans(f.admin, store.LoanFilter{Stale: today})
		if err != nil || len(stale) != 1 || stale[0].ID != old.ID {
			t.Errorf("stale reservations: %+v, %v", stale, err)
		}
		if n, err := s.CountLoans(f.admin, store.LoanFilter{Stale: today}); err != nil || n != 1 {
			t.Errorf("stale reservations counted: %d, %v", n, err)
		}
	})
}

// TestPublishUnchangedAgreementRefused: a version that changes nothing would
// send every accepted loan back to acceptance for nothing; every surface
// publishes through the store, so the store refuses it.
func TestPublishUnchangedAgreementRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		cur, err := s.CurrentAgreement(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PublishAgreement(f.admin, &traject.AgreementVersion{Texts: cur.Texts}); !hasKey(fieldErr(err), "agreement.unchanged") {
			t.Errorf("publishing the texts in force: %v", err)
		}
		if again, _ := s.CurrentAgreement(f.admin); again.Version != cur.Version {
			t.Errorf("version %d after the refusal, want %d", again.Version, cur.Version)
		}
	})
}

// fieldErr returns the first field error of err as an error with its key.
func fieldErr(err error) error {
	e, ok := traject.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	return &traject.Error{Code: e.Code, Key: e.Fields[0].Key}
}

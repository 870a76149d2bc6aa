package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// eachWithClock is storetest.Each on stores whose clock the test moves.
func eachWithClock(t *testing.T, fn func(t *testing.T, s *store.Store, clock *testClock)) {
	t.Helper()
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			clock := &testClock{t: time.Date(2020, 9, 1, 8, 0, 0, 0, time.UTC)}
			s, err := store.Open(context.Background(), db.URL, store.Options{Now: clock.now, Sealer: storetest.TestSealer(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			fn(t, s, clock)
		})
	}
}

// codeLearner adds a learner with a phone number and returns their id.
func codeLearner(t *testing.T, f *loanFixture, ref, phone string) int64 {
	t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: date("1990-01-01"), Language: "ar",
		RegionCode: "ANT", Obligation: traject.Obliged, Phone: phone}
	if err := f.s.CreateLearner(f.admin, l); err != nil {
		t.Fatalf("create learner %s: %v", ref, err)
	}
	return l.ID
}

func signInCode(t *testing.T, s *store.Store, id int64) string {
	t.Helper()
	code, err := s.IssueLearnerCode(context.Background(), store.LearnerCode{LearnerID: id, Purpose: store.CodeSignIn})
	if err != nil || len(code) != 6 {
		t.Fatalf("issue code: %q, %v", code, err)
	}
	return code
}

// wrongCode returns a code that differs from code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestLearnerCodeUseOnce(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *testClock) {
		f := newLoanFixture(t, s)
		id := codeLearner(t, f, "L-001", "0470 12 34 56")
		ctx := traject.NewContextWithActorLabel(context.Background(), "learner:L-001")
		code := signInCode(t, s, id)
		got, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, code)
		if err != nil || got != id {
			t.Fatalf("right code: %d, %v", got, err)
		}
		if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, code); !hasKey(err, "code.wrong") {
			t.Errorf("a used code worked again: %v", err)
		}
		// Only a keyed hash is stored, and neither the table nor the audit log holds the code.
		var hash string
		if err := s.ReadDB().QueryRow(`SELECT code_hash FROM learner_codes`).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "hmac:") || strings.Contains(hash, code) {
			t.Errorf("stored hash %q", hash)
		}
		rows, err := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-001"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range rows {
			actions = append(actions, r.Action+" "+r.ActorLabel)
			if strings.Contains(r.After, code) || strings.Contains(r.Before, code) {
				t.Errorf("audit row %s holds the code", r.Action)
			}
		}
		if want := "learner_code.use learner:L-001"; !containsStr(actions, want) || !containsPrefix(actions, "learner_code.issue") {
			t.Errorf("audit %q, want an issue and %q", actions, want)
		}
	})
}

func TestLearnerCodeExpires(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *testClock) {
		f := newLoanFixture(t, s)
		id := codeLearner(t, f, "L-001", "0470 12 34 56")
		code := signInCode(t, s, id)
		clock.add(store.CodeLifetime + time.Second)
		if _, err := s.UseLearnerCode(context.Background(), []int64{id}, store.CodeSignIn, 0, code); !hasKey(err, "code.wrong") {
			t.Errorf("a code worked after 15 minutes: %v", err)
		}
		code = signInCode(t, s, id)
		clock.add(store.CodeLifetime - time.Minute)
		if _, err := s.UseLearnerCode(context.Background(), []int64{id}, store.CodeSignIn, 0, code); err != nil {
			t.Errorf("a code failed after 14 minutes: %v", err)
		}
	})
}

func TestLearnerCodeFifthWrongTryVoids(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *testClock) {
		f := newLoanFixture(t, s)
		id := codeLearner(t, f, "L-001", "0470 12 34 56")
		ctx := context.Background()
		// Four wrong tries leave the code alive.
		code := signInCode(t, s, id)
		for i := 0; i < 4; i++ {
			if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, wrongCode(code)); !hasKey(err, "code.wrong") {
				t.Fatalf("wrong try %d: %v", i+1, err)
			}
		}
		if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, code); err != nil {
			t.Errorf("the right code after four wrong tries: %v", err)
		}
		// The fifth wrong try voids it: the right code fails afterwards.
		code = signInCode(t, s, id)
		for i := 0; i < 5; i++ {
			if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, wrongCode(code)); !hasKey(err, "code.wrong") {
				t.Fatalf("wrong try %d: %v", i+1, err)
			}
		}
		if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, code); !hasKey(err, "code.wrong") {
			t.Errorf("the right code worked after five wrong tries: %v", err)
		}
		// Malformed codes are refused without counting or failing.
		for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
			if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, bad); !hasKey(err, "code.wrong") {
				t.Errorf("code %q: %v", bad, err)
			}
		}
	})
}

func TestLearnerCodeNewVoidsOldAndLimit(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *testClock) {
		f := newLoanFixture(t, s)
		id := codeLearner(t, f, "L-001", "0470 12 34 56")
		ctx := context.Background()
		first := signInCode(t, s, id)
		second := signInCode(t, s, id)
		if first != second {
			if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, first); !hasKey(err, "code.wrong") {
				t.Errorf("an older code worked after a new one: %v", err)
			}
		}
		if _, err := s.UseLearnerCode(ctx, []int64{id}, store.CodeSignIn, 0, second); err != nil {
			t.Errorf("the newest code: %v", err)
		}
		// Two codes were issued in this quarter; a limit of three allows one more.
		req := store.LearnerCode{LearnerID: id, Purpose: store.CodeSignIn, Limit: store.CodeSMSLimit}
		if _, err := s.IssueLearnerCode(ctx, req); err != nil {
			t.Fatalf("third code: %v", err)
		}
		if _, err := s.IssueLearnerCode(ctx, req); traject.ErrorCode(err) != traject.ETHROTTLED {
			t.Errorf("fourth code in 15 minutes: %v, want ETHROTTLED", err)
		}
		clock.add(store.CodeLifetime)
		if _, err := s.IssueLearnerCode(ctx, req); err != nil {
			t.Errorf("a code after the quarter: %v", err)
		}
		if _, err := s.IssueLearnerCode(ctx, store.LearnerCode{LearnerID: id, Purpose: "other"}); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("unknown purpose: %v", err)
		}
		if _, err := s.IssueLearnerCode(ctx, store.LearnerCode{LearnerID: 999999, Purpose: store.CodeSignIn}); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("unknown learner: %v", err)
		}
	})
}

func TestLearnersByPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		a := codeLearner(t, f, "L-001", "0470 12 34 56")
		b := codeLearner(t, f, "L-002", "+32 470 12.34.56")
		codeLearner(t, f, "L-003", "0470 12 34 57")
		for _, typed := range []string{"0470123456", "+32470123456", "0032 470 12 34 56", "0470/12-34-56"} {
			got, err := s.LearnersByPhone(context.Background(), typed)
			if err != nil || len(got) != 2 || got[0].ID+got[1].ID != a+b {
				t.Errorf("%q: %d learners, %v", typed, len(got), err)
			}
		}
		for _, typed := range []string{"", "0470", "0470 12 34 50", "'; DROP TABLE learners; --", "+33470123456"} {
			if got, err := s.LearnersByPhone(context.Background(), typed); err != nil || len(got) != 0 {
				t.Errorf("%q: %d learners, %v", typed, len(got), err)
			}
		}
	})
}

func TestAcceptWithCode(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clock *testClock) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		f.v.device(t, "CB-0002", "ANT", traject.WiFi, traject.StateInStock)
		id := codeLearner(t, f, "L-001", "0470 12 34 56")
		other := codeLearner(t, f, "L-002", "0470 99 99 99")
		l, err := s.Reserve(f.admin, reservation("L-001", "CB-0001", "2020-09-01", "2020-10-31"))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := s.Reserve(f.admin, reservation("L-002", "CB-0002", "2020-09-01", "2020-10-31"))
		if err != nil {
			t.Fatal(err)
		}
		ctx := traject.NewContextWithActorLabel(context.Background(), "learner:L-001")
		if _, err := s.IssueLearnerCode(ctx, store.LearnerCode{LearnerID: id, Purpose: store.CodeAccept, LoanID: theirs.ID}); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("a code for another learner's loan: %v", err)
		}
		code, err := s.IssueLearnerCode(ctx, store.LearnerCode{LearnerID: id, Purpose: store.CodeAccept, LoanID: l.ID})
		if err != nil {
			t.Fatal(err)
		}
		text, err := s.LoanAgreement(ctx, l.ID, "ar")
		if err != nil {
			t.Fatal(err)
		}
		acc := func() *traject.Acceptance { return &traject.Acceptance{Language: "ar", TextHash: text.Hash} }
		if err := s.AcceptWithCode(ctx, id, l.ID, wrongCode(code), acc()); !hasKey(err, "code.wrong") {
			t.Errorf("wrong code: %v", err)
		}
		if err := s.AcceptWithCode(ctx, other, l.ID, code, acc()); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another learner accepting: %v", err)
		}
		bad := acc()
		bad.TextHash = strings.Repeat("0", 64)
		if err := s.AcceptWithCode(ctx, id, l.ID, code, bad); !hasKey(err, "acceptance.changed") {
			t.Errorf("a text that was not shown: %v", err)
		}
		if got, _ := s.Acceptances(f.admin, l.ID); len(got) != 0 {
			t.Fatalf("refused acceptances left %d rows", len(got))
		}
		// A sign-in code does not accept an agreement.
		signin := signInCode(t, s, id)
		if err := s.AcceptWithCode(ctx, id, l.ID, signin, acc()); !hasKey(err, "code.wrong") && signin != code {
			t.Errorf("a sign-in code accepted: %v", err)
		}
		if err := s.AcceptWithCode(ctx, id, l.ID, code, acc()); err != nil {
			t.Fatalf("right code: %v", err)
		}
		got, err := s.Acceptances(f.admin, l.ID)
		if err != nil || len(got) != 1 || got[0].Method != traject.AcceptCode || got[0].Language != "ar" || got[0].TextHash != text.Hash {
			t.Fatalf("acceptances %+v, %v", got, err)
		}
		if loan, _ := s.Loan(f.admin, l.ID); !loan.Accepted {
			t.Error("loan not accepted")
		}
	})
}

func TestLearnerHome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLoanFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		id := codeLearner(t, f, "L-001", "0470 12 34 56")
		f.course(t, newCourse("MO-1"))
		c2 := newCourse("MO-2")
		c2.StartsOn, c2.EndsOn = date("2021-01-04"), date("2021-02-04")
		f.course(t, c2)
		for _, c := range []string{"MO-1", "MO-2"} {
			if _, err := s.Enrol(f.admin, c, "L-001"); err != nil {
				t.Fatal(err)
			}
		}
		ctx := traject.NewContextWithActorLabel(context.Background(), "learner:L-001")
		loan, err := s.RequestDevice(ctx, &traject.LoanRequest{LearnerRef: "L-001", CourseRef: "MO-1", Need: traject.WiFi, Channel: traject.ChannelLearner})
		if err != nil || loan == nil {
			t.Fatalf("request: %+v, %v", loan, err)
		}
		h, err := s.LearnerHome(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Courses) != 2 || len(h.Loans) != 1 || h.Loans[0].Model != "Chromebook 11" || len(h.Waiting) != 0 {
			t.Fatalf("home %+v", h)
		}
		if r := h.Requestable(); len(r) != 1 || r[0].Ref != "MO-2" {
			t.Errorf("requestable %+v, want MO-2 only", r)
		}
	})
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsPrefix(list []string, p string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, p) {
			return true
		}
	}
	return false
}

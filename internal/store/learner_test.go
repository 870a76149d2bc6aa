package store_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// learnerKit is a store with staff of several roles, for the learner tests.
type learnerKit struct {
	s                          *store.Store
	admin, counsellor, desk    context.Context
	brusselsCoord, enforcement context.Context
	counsellorUser             *traject.User
}

func newLearnerKit(t *testing.T, s *store.Store) learnerKit {
	t.Helper()
	user := func(email string, role traject.Role, region string) *traject.User {
		return mustCreateUser(t, s, &traject.User{Email: email, Name: email, Role: role, RegionCode: region})
	}
	k := learnerKit{s: s, counsellorUser: user("counsellor@example.org", traject.RoleCounsellor, "ANT")}
	k.admin = adminCtx(user("admin@example.org", traject.RoleAdmin, ""))
	k.counsellor = adminCtx(k.counsellorUser)
	k.desk = adminCtx(user("desk@example.org", traject.RoleDesk, "ANT"))
	k.brusselsCoord = adminCtx(user("coord@example.org", traject.RoleCoordinator, "BRU"))
	k.enforcement = adminCtx(user("enf@example.org", traject.RoleEnforcement, ""))
	return k
}

// nn is a valid national number of someone born on birth.
func nn(birth string, counter int) traject.NationalNumber {
	return traject.MakeNationalNumber(date(birth), counter)
}

func newLearner(ref, first, last, birth string, counter int) *traject.Learner {
	l := &traject.Learner{Ref: ref, FirstName: first, LastName: last, BirthDate: date(birth),
		Phone: "0470 12 34 56", Language: "ar", RegionCode: "ANT", Obligation: traject.Obliged}
	if counter > 0 {
		l.NationalNumber = nn(birth, counter)
	}
	return l
}

func (k learnerKit) create(t *testing.T, l *traject.Learner) *traject.Learner {
	t.Helper()
	if err := k.s.CreateLearner(k.admin, l); err != nil {
		t.Fatalf("create %s: %v", l.Ref, err)
	}
	return l
}

// rawLearnerData is every text the learners table and the audit log hold.
func rawLearnerData(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT ref || '|' || COALESCE(nn_cipher, '') || '|' || COALESCE(nn_hash, '') || '|' || nn_mask FROM learners`,
		`SELECT action || '|' || COALESCE(CAST(before AS TEXT), '') || '|' || COALESCE(CAST(after AS TEXT), '') FROM audit_log`,
	} {
		rows, err := s.ReadDB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String()
}

func assertNoClearNumber(t *testing.T, where string, text string, numbers ...traject.NationalNumber) {
	t.Helper()
	for _, n := range numbers {
		if strings.Contains(text, n.Digits()) || strings.Contains(text, n.Format()) {
			t.Errorf("%s holds the national number %s in clear", where, n.Mask())
		}
	}
}

func TestLearnerCreateSealsTheNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		l := newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33)
		l.NationalNumber = traject.NationalNumber(l.NationalNumber.Format()) // as typed, with separators
		l.Counsellor, l.OfficeID = "Counsellor@Example.org", 1
		k.create(t, l)
		got, err := s.Learner(k.desk, "INB-0001")
		if err != nil {
			t.Fatal(err)
		}
		want := nn("1985-07-30", 33)
		if got.NationalNumber != "" || got.NationalNumberMasked != want.Mask() || got.Counsellor != "counsellor@example.org" ||
			got.BirthDate != date("1985-07-30") || got.OfficeID != 1 || got.ID == 0 {
			t.Errorf("learner = %+v", got)
		}
		raw := rawLearnerData(t, s)
		assertNoClearNumber(t, "the database", raw, want)
		if !strings.Contains(raw, want.Mask()) || !strings.Contains(raw, "learner.create") {
			t.Errorf("the mask or the audit row is missing:\n%s", raw)
		}
	})
}

func TestLearnerScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		k.create(t, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
		if _, err := s.Learner(k.brusselsCoord, "INB-0001"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another region's learner: %v", err)
		}
		if _, err := s.Learner(k.enforcement, "INB-0001"); err != nil {
			t.Errorf("a national role: %v", err)
		}
		page, err := s.Learners(k.brusselsCoord, store.LearnerFilter{})
		if err != nil || len(page.Learners) != 0 {
			t.Errorf("Brussels lists %d learners of Antwerp: %v", len(page.Learners), err)
		}
		err = s.CreateLearner(k.brusselsCoord, newLearner("INB-0002", "Jan", "Peeters", "1990-01-01", 0))
		if traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("create in another region: %v", err)
		}
		l := newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 0)
		if err := s.UpdateLearner(k.brusselsCoord, l); traject.ErrorCode(err) == "" {
			t.Error("Brussels changed an Antwerp learner")
		}
	})
}

// TestLearnerBadInputChangesNothing: every refused create or update leaves
// the learners and the audit log as they were.
func TestLearnerBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		k.create(t, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
		before := rawLearnerData(t, s)
		tests := []struct {
			name  string
			l     *traject.Learner
			code  string
			field string
		}{
			{"duplicate reference", newLearner("INB-0001", "Jan", "Peeters", "1990-01-01", 0), traject.ECONFLICT, "ref"},
			{"duplicate national number", newLearner("INB-0002", "Jan", "Peeters", "1985-07-30", 33), traject.ECONFLICT, "national_number"},
			{"bad check digits", func() *traject.Learner {
				l := newLearner("INB-0003", "Jan", "Peeters", "1985-07-30", 0)
				l.NationalNumber = traject.NationalNumber(nn("1985-07-30", 40).Digits()[:9] + "00")
				return l
			}(), traject.EINVALID, "national_number"},
			{"office of another region", func() *traject.Learner {
				l := newLearner("INB-0004", "Jan", "Peeters", "1990-01-01", 0)
				l.OfficeID = 2
				return l
			}(), traject.EINVALID, "office"},
			{"unknown counsellor", func() *traject.Learner {
				l := newLearner("INB-0005", "Jan", "Peeters", "1990-01-01", 0)
				l.Counsellor = "nobody@example.org"
				return l
			}(), traject.EINVALID, "counsellor"},
			{"a desk clerk is no counsellor", func() *traject.Learner {
				l := newLearner("INB-0006", "Jan", "Peeters", "1990-01-01", 0)
				l.Counsellor = "desk@example.org"
				return l
			}(), traject.EINVALID, "counsellor"},
		}
		for _, tt := range tests {
			err := s.CreateLearner(k.admin, tt.l)
			e, ok := traject.AsError(err)
			if !ok || e.Code != tt.code || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		dup := newLearner("INB-0007", "Jan", "Peeters", "1985-07-30", 0)
		k.create(t, dup)
		before = rawLearnerData(t, s)
		dup.NationalNumber = nn("1985-07-30", 33) // Amina's
		if err := s.UpdateLearner(k.admin, dup); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("update to a taken number: %v", err)
		}
		if after := rawLearnerData(t, s); after != before {
			t.Errorf("a refused change changed the data:\n%s\n---\n%s", before, after)
		}
	})
}

func TestLearnerUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		k.create(t, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
		l := newLearner("INB-0001", "Amina", "Benali", "1985-07-30", 0) // no number: keep the one on file
		if err := s.UpdateLearner(k.counsellor, l); err != nil {
			t.Fatal(err)
		}
		if l.NationalNumberMasked != nn("1985-07-30", 33).Mask() {
			t.Errorf("the number on file was dropped: %q", l.NationalNumberMasked)
		}
		page, _ := s.Learners(k.counsellor, store.LearnerFilter{NationalNumber: nn("1985-07-30", 33)})
		if len(page.Learners) != 1 || page.Learners[0].LastName != "Benali" {
			t.Errorf("after the update: %+v", page.Learners)
		}
		l.NationalNumber = nn("1985-07-30", 35)
		if err := s.UpdateLearner(k.counsellor, l); err != nil {
			t.Fatal(err)
		}
		got, _ := s.RevealNationalNumber(k.counsellor, "INB-0001")
		if got != nn("1985-07-30", 35) {
			t.Errorf("reveal after replacing = %s", got)
		}
		raw := rawLearnerData(t, s)
		assertNoClearNumber(t, "the database", raw, nn("1985-07-30", 33), nn("1985-07-30", 35))
		if !strings.Contains(raw, "learner.update") {
			t.Error("no audit row for the update")
		}
	})
}

func TestLearnerSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		k.create(t, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
		k.create(t, newLearner("INB-0002", "Mehmet", "Öztürk", "2001-03-04", 11))
		k.create(t, newLearner("INB-0003", "Zoë", "Peeters", "1990-01-01", 0))
		k.create(t, newLearner("INB-0004", "Elif", "Çelik", "1979-12-31", 0))
		bru := newLearner("INB-0005", "Emma", "Elsen", "1995-05-05", 0)
		bru.RegionCode = "BRU"
		k.create(t, bru)
		tests := []struct {
			name string
			ctx  context.Context
			f    store.LearnerFilter
			want string
		}{
			{"all, in name order", k.admin, store.LearnerFilter{}, "INB-0004 INB-0001 INB-0005 INB-0002 INB-0003"},
			{"region scope", k.counsellor, store.LearnerFilter{}, "INB-0004 INB-0001 INB-0002 INB-0003"},
			{"last-name prefix without accents", k.admin, store.LearnerFilter{Name: "oztu"}, "INB-0002"},
			{"first name", k.admin, store.LearnerFilter{Name: "ZOE"}, "INB-0003"},
			{"last or first name", k.admin, store.LearnerFilter{Name: "el"}, "INB-0004 INB-0001 INB-0005"},
			{"last or first name in scope", k.counsellor, store.LearnerFilter{Name: "el"}, "INB-0004 INB-0001"},
			{"first then last", k.admin, store.LearnerFilter{Name: "amina el am"}, "INB-0001"},
			{"last then first", k.admin, store.LearnerFilter{Name: "el amrani ami"}, "INB-0001"},
			{"reference", k.admin, store.LearnerFilter{Ref: "INB-0003"}, "INB-0003"},
			{"reference is exact", k.admin, store.LearnerFilter{Ref: "INB-000"}, ""},
			{"national number with separators", k.admin, store.LearnerFilter{NationalNumber: traject.NationalNumber(nn("2001-03-04", 11).Format())}, "INB-0002"},
			{"national number of nobody", k.admin, store.LearnerFilter{NationalNumber: nn("2001-03-04", 12)}, ""},
			{"national number out of scope", k.brusselsCoord, store.LearnerFilter{NationalNumber: nn("2001-03-04", 11)}, ""},
		}
		for _, tt := range tests {
			page, err := s.Learners(tt.ctx, tt.f)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if got := refsOf(page.Learners); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
		_, err := s.Learners(k.admin, store.LearnerFilter{NationalNumber: "12345"})
		if e, ok := traject.AsError(err); !ok || e.Code != traject.EINVALID || e.Fields[0].Field != "national_number" {
			t.Errorf("a mistyped number: %v", err)
		}
	})
}

func refsOf(ls []traject.Learner) string {
	var refs []string
	for _, l := range ls {
		refs = append(refs, l.Ref)
	}
	return strings.Join(refs, " ")
}

func TestLearnerPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		for i := range 7 {
			// Two learners share each name, so the reference breaks the tie.
			k.create(t, newLearner(fmt.Sprintf("INB-%04d", 10-i), "Jan", fmt.Sprintf("Peeters%d", i/2), "1990-01-01", 0))
		}
		var all []string
		f := store.LearnerFilter{Limit: 3}
		for range 5 {
			page, err := s.Learners(k.admin, f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, refsOf(page.Learners))
			if page.Next == "" {
				break
			}
			f.After = page.Next
		}
		want := "INB-0009 INB-0010 INB-0007|INB-0008 INB-0005 INB-0006|INB-0004"
		if got := strings.Join(all, "|"); got != want {
			t.Errorf("pages = %s, want %s", got, want)
		}
	})
}

func TestRevealNationalNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		k.create(t, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
		k.create(t, newLearner("INB-0002", "Jan", "Peeters", "1990-01-01", 0))
		got, err := s.RevealNationalNumber(k.counsellor, "INB-0001")
		if err != nil || got != nn("1985-07-30", 33) {
			t.Fatalf("reveal = %s, %v", got.Mask(), err)
		}
		if _, err := s.RevealNationalNumber(k.desk, "INB-0001"); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("a desk clerk revealed it: %v", err)
		}
		if _, err := s.RevealNationalNumber(k.brusselsCoord, "INB-0001"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("another region: %v", err)
		}
		if _, err := s.RevealNationalNumber(k.counsellor, "INB-0002"); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("no number on file: %v", err)
		}
		log, err := s.AuditLog(k.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "INB-0001"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action+" by "+e.ActorLabel)
		}
		want := "learner.reveal.refused by desk@example.org|learner.reveal by counsellor@example.org|learner.create by admin@example.org"
		if got := strings.Join(actions, "|"); got != want {
			t.Errorf("audit = %s\nwant    %s", got, want)
		}
		assertNoClearNumber(t, "the database", rawLearnerData(t, s), nn("1985-07-30", 33))
	})
}

// TestNoSecretKeyRefusesNumbers: without TRAJECT_SECRET_KEY a national number
// is refused with an error that names the setting, and never kept in clear;
// learners without one are kept as usual.
func TestNoSecretKeyRefusesNumbers(t *testing.T) {
	s, err := store.Open(context.Background(), storetest.SQLiteURL(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := traject.NewContextWithActorLabel(context.Background(), "test")
	err = s.CreateLearner(ctx, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
	if traject.ErrorCode(err) != traject.EUNAVAILABLE || !strings.Contains(err.Error(), "TRAJECT_SECRET_KEY") {
		t.Errorf("without a key: %v", err)
	}
	if err := s.CreateLearner(ctx, newLearner("INB-0002", "Jan", "Peeters", "1990-01-01", 0)); err != nil {
		t.Errorf("a learner without a number: %v", err)
	}
	if _, err := s.Learners(ctx, store.LearnerFilter{NationalNumber: nn("1985-07-30", 33)}); traject.ErrorCode(err) != traject.EUNAVAILABLE {
		t.Errorf("search without a key: %v", err)
	}
	var n int
	if err := s.ReadDB().QueryRow(`SELECT COUNT(*) FROM learners WHERE nn_cipher IS NOT NULL OR ref = 'INB-0001'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows with a number, %v", n, err)
	}
}

// TestWrongSecretKey: a store opened with another key cannot read the
// numbers, and says so as an internal error rather than a wrong number.
func TestWrongSecretKey(t *testing.T) {
	url := storetest.SQLiteURL(t)
	s := storetest.OpenURL(t, url)
	k := newLearnerKit(t, s)
	k.create(t, newLearner("INB-0001", "Amina", "El Amrani", "1985-07-30", 33))
	other, err := store.NewSealer([]byte("another key, also 32 bytes long!"))
	if err != nil {
		t.Fatal(err)
	}
	s2, err := store.Open(context.Background(), url, store.Options{Sealer: other})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, err := s2.RevealNationalNumber(k.counsellor, "INB-0001"); traject.ErrorCode(err) != traject.EINTERNAL {
		t.Errorf("reveal with the wrong key = %s, %v", n.Mask(), err)
	}
	var cipher sql.NullString
	_ = s.ReadDB().QueryRow(`SELECT nn_cipher FROM learners`).Scan(&cipher)
	if !cipher.Valid || len(cipher.String) < 40 {
		t.Errorf("cipher = %q", cipher.String)
	}
}

// TestLearnerNameSearchPlans: a first name so common that the search walks
// the name index, and a rare one that it sorts, give the same pages as the
// plain definition: every learner whose last or first name starts with the
// search, by last name, first name and reference.
func TestLearnerNameSearchPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k := newLearnerKit(t, s)
		var all []*traject.Learner
		firsts := []string{"Mohamed", "Mohammed", "Moira", "Jan"}
		lasts := []string{"Peeters", "Morales", "Mohan", "Öztürk", "Benali", "Janssens"}
		for i := range 2600 {
			first := firsts[0]
			if i%10 == 0 {
				first = firsts[1+i/10%3]
			}
			all = append(all, &traject.Learner{Ref: fmt.Sprintf("INB-%05d", 2600-i), FirstName: first, LastName: lasts[i%len(lasts)],
				BirthDate: date("1990-01-01"), Language: "ar", RegionCode: []string{"ANT", "BRU"}[i%2], Obligation: traject.Obliged})
		}
		if _, err := s.ImportLearners(k.admin, false, func(imp *store.LearnerImport) error {
			_, err := imp.Add(all)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, search := range []string{"moh", "mo", "moi", "jan", "oz", "mohamed mo", "x"} {
			for _, ctx := range []context.Context{k.admin, k.counsellor} {
				want := expectedNames(all, search, traject.UserFromContext(ctx).ScopeRegion())
				if got := allPages(t, s, ctx, search); got != want {
					t.Errorf("%q as %s: pages differ from the definition:\n got %.200s\nwant %.200s", search,
						traject.UserFromContext(ctx).Email, got, want)
				}
			}
		}
	})
}

// allPages pages through a name search, 100 at a time.
func allPages(t *testing.T, s *store.Store, ctx context.Context, name string) string {
	t.Helper()
	var refs []string
	f := store.LearnerFilter{Name: name, Limit: 100}
	for {
		page, err := s.Learners(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, refsOf(page.Learners))
		if page.Next == "" {
			return strings.TrimSpace(strings.Join(refs, " "))
		}
		f.After = page.Next
	}
}

// expectedNames is the definition of a name search, computed in Go.
func expectedNames(all []*traject.Learner, search, region string) string {
	q := traject.NormalizeName(search)
	var hits []*traject.Learner
	for _, l := range all {
		first, last := traject.NormalizeName(l.FirstName), traject.NormalizeName(l.LastName)
		full, reversed := first+" "+last, last+" "+first
		if (region == "" || l.RegionCode == region) && (strings.HasPrefix(last, q) || strings.HasPrefix(first, q) ||
			(strings.Contains(q, " ") && (strings.HasPrefix(full, q) || strings.HasPrefix(reversed, q)))) {
			hits = append(hits, l)
		}
	}
	slices.SortFunc(hits, func(a, b *traject.Learner) int {
		return cmp.Or(strings.Compare(traject.NormalizeName(a.LastName), traject.NormalizeName(b.LastName)),
			strings.Compare(traject.NormalizeName(a.FirstName), traject.NormalizeName(b.FirstName)), strings.Compare(a.Ref, b.Ref))
	})
	var refs []string
	for _, l := range hits {
		refs = append(refs, l.Ref)
	}
	return strings.Join(refs, " ")
}

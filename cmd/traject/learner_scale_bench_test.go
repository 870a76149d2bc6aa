package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/config"
	"traject/internal/store"
)

// Sizes and reuse of the learner benchmark's database.
const (
	benchLearnersEnv   = "TRAJECT_BENCH_LEARNERS"    // how many learners; 1,000,000 by default
	benchLearnersDBEnv = "TRAJECT_BENCH_LEARNERS_DB" // keep the generated SQLite file here, and reuse it
)

// BenchmarkLearnerSearch measures the scale promise at a million
// learners on SQLite: exact look-up by national number and by reference
// (p95 under 10 ms) and search by the start of a name (p95 under 50 ms), each
// through the store, through the JSON API's handler (in process, with a
// bearer token), and as raw SQL on a plain connection, the floor under both.
// Names follow a skewed distribution, as real ones do: a few first names are
// very common, so a first-name search can match tens of thousands of rows.
func BenchmarkLearnerSearch(b *testing.B) {
	n := benchLearnerCount(b)
	path := benchLearnersDB(b, n)
	resetPeakMemory(b)
	tm := mustRun(b, "sqlite:"+path, func(c *config.Config) { c.SecretKey = testSecretKey })
	run := strconv.FormatInt(time.Now().UnixNano(), 36) // a reused database has the accounts of earlier runs
	admin := tm.mustToken(tm.mustUser("bench-admin-"+run+"@example.org", traject.RoleAdmin, ""))
	desk := tm.mustUser("bench-desk-"+run+"@example.org", traject.RoleDesk, "ANT")
	ctx := traject.NewContextWithUser(context.Background(), desk)
	q := newBenchQueries(n)
	b.Run("store/ref", func(b *testing.B) {
		benchStore(b, func(i int) (store.LearnerPage, error) {
			return tm.Store().Learners(ctx, store.LearnerFilter{Ref: q.ref(i)})
		}, 0)
	})
	b.Run("store/nn", func(b *testing.B) {
		benchStore(b, func(i int) (store.LearnerPage, error) {
			return tm.Store().Learners(ctx, store.LearnerFilter{NationalNumber: q.number(i)})
		}, 0)
	})
	b.Run("store/name", func(b *testing.B) {
		benchStore(b, func(i int) (store.LearnerPage, error) {
			return tm.Store().Learners(ctx, store.LearnerFilter{Name: q.name(i), Limit: 50})
		}, 1)
	})
	b.Run("api/ref", func(b *testing.B) {
		benchAPI(b, tm, admin, func(i int) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/api/v1/learners/"+q.ref(i), nil)
		})
	})
	b.Run("api/nn", func(b *testing.B) {
		benchAPI(b, tm, admin, func(i int) *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/learners/search", strings.NewReader(`{"national_number":"`+q.number(i).Format()+`"}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		})
	})
	b.Run("api/name", func(b *testing.B) {
		benchAPI(b, tm, admin, func(i int) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/api/v1/learners?q="+q.name(i), nil)
		})
	})
	benchRawLearners(b, path, q)
}

// benchRawLearners is the baseline: the store's queries on a plain
// database/sql connection to the same file, scanned into plain values.
func benchRawLearners(b *testing.B, path string, q benchQueries) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hashes := make([]string, 100)
	for i := range hashes {
		if err := db.QueryRow(`SELECT nn_hash FROM learners WHERE ref = ?`, q.ref(i)).Scan(&hashes[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("sql/ref", func(b *testing.B) { benchRaw(b, db, rawLearnerSQL+`l.ref = ? AND l.region_code = 'ANT'`, q.ref) })
	b.Run("sql/nn", func(b *testing.B) {
		benchRaw(b, db, rawLearnerSQL+`l.nn_hash = ? AND l.region_code = 'ANT'`, func(i int) string { return hashes[i%len(hashes)] })
	})
	b.Run("sql/name", func(b *testing.B) { benchRawName(b, db, q) })
}

// benchLearnerCount reads TRAJECT_BENCH_LEARNERS.
func benchLearnerCount(b *testing.B) int {
	n := 1_000_000
	if v := os.Getenv(benchLearnersEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 || n > 10_000_000 {
			b.Fatalf("%s=%q: want a number of learners from 1000 to 10000000", benchLearnersEnv, v)
		}
	}
	return n
}

// benchLearnersDB returns a database of n generated learners: the file named
// by TRAJECT_BENCH_LEARNERS_DB when it exists already (generating takes
// minutes at a million), else a new one.
func benchLearnersDB(b *testing.B, n int) string {
	path := os.Getenv(benchLearnersDBEnv)
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			b.Logf("reusing %s; remove it to generate %d learners again", path, n)
			return path
		}
	} else {
		path = filepath.Join(b.TempDir(), "learners.db")
	}
	key, _ := config.DecodeKey(testSecretKey)
	sealer, err := store.NewSealer(key)
	if err != nil {
		b.Fatal(err)
	}
	ctx := traject.NewContextWithActorLabel(context.Background(), "bench")
	s, err := store.Open(ctx, "sqlite:"+path, store.Options{Sealer: sealer})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	imported, err := s.ImportLearners(ctx, false, func(imp *store.LearnerImport) error {
		return feedBenchLearners(imp, n)
	})
	if err != nil || imported != n {
		b.Fatalf("generate: %d of %d learners, %v", imported, n, err)
	}
	b.Logf("wrote %d learners (with their audit rows) in %s", n, time.Since(start).Round(time.Millisecond))
	return path
}

func feedBenchLearners(imp *store.LearnerImport, n int) error {
	batch := make([]*traject.Learner, 0, 1000)
	for i := range n {
		batch = append(batch, benchLearner(i))
		if len(batch) == cap(batch) || i == n-1 {
			problems, err := imp.Add(batch)
			if err != nil {
				return err
			}
			for j, p := range problems {
				if len(p) > 0 {
					return fmt.Errorf("learner %s: %v", batch[j].Ref, p)
				}
			}
			batch = batch[:0]
		}
	}
	return nil
}

// Names of the generated learners: first names from a list with a skewed
// (Zipf) distribution, last names built from two parts (about 6,000).
var (
	benchFirst = strings.Fields(`Mohamed Ahmed Fatima Ali Aisha Omar Youssef Hassan Mariam Ibrahim Khadija Mustafa Amina
		Abdullah Zainab Hamza Sara Bilal Nour Yasmin Mehmet Ayse Emre Elif Murat Zeynep Ahmad Farid Hawa Abdi Samira
		Olena Oleksandr Iryna Dmytro Natalia Andrii Tetiana Serhii Yulia Maksym Tesfay Senait Yonas Helen Dawit Ruth
		Samuel Meron Habib Nadia Karim Leila Rachid Salma Jamal Rania Tariq Hiba Walid Noura Samir Lina Adel Dina Malik
		Reza Shirin Farhad Parisa Ali-Reza Zahra Hossein Maryam Arash Niloufar Sardar Gulnara Aziz Madina Timur Aigerim
		Pedro Ana Joao Maria Carlos Luisa Jose Carmen Piotr Anna Tomasz Magdalena Mihai Elena Ion Ioana Vasile Daniela
		Kofi Ama Kwame Abena Chidi Ngozi Emeka Adaeze Moussa Awa Mamadou Fatoumata Ousmane Aminata Ibrahima Mariama`)
	benchStems = strings.Fields(`Ben El Al Abu Bou Van De Ould Ait Haj Nas Ka Ma Sa Ta Ya Ha Ra Ba Da Ga Za Mo Bo Do
		Ko Lo No Po Ro To Vo Yo Ke Le Me Ne Re Se Te We Ye Ki Li Mi Ni Ri Si Ti Wi Yi Ku Lu Mu Nu Ru Su Tu Wu Yu Ja Ji Jo Ju`)
	benchEnds = strings.Fields(`ali amrani hadi mansour karimi rahimi yilmaz kaya demir sahin celik ozturk aydin arslan dogan
		kilic aslan cetin kara koc kurt ozdemir simsek polat erdogan shevchenko kovalenko bondarenko tkachenko kravchenko
		oliinyk tesfaye gebre haile tekle berhane abraha kidane mebrahtu haddad khoury nasser saleh hamdan awad farah
		khalil salem aziz habibi hosseini ahmadi mohammadi rezaei moradi jafari sadeghi rostami akbari mahmoudi kamali
		ndiaye diallo traore keita toure sow bah barry camara sylla conde fofana silva santos costa pereira oliveira`)
)

// benchLearner is learner i: its reference, a skewed first name, a last name
// and a national number by the rule, unique by birth day and counter.
func benchLearner(i int) *traject.Learner {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/998)
	regions := []string{"ANT", "BRU", "LIM", "OVL", "VBR", "WVL"}
	return &traject.Learner{Ref: benchRef(i), FirstName: benchFirst[zipf(r, len(benchFirst))],
		LastName: benchStems[r.IntN(len(benchStems))] + benchEnds[r.IntN(len(benchEnds))], BirthDate: birth,
		NationalNumber: traject.MakeNationalNumber(birth, 1+i%998), Language: "ar", RegionCode: regions[i%6],
		Obligation: traject.Obliged, Phone: "0470 12 34 56"}
}

func benchRef(i int) string { return fmt.Sprintf("INB-%07d", i) }

// zipf picks an index below n, index k with weight 1/(k+1).
func zipf(r *rand.Rand, n int) int {
	total := 0.0
	for k := range n {
		total += 1 / float64(k+1)
	}
	x := r.Float64() * total
	for k := range n {
		if x -= 1 / float64(k+1); x <= 0 {
			return k
		}
	}
	return n - 1
}

// benchQueries picks what the benchmarks look for: learners spread over the
// whole table, and name searches that are half a last-name start (4 to 6
// letters) and half a whole first name, the common ones as often as they occur.
type benchQueries struct {
	n     int
	names []string
}

func newBenchQueries(n int) benchQueries {
	q := benchQueries{n: n}
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 997 {
		l := benchLearner(r.IntN(n))
		if i%2 == 0 {
			last := traject.NormalizeName(l.LastName)
			q.names = append(q.names, last[:min(len(last), 4+i%3)])
		} else {
			q.names = append(q.names, traject.NormalizeName(l.FirstName))
		}
	}
	return q
}

// pick is a learner of Antwerpen (every sixth), whom the desk of the
// store benchmarks may see.
func (q benchQueries) pick(i int) int { return (i * 7919) % (q.n / 6) * 6 }

func (q benchQueries) ref(i int) string { return benchRef(q.pick(i)) }

func (q benchQueries) number(i int) traject.NationalNumber {
	return benchLearner(q.pick(i)).NationalNumber
}

func (q benchQueries) name(i int) string { return q.names[i%len(q.names)] }

// benchStore times one store call per iteration; it must find at least min learners.
func benchStore(b *testing.B, call func(i int) (store.LearnerPage, error), atLeast int) {
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		page, err := call(i)
		lat = append(lat, time.Since(t0))
		if err != nil || (atLeast == 0 && len(page.Learners) > 1) || len(page.Learners) < atLeast {
			b.Fatalf("iteration %d: %d learners, %v", i, len(page.Learners), err)
		}
		i++
	}
	reportLatency(b, lat)
}

// benchAPI times one request through the server's whole handler per iteration.
func benchAPI(b *testing.B, tm *testMain, token string, req func(i int) *http.Request) {
	h := tm.server.Handler
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		r := req(i)
		r.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, r)
		lat = append(lat, time.Since(t0))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "INB-") {
			b.Fatalf("%s %s: %d %.200s", r.Method, r.URL, rec.Code, rec.Body.String())
		}
		i++
	}
	reportLatency(b, lat)
}

// rawLearnerSQL is the start of the store's look-up: the same columns and join.
const rawLearnerSQL = `SELECT l.id, l.ref, l.first_name, l.last_name, l.birth_date, l.nn_mask, l.phone, l.email,
	l.language, l.region_code, COALESCE(l.office_id, 0), l.obligation, COALESCE(u.email, ''), l.closed_on,
	l.created_at, l.updated_at FROM learners l LEFT JOIN users u ON u.id = l.counsellor_id WHERE `

// rawNameKeys are the statements of the store's name search for a national
// actor: a probe of the first-name index, one index range per alternative in
// list order, then the page's learners by id.
const (
	rawNameProbe = `SELECT COUNT(*) FROM (SELECT 1 FROM learners l WHERE l.first_norm >= ?1 AND l.first_norm < ?1 || char(65535) LIMIT 2000)`
	rawNameLast  = `SELECT l.id FROM learners l WHERE l.last_norm >= ?1 AND l.last_norm < ?1 || char(65535)
		ORDER BY l.last_norm, l.first_norm, l.ref LIMIT 51`
	rawNameFirst = `SELECT l.id FROM learners l WHERE %sl.first_norm >= ?1 AND %sl.first_norm < ?1 || char(65535)
		ORDER BY l.last_norm, l.first_norm, l.ref LIMIT 51`
)

// benchRawName runs the store's name search as plain statements.
func benchRawName(b *testing.B, db *sql.DB, q benchQueries) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		name := q.name(i)
		t0 := time.Now()
		var n int
		if err := db.QueryRow(rawNameProbe, name).Scan(&n); err != nil {
			b.Fatal(err)
		}
		plus := ""
		if n == 2000 {
			plus = "+"
		}
		ids := rawIDs(b, db, rawNameLast, name)
		ids = append(ids, rawIDs(b, db, fmt.Sprintf(rawNameFirst, plus, plus), name)...)
		in := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		if got := rawScan(b, db, rawLearnerSQL+`l.id IN (`+in+`) ORDER BY l.last_norm, l.first_norm, l.ref LIMIT 51`, ids...); got == 0 {
			b.Fatalf("%q: nothing found", name)
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	reportLatency(b, lat)
}

func rawIDs(b *testing.B, db *sql.DB, query, arg string) []any {
	rows, err := db.Query(query, arg)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func benchRaw(b *testing.B, db *sql.DB, query string, arg func(i int) string) {
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if n := rawScan(b, db, query, arg(i)); n == 0 {
			b.Fatalf("%s: nothing found", arg(i))
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	reportLatency(b, lat)
}

// rawScan runs a query of the store's columns and scans it into plain values.
func rawScan(b *testing.B, db *sql.DB, query string, args ...any) int {
	rows, err := db.Query(query, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, office int64
		var ref, first, last, mask, phone, email, lang, region, obligation, counsellor, created, updated string
		var birth, closed sql.NullString
		if err := rows.Scan(&id, &ref, &first, &last, &birth, &mask, &phone, &email, &lang, &region, &office,
			&obligation, &counsellor, &closed, &created, &updated); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

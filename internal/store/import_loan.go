package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"traject"
)

// HistoricalLoan is one row of a loans file: a device lent to a learner for
// an agreed period, perhaps handed out, perhaps back. Line is where the row
// stands in its file, so that an overlap can name the other row.
type HistoricalLoan struct {
	Line      int
	AssetTag  string
	Learner   string // reference
	Course    string // reference; may be empty
	From      time.Time
	Until     time.Time
	HandedOut time.Time // zero: never handed out (still reserved)
	Returned  time.Time // zero: not back (still out)

	loan    traject.Loan // what the row becomes
	device  *traject.Device
	learner importedLearner
	course  any // its id, or nil
}

// State is the state the loan is imported in: returned when it came back,
// handed out when it only went out, else reserved.
func (h *HistoricalLoan) State() traject.LoanState {
	switch {
	case !h.Returned.IsZero():
		return traject.LoanReturned
	case !h.HandedOut.IsZero():
		return traject.LoanHandedOut
	}
	return traject.LoanReserved
}

// held is the range of days the loan holds its device: from the first agreed
// day to the day it came back, to the last agreed day for a reservation, and
// without end for a device still out (as freeDevice counts it).
func (h *HistoricalLoan) held() (time.Time, time.Time) {
	switch h.State() {
	case traject.LoanReturned:
		return h.From, h.Returned
	case traject.LoanHandedOut:
		return h.From, time.Time{}
	}
	return h.From, h.Until
}

// importedLearner is what a loan needs of its learner.
type importedLearner struct {
	id           int64
	region, name string
}

// LoanImport is a loans import in progress: ImportLoans hands it to the
// caller, which adds every row of the file with one call to Add.
type LoanImport struct {
	*importTx
	device, learner, course, held stmt
	loans, acceptances            *multiInsert
	devices                       map[string]*traject.Device // asset tag -> device; nil when unknown
	learners                      map[string]importedLearner
	courses                       map[string]importedCourse
	versions                      []agreementAtDay
	today                         time.Time
	args                          []any
}

type importedCourse struct {
	id     int64
	region string
	known  bool
}

// agreementAtDay is a published version of the agreement: from which day it
// was in force, and its binding Dutch text.
type agreementAtDay struct {
	id      int64
	version int
	from    time.Time
	dutch   string
}

// ImportLoans runs feed in one transaction; feed adds every row of a file
// with one call to Add, so that both rows of an overlap inside the file are
// named. The loans are committed only when feed returns nil and no row was
// rejected; a dry run checks every row and writes nothing. It returns how
// many loans were imported.
func (s *Store) ImportLoans(ctx context.Context, dryRun bool, feed func(*LoanImport) error) (int, error) {
	if actor := traject.UserFromContext(ctx); actor != nil && !actor.Can(traject.PermLoansWrite) {
		return 0, traject.Errorf(traject.EFORBIDDEN, "import.loans.forbidden", "your role may not import loans")
	}
	return runKind(ctx, s, "import loans", dryRun, func(it *importTx) *LoanImport {
		return &LoanImport{importTx: it, devices: map[string]*traject.Device{}, learners: map[string]importedLearner{},
			courses: map[string]importedCourse{}, today: traject.SessionDay(it.tx.now)}
	}, feed)
}

func (imp *LoanImport) prepareAll() error {
	var err error
	prep := func(dst *stmt, q string) {
		if err == nil {
			*dst, err = imp.prepare(q)
		}
	}
	prep(&imp.device, `SELECT `+deviceColumns+deviceFrom+` WHERE d.asset_tag = ?`)
	prep(&imp.learner, `SELECT id, region_code, first_name || ' ' || last_name FROM learners WHERE ref = ?`)
	prep(&imp.course, `SELECT id, region_code FROM courses WHERE ref = ?`)
	// Every loan that holds or held the device: a cancelled one never did.
	prep(&imp.held, `SELECT l.id, l.state, l.starts_on, l.due_on, l.returned_on FROM loans l
		JOIN devices d ON d.id = l.device_id WHERE d.asset_tag = ? AND l.state <> 'cancelled' ORDER BY l.starts_on`)
	if err != nil {
		return err
	}
	imp.loans = newMultiInsert(imp.importTx, `INSERT INTO loans (learner_id, course_id, device_id, region_code, connectivity,
		starts_on, ends_on, due_on, state, handed_out_on, returned_on, created_at, updated_at) VALUES`,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", " RETURNING id, device_id, starts_on")
	imp.acceptances = newMultiInsert(imp.importTx, `INSERT INTO acceptances (loan_id, version_id, language, text, text_sha256,
		method, witness_id, imported, accepted_at) VALUES`, "(?, ?, 'nl', ?, ?, 'paper', ?, TRUE, ?)", "")
	imp.prepareAudit()
	return imp.loadVersions()
}

// loadVersions reads every published agreement with its Dutch text: a
// handful of rows.
func (imp *LoanImport) loadVersions() error {
	q, err := imp.prepare(`SELECT v.id, v.version, v.published_at, t.body FROM agreement_versions v
		JOIN agreement_texts t ON t.version_id = v.id AND t.language = 'nl' WHERE v.id > ? ORDER BY v.version`)
	if err != nil {
		return err
	}
	return imp.checkRows(q, []any{0}, func(rows *sql.Rows) error {
		var a agreementAtDay
		var at time.Time
		if err := rows.Scan(&a.id, &a.version, timeCol{&at}, &a.dutch); err != nil {
			return err
		}
		a.from = traject.SessionDay(at) // the day in Brussels
		imp.versions = append(imp.versions, a)
		return nil
	})
}

// versionOn is the agreement in force on day: the last one published by
// then, or the first one for a day before any was published.
func (imp *LoanImport) versionOn(day time.Time) (agreementAtDay, bool) {
	if len(imp.versions) == 0 {
		return agreementAtDay{}, false
	}
	v := imp.versions[0]
	for _, a := range imp.versions[1:] {
		if !a.from.After(day) {
			v = a
		}
	}
	return v, true
}

// Add checks every loan of the file against the rules, against the other
// rows and against the database, and returns the problems of each, index by
// index, each naming its column; none means the loan is good. While every row
// so far passed and this is no dry run, the loans are written with their
// imported paper acceptances and audit rows, a batch at a time. Call it once
// with every row: the overlaps inside the file are found among the rows of
// one call.
func (imp *LoanImport) Add(ls []*HistoricalLoan) ([][]traject.FieldError, error) {
	inFile := fileOverlaps(ls)
	for _, p := range inFile {
		if len(p) > 0 {
			imp.failed = true
		}
	}
	problems, err := inBatches(ls, imp.addBatch)
	if err != nil {
		return nil, err
	}
	for i := range problems {
		problems[i] = append(problems[i], inFile[i]...)
	}
	return problems, nil
}

func (imp *LoanImport) addBatch(ls []*HistoricalLoan, problems [][]traject.FieldError) error {
	for i, h := range ls {
		var err error
		if problems[i], err = imp.loanProblems(h); err != nil {
			return err
		}
		if len(problems[i]) > 0 {
			imp.failed = true
		}
	}
	if !imp.writes() {
		return nil
	}
	if err := imp.insert(ls); err != nil {
		// A batch that passed every check and still failed: another writer
		// won a race, and the database's own guard refused the overlap.
		fields, err := imp.insertFailed("asset_tag", err)
		problems[0] = append(problems[0], fields...)
		return err
	}
	imp.added += len(ls)
	return nil
}

// loanProblems checks one row on its own and against the database.
func (imp *LoanImport) loanProblems(h *HistoricalLoan) ([]traject.FieldError, error) {
	var v traject.Validation
	h.AssetTag, h.Learner, h.Course = strings.TrimSpace(h.AssetTag), strings.TrimSpace(h.Learner), strings.TrimSpace(h.Course)
	checkDates(&v, h, imp.today)
	d, err := imp.lookupDevice(h.AssetTag)
	if err != nil {
		return nil, err
	}
	le, known, err := imp.lookupLearner(h.Learner)
	if err != nil {
		return nil, err
	}
	if err := imp.checkCourse(&v, h); err != nil {
		return nil, err
	}
	checkParties(&v, h, d, le, known, traject.UserFromContext(imp.tx.ctx))
	if c := imp.courses[h.Course]; h.course != nil && known && c.region != le.region {
		v.Add("course", "import.loan.course.region", "course "+h.Course+" is given in region "+c.region+", not in the learner's "+le.region,
			map[string]any{"Value": h.Course, "Region": c.region, "LearnerRegion": le.region})
	}
	if d != nil && v.Err() == nil {
		if err := imp.checkHeld(&v, h, d); err != nil {
			return nil, err
		}
	}
	h.device, h.learner = d, le
	return fieldsOf(v.Err()), nil
}

func fieldsOf(err error) []traject.FieldError {
	if e, ok := traject.AsError(err); ok {
		return e.Fields
	}
	return nil
}

// checkDates checks the row's days: an agreed period, a hand-out within it
// and not in the future, a return after the hand-out and not in the future.
func checkDates(v *traject.Validation, h *HistoricalLoan, today time.Time) {
	switch {
	case h.From.IsZero():
		v.Add("from", "loan.from.required", "enter the first day of the loan as YYYY-MM-DD", nil)
	case h.Until.IsZero():
		v.Add("until", "loan.until.required", "enter the last day of the loan as YYYY-MM-DD", nil)
	case h.Until.Before(h.From):
		v.Add("until", "loan.until.before", "the last day cannot be before the first day", nil)
	case traject.DaysBetween(h.From, h.Until) >= traject.MaxLoanDays:
		v.Add("until", "loan.until.long", "a loan lasts at most a year", nil)
	}
	switch {
	case h.HandedOut.IsZero():
	case !h.From.IsZero() && h.HandedOut.Before(h.From):
		v.Add("handed_out", "import.loan.handout.early", "the device cannot go out before the first agreed day (from)", nil)
	case h.HandedOut.After(today):
		v.Add("handed_out", "import.loan.future", "this day is still to come: import only what happened", nil)
	}
	switch {
	case h.Returned.IsZero():
	case h.HandedOut.IsZero():
		v.Add("returned", "import.loan.return.nohandout", "a device cannot come back without going out: fill in handed_out", nil)
	case h.Returned.Before(h.HandedOut):
		v.Add("returned", "loan.return.before", "a device cannot come back before it went out", nil)
	case h.Returned.After(today):
		v.Add("returned", "import.loan.future", "this day is still to come: import only what happened", nil)
	}
}

// checkParties checks the device and the learner: known, in one region, the
// actor's, and a device that may be lent at all.
func checkParties(v *traject.Validation, h *HistoricalLoan, d *traject.Device, le importedLearner, known bool, actor *traject.User) {
	switch {
	case h.AssetTag == "":
		v.Add("asset_tag", "import.loan.assettag.required", "enter the device's asset tag", nil)
	case d == nil:
		v.Add("asset_tag", "import.loan.device.unknown", "there is no device "+h.AssetTag+": import the devices first",
			map[string]any{"Value": h.AssetTag})
	case d.State == traject.StateSpare || d.State == traject.StateRetired:
		v.Add("asset_tag", "import.loan.device.blocked", "device "+h.AssetTag+" is "+string(d.State)+": it is never lent to a learner",
			map[string]any{"Value": h.AssetTag, "State": string(d.State)})
	}
	switch {
	case h.Learner == "":
		v.Add("learner", "loan.learner.required", "enter the learner's reference", nil)
	case !known:
		v.Add("learner", "import.loan.learner.unknown", "there is no learner "+h.Learner+": import the learners first",
			map[string]any{"Value": h.Learner})
	case actor != nil && !actor.CanSeeRegion(le.region):
		v.Add("learner", "import.loan.region.forbidden", "you can import loans only in your own region", nil)
	case d != nil && d.RegionCode != le.region:
		v.Add("learner", "import.loan.region", "learner "+h.Learner+" belongs to region "+le.region+" and device "+
			h.AssetTag+" to "+d.RegionCode+": lend a device of the learner's region",
			map[string]any{"Learner": h.Learner, "Region": le.region, "Device": h.AssetTag, "DeviceRegion": d.RegionCode})
	}
}

func (imp *LoanImport) checkCourse(v *traject.Validation, h *HistoricalLoan) error {
	h.course = nil
	if h.Course == "" {
		return nil
	}
	c, err := imp.lookupCourse(h.Course)
	switch {
	case err != nil:
		return err
	case !c.known:
		v.Add("course", "import.loan.course.unknown", "there is no course "+h.Course+": import the courses first",
			map[string]any{"Value": h.Course})
	default:
		h.course = c.id
	}
	return nil
}

func (imp *LoanImport) lookupDevice(tag string) (*traject.Device, error) {
	if tag == "" {
		return nil, nil
	}
	if d, ok := imp.devices[tag]; ok {
		return d, nil
	}
	var d traject.Device
	err := scanDevice(imp.deviceRow(tag), &d)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		imp.remember(func() { imp.devices[tag] = nil }, len(imp.devices))
		return nil, nil
	case err != nil:
		return nil, err
	}
	imp.remember(func() { imp.devices[tag] = &d }, len(imp.devices))
	return &d, nil
}

// deviceRow reads a device in the transaction while it is sound, else on the
// read pool, as check does.
func (imp *LoanImport) deviceRow(tag string) *sql.Row {
	if imp.broken {
		return imp.s.db.QueryRowContext(imp.tx.ctx, imp.device.query, tag)
	}
	return imp.device.st.QueryRowContext(imp.tx.ctx, tag)
}

// remember caches a look-up, up to a bound: a file of unknown keys must not
// grow the cache without end.
func (imp *LoanImport) remember(store func(), size int) {
	if size < 100_000 {
		store()
	}
}

func (imp *LoanImport) lookupLearner(ref string) (importedLearner, bool, error) {
	if ref == "" {
		return importedLearner{}, false, nil
	}
	if le, ok := imp.learners[ref]; ok {
		return le, le.id != 0, nil
	}
	var le importedLearner
	err := imp.check(imp.learner, []any{&le.id, &le.region, &le.name}, ref)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return le, false, err
	}
	imp.remember(func() { imp.learners[ref] = le }, len(imp.learners))
	return le, le.id != 0, nil
}

func (imp *LoanImport) lookupCourse(ref string) (importedCourse, error) {
	if c, ok := imp.courses[ref]; ok {
		return c, nil
	}
	var c importedCourse
	err := imp.check(imp.course, []any{&c.id, &c.region}, ref)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return c, err
	default:
		c.known = true
	}
	imp.remember(func() { imp.courses[ref] = c }, len(imp.courses))
	return c, nil
}

package store

import (
	"context"
	"database/sql"
	"strings"

	"traject"
)

// LearnerImport is a learners import in progress: ImportLearners hands it to
// the caller, which adds the file's learners a batch at a time.
type LearnerImport struct {
	*importTx
	exists   stmt
	learners *multiInsert
	args     []any
}

// ImportLearners runs feed in one transaction; feed adds every row of a file
// with Add. The learners are committed only when feed returns nil and no row
// was rejected; a dry run checks every row and writes nothing. National
// numbers are sealed as CreateLearner seals them: without TRAJECT_SECRET_KEY
// a file with a national number is refused as a whole.
func (s *Store) ImportLearners(ctx context.Context, dryRun bool, feed func(*LearnerImport) error) (int, error) {
	if actor := traject.UserFromContext(ctx); actor != nil && !actor.Can(traject.PermLearnersWrite) {
		return 0, traject.Errorf(traject.EFORBIDDEN, "import.learners.forbidden", "your role may not import learners")
	}
	return runKind(ctx, s, "import learners", dryRun, func(it *importTx) *LearnerImport { return &LearnerImport{importTx: it} }, feed)
}

func (imp *LearnerImport) prepareAll() error {
	// One round trip finds which references and national numbers of a whole
	// batch exist; unused places hold NULL, which equals nothing.
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", importBatch), ", ") + ")"
	var err error
	imp.exists, err = imp.prepare(`SELECT 1, ref FROM learners WHERE ref IN ` + in +
		` UNION ALL SELECT 2, nn_hash FROM learners WHERE nn_hash IN ` + in)
	imp.learners = newMultiInsert(imp.importTx, `INSERT INTO learners (ref, first_name, last_name, first_norm, last_norm,
		birth_date, nn_cipher, nn_hash, nn_mask, phone, email, language, region_code, obligation, created_at, updated_at) VALUES`,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", " RETURNING id, ref")
	imp.prepareAudit()
	return err
}

// Add checks learners against the rules and the database and returns the
// problems of each, index by index, each naming its column; none means the
// learner is good. While every row so far passed and this is no dry run, the
// learners are inserted with their audit rows, which hold the mask of the
// national number, never the number.
func (imp *LearnerImport) Add(ls []*traject.Learner) ([][]traject.FieldError, error) {
	return inBatches(ls, imp.addBatch)
}

func (imp *LearnerImport) addBatch(ls []*traject.Learner, problems [][]traject.FieldError) error {
	sealed := make([]sealedNumber, len(ls))
	for i, l := range ls {
		var err error
		if problems[i], sealed[i], err = imp.learnerProblems(l); err != nil {
			return err
		}
	}
	if err := imp.duplicates(ls, sealed, problems); err != nil {
		return err
	}
	for _, p := range problems {
		if len(p) > 0 {
			imp.failed = true
		}
	}
	if !imp.writes() {
		return nil
	}
	if err := imp.insert(ls, sealed); err != nil {
		fields, err := imp.insertFailed("ref", err)
		problems[0] = append(problems[0], fields...)
		return err
	}
	imp.added += len(ls)
	return nil
}

// learnerProblems checks one learner on its own, and seals its number. A
// missing key is an error of the whole import, not of the row.
func (imp *LearnerImport) learnerProblems(l *traject.Learner) ([]traject.FieldError, sealedNumber, error) {
	var fields []traject.FieldError
	if err := l.Validate(); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	if actor := traject.UserFromContext(imp.tx.ctx); actor != nil && l.RegionCode != "" && !actor.CanSeeRegion(l.RegionCode) {
		fields = append(fields, traject.FieldError{Field: "region", Key: "import.region.forbidden",
			Message: "you can import learners only into your own region"})
	}
	if len(fields) > 0 || l.NationalNumber == "" {
		return fields, sealedNumber{}, nil
	}
	sn, err := imp.s.sealNumber(l.NationalNumber)
	return nil, sn, err
}

// duplicates adds the problem of every reference and national number of a
// batch that the database already holds. The message names the reference,
// never the number.
func (imp *LearnerImport) duplicates(ls []*traject.Learner, sealed []sealedNumber, problems [][]traject.FieldError) error {
	args := make([]any, 2*importBatch) // NULL where a batch is shorter
	for i, l := range ls {
		args[i] = l.Ref
		if sealed[i].hash != "" {
			args[importBatch+i] = sealed[i].hash
		}
	}
	found := map[[2]string]bool{}
	err := imp.checkRows(imp.exists, args, func(rows *sql.Rows) error {
		var kind int
		var key string
		if err := rows.Scan(&kind, &key); err != nil {
			return err
		}
		found[[2]string{[]string{"", "ref", "nn"}[kind], key}] = true
		return nil
	})
	if err != nil || len(found) == 0 {
		return err
	}
	for i, l := range ls {
		if found[[2]string{"ref", l.Ref}] {
			problems[i] = append(problems[i], traject.FieldError{Field: "ref", Key: "import.exists.learnerref",
				Args: map[string]any{"Value": l.Ref}, Message: "a learner with reference " + l.Ref + " already exists"})
		}
		if sealed[i].hash != "" && found[[2]string{"nn", sealed[i].hash}] {
			problems[i] = append(problems[i], traject.FieldError{Field: "national_number", Key: "import.exists.nn",
				Message: "another learner already has this national number"})
		}
	}
	return nil
}

// insert writes checked learners and their audit rows, as tx.createLearner
// does one by one.
func (imp *LearnerImport) insert(ls []*traject.Learner, sealed []sealedNumber) error {
	now := imp.tx.nowArg()
	byRef := make(map[string]*traject.Learner, len(ls))
	args := imp.args[:0]
	for i, l := range ls {
		byRef[l.Ref] = l
		sn := sealed[i]
		args = append(args, l.Ref, l.FirstName, l.LastName, traject.NormalizeName(l.FirstName), traject.NormalizeName(l.LastName),
			dateArg(l.BirthDate), nullString(sn.cipher), nullString(sn.hash), sn.mask, l.Phone, l.Email, l.Language,
			l.RegionCode, l.Obligation, now, now)
	}
	// RETURNING promises no order: each id is matched to its learner by reference.
	err := imp.learners.exec(args, func(rows *sql.Rows) error {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return err
		}
		if l := byRef[ref]; l != nil {
			l.ID, l.CreatedAt, l.UpdatedAt = id, imp.tx.now, imp.tx.now
		}
		return nil
	})
	imp.args = args[:0]
	if err != nil {
		return err
	}
	return imp.insertAudit(ls)
}

func (imp *LearnerImport) insertAudit(ls []*traject.Learner) error {
	args := imp.args[:0]
	for _, l := range ls {
		var err error
		if args, err = imp.auditArgs(args, "learner.create", "learner", l.Ref, l.RegionCode, l); err != nil {
			return err
		}
	}
	err := imp.audit.exec(args, nil)
	imp.args = args[:0]
	return err
}

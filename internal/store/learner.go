package store

import (
	"context"
	"database/sql"

	"traject"
)

const learnerColumns = `l.id, l.ref, l.first_name, l.last_name, l.birth_date, l.nn_mask, l.phone, l.email,
	l.language, l.region_code, COALESCE(l.office_id, 0), l.obligation, COALESCE(u.email, ''), l.closed_on,
	l.created_at, l.updated_at`

// learnerFrom joins the counsellor's e-mail address, which is how people and
// files name a counsellor.
const learnerFrom = ` FROM learners l LEFT JOIN users u ON u.id = l.counsellor_id`

func scanLearner(row interface{ Scan(...any) error }, l *traject.Learner) error {
	return row.Scan(&l.ID, &l.Ref, &l.FirstName, &l.LastName, dateCol{&l.BirthDate}, &l.NationalNumberMasked,
		&l.Phone, &l.Email, &l.Language, &l.RegionCode, &l.OfficeID, &l.Obligation, &l.Counsellor,
		dateCol{&l.ClosedOn}, timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt})
}

// Learner returns the learner with this reference, within the actor's
// region: a learner elsewhere is not found, exactly as one that does not
// exist. The national number is not in it (only its mask); see
// RevealNationalNumber.
func (s *Store) Learner(ctx context.Context, ref string) (*traject.Learner, error) {
	var l traject.Learner
	err := scanLearner(s.queryRow(ctx, `SELECT `+learnerColumns+learnerFrom+` WHERE l.ref = ?`, ref), &l)
	if err == nil && !traject.UserFromContext(ctx).CanSeeRegion(l.RegionCode) && traject.UserFromContext(ctx) != nil {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, s.mapError("learner", "learner "+ref, err)
	}
	return &l, nil
}

// learner reads a learner inside a write transaction, within the actor's region.
func (tx *Tx) learner(ref string) (*traject.Learner, int64, error) {
	var l traject.Learner
	var counsellorID sql.NullInt64
	err := tx.queryRow(`SELECT `+learnerColumns+`, l.counsellor_id`+learnerFrom+` WHERE l.ref = ?`, ref).Scan(
		&l.ID, &l.Ref, &l.FirstName, &l.LastName, dateCol{&l.BirthDate}, &l.NationalNumberMasked,
		&l.Phone, &l.Email, &l.Language, &l.RegionCode, &l.OfficeID, &l.Obligation, &l.Counsellor,
		dateCol{&l.ClosedOn}, timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt}, &counsellorID)
	if err != nil {
		return nil, 0, err
	}
	if actor := traject.UserFromContext(tx.ctx); actor != nil && !actor.CanSeeRegion(l.RegionCode) {
		return nil, 0, sql.ErrNoRows
	}
	return &l, counsellorID.Int64, nil
}

// sealedNumber is a national number as the learners table keeps it; all
// empty for a learner without one.
type sealedNumber struct {
	cipher, hash, mask string
}

func (s *Store) sealNumber(n traject.NationalNumber) (sealedNumber, error) {
	if n == "" {
		return sealedNumber{}, nil
	}
	c, err := s.sealer.seal(n)
	if err != nil {
		return sealedNumber{}, err
	}
	h, err := s.sealer.hash(n)
	if err != nil {
		return sealedNumber{}, err
	}
	return sealedNumber{cipher: c, hash: h, mask: n.Mask()}, nil
}

// prepareLearner validates l, checks that the actor may keep a learner in its
// region, and seals its national number: everything that needs no database.
func (s *Store) prepareLearner(ctx context.Context, l *traject.Learner) (sealedNumber, error) {
	if err := l.Validate(); err != nil {
		return sealedNumber{}, err
	}
	if actor := traject.UserFromContext(ctx); actor != nil && !actor.CanSeeRegion(l.RegionCode) {
		return sealedNumber{}, traject.Errorf(traject.EFORBIDDEN, "learner.region.forbidden", "you can keep learners only in your own region")
	}
	return s.sealNumber(l.NationalNumber)
}

// CreateLearner adds a learner in the actor's region, with the national
// number sealed (never in clear, not even in the audit row, which keeps the
// mask). A reference or national number that is already taken is refused.
func (s *Store) CreateLearner(ctx context.Context, l *traject.Learner) error {
	sn, err := s.prepareLearner(ctx, l)
	if err != nil {
		return err
	}
	return s.write(ctx, "create learner", func(tx *Tx) error { return tx.createLearner(l, sn) })
}

// createLearner inserts a validated learner and audits it.
func (tx *Tx) createLearner(l *traject.Learner, sn sealedNumber) error {
	if err := tx.learnerUnique(l.Ref, sn.hash, 0); err != nil {
		return err
	}
	refs, err := tx.learnerRefs(l)
	if err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO learners (ref, first_name, last_name, first_norm, last_norm, birth_date,
		nn_cipher, nn_hash, nn_mask, phone, email, language, region_code, office_id, obligation, counsellor_id,
		created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.Ref, l.FirstName, l.LastName, traject.NormalizeName(l.FirstName), traject.NormalizeName(l.LastName),
		dateArg(l.BirthDate), nullString(sn.cipher), nullString(sn.hash), sn.mask, l.Phone, l.Email, l.Language,
		l.RegionCode, refs.office, l.Obligation, refs.counsellor, tx.nowArg(), tx.nowArg())
	if err != nil {
		return err
	}
	l.ID, l.CreatedAt, l.UpdatedAt, l.NationalNumberMasked = id, tx.now, tx.now, sn.mask
	return tx.audit("learner.create", "learner", l.Ref, l.RegionCode, nil, l)
}

// learnerUnique refuses a reference or a national number that another
// learner (not id) already has. The other learner is not named: it may be
// outside the actor's region.
func (tx *Tx) learnerUnique(ref, nnHash string, id int64) error {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM learners WHERE ref = ? AND id <> ?`, ref, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return conflictField("ref", "learner.ref.taken", "another learner already has this reference")
	}
	if nnHash == "" {
		return nil
	}
	if err := tx.queryRow(`SELECT COUNT(*) FROM learners WHERE nn_hash = ? AND id <> ?`, nnHash, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return conflictField("national_number", "learner.nn.taken", "another learner already has this national number")
	}
	return nil
}

func conflictField(field, key, msg string) error {
	return &traject.Error{Code: traject.ECONFLICT, Key: key, Message: msg,
		Fields: []traject.FieldError{{Field: field, Key: key, Message: msg}}}
}

// learnerRefs are the ids a learner row points to.
type learnerRefs struct {
	office, counsellor any // nil or an id
}

// learnerRefs resolves the office (which must be in the learner's region) and
// the counsellor (an active staff member who may follow learners there).
func (tx *Tx) learnerRefs(l *traject.Learner) (learnerRefs, error) {
	var r learnerRefs
	if l.OfficeID != 0 {
		var region string
		err := tx.queryRow(`SELECT region_code FROM offices WHERE id = ?`, l.OfficeID).Scan(&region)
		if err != nil && err != sql.ErrNoRows {
			return r, err
		}
		if region != l.RegionCode {
			return r, invalidField("office", "learner.office.invalid", "choose an office of the learner's region")
		}
		r.office = l.OfficeID
	}
	if l.Counsellor != "" {
		var u traject.User
		err := scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE email = ?`, l.Counsellor), &u)
		if err != nil && err != sql.ErrNoRows {
			return r, err
		}
		if err != nil || !u.Can(traject.PermLearnersWrite) || !u.CanSeeRegion(l.RegionCode) {
			return r, invalidField("counsellor", "learner.counsellor.invalid", "enter the e-mail address of an active staff member of the learner's region who follows learners")
		}
		r.counsellor = u.ID
	}
	return r, nil
}

func invalidField(field, key, msg string) error {
	var v traject.Validation
	v.Add(field, key, msg, nil)
	return v.Err()
}

// UpdateLearner changes the learner with l.Ref (the reference itself does not
// change). An empty national number keeps the one on file; a new one replaces
// it. The audit row holds the masks, never a number.
func (s *Store) UpdateLearner(ctx context.Context, l *traject.Learner) error {
	sn, err := s.prepareLearner(ctx, l)
	if err != nil {
		return err
	}
	return s.write(ctx, "update learner", func(tx *Tx) error {
		before, _, err := tx.learner(l.Ref)
		if err != nil {
			return s.mapError("update learner", "learner "+l.Ref, err)
		}
		if err := tx.learnerUnique(l.Ref, sn.hash, before.ID); err != nil {
			return err
		}
		refs, err := tx.learnerRefs(l)
		if err != nil {
			return err
		}
		if err := tx.updateLearner(before, l, sn, refs); err != nil {
			return err
		}
		return tx.audit("learner.update", "learner", l.Ref, l.RegionCode, before, l)
	})
}

func (tx *Tx) updateLearner(before, l *traject.Learner, sn sealedNumber, refs learnerRefs) error {
	set := `first_name = ?, last_name = ?, first_norm = ?, last_norm = ?, birth_date = ?, phone = ?, email = ?,
		language = ?, region_code = ?, office_id = ?, obligation = ?, counsellor_id = ?, updated_at = ?`
	args := []any{l.FirstName, l.LastName, traject.NormalizeName(l.FirstName), traject.NormalizeName(l.LastName),
		dateArg(l.BirthDate), l.Phone, l.Email, l.Language, l.RegionCode, refs.office, l.Obligation, refs.counsellor, tx.nowArg()}
	l.NationalNumberMasked = before.NationalNumberMasked
	if sn.hash != "" {
		set += `, nn_cipher = ?, nn_hash = ?, nn_mask = ?`
		args = append(args, sn.cipher, sn.hash, sn.mask)
		l.NationalNumberMasked = sn.mask
	}
	if err := expectOne(tx.exec(`UPDATE learners SET `+set+` WHERE id = ?`, append(args, before.ID)...)); err != nil {
		return err
	}
	l.ID, l.CreatedAt, l.UpdatedAt, l.ClosedOn = before.ID, before.CreatedAt, tx.now, before.ClosedOn
	return nil
}

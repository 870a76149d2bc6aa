package store

import (
	"context"
	"database/sql"

	"traject"
)

// RevealNationalNumber returns a learner's national number in clear, to a
// staff member whose role holds learners:reveal, and audits that it was read
// (DESIGN §2 invariant 5) in the same transaction, before the number leaves
// the store. The audit row names who, when and which learner, never the
// number.
//
// A refused reveal is audited too (learner.reveal.refused): an attempt to
// read a national number without the right is worth knowing about. A learner
// outside the actor's region is not found, and that is not audited, since for
// the actor the learner does not exist.
func (s *Store) RevealNationalNumber(ctx context.Context, ref string) (traject.NationalNumber, error) {
	actor := traject.UserFromContext(ctx)
	allowed := actor.Can(traject.PermLearnersReveal)
	var n traject.NationalNumber
	err := s.write(ctx, "reveal national number", func(tx *Tx) error {
		l, _, err := tx.learner(ref)
		if err != nil {
			return s.mapError("reveal national number", "learner "+ref, err)
		}
		if !allowed {
			return tx.audit("learner.reveal.refused", "learner", l.Ref, l.RegionCode, nil, nil)
		}
		if n, err = tx.openNumber(s.sealer, l.ID); err != nil {
			return err
		}
		return tx.audit("learner.reveal", "learner", l.Ref, l.RegionCode, nil,
			map[string]string{"national_number_masked": l.NationalNumberMasked})
	})
	switch {
	case err != nil:
		return "", err
	case !allowed:
		return "", traject.Errorf(traject.EFORBIDDEN, "learner.reveal.forbidden", "your role may not see national numbers")
	}
	return n, nil
}

// openNumber reads and opens a learner's sealed number.
func (tx *Tx) openNumber(sealer *Sealer, id int64) (traject.NationalNumber, error) {
	var sealed sql.NullString
	if err := tx.queryRow(`SELECT nn_cipher FROM learners WHERE id = ?`, id).Scan(&sealed); err != nil {
		return "", err
	}
	if !sealed.Valid {
		return "", traject.Errorf(traject.ENOTFOUND, "learner.nn.none", "no national number is on file for this learner")
	}
	return sealer.open(sealed.String)
}

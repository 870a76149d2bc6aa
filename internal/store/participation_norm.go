package store

import (
	"context"

	"traject"
)

// ParticipationNorms returns every version of the participation norm, oldest first.
func (s *Store) ParticipationNorms(ctx context.Context) (traject.NormHistory, error) {
	h, err := participationNorms(attendancePool{s, ctx})
	return h, s.mapError("participation norms", "norms", err)
}

func participationNorms(r attendanceReader) (traject.NormHistory, error) {
	rows, err := r.query(`SELECT percent, valid_from FROM participation_norms ORDER BY valid_from`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var h traject.NormHistory
	for rows.Next() {
		var n traject.ParticipationNorm
		if err := rows.Scan(&n.Percent, dateCol{&n.ValidFrom}); err != nil {
			return nil, err
		}
		h = append(h, n)
	}
	return h, rows.Err()
}

// AddParticipationNorm adds a version of the norm, from today (in Brussels)
// or later. The norm is national: only a national role that may change
// courses (an admin) sets it.
func (s *Store) AddParticipationNorm(ctx context.Context, n *traject.ParticipationNorm) error {
	actor := traject.UserFromContext(ctx)
	if actor != nil && (!actor.Can(traject.PermCoursesWrite) || actor.ScopeRegion() != "") {
		return traject.Errorf(traject.EFORBIDDEN, "norm.forbidden", "the participation norm is national: only an admin can change it")
	}
	if err := n.Validate(traject.SessionDay(s.now())); err != nil {
		return err
	}
	err := s.write(ctx, "add participation norm", func(tx *Tx) error {
		if _, err := tx.insert(`INSERT INTO participation_norms (percent, valid_from, created_by, created_at) VALUES (?, ?, ?, ?)`,
			n.Percent, dateArg(n.ValidFrom), attendanceActor(tx.ctx), tx.nowArg()); err != nil {
			return err
		}
		return tx.audit("norm.create", "participation_norm", n.ValidFrom.Format(traject.DateLayout), "", nil, n)
	})
	if traject.ErrorCode(err) == traject.ECONFLICT {
		return traject.Errorf(traject.ECONFLICT, "norm.duplicate", "a norm from %s already exists", n.ValidFrom.Format(traject.DateLayout))
	}
	return err
}

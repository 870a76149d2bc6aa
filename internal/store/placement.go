package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"traject"
)

const placementColumns = `p.id, l.ref, p.assessment_id, p.rules_version, p.track, p.mode, p.pretrack, p.loan, p.reasons,
	COALESCE(u.name, p.created_label), p.created_at,
	o.id, o.track, o.mode, o.pretrack, o.loan, o.reason, COALESCE(ou.name, o.created_label), o.created_at`

// placementFrom joins the learner's reference, the authors' names and the
// newest override, which is the one that holds.
const placementFrom = ` FROM placements p JOIN learners l ON l.id = p.learner_id
	LEFT JOIN users u ON u.id = p.created_by
	LEFT JOIN placement_overrides o ON o.id = (SELECT MAX(x.id) FROM placement_overrides x WHERE x.placement_id = p.id)
	LEFT JOIN users ou ON ou.id = o.created_by`

func scanPlacement(row interface{ Scan(...any) error }, p *traject.Placement) error {
	var reasons string
	var oID sql.NullInt64
	var oTrack, oMode, oLoan, oReason, oBy sql.NullString
	var oPre sql.NullBool
	var o traject.PlacementOverride
	r := &p.Recommended
	if err := row.Scan(&p.ID, &p.LearnerRef, &p.AssessmentID, &p.RulesVersion, &r.Track, &r.Mode, &r.PreTrack, &r.Loan, &reasons,
		&p.CreatedBy, timeCol{&p.CreatedAt}, &oID, &oTrack, &oMode, &oPre, &oLoan, &oReason, &oBy, timeCol{&o.CreatedAt}); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(reasons), &p.Reasons); err != nil {
		return fmt.Errorf("placement %d: reasons: %w", p.ID, err)
	}
	p.Override = nil
	if oID.Valid {
		o.Track, o.Mode, o.PreTrack, o.Loan = traject.LevelTrack(oTrack.String), traject.Mode(oMode.String), oPre.Bool, traject.LoanNeed(oLoan.String)
		o.Reason, o.CreatedBy = oReason.String, oBy.String
		p.Override = &o
	}
	return nil
}

// Placements returns the placements of the learner with this reference,
// newest first, each with the override that holds. A learner outside the
// actor's region is not found.
func (s *Store) Placements(ctx context.Context, ref string) ([]traject.Placement, error) {
	l, err := s.Learner(ctx, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+placementColumns+placementFrom+` WHERE p.learner_id = ? ORDER BY p.id DESC`, l.ID)
	if err != nil {
		return nil, s.mapError("placements", "learner "+ref, err)
	}
	defer rows.Close()
	var out []traject.Placement
	for rows.Next() {
		var p traject.Placement
		if err := scanPlacement(rows, &p); err != nil {
			return nil, s.mapError("placements", "learner "+ref, err)
		}
		out = append(out, p)
	}
	return out, s.mapError("placements", "learner "+ref, rows.Err())
}

// Placement returns the learner's newest placement; without an assessment
// there is none, and the error says that an intake comes first.
func (s *Store) Placement(ctx context.Context, ref string) (*traject.Placement, error) {
	list, err := s.Placements(ctx, ref)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNoAssessment()
	}
	return &list[0], nil
}

// PlaceLearner makes a new recommendation from the learner's newest
// assessment with the rules active now, for example after an admin published
// a new version. Earlier recommendations stay as they were.
func (s *Store) PlaceLearner(ctx context.Context, ref string) (*traject.Placement, error) {
	var p *traject.Placement
	err := s.write(ctx, "place learner", func(tx *Tx) error {
		l, _, err := tx.learner(ref)
		if err != nil {
			return s.mapError("place learner", "learner "+ref, err)
		}
		var a traject.Assessment
		err = scanAssessment(tx.queryRow(`SELECT `+assessmentColumns+assessmentFrom+` WHERE a.learner_id = ? ORDER BY a.id DESC LIMIT 1`, l.ID), &a)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoAssessment()
		}
		if err != nil {
			return err
		}
		p, err = tx.place(l, &a)
		return err
	})
	return p, err
}

// place applies the active rules to an assessment and keeps the
// recommendation with the version that made it, audited.
func (tx *Tx) place(l *traject.Learner, a *traject.Assessment) (*traject.Placement, error) {
	rs, err := tx.activeRules()
	if err != nil {
		return nil, err
	}
	p := &traject.Placement{LearnerRef: l.Ref, AssessmentID: a.ID, RulesVersion: rs.Version}
	p.Recommended, p.Reasons = rs.Place(a)
	reasons, err := json.Marshal(p.Reasons)
	if err != nil {
		return nil, err
	}
	byID, label := actorOf(tx.ctx)
	o := p.Recommended
	p.ID, err = tx.insert(`INSERT INTO placements (learner_id, assessment_id, rules_version, track, mode, pretrack, loan, reasons,
		created_by, created_label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, a.ID, rs.Version, o.Track, o.Mode, o.PreTrack, o.Loan, string(reasons), byID, label, tx.nowArg())
	if err != nil {
		return nil, err
	}
	p.CreatedBy, p.CreatedAt = tx.actorName(label), tx.now
	return p, tx.audit("placement.create", "learner", l.Ref, l.RegionCode, nil, p)
}

// OverridePlacement replaces the learner's placement by a staff member's own
// choice, with the reason, which the audit row keeps too. placementID is the
// placement the person saw: when a newer one was made meanwhile, the
// override is refused rather than applied to a recommendation they did not read.
func (s *Store) OverridePlacement(ctx context.Context, ref string, placementID int64, o traject.PlacementOutcome, reason string) (*traject.Placement, error) {
	var after *traject.Placement
	err := s.write(ctx, "override placement", func(tx *Tx) error {
		l, _, err := tx.learner(ref)
		if err != nil {
			return s.mapError("override placement", "learner "+ref, err)
		}
		p, err := tx.latestPlacement(l)
		if err != nil {
			return err
		}
		if p.ID != placementID {
			return traject.Errorf(traject.ECONFLICT, "placement.override.stale", "a newer recommendation was made meanwhile: read it, then choose again")
		}
		if err := traject.CheckOverride(p.Final(), o, reason); err != nil {
			return err
		}
		after, err = tx.createOverride(l, p, o, strings.TrimSpace(reason))
		return err
	})
	return after, err
}

func (tx *Tx) latestPlacement(l *traject.Learner) (*traject.Placement, error) {
	var p traject.Placement
	err := scanPlacement(tx.queryRow(`SELECT `+placementColumns+placementFrom+` WHERE p.learner_id = ? ORDER BY p.id DESC LIMIT 1`, l.ID), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAssessment()
	}
	return &p, err
}

// createOverride inserts an override and audits it with its reason; the
// audit row's before is the placement that held until now.
func (tx *Tx) createOverride(l *traject.Learner, p *traject.Placement, o traject.PlacementOutcome, reason string) (*traject.Placement, error) {
	byID, label := actorOf(tx.ctx)
	if _, err := tx.insert(`INSERT INTO placement_overrides (placement_id, track, mode, pretrack, loan, reason, created_by, created_label, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, o.Track, o.Mode, o.PreTrack, o.Loan, reason, byID, label, tx.nowArg()); err != nil {
		return nil, err
	}
	before := p.Final()
	after := *p
	after.Override = &traject.PlacementOverride{PlacementOutcome: o, Reason: reason, CreatedBy: tx.actorName(label), CreatedAt: tx.now}
	return &after, tx.auditReason("placement.override", "learner", l.Ref, l.RegionCode, reason,
		map[string]any{"placement": p.ID, "outcome": before}, map[string]any{"placement": p.ID, "outcome": o})
}

package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"traject"
)

const rulesColumns = `r.version, r.rules, r.note, r.active, COALESCE(u.name, ''), r.created_at`

const rulesFrom = ` FROM placement_rules r LEFT JOIN users u ON u.id = r.created_by`

// scanRules reads a version as stored; its Rules stay empty (see parse).
func scanRules(row interface{ Scan(...any) error }, rs *traject.PlacementRules) error {
	return row.Scan(&rs.Version, &rs.Text, &rs.Note, &rs.Active, &rs.CreatedBy, timeCol{&rs.CreatedAt})
}

// parse fills in the rules of a stored version. Every version was checked
// before it was stored, so a failure here is a damaged database.
func parseStored(rs *traject.PlacementRules) error {
	parsed, err := traject.ParsePlacementRules(rs.Text)
	if err != nil {
		return fmt.Errorf("placement rules version %d cannot be read: %s", rs.Version, traject.ErrorMessage(err))
	}
	rs.Rules = parsed.Rules
	return nil
}

// PlacementRuleVersions returns every published version, newest first, with
// its text as published. The rules are national: every region uses them.
func (s *Store) PlacementRuleVersions(ctx context.Context) ([]traject.PlacementRules, error) {
	rows, err := s.query(ctx, `SELECT `+rulesColumns+rulesFrom+` ORDER BY r.version DESC`)
	if err != nil {
		return nil, s.mapError("placement rules", "placement rules", err)
	}
	defer rows.Close()
	var out []traject.PlacementRules
	for rows.Next() {
		var rs traject.PlacementRules
		if err := scanRules(rows, &rs); err != nil {
			return nil, s.mapError("placement rules", "placement rules", err)
		}
		out = append(out, rs)
	}
	return out, s.mapError("placement rules", "placement rules", rows.Err())
}

// ActivePlacementRules returns the version that places learners now.
func (s *Store) ActivePlacementRules(ctx context.Context) (*traject.PlacementRules, error) {
	var rs traject.PlacementRules
	if err := scanRules(s.queryRow(ctx, `SELECT `+rulesColumns+rulesFrom+` WHERE r.active`), &rs); err != nil {
		return nil, s.mapError("active placement rules", "placement rules", err)
	}
	return &rs, parseStored(&rs)
}

func (tx *Tx) activeRules() (*traject.PlacementRules, error) {
	var rs traject.PlacementRules
	if err := scanRules(tx.queryRow(`SELECT `+rulesColumns+rulesFrom+` WHERE r.active`), &rs); err != nil {
		return nil, err
	}
	return &rs, parseStored(&rs)
}

// MaxRulesNote bounds the note that says what a version changes.
const MaxRulesNote = 500

// PublishPlacementRules checks a rule set with the engine and, when it is
// sound, stores it as the next version and makes it the active one. Only an
// actor who may publish rules can; a rule set with problems is refused with
// every problem named, and nothing changes. Placements already made keep
// the version that made them.
func (s *Store) PublishPlacementRules(ctx context.Context, text, note string) (*traject.PlacementRules, error) {
	if actor := traject.UserFromContext(ctx); actor != nil && !actor.Can(traject.PermPlacementRules) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "placement.rules.forbidden", "only an admin can publish placement rules")
	}
	rs, err := traject.ParsePlacementRules(text)
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxRulesNote {
		err = addField(err, traject.FieldError{Field: "note", Key: "placement.rules.note", Args: map[string]any{"Max": MaxRulesNote},
			Message: "write what changes in at most 500 characters"})
	}
	if err != nil {
		return nil, err
	}
	rs.Note = note
	err = s.write(ctx, "publish placement rules", func(tx *Tx) error { return tx.publishRules(rs) })
	if traject.ErrorCode(err) == traject.ECONFLICT {
		return nil, traject.Errorf(traject.ECONFLICT, "placement.rules.busy", "someone published a version at the same moment: look at the versions and try again")
	}
	return rs, err
}

// addField adds a field error to err (an EINVALID error, or nil).
func addField(err error, f traject.FieldError) error {
	e, ok := traject.AsError(err)
	if !ok {
		return &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "Some answers need to be corrected", Fields: []traject.FieldError{f}}
	}
	out := *e
	out.Fields = append(append([]traject.FieldError(nil), e.Fields...), f)
	return &out
}

// publishRules stores the next version and moves the active mark to it. The
// unique index on the active mark refuses a second active version, and the
// primary key a version number taken by a concurrent publish.
func (tx *Tx) publishRules(rs *traject.PlacementRules) error {
	var previous int
	if err := tx.queryRow(`SELECT COALESCE(MAX(version), 0) FROM placement_rules`).Scan(&previous); err != nil {
		return err
	}
	var active int
	if err := tx.queryRow(`SELECT COALESCE(MAX(version), 0) FROM placement_rules WHERE active`).Scan(&active); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE placement_rules SET active = FALSE WHERE active`); err != nil {
		return err
	}
	byID, label := actorOf(tx.ctx)
	rs.Version, rs.Active, rs.CreatedAt, rs.CreatedBy = previous+1, true, tx.now, tx.actorName(label)
	if _, err := tx.exec(`INSERT INTO placement_rules (version, rules, note, created_by, created_at, active) VALUES (?, ?, ?, ?, ?, TRUE)`,
		rs.Version, rs.Text, rs.Note, byID, tx.nowArg()); err != nil {
		return err
	}
	return tx.audit("placement_rules.publish", "placement_rules", fmt.Sprint(rs.Version), "",
		map[string]any{"active_version": active},
		map[string]any{"active_version": rs.Version, "note": rs.Note, "rules": rs.Text})
}

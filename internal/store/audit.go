package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"traject"
)

// audit adds the audit row of a change inside the change's own transaction, so
// that a change without its audit row cannot be committed. before and after
// are marshalled to JSON; nil means "did not exist".
func (tx *Tx) audit(action, objectType, objectID, region string, before, after any) error {
	return tx.auditReason(action, objectType, objectID, region, "", before, after)
}

// auditReason is audit with the reason a person gave for the change.
func (tx *Tx) auditReason(action, objectType, objectID, region, reason string, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	a, err := auditJSON(after)
	if err != nil {
		return err
	}
	actorID, label := actorOf(tx.ctx)
	_, err = tx.exec(`INSERT INTO audit_log
		(at, actor_id, actor_label, action, object_type, object_id, region_code, before, after, request_id, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.nowArg(), actorID, label, action, objectType, objectID, nullString(region), b, a,
		traject.RequestIDFromContext(tx.ctx), reason)
	if err != nil {
		return fmt.Errorf("audit %s %s/%s: %w", action, objectType, objectID, err)
	}
	return nil
}

func auditJSON(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return string(b), nil
}

// actorOf names who acts in ctx: the signed-in staff member, or the system
// label the caller set (the command line, a background job).
func actorOf(ctx context.Context) (any, string) {
	if u := traject.UserFromContext(ctx); u != nil {
		return u.ID, u.Email
	}
	if label := traject.ActorLabelFromContext(ctx); label != "" {
		return nil, label
	}
	return nil, traject.ActorSystem
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AuditLog returns the audit rows that match f, newest first, within the
// actor's region when the actor's role is regional.
func (s *Store) AuditLog(ctx context.Context, f traject.AuditFilter) ([]traject.AuditEntry, error) {
	where, args := auditWhere(s.dialect, traject.UserFromContext(ctx), f)
	return s.auditRows(ctx, where, args, f.Limit)
}

func (s *Store) auditRows(ctx context.Context, where string, args []any, limit int) ([]traject.AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.query(ctx, `SELECT id, at, actor_id, actor_label, action, object_type, object_id,
		COALESCE(region_code, ''), COALESCE(CAST(before AS TEXT), ''), COALESCE(CAST(after AS TEXT), ''), request_id, reason
		FROM audit_log WHERE `+where+` ORDER BY id DESC LIMIT `+fmt.Sprint(limit), args...)
	if err != nil {
		return nil, s.mapError("audit log", "audit", err)
	}
	defer rows.Close()
	var out []traject.AuditEntry
	for rows.Next() {
		var e traject.AuditEntry
		var actorID *int64
		if err := rows.Scan(&e.ID, timeCol{&e.At}, &actorID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.RegionCode, &e.Before, &e.After, &e.RequestID, &e.Reason); err != nil {
			return nil, s.mapError("audit log", "audit", err)
		}
		if actorID != nil {
			e.ActorID = *actorID
		}
		out = append(out, e)
	}
	return out, s.mapError("audit log", "audit", rows.Err())
}

// auditWhere builds the filter; the region scope is added in SQL, never
// filtered afterwards, so a regional actor cannot page past it.
func auditWhere(d dialect, actor *traject.User, f traject.AuditFilter) (string, []any) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if scope := actor.ScopeRegion(); scope != "" || actor == nil {
		add("region_code = ?", scope)
	}
	if f.Actor != "" {
		add("actor_label = ?", strings.ToLower(strings.TrimSpace(f.Actor)))
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("at >= ?", d.timeArg(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", d.timeArg(f.To))
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	return strings.Join(where, " AND "), args
}

// auditOf returns every audit row of one object, newest first, without the
// region scope: callers check that the actor may see the object.
func (s *Store) auditOf(ctx context.Context, objectType, objectID string) ([]traject.AuditEntry, error) {
	return s.auditRows(ctx, "object_type = ? AND object_id = ?", []any{objectType, objectID}, 500)
}

package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"traject"
)

// Barriers belong to a region: regional roles see and change their own
// region's only, in SQL; national roles see all.

const barrierColumns = `b.id, b.resource_kind, b.resource, COALESCE(b.material_id, 0), b.category, b.severity,
	b.description, b.status, COALESCE(b.reported_by, 0), COALESCE(u.name, b.reported_label), b.region_code,
	b.created_at, b.updated_at`

// barrierFrom joins the reporter's current name.
const barrierFrom = ` FROM barriers b LEFT JOIN users u ON u.id = b.reported_by`

func scanBarrier(row interface{ Scan(...any) error }, b *traject.Barrier) error {
	return row.Scan(&b.ID, &b.Kind, &b.Resource, &b.MaterialID, &b.Category, &b.Severity, &b.Description, &b.Status,
		&b.ReportedBy, &b.Reporter, &b.RegionCode, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt})
}

// Barrier returns one barrier within the actor's region.
func (s *Store) Barrier(ctx context.Context, id int64) (*traject.Barrier, error) {
	var b traject.Barrier
	err := scanBarrier(s.queryRow(ctx, `SELECT `+barrierColumns+barrierFrom+` WHERE b.id = ?`, id), &b)
	if err == nil && !traject.UserFromContext(ctx).CanSeeRegion(b.RegionCode) {
		err = sql.ErrNoRows // outside the region is the same as not there
	}
	if err != nil {
		return nil, s.mapError("barrier", "barrier "+itoa(id), err)
	}
	return &b, nil
}

func (tx *Tx) barrier(id int64) (*traject.Barrier, error) {
	var b traject.Barrier
	if err := scanBarrier(tx.queryRow(`SELECT `+barrierColumns+barrierFrom+` WHERE b.id = ?`, id), &b); err != nil {
		return nil, err
	}
	if !traject.UserFromContext(tx.ctx).CanSeeRegion(b.RegionCode) {
		return nil, sql.ErrNoRows
	}
	return &b, nil
}

// BarrierFilter selects barriers; zero fields do not filter.
type BarrierFilter struct {
	Region     string
	Status     traject.BarrierStatus
	Unresolved bool // open or in progress
	Category   traject.BarrierCategory
	Severity   traject.BarrierSeverity
	MaterialID int64
	From, To   time.Time // reported in [From, To)
	After      int64     // keyset: barriers older than this one
	Limit      int
}

// BarrierPage is one page of barriers, newest first; Next is the After of
// the next page, 0 on the last.
type BarrierPage struct {
	Barriers []traject.Barrier
	Next     int64
}

// Barriers lists barriers newest first within the actor's region.
func (s *Store) Barriers(ctx context.Context, f BarrierFilter) (BarrierPage, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	where, args := barrierWhere(s.dialect, traject.UserFromContext(ctx), f)
	if f.After != 0 {
		where += " AND b.id < ?"
		args = append(args, f.After)
	}
	rows, err := s.query(ctx, `SELECT `+barrierColumns+barrierFrom+` WHERE `+where+
		` ORDER BY b.id DESC LIMIT `+itoa(int64(limit+1)), args...)
	if err != nil {
		return BarrierPage{}, s.mapError("barriers", "barriers", err)
	}
	defer rows.Close()
	var page BarrierPage
	for rows.Next() {
		var b traject.Barrier
		if err := scanBarrier(rows, &b); err != nil {
			return BarrierPage{}, s.mapError("barriers", "barriers", err)
		}
		page.Barriers = append(page.Barriers, b)
	}
	if len(page.Barriers) > limit {
		page.Barriers = page.Barriers[:limit]
		page.Next = page.Barriers[limit-1].ID
	}
	return page, s.mapError("barriers", "barriers", rows.Err())
}

// barrierWhere builds the conditions of a barrier query: the actor's region
// first, then the filters.
func barrierWhere(d dialect, actor *traject.User, f BarrierFilter) (string, []any) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if scope := actor.ScopeRegion(); scope != "" || actor == nil {
		add("b.region_code = ?", scope) // nobody signed in sees nothing
	}
	if f.Region != "" {
		add("b.region_code = ?", f.Region)
	}
	if f.Status != "" {
		add("b.status = ?", f.Status)
	}
	if f.Unresolved {
		add("b.status IN (?, ?)", traject.BarrierOpen, traject.BarrierInProgress)
	}
	if f.Category != "" {
		add("b.category = ?", f.Category)
	}
	if f.Severity != "" {
		add("b.severity = ?", f.Severity)
	}
	if f.MaterialID != 0 {
		add("b.material_id = ?", f.MaterialID)
	}
	if !f.From.IsZero() {
		add("b.created_at >= ?", d.timeArg(f.From))
	}
	if !f.To.IsZero() {
		add("b.created_at < ?", d.timeArg(f.To))
	}
	return strings.Join(where, " AND "), args
}

// CreateBarrier records a barrier, open, in the reporter's region (a
// national role chooses one). A barrier about a catalogue material takes the
// material's title when it names none.
func (s *Store) CreateBarrier(ctx context.Context, b *traject.Barrier) error {
	region, err := traject.BarrierRegion(traject.UserFromContext(ctx), b.RegionCode)
	if err != nil {
		return err
	}
	b.RegionCode, b.Status = region, traject.BarrierOpen
	if err := b.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create barrier", func(tx *Tx) error { return tx.createBarrier(b) })
}

func (tx *Tx) createBarrier(b *traject.Barrier) error {
	var material any
	if b.MaterialID != 0 {
		var title string
		if err := tx.queryRow(`SELECT title FROM materials WHERE id = ?`, b.MaterialID).Scan(&title); err != nil {
			if err == sql.ErrNoRows {
				var v traject.Validation
				v.Add("material_id", "barrier.material.unknown", "there is no such material in the catalogue", nil)
				return v.Err()
			}
			return err
		}
		if b.Resource == "" {
			b.Resource = title
		}
		material = b.MaterialID
	}
	actorID, label := actorOf(tx.ctx)
	id, err := tx.insert(`INSERT INTO barriers (resource_kind, resource, resource_key, material_id, category, severity,
		description, status, reported_by, reported_label, region_code, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.Kind, b.Resource, traject.ResourceKey(b.Resource), material, b.Category, b.Severity,
		b.Description, b.Status, actorID, label, b.RegionCode, tx.nowArg(), tx.nowArg())
	if err != nil {
		return err
	}
	b.ID, b.CreatedAt, b.UpdatedAt, b.Reporter = id, tx.now, tx.now, label
	if u := traject.UserFromContext(tx.ctx); u != nil {
		b.ReportedBy, b.Reporter = u.ID, u.Name
	}
	return tx.audit("barrier.create", "barrier", itoa(id), b.RegionCode, nil, b)
}

// SetBarrierStatus moves a barrier of the actor's region to another status,
// audited with the note; the domain decides which moves are allowed and when
// a note is needed. A refused change writes nothing.
func (s *Store) SetBarrierStatus(ctx context.Context, id int64, to traject.BarrierStatus, note string) (*traject.Barrier, error) {
	var after *traject.Barrier
	err := s.write(ctx, "set barrier status", func(tx *Tx) error {
		b, err := tx.barrier(id)
		if err != nil {
			return s.mapError("set barrier status", "barrier "+itoa(id), err)
		}
		if err := traject.CheckBarrierTransition(b.Status, to, note); err != nil {
			return err
		}
		if err := expectOne(tx.exec(`UPDATE barriers SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
			to, tx.nowArg(), id, b.Status)); err != nil {
			return err
		}
		a := *b
		a.Status, a.UpdatedAt, after = to, tx.now, &a
		return tx.auditReason("barrier.status", "barrier", itoa(id), b.RegionCode, strings.TrimSpace(note),
			map[string]any{"status": b.Status}, map[string]any{"status": to})
	})
	return after, err
}

// BarrierTimeline returns the barrier's audited history, newest first.
func (s *Store) BarrierTimeline(ctx context.Context, id int64) ([]traject.AuditEntry, error) {
	if _, err := s.Barrier(ctx, id); err != nil {
		return nil, err
	}
	return s.auditOf(ctx, "barrier", itoa(id))
}

// BarrierSummaryFilter selects the barriers a summary counts: a region (for
// national roles; regional roles always get their own) and when they were
// reported, [From, To).
type BarrierSummaryFilter struct {
	Region   string
	From, To time.Time
}

// barrierStatusCounts are the SUM columns that count barriers by status, in the
// order of traject.BarrierCount's fields.
const barrierStatusCounts = `SUM(CASE WHEN b.status = 'open' THEN 1 ELSE 0 END),
	SUM(CASE WHEN b.status = 'in_progress' THEN 1 ELSE 0 END),
	SUM(CASE WHEN b.status = 'resolved' THEN 1 ELSE 0 END),
	SUM(CASE WHEN b.status = 'wont_fix' THEN 1 ELSE 0 END)`

func scanBarrierCounts(c *traject.BarrierCount) []any {
	return []any{&c.Open, &c.InProgress, &c.Resolved, &c.WontFix}
}

// BarrierSummary counts the barriers by status per resource and per
// category, within the actor's region. The barriers report reads it.
func (s *Store) BarrierSummary(ctx context.Context, f BarrierSummaryFilter) (*traject.BarrierSummary, error) {
	where, args := barrierWhere(s.dialect, traject.UserFromContext(ctx), BarrierFilter{Region: f.Region, From: f.From, To: f.To})
	out := &traject.BarrierSummary{}
	var err error
	if out.Resources, err = s.resourceSummary(ctx, where, args); err != nil {
		return nil, err
	}
	if out.Categories, err = s.categorySummary(ctx, where, args); err != nil {
		return nil, err
	}
	for _, c := range out.Categories {
		out.Total.Open += c.Open
		out.Total.InProgress += c.InProgress
		out.Total.Resolved += c.Resolved
		out.Total.WontFix += c.WontFix
	}
	return out, nil
}

// barrierWorstOpen is the highest severity rank among a group's unresolved barriers,
// 0 when none is unresolved; the ranks come from the domain's order.
func barrierWorstOpen() string {
	var b strings.Builder
	b.WriteString("MAX(CASE WHEN b.status IN ('open', 'in_progress') THEN CASE b.severity")
	for _, sev := range traject.BarrierSeverities {
		b.WriteString(" WHEN '" + string(sev) + "' THEN " + itoa(int64(sev.Rank())))
	}
	b.WriteString(" ELSE 0 END ELSE 0 END)")
	return b.String()
}

func (s *Store) resourceSummary(ctx context.Context, where string, args []any) ([]traject.ResourceSummary, error) {
	rows, err := s.query(ctx, `SELECT b.resource_kind, MIN(b.resource), MAX(COALESCE(b.material_id, 0)), `+barrierStatusCounts+`, `+barrierWorstOpen()+
		` FROM barriers b WHERE `+where+` GROUP BY b.resource_kind, b.resource_key`, args...)
	if err != nil {
		return nil, s.mapError("barrier summary", "barriers", err)
	}
	defer rows.Close()
	out := []traject.ResourceSummary{}
	for rows.Next() {
		var r traject.ResourceSummary
		var worst int
		dest := append([]any{&r.Kind, &r.Resource, &r.MaterialID}, scanBarrierCounts(&r.BarrierCount)...)
		if err := rows.Scan(append(dest, &worst)...); err != nil {
			return nil, s.mapError("barrier summary", "barriers", err)
		}
		if worst > 0 {
			r.Worst = traject.BarrierSeverities[worst-1]
		}
		out = append(out, r)
	}
	sortBarrierResources(out)
	return out, s.mapError("barrier summary", "barriers", rows.Err())
}

// sortBarrierResources puts the resources that need most work first: most
// unresolved, then the worst severity, then by name.
func sortBarrierResources(rs []traject.ResourceSummary) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Unresolved() != b.Unresolved() {
			return a.Unresolved() > b.Unresolved()
		}
		if a.Worst.Rank() != b.Worst.Rank() {
			return a.Worst.Rank() > b.Worst.Rank()
		}
		return strings.ToLower(a.Resource) < strings.ToLower(b.Resource)
	})
}

func (s *Store) categorySummary(ctx context.Context, where string, args []any) ([]traject.CategorySummary, error) {
	rows, err := s.query(ctx, `SELECT b.category, `+barrierStatusCounts+` FROM barriers b WHERE `+where+` GROUP BY b.category`, args...)
	if err != nil {
		return nil, s.mapError("barrier summary", "barriers", err)
	}
	defer rows.Close()
	counts := map[traject.BarrierCategory]traject.BarrierCount{}
	for rows.Next() {
		var cat traject.BarrierCategory
		var c traject.BarrierCount
		if err := rows.Scan(append([]any{&cat}, scanBarrierCounts(&c)...)...); err != nil {
			return nil, s.mapError("barrier summary", "barriers", err)
		}
		counts[cat] = c
	}
	out := make([]traject.CategorySummary, 0, len(traject.BarrierCategories))
	for _, cat := range traject.BarrierCategories {
		out = append(out, traject.CategorySummary{Category: cat, BarrierCount: counts[cat]})
	}
	return out, s.mapError("barrier summary", "barriers", rows.Err())
}

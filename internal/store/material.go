package store

import (
	"context"
	"strings"

	"traject"
)

// The catalogue of learning materials is national: every staff member sees
// all of it, whatever their region.

const materialColumns = `m.id, m.title, m.link, m.type, m.theme, m.track, m.works_offline,
	COALESCE(m.submitted_by, 0), COALESCE(u.name, m.submitted_label), m.status, m.created_at, m.updated_at`

// materialFrom joins the submitter's current name.
const materialFrom = ` FROM materials m LEFT JOIN users u ON u.id = m.submitted_by`

func scanMaterial(row interface{ Scan(...any) error }, m *traject.Material) error {
	return row.Scan(&m.ID, &m.Title, &m.Link, &m.Type, &m.Theme, &m.Track, &m.WorksOffline,
		&m.SubmittedBy, &m.Submitter, &m.Status, timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt})
}

// Material returns one material with its languages and its reviews, newest first.
func (s *Store) Material(ctx context.Context, id int64) (*traject.Material, error) {
	var m traject.Material
	if err := scanMaterial(s.queryRow(ctx, `SELECT `+materialColumns+materialFrom+` WHERE m.id = ?`, id), &m); err != nil {
		return nil, s.mapError("material", "material "+itoa(id), err)
	}
	langs, err := s.materialLanguages(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	m.Languages = langs[id]
	if m.Reviews, err = s.materialReviews(ctx, id); err != nil {
		return nil, err
	}
	return &m, nil
}

// MaterialFilter selects materials; zero fields do not filter.
type MaterialFilter struct {
	Type     traject.MaterialType
	Track    traject.MaterialTrack // a course track also finds the materials for any track
	Language string                // ISO 639-1 code
	Status   traject.MaterialStatus
	After    int64 // keyset: the materials after this one in title order
	Limit    int
}

// MaterialPage is one page of the catalogue; Next is the After of the next
// page, 0 on the last.
type MaterialPage struct {
	Materials []traject.Material
	Next      int64
}

// Materials lists the catalogue in title order, in keyset pages.
func (s *Store) Materials(ctx context.Context, f MaterialFilter) (MaterialPage, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	where, args := materialWhere(f)
	rows, err := s.query(ctx, `SELECT `+materialColumns+materialFrom+` WHERE `+where+
		` ORDER BY m.title, m.id LIMIT `+itoa(int64(limit+1)), args...)
	if err != nil {
		return MaterialPage{}, s.mapError("materials", "materials", err)
	}
	defer rows.Close()
	var page MaterialPage
	for rows.Next() {
		var m traject.Material
		if err := scanMaterial(rows, &m); err != nil {
			return MaterialPage{}, s.mapError("materials", "materials", err)
		}
		page.Materials = append(page.Materials, m)
	}
	if err := rows.Err(); err != nil {
		return MaterialPage{}, s.mapError("materials", "materials", err)
	}
	if len(page.Materials) > limit {
		page.Materials = page.Materials[:limit]
		page.Next = page.Materials[limit-1].ID
	}
	return page, s.withLanguages(ctx, page.Materials)
}

func materialWhere(f MaterialFilter) (string, []any) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.Type != "" {
		add("m.type = ?", f.Type)
	}
	switch f.Track {
	case "":
	case traject.MaterialTrackAny:
		add("m.track = ?", f.Track)
	default:
		add("m.track IN (?, ?)", f.Track, traject.MaterialTrackAny)
	}
	if f.Language != "" {
		add("EXISTS (SELECT 1 FROM material_languages ml WHERE ml.material_id = m.id AND ml.language = ?)", f.Language)
	}
	if f.Status != "" {
		add("m.status = ?", f.Status)
	}
	if f.After != 0 {
		// Row values order as the ORDER BY does, in both dialects.
		add("(m.title, m.id) > (SELECT title, id FROM materials WHERE id = ?)", f.After)
	}
	return strings.Join(where, " AND "), args
}

// withLanguages fills in the languages of a page of materials in one query.
func (s *Store) withLanguages(ctx context.Context, ms []traject.Material) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]int64, len(ms))
	for i := range ms {
		ids[i] = ms[i].ID
	}
	langs, err := s.materialLanguages(ctx, ids)
	for i := range ms {
		ms[i].Languages = langs[ms[i].ID]
	}
	return err
}

func (s *Store) materialLanguages(ctx context.Context, ids []int64) (map[int64][]string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, `SELECT material_id, language FROM material_languages WHERE material_id IN (`+
		idPlaceholders(len(ids))+`) ORDER BY material_id, language`, args...)
	if err != nil {
		return nil, s.mapError("material languages", "materials", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var lang string
		if err := rows.Scan(&id, &lang); err != nil {
			return nil, s.mapError("material languages", "materials", err)
		}
		out[id] = append(out[id], lang)
	}
	return out, s.mapError("material languages", "materials", rows.Err())
}

// idPlaceholders returns n comma-separated question marks.
func idPlaceholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// CatalogueLanguages returns the languages the catalogue holds materials in,
// for the language filter.
func (s *Store) CatalogueLanguages(ctx context.Context) ([]string, error) {
	return s.strings(ctx, `SELECT DISTINCT language FROM material_languages ORDER BY language`)
}

// CreateMaterial adds a material to the catalogue, submitted for review. The
// same address cannot be proposed twice.
func (s *Store) CreateMaterial(ctx context.Context, m *traject.Material) error {
	if actor := traject.UserFromContext(ctx); actor != nil && !traject.CanSubmitMaterial(actor) {
		return traject.Errorf(traject.EFORBIDDEN, "material.submit.forbidden", "your role cannot propose materials")
	}
	if err := m.Validate(); err != nil {
		return err
	}
	m.Status = traject.MaterialSubmitted
	err := s.write(ctx, "create material", func(tx *Tx) error { return tx.createMaterial(m) })
	if traject.ErrorCode(err) == traject.ECONFLICT {
		var v traject.Validation
		v.Add("link", "material.link.taken", "this address is already in the catalogue", nil)
		return v.Err()
	}
	return err
}

func (tx *Tx) createMaterial(m *traject.Material) error {
	actorID, label := actorOf(tx.ctx)
	id, err := tx.insert(`INSERT INTO materials (title, link, type, theme, track, works_offline, submitted_by, submitted_label, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Title, m.Link, m.Type, m.Theme, m.Track, m.WorksOffline, actorID, label, m.Status, tx.nowArg(), tx.nowArg())
	if err != nil {
		return err
	}
	for _, lang := range m.Languages {
		if _, err := tx.exec(`INSERT INTO material_languages (material_id, language) VALUES (?, ?)`, id, lang); err != nil {
			return err
		}
	}
	m.ID, m.CreatedAt, m.UpdatedAt, m.Submitter = id, tx.now, tx.now, label
	if u := traject.UserFromContext(tx.ctx); u != nil {
		m.SubmittedBy, m.Submitter = u.ID, u.Name
	}
	return tx.audit("material.create", "material", itoa(id), "", nil, m)
}

const materialReviewColumns = `r.id, r.material_id, COALESCE(r.reviewer_id, 0), COALESCE(u.name, r.reviewer_label),
	r.language_level, r.accessible, r.chromebook, r.mobile_data, r.decision, r.notes, r.created_at`

func (s *Store) materialReviews(ctx context.Context, id int64) ([]traject.MaterialReview, error) {
	rows, err := s.query(ctx, `SELECT `+materialReviewColumns+` FROM material_reviews r
		LEFT JOIN users u ON u.id = r.reviewer_id WHERE r.material_id = ? ORDER BY r.id DESC`, id)
	if err != nil {
		return nil, s.mapError("material reviews", "material "+itoa(id), err)
	}
	defer rows.Close()
	var out []traject.MaterialReview
	for rows.Next() {
		var r traject.MaterialReview
		var lang, access, chromebook, mobile bool
		if err := rows.Scan(&r.ID, &r.MaterialID, &r.ReviewerID, &r.Reviewer, &lang, &access, &chromebook, &mobile,
			&r.Decision, &r.Notes, timeCol{&r.CreatedAt}); err != nil {
			return nil, s.mapError("material reviews", "material "+itoa(id), err)
		}
		r.LanguageLevel, r.Accessible, r.Chromebook, r.MobileData = &lang, &access, &chromebook, &mobile
		out = append(out, r)
	}
	return out, s.mapError("material reviews", "material "+itoa(id), rows.Err())
}

// ReviewMaterial records a review of a material and makes its decision the
// material's status, audited with the reviewer's notes. A review the domain
// refuses (an unanswered criterion, a rejection without a note, a review of
// one's own material) writes nothing.
func (s *Store) ReviewMaterial(ctx context.Context, id int64, r *traject.MaterialReview) (*traject.Material, error) {
	err := s.write(ctx, "review material", func(tx *Tx) error {
		var m traject.Material
		if err := scanMaterial(tx.queryRow(`SELECT `+materialColumns+materialFrom+` WHERE m.id = ?`, id), &m); err != nil {
			return s.mapError("review material", "material "+itoa(id), err)
		}
		if err := traject.CheckMaterialReview(&m, r, traject.UserFromContext(tx.ctx)); err != nil {
			return err
		}
		return tx.reviewMaterial(&m, r)
	})
	if err != nil {
		return nil, err
	}
	return s.Material(ctx, id)
}

func (tx *Tx) reviewMaterial(m *traject.Material, r *traject.MaterialReview) error {
	actorID, label := actorOf(tx.ctx)
	id, err := tx.insert(`INSERT INTO material_reviews (material_id, reviewer_id, reviewer_label, language_level, accessible,
		chromebook, mobile_data, decision, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, actorID, label, *r.LanguageLevel, *r.Accessible, *r.Chromebook, *r.MobileData, r.Decision, r.Notes, tx.nowArg())
	if err != nil {
		return err
	}
	if err := expectOne(tx.exec(`UPDATE materials SET status = ?, updated_at = ? WHERE id = ?`, r.Decision, tx.nowArg(), m.ID)); err != nil {
		return err
	}
	r.ID, r.MaterialID, r.Reviewer, r.CreatedAt = id, m.ID, label, tx.now
	after := map[string]any{"status": r.Decision, "review": id}
	for _, c := range traject.MaterialCriteria {
		after[c] = *r.Answer(c)
	}
	return tx.auditReason("material.review", "material", itoa(m.ID), "", r.Notes,
		map[string]any{"status": m.Status}, after)
}

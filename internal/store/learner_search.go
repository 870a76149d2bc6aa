package store

import (
	"context"
	"strings"

	"traject"
)

// LearnerFilter selects learners; zero fields do not filter. Search by the
// reference and the national number is exact; by name it is a prefix of the
// last or the first name (or of both, "amina el" or "el amrani amina"),
// without regard to case or diacritics.
type LearnerFilter struct {
	Region         string                 // only this region (national roles)
	Ref            string                 // exact reference
	NationalNumber traject.NationalNumber // exact, as typed; only its keyed hash reaches the database
	Name           string                 // the start of a name
	After          string                 // keyset: the reference of the last learner of the previous page
	Limit          int
}

// LearnerPage is one page of learners in name order; Next is the After of
// the next page, empty on the last.
type LearnerPage struct {
	Learners []traject.Learner
	Next     string
}

// learnerOrder is the order of every learner list: by name, the reference
// breaking ties, so that the keyset (last_norm, first_norm, ref) is unique.
const learnerOrder = ` ORDER BY l.last_norm, l.first_norm, l.ref`

// Learners lists learners by last name, first name and reference within the
// actor's region. Pages are keyset pages, so a deep page costs what the first
// does. A national number that is not valid is an EINVALID error, so that a
// typing error reads as one rather than as "nobody found".
func (s *Store) Learners(ctx context.Context, f LearnerFilter) (LearnerPage, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := learnerQuery{}
	if err := s.learnerWhere(ctx, &q, f); err != nil {
		return LearnerPage{}, err
	}
	var ls []traject.Learner
	var err error
	if name := traject.NormalizeName(f.Name); name != "" {
		ls, err = s.learnersByName(ctx, q, name, limit+1)
	} else {
		ls, err = s.learnerRows(ctx, `SELECT `+learnerColumns+learnerFrom+` WHERE `+q.sql(s.dialect)+learnerOrder+
			` LIMIT `+itoa(int64(limit+1)), q.values())
	}
	if err != nil {
		return LearnerPage{}, err
	}
	page := LearnerPage{Learners: ls}
	if len(ls) > limit {
		page.Learners = ls[:limit]
		page.Next = ls[limit-1].Ref
	}
	return page, nil
}

// learnerRows runs a query of learnerColumns and scans every row.
func (s *Store) learnerRows(ctx context.Context, query string, args []any) ([]traject.Learner, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, s.mapError("learners", "learners", err)
	}
	defer rows.Close()
	var out []traject.Learner
	for rows.Next() {
		var l traject.Learner
		if err := scanLearner(rows, &l); err != nil {
			return nil, s.mapError("learners", "learners", err)
		}
		out = append(out, l)
	}
	return out, s.mapError("learners", "learners", rows.Err())
}

// learnerQuery collects the conditions of a learner search. The region
// conditions are kept apart: a first-name search must keep SQLite from
// taking the region's index for them (see firstNameBranch).
type learnerQuery struct {
	where   []string
	args    []any
	regions []string // l.region_code = each
	byFirst bool     // read through the first-name index: the region is only a filter
}

func (q *learnerQuery) add(cond string, args ...any) {
	q.where = append(q.where, cond)
	q.args = append(q.args, args...)
}

// sql returns the conditions, the regions first; values returns their values
// in the same order.
func (q *learnerQuery) sql(d dialect) string {
	col := "l.region_code"
	if q.byFirst {
		col = d.unindexed(col)
	}
	conds := make([]string, 0, len(q.regions)+len(q.where))
	for range q.regions {
		conds = append(conds, col+" = ?")
	}
	return strings.Join(append(conds, q.where...), " AND ")
}

func (q *learnerQuery) values() []any {
	out := make([]any, 0, len(q.regions)+len(q.args))
	for _, r := range q.regions {
		out = append(out, r)
	}
	return append(out, q.args...)
}

// with returns a copy of q with one more condition.
func (q learnerQuery) with(cond string, args ...any) learnerQuery {
	q.where = append(q.where[:len(q.where):len(q.where)], cond)
	q.args = append(q.args[:len(q.args):len(q.args)], args...)
	return q
}

// learnerWhere builds the conditions; the region scope is in SQL, so that a
// regional actor can neither see nor page past another region.
func (s *Store) learnerWhere(ctx context.Context, q *learnerQuery, f LearnerFilter) error {
	q.add("1=1")
	actor := traject.UserFromContext(ctx)
	if scope := actor.ScopeRegion(); scope != "" {
		q.regions = append(q.regions, scope)
	}
	if f.Region != "" {
		q.regions = append(q.regions, f.Region)
	}
	if ref := strings.TrimSpace(f.Ref); ref != "" {
		q.add("l.ref = ?", ref)
	}
	if f.NationalNumber != "" {
		n, err := traject.ParseNationalNumber(string(f.NationalNumber))
		if err != nil {
			return err
		}
		h, err := s.sealer.hash(n)
		if err != nil {
			return err
		}
		q.add("l.nn_hash = ?", h)
	}
	if f.After != "" {
		return s.afterLearner(ctx, q, f.After)
	}
	return nil
}

// afterLearner continues after the learner with reference ref, in the list's
// order. The row value lets both databases seek straight to it in the index
// on (last_norm, first_norm, ref).
func (s *Store) afterLearner(ctx context.Context, q *learnerQuery, ref string) error {
	var last, first string
	if err := s.queryRow(ctx, `SELECT last_norm, first_norm FROM learners WHERE ref = ?`, ref).Scan(&last, &first); err != nil {
		return s.mapError("learners", "learner "+ref, err)
	}
	q.add("(l.last_norm, l.first_norm, l.ref) > (?, ?, ?)", last, first, ref)
	return nil
}

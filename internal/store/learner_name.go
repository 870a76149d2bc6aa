package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"traject"
)

// A name search matches the start of the last name or of the first name,
// shown in one list by name. One query with OR would have to collect every
// match and sort it: at a million learners a common first name matches
// 180,000, and that takes half a second. So each alternative is a query of
// its own that reads the index in list order and stops after one page; the
// pages are merged here, and the learners of the merged page are read by id.
// Each branch costs one short index range, whatever the table's size.

// learnerKey is a learner's place in the list order.
type learnerKey struct {
	id               int64
	last, first, ref string
}

func (k learnerKey) compare(o learnerKey) int {
	return cmp.Or(strings.Compare(k.last, o.last), strings.Compare(k.first, o.first), strings.Compare(k.ref, o.ref))
}

// learnersByName returns the first n learners in list order whose name
// matches, within the conditions of q (scope, filters, keyset).
func (s *Store) learnersByName(ctx context.Context, q learnerQuery, name string, n int) ([]traject.Learner, error) {
	branches, err := s.nameBranches(ctx, q, name)
	if err != nil {
		return nil, err
	}
	var keys []learnerKey
	for _, b := range branches {
		k, err := s.learnerKeys(ctx, b, n)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k...)
	}
	slices.SortFunc(keys, learnerKey.compare)
	keys = slices.CompactFunc(keys, func(a, b learnerKey) bool { return a.id == b.id })
	return s.learnersByID(ctx, keys[:min(len(keys), n)])
}

// nameBranches are the alternatives of a name search: the start of the last
// name, the start of the first name, and for a search of several words a
// whole first name followed by the start of the last name, or the other way
// round ("amina el", "el amrani am").
func (s *Store) nameBranches(ctx context.Context, q learnerQuery, name string) ([]learnerQuery, error) {
	first, err := s.firstNameBranch(ctx, q, name)
	if err != nil {
		return nil, err
	}
	branches := []learnerQuery{q.with("l.last_norm >= ? AND l.last_norm < ?", name, name+prefixEnd), first}
	words := strings.Fields(name)
	for i := 1; i < len(words) && i < 4; i++ {
		head, tail := strings.Join(words[:i], " "), strings.Join(words[i:], " ")
		branches = append(branches,
			q.with("l.first_norm = ? AND l.last_norm >= ? AND l.last_norm < ?", head, tail, tail+prefixEnd),
			q.with("l.last_norm = ? AND l.first_norm >= ? AND l.first_norm < ?", head, tail, tail+prefixEnd))
	}
	return branches, nil
}

// denseFirstNames is where the first-name branch changes plan. Below it, the
// matches are read from the first-name index and sorted (cheap for a few
// thousand); from it on, the name index is walked in list order and each
// entry's first name checked, which finds a page of a common name after a
// few thousand entries, where sorting all its matches would take long.
const denseFirstNames = 2000

// firstNameBranch is the start-of-first-name alternative, with the plan that
// suits how many learners in scope match: one short probe of the
// first-name index decides.
func (s *Store) firstNameBranch(ctx context.Context, q learnerQuery, name string) (learnerQuery, error) {
	probe := q.with("l.first_norm >= ? AND l.first_norm < ?", name, name+prefixEnd)
	probe.byFirst = true // the first-name index, not the region's: a region has 160,000 learners at a million
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM learners l WHERE `+probe.sql(s.dialect)+
		` LIMIT `+itoa(denseFirstNames)+`) x`, probe.values()...).Scan(&n)
	if err != nil || n < denseFirstNames {
		return probe, s.mapError("learners", "learners", err)
	}
	col := s.dialect.unindexed("l.first_norm")
	return q.with(col+" >= ? AND "+col+" < ?", name, name+prefixEnd), nil
}

// unindexed keeps SQLite's planner from using an index for col: a unary plus
// makes the column an expression. SQLite keeps no statistics unless asked,
// so it would always take the first-name range and sort; PostgreSQL weighs
// both plans with its statistics, and gets the column as it is.
func (d dialect) unindexed(col string) string {
	if d == dialectSQLite {
		return "+" + col
	}
	return col
}

// learnerKeys returns the first n keys of one branch, from the index alone.
func (s *Store) learnerKeys(ctx context.Context, q learnerQuery, n int) ([]learnerKey, error) {
	rows, err := s.query(ctx, `SELECT l.id, l.last_norm, l.first_norm, l.ref FROM learners l WHERE `+q.sql(s.dialect)+learnerOrder+
		` LIMIT `+itoa(int64(n)), q.values()...)
	if err != nil {
		return nil, s.mapError("learners", "learners", err)
	}
	defer rows.Close()
	var out []learnerKey
	for rows.Next() {
		var k learnerKey
		if err := rows.Scan(&k.id, &k.last, &k.first, &k.ref); err != nil {
			return nil, s.mapError("learners", "learners", err)
		}
		out = append(out, k)
	}
	return out, s.mapError("learners", "learners", rows.Err())
}

// learnersByID reads the learners of keys, in list order.
func (s *Store) learnersByID(ctx context.Context, keys []learnerKey) ([]traject.Learner, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k.id
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ")
	return s.learnerRows(ctx, `SELECT `+learnerColumns+learnerFrom+` WHERE l.id IN (`+in+`)`+learnerOrder, args)
}

package store

import (
	"context"
	"strconv"

	"traject"
)

// Regions returns the six regions in their fixed order.
func (s *Store) Regions(ctx context.Context) ([]traject.Region, error) {
	rows, err := s.query(ctx, `SELECT code, name FROM regions ORDER BY position`)
	if err != nil {
		return nil, s.mapError("regions", "regions", err)
	}
	defer rows.Close()
	var out []traject.Region
	for rows.Next() {
		var r traject.Region
		if err := rows.Scan(&r.Code, &r.Name); err != nil {
			return nil, s.mapError("regions", "regions", err)
		}
		out = append(out, r)
	}
	return out, s.mapError("regions", "regions", rows.Err())
}

// Offices returns the offices, by region, within the actor's scope.
func (s *Store) Offices(ctx context.Context) ([]traject.Office, error) {
	q := `SELECT o.id, o.region_code, o.name FROM offices o JOIN regions r ON r.code = o.region_code`
	var args []any
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		q += ` WHERE o.region_code = ?`
		args = append(args, scope)
	}
	rows, err := s.query(ctx, q+` ORDER BY r.position, o.name`, args...)
	if err != nil {
		return nil, s.mapError("offices", "offices", err)
	}
	defer rows.Close()
	var out []traject.Office
	for rows.Next() {
		var o traject.Office
		if err := rows.Scan(&o.ID, &o.RegionCode, &o.Name); err != nil {
			return nil, s.mapError("offices", "offices", err)
		}
		out = append(out, o)
	}
	return out, s.mapError("offices", "offices", rows.Err())
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

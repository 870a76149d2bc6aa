package store

import (
	"context"
	"strings"

	"traject"
)

// StockRow counts the devices of one region and connectivity in one state.
type StockRow struct {
	Region       string               `json:"region"`
	Connectivity traject.Connectivity `json:"connectivity"`
	State        traject.DeviceState  `json:"state"`
	Count        int                  `json:"count"`
}

// Stock counts devices per region, connectivity and state, within the actor's
// region; combinations without devices are left out.
func (s *Store) Stock(ctx context.Context) ([]StockRow, error) {
	where, args := []string{"1=1"}, []any{}
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" || traject.UserFromContext(ctx) == nil {
		where, args = append(where, "d.region_code = ?"), append(args, scope)
	}
	rows, err := s.query(ctx, `SELECT d.region_code, d.connectivity, d.state, COUNT(*)
		FROM devices d JOIN regions r ON r.code = d.region_code
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY r.position, d.region_code, d.connectivity, d.state
		ORDER BY r.position, d.connectivity DESC, d.state`, args...)
	if err != nil {
		return nil, s.mapError("stock", "stock", err)
	}
	defer rows.Close()
	var out []StockRow
	for rows.Next() {
		var r StockRow
		if err := rows.Scan(&r.Region, &r.Connectivity, &r.State, &r.Count); err != nil {
			return nil, s.mapError("stock", "stock", err)
		}
		out = append(out, r)
	}
	return out, s.mapError("stock", "stock", rows.Err())
}

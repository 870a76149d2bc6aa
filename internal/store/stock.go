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

// Lendable counts, per region, the devices that can be lent now, within the
// actor's region: in stock, and a 4G device only with an active SIM. It is the
// SQL form of traject.Device.LendBlocker, so that the stock page need not load
// every device.
func (s *Store) Lendable(ctx context.Context) (map[string]int, error) {
	where, args := []string{"d.state = 'in_stock'", `(d.connectivity <> '4g' OR EXISTS
		(SELECT 1 FROM sims s WHERE s.device_id = d.id AND s.state = 'active'))`}, []any{}
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" || traject.UserFromContext(ctx) == nil {
		where, args = append(where, "d.region_code = ?"), append(args, scope)
	}
	rows, err := s.query(ctx, `SELECT d.region_code, COUNT(*) FROM devices d WHERE `+strings.Join(where, " AND ")+
		` GROUP BY d.region_code`, args...)
	if err != nil {
		return nil, s.mapError("lendable", "stock", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var region string
		var n int
		if err := rows.Scan(&region, &n); err != nil {
			return nil, s.mapError("lendable", "stock", err)
		}
		out[region] = n
	}
	return out, s.mapError("lendable", "stock", rows.Err())
}

// InStock counts the devices in stock per region and connectivity, in every
// region whatever the actor's scope: these are counts, not people, and a
// desk plans a transfer by seeing where devices wait.
func (s *Store) InStock(ctx context.Context) ([]StockRow, error) {
	rows, err := s.query(ctx, `SELECT d.region_code, d.connectivity, COUNT(*) FROM devices d JOIN regions r ON r.code = d.region_code
		WHERE d.state = 'in_stock' GROUP BY r.position, d.region_code, d.connectivity ORDER BY r.position, d.connectivity DESC`)
	if err != nil {
		return nil, s.mapError("in stock", "stock", err)
	}
	defer rows.Close()
	var out []StockRow
	for rows.Next() {
		r := StockRow{State: traject.StateInStock}
		if err := rows.Scan(&r.Region, &r.Connectivity, &r.Count); err != nil {
			return nil, s.mapError("in stock", "stock", err)
		}
		out = append(out, r)
	}
	return out, s.mapError("in stock", "stock", rows.Err())
}

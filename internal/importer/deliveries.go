package importer

import (
	"context"

	"traject"
	"traject/internal/store"
)

// importDeliveries adds every delivery row to one store import, which
// checks it against the database and commits only a file without a bad row.
func importDeliveries(ctx context.Context, s *store.Store, t *table, dryRun bool, rep *reporter) error {
	seen := newKeys("reference")
	parse := func(r *row) *traject.Delivery {
		d := parseDelivery(r)
		seen.check(r, "reference", d.Reference)
		return d
	}
	n, err := s.ImportDeliveries(ctx, dryRun, func(imp *store.DeliveryImport) error {
		return feed(ctx, t, rep, batchSize, parse, imp.Add, imp.Reject)
	})
	rep.res.Imported = n
	return err
}

// parseDelivery reads the cells of a delivery row, with its allocation when
// the file has region columns; the domain checks the rest.
func parseDelivery(r *row) *traject.Delivery {
	d := &traject.Delivery{
		Reference: r.get("reference"), Supplier: r.get("supplier"),
		PlannedOn: r.date("planned_on"), PlannedCount: r.count("planned_count", true),
		ArrivedOn: r.date("arrived_on"),
	}
	for _, region := range traject.Regions {
		if _, ok := r.t.index[region.Code]; ok && r.get(region.Code) != "" {
			if d.Allocation == nil {
				d.Allocation = map[string]int{}
			}
			d.Allocation[region.Code] = r.count(region.Code, false)
		}
	}
	if r.has("planned_count") {
		d.Allocation = nil // without the total, the regions' counts cannot be checked
	}
	return d
}

package importer

import (
	"context"

	"traject/internal/store"
)

// importLoans hands the whole file to one store import in one call: an
// overlap of two rows of one device is reported on both lines, each naming
// the other, which a batch at a time could not do. A loans file holds a
// programme's history, a few thousand rows; what it keeps per row is small.
func importLoans(ctx context.Context, s *store.Store, t *table, dryRun bool, rep *reporter) error {
	n, err := s.ImportLoans(ctx, dryRun, func(imp *store.LoanImport) error {
		return feed(ctx, t, rep, 0, parseLoan, imp.Add, imp.Reject)
	})
	rep.res.Imported = n
	return err
}

// parseLoan reads the cells of a loan row; the store checks the rest.
func parseLoan(r *row) *store.HistoricalLoan {
	return &store.HistoricalLoan{Line: r.line, AssetTag: r.get("asset_tag"), Learner: r.get("learner"), Course: r.get("course"),
		From: r.date("from"), Until: r.date("until"), HandedOut: r.date("handed_out"), Returned: r.date("returned")}
}

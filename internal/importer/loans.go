package importer

import (
	"context"

	"traject/internal/store"
)

// importLoans reads every loan row of the file first, then adds them all to
// one store import: an overlap of two rows of one device is reported on both
// lines, each naming the other, which a batch at a time could not do. A loans
// file holds a programme's history, a few thousand rows; what it keeps per
// row is small.
func importLoans(ctx context.Context, s *store.Store, t *table, dryRun bool, rep *reporter) error {
	var rows []*row
	var items []*store.HistoricalLoan
	var rec record
	for t.src.next(&rec) {
		if rec.problem == nil && blank(rec.cells) {
			continue
		}
		rep.res.Rows++
		if rep.res.Rows%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r := t.newRow(&rec)
		if r.readable {
			items = append(items, parseLoan(r))
		}
		r.cells = nil // the source reuses them
		rows = append(rows, r)
	}
	if err := t.src.err(); err != nil {
		return err
	}
	n, err := s.ImportLoans(ctx, dryRun, func(imp *store.LoanImport) error {
		for _, r := range rows {
			if len(r.problems) > 0 {
				imp.Reject()
			}
		}
		problems, err := imp.Add(items)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.readable {
				r.failFields(problems[0])
				problems = problems[1:]
			}
			rep.reject(r.sorted())
		}
		return nil
	})
	rep.res.Imported = n
	return err
}

// parseLoan reads the cells of a loan row; the store checks the rest.
func parseLoan(r *row) *store.HistoricalLoan {
	return &store.HistoricalLoan{Line: r.line, AssetTag: r.get("asset_tag"), Learner: r.get("learner"), Course: r.get("course"),
		From: r.date("from"), Until: r.date("until"), HandedOut: r.date("handed_out"), Returned: r.date("returned")}
}

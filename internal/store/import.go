package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"traject"
)

// An import is all or nothing: ImportDevices and ImportDeliveries run a whole
// file in one transaction and commit only when every row passed. They go on
// checking after the first bad row, so that one run names every bad row, but
// stop inserting. Each row is checked with SELECTs before it is inserted,
// never by provoking a constraint error: on PostgreSQL a failed statement
// aborts the transaction, and every later row could no longer be checked.

// errRollback ends an import's transaction without committing it.
var errRollback = errors.New("store: import rejected, rolled back")

// importTx is what both kinds of import share: the transaction, its prepared
// statements, and whether every row so far passed.
type importTx struct {
	s      *Store
	tx     *Tx
	dryRun bool
	failed bool // a row was rejected: nothing more is inserted, nothing is committed
	broken bool // an insert failed: the transaction may be aborted, so checks use the pool
	audit  *multiInsert
	stmts  []*sql.Stmt
	added  int
}

// stmt is a prepared statement with its text, so that a check can still run
// outside the transaction once an insert broke it.
type stmt struct {
	st    *sql.Stmt
	query string
}

func (it *importTx) prepare(query string) (stmt, error) {
	q := it.tx.d.rebind(query)
	st, err := it.tx.tx.PrepareContext(it.tx.ctx, q)
	if err != nil {
		return stmt{}, err
	}
	it.stmts = append(it.stmts, st)
	return stmt{st: st, query: q}, nil
}

func (it *importTx) close() {
	for _, st := range it.stmts {
		_ = st.Close() // closing a statement of a transaction that ends anyway
	}
}

// check runs a checking query: in the transaction while it is sound, else on
// the read pool, which is enough to name the remaining bad rows of a file that
// is rejected anyway.
func (it *importTx) check(q stmt, dest []any, args ...any) error {
	if it.broken {
		return it.s.db.QueryRowContext(it.tx.ctx, q.query, args...).Scan(dest...)
	}
	return q.st.QueryRowContext(it.tx.ctx, args...).Scan(dest...)
}

// checkRows is check for a query that answers several rows.
func (it *importTx) checkRows(q stmt, args []any, scan func(*sql.Rows) error) error {
	var rows *sql.Rows
	var err error
	if it.broken {
		rows, err = it.s.db.QueryContext(it.tx.ctx, q.query, args...)
	} else {
		rows, err = q.st.QueryContext(it.tx.ctx, args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Reject marks the import as failed because of a problem found outside the
// store (a cell that cannot be read, a duplicate inside the file): from now
// on rows are only checked, and nothing is committed.
func (it *importTx) Reject() { it.failed = true }

// writes reports whether a good row is inserted now: while every row so far
// passed, and never in a dry run.
func (it *importTx) writes() bool { return !it.failed && !it.dryRun }

// insertFailed handles an insert that failed although its row passed every
// check (another writer won a race, or a rule only the schema knows): a domain
// error becomes the row's problem, anything else ends the import.
func (it *importTx) insertFailed(field string, err error) ([]traject.FieldError, error) {
	mapped := it.s.mapError("import", "", err)
	e, ok := traject.AsError(mapped)
	if !ok || e.Code == traject.EUNAVAILABLE {
		return nil, err
	}
	it.failed, it.broken = true, true
	return []traject.FieldError{{Field: field, Key: e.Key, Message: e.Message, Args: e.Args}}, nil
}

// auditArgs returns the parameters of the audit row of a created object, as
// tx.audit writes it, for the audit multiInsert.
func (it *importTx) auditArgs(args []any, action, objectType, objectID, region string, after any) ([]any, error) {
	a, err := auditJSON(after)
	if err != nil {
		return nil, err
	}
	actorID, label := actorOf(it.tx.ctx)
	return append(args, it.tx.nowArg(), actorID, label, action, objectType, objectID,
		nullString(region), a, traject.RequestIDFromContext(it.tx.ctx)), nil
}

// runImport runs fn in the import's transaction. A real import writes in a
// write transaction that commits when fn succeeded and no row failed. A dry
// run checks in a read-only transaction that is always rolled back, so that
// a preview never holds SQLite's one write lock.
func (s *Store) runImport(ctx context.Context, op string, dryRun bool, fn func(it *importTx) error) error {
	if dryRun {
		sqlTx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return s.mapError(op, "", err)
		}
		defer func() { _ = sqlTx.Rollback() }() // a dry run never commits
		it := &importTx{s: s, dryRun: true, tx: &Tx{tx: sqlTx, ctx: ctx, d: s.dialect, now: s.now().UTC().Truncate(time.Microsecond)}}
		defer it.close()
		return s.mapError(op, "", fn(it))
	}
	err := s.write(ctx, op, func(tx *Tx) error {
		it := &importTx{s: s, tx: tx}
		defer it.close()
		if err := fn(it); err != nil {
			return err
		}
		if it.failed {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}

// prepareAudit readies the audit rows' multiInsert; statements are prepared
// when first used.
func (it *importTx) prepareAudit() {
	it.audit = newMultiInsert(it, `INSERT INTO audit_log
		(at, actor_id, actor_label, action, object_type, object_id, region_code, before, after, request_id, reason) VALUES`,
		"(?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, '')", "")
}

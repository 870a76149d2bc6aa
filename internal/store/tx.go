package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is one write transaction. It carries the time the transaction started,
// read once, so that every row it writes agrees on "now", and the context of
// the request, so that its audit rows can name the actor.
type Tx struct {
	tx  *sql.Tx
	ctx context.Context
	d   dialect
	now time.Time
	// stmts is the write connection's statement cache (SQLite only); missed
	// lists the queries it did not hold, to prepare after the commit.
	stmts  *stmtCache
	missed []string
}

// write runs fn in a write transaction and commits when fn returns nil. On
// SQLite the transaction begins IMMEDIATE on the single writer connection.
func (s *Store) write(ctx context.Context, op string, fn func(tx *Tx) error) error {
	sqlTx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return s.mapError(op, "", err)
	}
	tx := &Tx{tx: sqlTx, ctx: ctx, d: s.dialect, now: s.now().UTC().Truncate(time.Microsecond), stmts: s.stmts}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback() // the error from fn is the one worth reporting
		return s.mapError(op, "", err)
	}
	if err := sqlTx.Commit(); err != nil {
		return s.mapError(op, "", err)
	}
	if len(tx.missed) > 0 {
		s.stmts.prepare(context.WithoutCancel(ctx), tx.missed)
	}
	return nil
}

// stmt returns the transaction's handle on a cached prepared statement for
// query, or nil when the cache does not hold it yet.
func (tx *Tx) stmt(query string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	st := tx.stmts.get(query)
	if st == nil {
		tx.missed = append(tx.missed, query)
		return nil
	}
	return tx.tx.StmtContext(tx.ctx, st)
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	query = tx.d.rebind(query)
	if st := tx.stmt(query); st != nil {
		return st.ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, query, args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	query = tx.d.rebind(query)
	if st := tx.stmt(query); st != nil {
		return st.QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, query, args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	query = tx.d.rebind(query)
	if st := tx.stmt(query); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, query, args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) insert(query string, args ...any) (int64, error) {
	var id int64
	if err := tx.queryRow(query+" RETURNING id", args...).Scan(&id); err != nil {
		return 0, err
	}
	return id, nil
}

// nowArg is the transaction's time, as the dialect stores it.
func (tx *Tx) nowArg() any { return tx.d.timeArg(tx.now) }

// expectOne fails unless res changed exactly one row.
func expectOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("store: %d rows changed, want 1", n)
	}
	return nil
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.dialect.rebind(query), args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, s.dialect.rebind(query), args...)
}

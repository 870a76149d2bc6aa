package store

import (
	"context"
	"database/sql"
	"strings"

	"traject"
)

// importBatch is how many checked rows an import keeps before it writes them
// with one multi-row INSERT per table. On SQLite the cost of a single-row
// INSERT inside a long transaction is mostly per statement (the virtual
// machine's start and the statement journal), not per row; batches of 100
// more than double the rows a second, and stay far below both dialects'
// limits on parameters.
const importBatch = 100

// multiInsert writes rows into one table with multi-row INSERTs. It prepares
// at most three statements, for 100, 10 and 1 rows, and cuts any number of
// rows into those sizes.
type multiInsert struct {
	it        *importTx
	head      string // INSERT INTO t (a, b, c) VALUES
	row       string // (?, ?, ?) or with literals
	returning string // " RETURNING ...", or ""
	width     int    // parameters per row
	stmts     map[int]*sql.Stmt
}

func newMultiInsert(it *importTx, head, row, returning string) *multiInsert {
	return &multiInsert{it: it, head: head, row: row, returning: returning,
		width: strings.Count(row, "?"), stmts: map[int]*sql.Stmt{}}
}

func (m *multiInsert) stmt(n int) (*sql.Stmt, error) {
	if st, ok := m.stmts[n]; ok {
		return st, nil
	}
	rows := make([]string, n)
	for i := range rows {
		rows[i] = m.row
	}
	st, err := m.it.prepare(m.head + " " + strings.Join(rows, ", ") + m.returning)
	if err != nil {
		return nil, err
	}
	m.stmts[n] = st.st
	return st.st, nil
}

// exec inserts the rows whose parameters args holds, width after width;
// scan reads each row of the RETURNING clause.
func (m *multiInsert) exec(args []any, scan func(*sql.Rows) error) error {
	for len(args) > 0 {
		n := 1
		switch rows := len(args) / m.width; {
		case rows >= 100:
			n = 100
		case rows >= 10:
			n = 10
		}
		st, err := m.stmt(n)
		if err != nil {
			return err
		}
		if err := m.run(st, args[:n*m.width], scan); err != nil {
			return err
		}
		args = args[n*m.width:]
	}
	return nil
}

func (m *multiInsert) run(st *sql.Stmt, args []any, scan func(*sql.Rows) error) error {
	ctx := m.it.tx.ctx
	if m.returning == "" {
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
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

// inBatches checks and writes items importBatch at a time, and returns the
// problems of each item, index by index.
func inBatches[T any](items []T, add func([]T, [][]traject.FieldError) error) ([][]traject.FieldError, error) {
	problems := make([][]traject.FieldError, len(items))
	for start := 0; start < len(items); start += importBatch {
		end := min(start+importBatch, len(items))
		if err := add(items[start:end], problems[start:end]); err != nil {
			return nil, err
		}
	}
	return problems, nil
}

// addEach checks every item, then, while no item of the file failed and this
// is no dry run, inserts them one by one; it returns the problems of each
// item, index by index. key names the column a failed insert is blamed on.
func addEach[T any](it *importTx, items []T, key string, problemsOf func(T) ([]traject.FieldError, error), insert func(T) error) ([][]traject.FieldError, error) {
	problems := make([][]traject.FieldError, len(items))
	for i, item := range items {
		var err error
		if problems[i], err = problemsOf(item); err != nil {
			return nil, err
		}
		if len(problems[i]) > 0 {
			it.failed = true
		}
	}
	for i, item := range items {
		if !it.writes() {
			break
		}
		if err := insert(item); err != nil {
			fields, err := it.insertFailed(key, err)
			problems[i] = append(problems[i], fields...)
			if err != nil {
				return nil, err
			}
			continue
		}
		it.added++
	}
	return problems, nil
}

// batchImport is an import whose statements are prepared once per run.
type batchImport interface {
	prepareAll() error
	writes() bool
	addedCount() int
}

func (it *importTx) addedCount() int { return it.added }

// runKind runs one import of a kind in its transaction: prepare the kind's
// statements, let feed add every row, and report how many rows were written.
func runKind[I batchImport](ctx context.Context, s *Store, op string, dryRun bool, open func(*importTx) I, feed func(I) error) (int, error) {
	imported := 0
	err := s.runImport(ctx, op, dryRun, func(it *importTx) error {
		imp := open(it)
		if err := imp.prepareAll(); err != nil {
			return err
		}
		if err := feed(imp); err != nil {
			return err
		}
		if imp.writes() {
			imported = imp.addedCount()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return imported, nil
}

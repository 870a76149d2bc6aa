package importer

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"traject"
)

// row is one data row being read: its cells by column, and its problems.
type row struct {
	t        *table
	line     int
	cells    []string
	problems []RowError
	readable bool // false for a line the source could not split into cells
}

// newRow checks the cells that no column may hold (text that is not UTF-8,
// a formula, a cell beyond the header) and returns the row.
func (t *table) newRow(rec *record) *row {
	r := &row{t: t, line: rec.line, cells: rec.cells, readable: rec.problem == nil}
	if rec.problem != nil {
		r.problems = append(r.problems, *rec.problem)
	}
	for i, cell := range rec.cells {
		col := ""
		if i < len(t.names) {
			col = t.names[i]
		}
		cell = strings.TrimSpace(cell)
		switch {
		case cell == "":
		case !utf8.ValidString(cell):
			r.fail(col, "import.cell.utf8", "this text is not UTF-8: save the file as CSV UTF-8", nil)
		case looksLikeFormula(cell):
			r.fail(col, "import.cell.formula", "this cell looks like a spreadsheet formula (it starts with =, +, - or @): formulas are refused, type the value itself", nil)
		case col == "":
			r.fail("", "import.cell.extra", "this line has a value beyond the last column of the header", nil)
		}
	}
	return r
}

// looksLikeFormula reports whether a spreadsheet would run the cell as a
// formula when the file is opened again: =, @, or + or - before anything but
// a digit. A negative or international number (-3, +32 ...) is no formula.
func looksLikeFormula(s string) bool {
	switch s[0] {
	case '=', '@':
		return true
	case '+', '-':
		return len(s) > 1 && (s[1] < '0' || s[1] > '9')
	}
	return false
}

// get returns the trimmed cell of a column; a cell that already has a
// problem reads as empty, so that it gets no second message.
func (r *row) get(col string) string {
	i, ok := r.t.index[col]
	if !ok || i >= len(r.cells) || r.has(col) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

func (r *row) has(col string) bool {
	for _, p := range r.problems {
		if p.Column == col {
			return true
		}
	}
	return false
}

// fail records a problem of the row; a column keeps only its first problem.
func (r *row) fail(col, key, reason string, args map[string]any) {
	if col != "" && r.has(col) {
		return
	}
	r.problems = append(r.problems, RowError{Line: r.line, Column: col, Key: key, Reason: reason, Args: args})
}

// sorted returns the row's problems in the order of the header's columns.
func (r *row) sorted() []RowError {
	pos := func(col string) int {
		if i, ok := r.t.index[col]; ok {
			return i
		}
		return -1
	}
	slices.SortStableFunc(r.problems, func(a, b RowError) int { return pos(a.Column) - pos(b.Column) })
	return r.problems
}

// failFields adds the problems the domain or the store found.
func (r *row) failFields(fields []traject.FieldError) {
	for _, f := range fields {
		r.fail(f.Field, f.Key, f.Message, f.Args)
	}
}

// date reads a date column; empty is the zero date.
func (r *row) date(col string) time.Time {
	v := r.get(col)
	if v == "" {
		return time.Time{}
	}
	t, ok := r.t.src.date(v)
	if !ok {
		r.fail(col, "import.cell.date", "write the date as YYYY-MM-DD, for example 2020-05-11", nil)
	}
	return t
}

// count reads a whole number from 0 up; empty is 0 unless required.
func (r *row) count(col string, required bool) int {
	v := r.get(col)
	if v == "" && !required && !r.has(col) {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.fail(col, "import.cell.count", "enter a whole number from 0 up", nil)
		return 0
	}
	return n
}

// feed reads every data row that is not empty, parses it, and hands the
// parsed rows to add a batch at a time; then it reports each row's problems,
// in the order of the file. A row that has a problem of its own (a bad cell,
// a duplicate inside the file) makes reject fail the import, but is still
// checked by add, so that every problem of the row is named at once. It stops
// at the end of the file, at a problem of the file as a whole, or when ctx
// ends (the client went away). batch is how many rows add takes at once; 0
// hands it the whole file in one call.
func feed[T any](ctx context.Context, t *table, rep *reporter, batch int, parse func(*row) T,
	add func([]T) ([][]traject.FieldError, error), reject func()) error {
	var rows []*row
	var items []T
	flush := func() error {
		problems, err := add(items)
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
		rows, items = rows[:0], items[:0]
		return nil
	}
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
			items = append(items, parse(r))
		}
		if len(r.problems) > 0 {
			reject()
		}
		r.cells = nil // the source reuses them
		if rows = append(rows, r); len(rows) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := t.src.err(); err != nil {
		return err
	}
	return flush()
}

// batchSize is how many rows go to the store at once: its fastest batch.
const batchSize = 100

// keys remembers the line of every key seen so far, per column, to name the
// duplicates inside a file. It is what an import keeps of past rows.
type keys map[string]map[string]int

func newKeys(cols ...string) keys {
	k := keys{}
	for _, c := range cols {
		k[c] = map[string]int{}
	}
	return k
}

// check refuses a key that an earlier line of the file holds already.
func (k keys) check(r *row, col, v string) {
	if v == "" || r.has(col) {
		return
	}
	if first, dup := k[col][v]; dup {
		r.fail(col, "import.duplicate", v+" is also on line "+strconv.Itoa(first), map[string]any{"Value": v, "Line": first})
		return
	}
	// A clone: the cell shares its memory with the whole line.
	k[col][strings.Clone(v)] = r.line
}

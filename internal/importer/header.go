package importer

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"traject"
)

// columns lists the columns of each kind, in the order the README gives them.
// Every one must be in the header; a deliveries file may add one column per
// region (by code or name) with the region's planned count.
var columns = map[Kind][]string{
	Deliveries: {"reference", "supplier", "planned_on", "planned_count", "arrived_on"},
	Devices:    {"asset_tag", "serial", "model", "kind", "connectivity", "region", "delivery", "state", "sim_iccid", "sim_bundle_until"},
	Courses:    {"ref", "kind", "language", "mode", "track", "region", "starts_on", "ends_on", "capacity", "weekdays", "start_time", "end_time"},
	Learners:   {"ref", "first_name", "last_name", "birth_date", "national_number", "region", "phone", "email", "language", "obligation"},
	Loans:      {"asset_tag", "learner", "course", "from", "until", "handed_out", "returned"},
}

// Columns returns the columns a file of kind must have, in the order the
// README gives them.
func Columns(k Kind) []string { return slices.Clone(columns[k]) }

// table is a file whose header has been read: where each column is.
type table struct {
	src   source
	names []string       // the column name of each cell position; "" for none
	index map[string]int // column name -> cell position
}

// readHeader reads the header, the first line that is not empty, and checks
// its columns. A wrong header is reported as problems of its line, and ok is
// false: without the columns, no row can be read.
func readHeader(src source, kind Kind, rep *reporter) (*table, bool, error) {
	var rec record
	for {
		if !src.next(&rec) {
			if err := src.err(); err != nil {
				return nil, false, err
			}
			return nil, false, fileError("import.file.empty", "the file is empty: it needs a header line and one line per row")
		}
		if !blank(rec.cells) || rec.problem != nil {
			break
		}
	}
	if rec.problem != nil {
		rep.reject([]RowError{*rec.problem})
		return nil, false, nil
	}
	t := &table{src: src, index: map[string]int{}}
	problems := t.match(rec, kind)
	rep.reject(problems)
	return t, len(problems) == 0, nil
}

// match maps the header's cells to the kind's columns and names every
// unknown, repeated, unnamed or missing one.
func (t *table) match(rec record, kind Kind) []RowError {
	var problems []RowError
	bad := func(col, key, reason string, args map[string]any) {
		problems = append(problems, RowError{Line: rec.line, Column: col, Key: key, Reason: reason, Args: args})
	}
	list := strings.Join(columns[kind], ", ")
	cells := rec.cells
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1] // spreadsheets add empty columns at the end
	}
	t.names = make([]string, len(cells))
	for i, cell := range cells {
		name := strings.ToLower(strings.TrimSpace(cell))
		if r, ok := traject.ParseRegion(name); ok && kind == Deliveries {
			name = r.Code // an allocation column
		}
		switch _, seen := t.index[name]; {
		case !utf8.ValidString(cell):
			bad("", "import.header.utf8", "the header is not UTF-8 text: save the file as CSV UTF-8", nil)
		case name == "":
			bad("", "import.header.unnamed", "column "+strconv.Itoa(i+1)+" has no name", map[string]any{"N": i + 1})
		case seen:
			bad(name, "import.header.twice", "this column appears twice", nil)
		case !known(kind, name):
			bad(name, "import.header.unknown", "unknown column; the columns are "+list, map[string]any{"Columns": list})
		default:
			t.names[i], t.index[name] = name, i
		}
	}
	if len(t.index) == 0 {
		return []RowError{wrongHeader(rec.line, kind, cells)}
	}
	for _, name := range columns[kind] {
		if _, ok := t.index[name]; !ok {
			bad(name, "import.header.missing", "this column is missing; the columns are "+list, map[string]any{"Columns": list})
		}
	}
	return problems
}

// wrongHeader explains a first line that names none of the columns: a file
// of the other kind, or one without a header line.
func wrongHeader(line int, kind Kind, cells []string) RowError {
	for other, names := range columns {
		if other == kind {
			continue
		}
		for _, c := range cells {
			if strings.EqualFold(strings.TrimSpace(c), names[0]) {
				return RowError{Line: line, Key: "import.header.otherkind", Args: map[string]any{"Kind": string(other)},
					Reason: "this is a file of " + string(other) + ", not of " + string(kind) + ": import it as " + string(other)}
			}
		}
	}
	list := strings.Join(columns[kind], ", ")
	return RowError{Line: line, Key: "import.header.wrong", Args: map[string]any{"Columns": list},
		Reason: "the first line must be the header, with the columns " + list}
}

func known(kind Kind, name string) bool {
	for _, c := range columns[kind] {
		if c == name {
			return true
		}
	}
	_, region := traject.ParseRegion(name)
	return kind == Deliveries && region
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

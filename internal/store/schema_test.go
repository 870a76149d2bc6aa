package store

import (
	"context"
	"io/fs"
	"slices"
	"sort"
	"testing"
)

// TestMigrationFoldersMatch keeps the two dialects in step: the same numbered
// files in both folders.
func TestMigrationFoldersMatch(t *testing.T) {
	names := func(dir string) []string {
		entries, err := fs.ReadDir(migrations, dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sq, pg := names("migrations/sqlite"), names("migrations/postgres")
	if !slices.Equal(sq, pg) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", sq, pg)
	}
}

// columns returns every table of the store with its sorted column names.
// River's tables are left out: River migrates them per dialect itself.
func (s *Store) columns(ctx context.Context) (map[string][]string, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version' AND m.name NOT LIKE 'river_%'`
	if s.dialect == dialectPostgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version' AND table_name NOT LIKE 'river_%'`
	}
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, err
		}
		out[table] = append(out[table], col)
	}
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out, rows.Err()
}

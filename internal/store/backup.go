package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"traject"
)

// Backup writes a consistent copy of the SQLite database to path while the
// database stays in use: VACUUM INTO reads one snapshot and writes a compact
// new file. It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != dialectSQLite {
		return traject.Errorf(traject.EINVALID, "backup.postgres", "backup copies a SQLite database; for PostgreSQL use pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return traject.Errorf(traject.ECONFLICT, "backup.exists", "%s already exists; choose a new file name", path)
	}
	// A connection of its own: the read pool is query_only, and the writer must
	// stay free, because VACUUM INTO reads a WAL snapshot without blocking writes.
	conn, err := sql.Open("sqlite", sqliteDSN(s.path, ""))
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return s.mapError("backup", "backup", err)
	}
	return nil
}

package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"

	_ "modernc.org/sqlite" // the pure-Go driver: CGO_ENABLED=0 builds work

	"traject"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// sqlitePragmas are applied to every connection. busy_timeout comes first so
// that the others wait instead of failing while another process holds a lock.
// WAL lets readers run beside the one writer; synchronous=NORMAL is safe in WAL
// (a power cut loses at most the last transactions, never the file) and doubles
// the commit rate. A larger wal_autocheckpoint (the default is 1,000 pages)
// makes checkpoints rarer: DESIGN §4 measured them as the write bottleneck.
// temp_store=MEMORY keeps the sorts of bulk inserts and index builds off the
// disk; it is set per connection here because SQLite refuses to change it
// inside a transaction once River's temporary tables exist.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
	"wal_autocheckpoint(4000)",
	"temp_store(MEMORY)",
}

func (s *Store) openSQLite(ctx context.Context, path string) error {
	s.dialect = dialectSQLite
	s.path = path
	if err := checkSQLiteFile(path); err != nil {
		return err
	}
	var err error
	// _txlock=immediate makes every write transaction BEGIN IMMEDIATE: it takes
	// the write lock at the start, so two writers queue instead of deadlocking
	// when both try to upgrade a read lock.
	if s.wdb, err = sql.Open("sqlite", sqliteDSN(path, "_txlock=immediate")); err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	s.wdb.SetMaxOpenConns(1)
	if err := s.wdb.PingContext(ctx); err != nil {
		s.wdb.Close()
		return sqliteOpenError(path, err)
	}
	if s.db, err = sql.Open("sqlite", sqliteDSN(path, "_pragma=query_only(1)")); err != nil {
		s.wdb.Close()
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	s.db.SetMaxOpenConns(max(4, runtime.NumCPU()))
	s.stmts = newStmtCache(s.wdb)
	return nil
}

func sqliteDSN(path string, extra string) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	dsn := "file:" + path + "?" + q.Encode()
	if extra != "" {
		dsn += "&" + extra
	}
	return dsn
}

// checkSQLiteFile refuses, before any connection can write to it, a path that
// is a directory, cannot be read, or holds something other than a SQLite
// database. A missing or empty file is a new database.
func checkSQLiteFile(path string) error {
	fi, err := os.Stat(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return unavailable("cannot read the database file %s: %v", path, err)
	}
	if fi.IsDir() {
		return unavailable("the database path %s is a directory, not a file", path)
	}
	if fi.Size() == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return unavailable("cannot read the database file %s: %v", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return unavailable("%s is not a SQLite database (corrupt or another kind of file); it was left untouched", path)
	}
	return nil
}

func sqliteOpenError(path string, err error) error {
	return unavailable("cannot open the SQLite database %s: %v; it was left untouched", path, err)
}

func unavailable(format string, args ...any) error {
	return traject.Errorf(traject.EUNAVAILABLE, "db.unavailable", format, args...)
}

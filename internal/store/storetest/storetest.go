// Package storetest opens fresh, migrated databases for tests: SQLite always,
// and PostgreSQL when TRAJECT_TEST_POSTGRES holds a URL. With
// TRAJECT_TEST_POSTGRES_REQUIRED=1 (as in CI) a missing PostgreSQL fails the
// test instead of skipping it, so it can never be skipped silently.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for schema set-up

	"traject/internal/store"
)

// DB names one database a test runs against.
type DB struct {
	Name string // "sqlite" or "postgres"
	URL  string
}

// Open returns a fresh, migrated SQLite store in a temporary directory.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenURL(t, SQLiteURL(t))
}

// SQLiteURL returns the URL of a new SQLite file in a temporary directory.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "traject.db")
}

// OpenURL opens and migrates the database at url and closes it when the test ends.
func OpenURL(t testing.TB, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, store.Options{Sealer: TestSealer(t)})
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// DBs returns the databases to run a test on: a new SQLite file, and a new
// PostgreSQL schema when one is configured.
func DBs(t testing.TB) []DB {
	t.Helper()
	dbs := []DB{{Name: "sqlite", URL: SQLiteURL(t)}}
	if u := PostgresURL(t); u != "" {
		dbs = append(dbs, DB{Name: "postgres", URL: u})
	}
	return dbs
}

// Each runs fn once per database, each on a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, db := range DBs(t) {
		t.Run(db.Name, func(t *testing.T) { fn(t, OpenURL(t, db.URL)) })
	}
}

// PostgresURL creates an empty schema in the test PostgreSQL and returns a
// URL whose search_path points at it; the schema is dropped when the test
// ends. It returns "" when no PostgreSQL is configured and it is not required.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TRAJECT_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("TRAJECT_TEST_POSTGRES_REQUIRED") == "1" {
			t.Fatal("TRAJECT_TEST_POSTGRES_REQUIRED=1 but TRAJECT_TEST_POSTGRES is empty")
		}
		return ""
	}
	schema := "t_" + randomHex(8)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("postgres at TRAJECT_TEST_POSTGRES: create schema: %v", err)
	}
	t.Cleanup(func() { dropSchema(base, schema) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TRAJECT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func dropSchema(base, schema string) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) // best effort: a leftover schema harms nothing
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TestSealer seals national numbers under a fixed test key, so that every
// test store can keep them as a configured server does.
func TestSealer(t testing.TB) *store.Sealer {
	t.Helper()
	s, err := store.NewSealer([]byte("traject test key, 32 bytes long!"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Package store is Traject's database: it opens SQLite or PostgreSQL, applies
// the migrations, and holds every SQL statement of the application. Each
// public method takes a context, opens its own transaction when it writes, and
// adds the audit row inside that transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"traject"
)

// dialect names the SQL flavour behind a Store.
type dialect int

const (
	dialectSQLite dialect = iota + 1
	dialectPostgres
)

func (d dialect) String() string {
	if d == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// Store is the one concrete database of Traject. On SQLite, writes go through
// wdb, a pool of exactly one connection, because SQLite allows one writer and
// a queue in Go is cheaper than busy retries; reads use db. On PostgreSQL both
// are the same pool.
type Store struct {
	db      *sql.DB
	wdb     *sql.DB
	dialect dialect
	path    string // the SQLite file, for backups
	log     *slog.Logger
	now     func() time.Time
	sealer  *Sealer    // nil without TRAJECT_SECRET_KEY: national numbers are then refused
	stmts   *stmtCache // the writer's prepared statements (SQLite); nil on PostgreSQL
}

// Options tune Open.
type Options struct {
	Logger *slog.Logger
	// Now replaces the clock, for tests; each transaction reads it once.
	Now func() time.Time
	// Sealer encrypts and hashes national numbers; without one the store
	// refuses them rather than keep them in clear.
	Sealer *Sealer
}

// Open connects to the database named by url (sqlite:PATH or postgres://...),
// refuses a file that is not a SQLite database without touching it, and brings
// the schema up to date.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	s, err := open(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func open(ctx context.Context, url string, opts Options) (*Store, error) {
	s := &Store{log: opts.Logger, now: opts.Now, sealer: opts.Sealer}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		err = s.openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		err = s.openPostgres(ctx, url)
	default:
		err = traject.Errorf(traject.EINVALID, "db.url", "use sqlite:PATH or postgres://...")
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close releases the database connections.
func (s *Store) Close() error {
	var errs []error
	s.stmts.close()
	if s.wdb != nil && s.wdb != s.db {
		errs = append(errs, s.wdb.Close())
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.String() }

// WriteDB returns the pool that writes, for the session store, which keeps its
// own table and must share SQLite's single writer.
func (s *Store) WriteDB() *sql.DB { return s.wdb }

// ReadDB returns the pool that reads: the whole pool on PostgreSQL.
func (s *Store) ReadDB() *sql.DB { return s.db }

// IsPostgres reports whether the store runs on PostgreSQL.
func (s *Store) IsPostgres() bool { return s.dialect == dialectPostgres }

package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

func (s *Store) openPostgres(ctx context.Context, url string) error {
	s.dialect = dialectPostgres
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return unavailable("the PostgreSQL URL cannot be read: check its form, as in postgres://user@host:5432/db")
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	s.db = stdlib.OpenDB(*cfg)
	s.db.SetMaxOpenConns(16)
	s.db.SetMaxIdleConns(16)
	s.db.SetConnMaxIdleTime(5 * time.Minute)
	s.wdb = s.db
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return postgresOpenError(cfg, err)
	}
	return nil
}

// postgresOpenError says what went wrong without the password.
func postgresOpenError(cfg *pgx.ConnConfig, err error) error {
	where := net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailable("PostgreSQL at %s refused the connection to database %q as user %q: %s (SQLSTATE %s)",
			where, cfg.Database, cfg.User, pgErr.Message, pgErr.Code)
	}
	return unavailable("cannot reach PostgreSQL at %s: is the server running and the address right?", where)
}

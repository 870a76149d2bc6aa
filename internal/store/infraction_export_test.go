package store

import (
	"context"
	"time"
)

// CaseExec runs a bare statement in a write transaction, for tests that set
// up records (a waiting request, a suspended SIM) without the paths that
// normally write them. Times in args must come from TimeArg.
func CaseExec(ctx context.Context, s *Store, query string, args ...any) error {
	return s.write(ctx, "raw exec", func(tx *Tx) error {
		_, err := tx.exec(query, args...)
		return err
	})
}

// CaseTimeArg converts a time as the store's dialect keeps it.
func CaseTimeArg(s *Store, t time.Time) any { return s.dialect.timeArg(t) }

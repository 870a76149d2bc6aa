package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"traject"
)

// mapError turns a driver error into a domain error where one applies, and
// otherwise wraps it with the operation's name. sql.ErrNoRows becomes ENOTFOUND
// named after what was looked for.
func (s *Store) mapError(op, what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := traject.AsError(err); ok {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		// what is "kind id" (as in "device CB-0001"): the id goes into the
		// translated text, so that a person sees which one was not found.
		_, id, _ := strings.Cut(what, " ")
		return &traject.Error{Code: traject.ENOTFOUND, Key: "db.notfound", Args: map[string]any{"ID": id},
			Message: what + " not found; it may not exist, or it is outside your region"}
	}
	if mapped := s.dialect.driverError(err); mapped != nil {
		return mapped
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// driverError maps a driver error to a domain error, or returns nil.
func (d dialect) driverError(err error) error {
	if d == dialectPostgres {
		return postgresError(err)
	}
	return sqliteError(err)
}

// mapError maps a driver error inside a transaction, for code that must tell
// a conflict from another failure before the transaction ends.
func (tx *Tx) mapError(err error) error {
	if mapped := tx.d.driverError(err); mapped != nil {
		return mapped
	}
	return err
}

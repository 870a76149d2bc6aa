package store

import (
	"database/sql"
	"errors"
	"fmt"

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
		return traject.Errorf(traject.ENOTFOUND, "db.notfound", "%s not found", what)
	}
	var mapped error
	if s.dialect == dialectPostgres {
		mapped = postgresError(err)
	} else {
		mapped = sqliteError(err)
	}
	if mapped != nil {
		return mapped
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

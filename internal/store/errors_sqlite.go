package store

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"traject"
)

// sqliteError maps a SQLite error to a domain error by its extended result
// code, never by its text. It returns nil when err is not a SQLite error.
func sqliteError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return conflict()
	case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		// Triggers raise ABORT only to guard invariants such as overlapping loans.
		return conflict()
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return traject.Errorf(traject.EINVALID, "db.reference", "it refers to something that does not exist")
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return traject.Errorf(traject.EINVALID, "db.check", "a value is not allowed")
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return traject.Errorf(traject.EUNAVAILABLE, "db.busy", "the database is busy; try again")
	}
	return nil
}

func conflict() error {
	return traject.Errorf(traject.ECONFLICT, "db.conflict", "it conflicts with data that already exists")
}

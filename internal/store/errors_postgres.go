package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"traject"
)

// postgresError maps a PostgreSQL error to a domain error by its SQLSTATE,
// never by its text. It returns nil when err is not a PostgreSQL error.
func postgresError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	switch pe.Code {
	case "23505", "23P01", "23000": // unique_violation, exclusion_violation, a guard trigger
		return conflict()
	case "23503": // foreign_key_violation
		return traject.Errorf(traject.EINVALID, "db.reference", "it refers to something that does not exist")
	case "23514", "23502": // check_violation, not_null_violation
		return traject.Errorf(traject.EINVALID, "db.check", "a value is not allowed")
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return traject.Errorf(traject.EUNAVAILABLE, "db.busy", "the database is busy; try again")
	}
	return nil
}

package store

import (
	"fmt"
	"time"
)

// sqliteTimeFormat is how SQLite keeps times: UTC, fixed width, so that text
// comparison orders them as time does.
const sqliteTimeFormat = "2006-01-02T15:04:05.000000Z"

// timeArg converts t for the dialect: PostgreSQL takes time.Time for
// timestamptz, SQLite takes the fixed-width text. The zero time is NULL.
func (d dialect) timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	if d == dialectPostgres {
		return t
	}
	return t.Format(sqliteTimeFormat)
}

// timeCol scans a timestamp column of either dialect into a time.Time; NULL
// leaves the zero time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = x.UTC()
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T as a time", v)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(sqliteTimeFormat, s)
	if err != nil {
		return fmt.Errorf("store: bad time %q: %w", s, err)
	}
	*c.t = t
	return nil
}

// nullTimeCol scans a nullable timestamp into a *time.Time.
type nullTimeCol struct{ t **time.Time }

// Scan implements sql.Scanner.
func (c nullTimeCol) Scan(v any) error {
	if v == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(v); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

// dateArg converts a date (midnight UTC) to 'YYYY-MM-DD', which SQLite keeps
// as text and PostgreSQL reads as a date. The zero date is NULL.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format("2006-01-02")
}

// dateCol scans a date column of either dialect; NULL leaves the zero time.
type dateCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c dateCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
	case string, []byte:
		s := fmt.Sprint(x)
		if b, ok := x.([]byte); ok {
			s = string(b)
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return fmt.Errorf("store: bad date %q: %w", s, err)
		}
		*c.t = t
	default:
		return fmt.Errorf("store: cannot scan %T as a date", v)
	}
	return nil
}

package store

import "context"

// IDOf returns the id of the row of table whose column col equals val, for
// tests that write loans by id; 0 when there is none.
func IDOf(ctx context.Context, s *Store, table, col, val string) int64 {
	var id int64
	if err := s.queryRow(ctx, `SELECT id FROM `+table+` WHERE `+col+` = ?`, val).Scan(&id); err != nil {
		return 0
	}
	return id
}

// ExecRaw runs a statement outside the application's checks, as another
// program writing to the database would; the triggers still fire.
func ExecRaw(ctx context.Context, s *Store, query string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, "raw", func(tx *Tx) error {
		res, err := tx.exec(query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

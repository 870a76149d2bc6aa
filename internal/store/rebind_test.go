package store

import "testing"

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' FROM t WHERE a = ?", "SELECT '?' FROM t WHERE a = $1"},
		{`SELECT "odd?name" FROM t WHERE a = ?`, `SELECT "odd?name" FROM t WHERE a = $1`},
		{"INSERT INTO t VALUES (?, 'it''s ?', ?)", "INSERT INTO t VALUES ($1, 'it''s ?', $2)"},
	}
	for _, tt := range tests {
		if got := dialectPostgres.rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := dialectSQLite.rebind(tt.in); got != tt.in {
			t.Errorf("sqlite rebind changed %q", tt.in)
		}
	}
}

package main

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"traject/internal/auth"
)

// BenchmarkAPIMe measures one authenticated API request through the whole
// handler chain (request id, logging, metrics, security headers, session
// load, bearer token look-up, huma) on SQLite, in process.
func BenchmarkAPIMe(b *testing.B) {
	tm := mustRun(b, "")
	u := tm.mustUser("bench@example.org", "desk", "ANT")
	token := tm.mustToken(u)
	h := tm.server.Handler
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkRawTokenLookup is the baseline of BenchmarkAPIMe: the same token
// look-up SQL on a plain database/sql connection to the same kind of file,
// without Traject around it.
func BenchmarkRawTokenLookup(b *testing.B) {
	tm := mustRun(b, "")
	u := tm.mustUser("bench@example.org", "desk", "ANT")
	token := tm.mustToken(u)
	path := strings.TrimPrefix(tm.Config.DB, "sqlite:")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hash := auth.HashToken(token)
	const q = `SELECT u.id, u.email, u.name, u.role, COALESCE(u.region_code, ''), u.language, u.active, u.created_at, u.deactivated_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.revoked_at IS NULL AND u.active`
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var id int64
		var email, name, role, region, lang, created string
		var active bool
		var deactivated sql.NullString
		if err := db.QueryRow(q, hash).Scan(&id, &email, &name, &role, &region, &lang, &active, &created, &deactivated); err != nil {
			b.Fatal(err)
		}
	}
}

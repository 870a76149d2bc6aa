package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the write connection's prepared statements across
// transactions on SQLite, where preparing a statement costs more than running
// it (about 40% of a reservation's time). PostgreSQL's driver caches its own.
//
// A statement cannot be prepared on the pool while a transaction holds its
// one connection, so a transaction only notes what it missed, and the store
// prepares those after the commit has given the connection back.
type stmtCache struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache: queries built with a varying number of
// placeholders (bulk inserts, IN lists) would otherwise grow it without end.
const maxCachedStmts = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for query, or nil.
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// prepare prepares the queries a transaction missed; a query that does not
// prepare is left uncached (the transaction already ran it, or failed on it).
func (c *stmtCache) prepare(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.mu.Lock()
		_, have := c.stmts[q]
		full := len(c.stmts) >= maxCachedStmts
		c.mu.Unlock()
		if have || full {
			continue
		}
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, have := c.stmts[q]; have {
			_ = st.Close() // another writer prepared it meanwhile
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

// close releases every cached statement.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		_ = st.Close()
		delete(c.stmts, q)
	}
}

package store

import "context"

// Columns exposes the schema reader to the external tests.
func Columns(ctx context.Context, s *Store) (map[string][]string, error) { return s.columns(ctx) }

package store

import (
	"slices"
	"strings"
)

// sortRows sorts report rows by the key columns the report is sorted by.
func sortRows[T any](rows []T, key func(T) []string) {
	slices.SortStableFunc(rows, func(a, b T) int {
		return slices.CompareFunc(key(a), key(b), strings.Compare)
	})
}

package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestDialectsDefineSameSchema proves that both migration folders produce the
// same tables with the same columns.
func TestDialectsDefineSameSchema(t *testing.T) {
	pgURL := storetest.PostgresURL(t)
	if pgURL == "" {
		t.Skip("TRAJECT_TEST_POSTGRES is not set: the PostgreSQL schema cannot be compared")
	}
	ctx := context.Background()
	sq, err := store.Columns(ctx, storetest.Open(t))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Columns(ctx, storetest.OpenURL(t, pgURL))
	if err != nil {
		t.Fatal(err)
	}
	if len(sq) == 0 {
		t.Fatal("no tables found")
	}
	if diff := cmp.Diff(sq, pg); diff != "" {
		t.Errorf("schemas differ (-sqlite +postgres):\n%s", diff)
	}
}

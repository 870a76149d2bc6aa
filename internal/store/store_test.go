package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

func TestOpenMigratesIdempotently(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			for range 2 {
				s, err := store.Open(ctx, db.URL, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				v, err := s.SchemaVersion(ctx)
				if err != nil || v < 1 {
					t.Fatalf("schema version = %d, %v", v, err)
				}
				regions, err := s.Regions(ctx)
				if err != nil || len(regions) != 6 {
					t.Fatalf("regions = %v, %v", regions, err)
				}
				s.Close()
			}
		})
	}
}

func TestOpenRefusesCorruptFileAndLeavesItUntouched(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"garbage":         []byte("this is not a database, just text that someone saved as traject.db\n"),
		"truncated":       []byte("SQLite format"),
		"damaged header":  append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 200)...),
		"zip file header": {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0},
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := store.Open(context.Background(), "sqlite:"+path, store.Options{})
			if traject.ErrorCode(err) != traject.EUNAVAILABLE {
				t.Fatalf("err = %v (code %q), want EUNAVAILABLE", err, traject.ErrorCode(err))
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("message %q does not name the file", err)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, content) {
				t.Error("the file was changed")
			}
			for _, suffix := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(path + suffix); err == nil {
					t.Errorf("%s%s was created", path, suffix)
				}
			}
		})
	}
}

func TestOpenRefusesDirectory(t *testing.T) {
	_, err := store.Open(context.Background(), "sqlite:"+t.TempDir(), store.Options{})
	if traject.ErrorCode(err) != traject.EUNAVAILABLE || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("err = %v", err)
	}
}

func TestOpenUnreachablePostgres(t *testing.T) {
	// Port 1 on loopback: nothing listens there, so the connection is refused at once.
	_, err := store.Open(context.Background(), "postgres://traject:secret-pw@127.0.0.1:1/traject?connect_timeout=2", store.Options{})
	if traject.ErrorCode(err) != traject.EUNAVAILABLE {
		t.Fatalf("err = %v, want EUNAVAILABLE", err)
	}
	if strings.Contains(err.Error(), "secret-pw") {
		t.Errorf("the message shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("the message does not say where: %v", err)
	}
}

func TestBackupWhileInUse(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	mustCreateUser(t, s, &traject.User{Email: "a@example.org", Name: "A", Role: traject.RoleAdmin})
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	copyStore := storetest.OpenURL(t, "sqlite:"+out)
	if n, err := copyStore.CountUsers(ctx); err != nil || n != 1 {
		t.Fatalf("users in backup = %d, %v", n, err)
	}
	if err := s.Backup(ctx, out); traject.ErrorCode(err) != traject.ECONFLICT {
		t.Fatalf("second backup to the same file: %v, want ECONFLICT", err)
	}
}

func mustCreateUser(t testing.TB, s *store.Store, u *traject.User) *traject.User {
	t.Helper()
	ctx := traject.NewContextWithActorLabel(context.Background(), "test")
	if err := s.CreateUser(ctx, u, "hash"); err != nil {
		t.Fatalf("create user %s: %v", u.Email, err)
	}
	return u
}

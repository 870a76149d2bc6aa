package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

func adminCtx(u *traject.User) context.Context {
	return traject.NewContextWithUser(context.Background(), u)
}

func TestCreateUserAuditsInSameTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
		ctx := adminCtx(admin)
		desk := &traject.User{Email: "Desk@Example.org", Name: "Desk", Role: traject.RoleDesk, RegionCode: "ANT"}
		if err := s.CreateUser(ctx, desk, "h"); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByEmail(ctx, "desk@example.org")
		if err != nil || got.ID != desk.ID || got.RegionCode != "ANT" || !got.Active || got.CreatedAt.IsZero() {
			t.Fatalf("user = %+v, %v", got, err)
		}
		entries, err := s.AuditLog(ctx, traject.AuditFilter{ObjectType: "user", ObjectID: "desk@example.org"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit = %v, %v", entries, err)
		}
		e := entries[0]
		if e.Action != "user.create" || e.ActorLabel != "admin@example.org" || e.ActorID != admin.ID || e.RegionCode != "ANT" || e.Before != "" {
			t.Errorf("audit row = %+v", e)
		}
		var after traject.User
		if err := json.Unmarshal([]byte(e.After), &after); err != nil || after.Email != "desk@example.org" {
			t.Errorf("after = %s, %v", e.After, err)
		}
	})
}

func TestCreateUserDuplicateChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
		ctx := adminCtx(admin)
		before, _ := s.AuditLog(ctx, traject.AuditFilter{})
		err := s.CreateUser(ctx, &traject.User{Email: "ADMIN@example.org", Name: "Again", Role: traject.RoleAnalyst}, "h")
		e, ok := traject.AsError(err)
		if !ok || e.Code != traject.EINVALID || len(e.Fields) != 1 || e.Fields[0].Key != "user.email.taken" {
			t.Fatalf("err = %v", err)
		}
		after, _ := s.AuditLog(ctx, traject.AuditFilter{})
		if len(after) != len(before) {
			t.Errorf("a refused create added %d audit rows", len(after)-len(before))
		}
		if n, _ := s.CountUsers(ctx); n != 1 {
			t.Errorf("users = %d", n)
		}
	})
}

func TestUsersAreScopedToTheActorsRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
		coord := mustCreateUser(t, s, &traject.User{Email: "coord@example.org", Name: "Coord", Role: traject.RoleCoordinator, RegionCode: "ANT"})
		mustCreateUser(t, s, &traject.User{Email: "desk.ant@example.org", Name: "Desk Ant", Role: traject.RoleDesk, RegionCode: "ANT"})
		mustCreateUser(t, s, &traject.User{Email: "desk.bru@example.org", Name: "Desk Bru", Role: traject.RoleDesk, RegionCode: "BRU"})

		all, err := s.Users(adminCtx(admin), store.UserFilter{})
		if err != nil || len(all) != 4 {
			t.Fatalf("admin sees %d, %v", len(all), err)
		}
		mine, err := s.Users(adminCtx(coord), store.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range mine {
			if u.RegionCode != "ANT" {
				t.Errorf("coordinator of ANT sees %s of %s", u.Email, u.RegionCode)
			}
		}
		if len(mine) != 2 {
			t.Errorf("coordinator sees %d accounts, want 2", len(mine))
		}
		if got, _ := s.Users(context.Background(), store.UserFilter{}); len(got) != 0 {
			t.Errorf("nobody sees %d accounts", len(got))
		}
		found, _ := s.Users(adminCtx(admin), store.UserFilter{Query: "BRU"})
		if len(found) != 1 || found[0].Email != "desk.bru@example.org" {
			t.Errorf("search = %v", found)
		}
	})
}

func TestSetUserActive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
		desk := mustCreateUser(t, s, &traject.User{Email: "desk@example.org", Name: "Desk", Role: traject.RoleDesk, RegionCode: "LIM"})
		ctx := adminCtx(admin)
		u, err := s.SetUserActive(ctx, desk.ID, false)
		if err != nil || u.Active || u.Deactivated == nil {
			t.Fatalf("deactivate = %+v, %v", u, err)
		}
		if _, err := s.SetUserActive(ctx, admin.ID, false); traject.ErrorCode(err) != traject.ECONFLICT {
			t.Errorf("self-deactivation: %v", err)
		}
		if _, err := s.SetUserActive(ctx, 9999, false); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("unknown id: %v", err)
		}
		u, err = s.SetUserActive(ctx, desk.ID, true)
		if err != nil || !u.Active || u.Deactivated != nil {
			t.Fatalf("activate = %+v, %v", u, err)
		}
		entries, _ := s.AuditLog(ctx, traject.AuditFilter{ObjectID: "desk@example.org"})
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if len(actions) != 3 || actions[0] != "user.activate" || actions[1] != "user.deactivate" {
			t.Errorf("audit actions = %v", actions)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := mustCreateUser(t, s, &traject.User{Email: "desk@example.org", Name: "Desk", Role: traject.RoleDesk, RegionCode: "LIM"})
		other := mustCreateUser(t, s, &traject.User{Email: "other@example.org", Name: "Other", Role: traject.RoleDesk, RegionCode: "LIM"})
		ctx := adminCtx(u)
		tok, err := s.CreateToken(ctx, u, "script", "hash-1", "trj_abc")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateToken(ctx, u, "", "hash-2", "trj_def"); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("unnamed token: %v", err)
		}
		got, err := s.UserByTokenHash(ctx, "hash-1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("by token = %v, %v", got, err)
		}
		if _, err := s.UserByTokenHash(ctx, "nope"); traject.ErrorCode(err) != traject.EUNAUTHORIZED {
			t.Errorf("unknown token: %v", err)
		}
		if err := s.RevokeToken(adminCtx(other), other, tok.ID); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("revoking another's token: %v", err)
		}
		if err := s.RevokeToken(ctx, u, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, u, tok.ID); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		if _, err := s.UserByTokenHash(ctx, "hash-1"); traject.ErrorCode(err) != traject.EUNAUTHORIZED {
			t.Errorf("revoked token: %v", err)
		}
		list, _ := s.Tokens(ctx, u.ID)
		if len(list) != 1 || list[0].RevokedAt == nil {
			t.Errorf("tokens = %+v", list)
		}
	})
}

func TestTokenOfDeactivatedAccountStopsWorking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
		u := mustCreateUser(t, s, &traject.User{Email: "desk@example.org", Name: "Desk", Role: traject.RoleDesk, RegionCode: "LIM"})
		if _, err := s.CreateToken(adminCtx(u), u, "script", "hash-1", "trj_abc"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetUserActive(adminCtx(admin), u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByTokenHash(context.Background(), "hash-1"); traject.ErrorCode(err) != traject.EUNAUTHORIZED {
			t.Errorf("token of a deactivated account: %v", err)
		}
	})
}

func TestLoginFailuresAreCountedInTheWindow(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
			s, err := store.Open(context.Background(), db.URL, store.Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			u := mustCreateUser(t, s, &traject.User{Email: "desk@example.org", Name: "Desk", Role: traject.RoleDesk, RegionCode: "LIM"})
			ctx := context.Background()
			for range 3 {
				if err := s.RecordLogin(ctx, u, "wrong_password"); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(10 * time.Minute)
			for range 2 {
				_ = s.RecordLogin(ctx, u, "wrong_password")
			}
			_ = s.RecordLogin(ctx, u, "ok") // a success is not a failure
			st, err := s.LoginState(ctx, "DESK@example.org")
			if err != nil || st.RecentFailures != 5 || st.PasswordHash != "hash" {
				t.Fatalf("state = %+v, %v", st, err)
			}
			now = now.Add(6 * time.Minute) // the first three are now older than 15 minutes
			st, _ = s.LoginState(ctx, "desk@example.org")
			if st.RecentFailures != 2 {
				t.Errorf("failures after the window = %d, want 2", st.RecentFailures)
			}
			if _, err := s.LoginState(ctx, "nobody@example.org"); traject.ErrorCode(err) != traject.ENOTFOUND {
				t.Errorf("unknown account: %v", err)
			}
		})
	}
}

func TestAuditFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mustCreateUser(t, s, &traject.User{Email: "admin@example.org", Name: "Admin", Role: traject.RoleAdmin})
		coord := mustCreateUser(t, s, &traject.User{Email: "coord@example.org", Name: "Coord", Role: traject.RoleCoordinator, RegionCode: "ANT"})
		ctx := adminCtx(admin)
		for _, e := range []string{"a@example.org", "b@example.org"} {
			if err := s.CreateUser(ctx, &traject.User{Email: e, Name: e, Role: traject.RoleDesk, RegionCode: "BRU"}, "h"); err != nil {
				t.Fatal(err)
			}
		}
		byActor, _ := s.AuditLog(ctx, traject.AuditFilter{Actor: "ADMIN@example.org"})
		if len(byActor) != 2 {
			t.Errorf("by actor = %d rows, want 2", len(byActor))
		}
		future, _ := s.AuditLog(ctx, traject.AuditFilter{From: time.Now().Add(time.Hour)})
		if len(future) != 0 {
			t.Errorf("from the future = %d rows", len(future))
		}
		all, _ := s.AuditLog(ctx, traject.AuditFilter{To: time.Now().Add(time.Hour)})
		if len(all) != 4 {
			t.Errorf("until now = %d rows, want 4", len(all))
		}
		page, _ := s.AuditLog(ctx, traject.AuditFilter{Limit: 1, BeforeID: all[0].ID})
		if len(page) != 1 || page[0].ID != all[1].ID {
			t.Errorf("keyset page = %+v", page)
		}
		scoped, _ := s.AuditLog(adminCtx(coord), traject.AuditFilter{})
		for _, e := range scoped {
			if e.RegionCode != "ANT" {
				t.Errorf("coordinator of ANT sees audit of %q: %s", e.RegionCode, e.Action)
			}
		}
		if len(scoped) != 1 {
			t.Errorf("coordinator sees %d rows, want 1 (its own account's creation)", len(scoped))
		}
	})
}

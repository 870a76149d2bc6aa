package store

import (
	"context"
	"strings"

	"traject"
)

const userColumns = `id, email, name, role, COALESCE(region_code, ''), language, active, created_at, deactivated_at`

func scanUser(row interface{ Scan(...any) error }, u *traject.User) error {
	return row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.RegionCode, &u.Language, &u.Active,
		timeCol{&u.CreatedAt}, nullTimeCol{&u.Deactivated})
}

// CreateUser adds a staff account with the given password hash (which may be
// empty for an account that signs in only through OIDC).
func (s *Store) CreateUser(ctx context.Context, u *traject.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	err := s.write(ctx, "create user", func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO users (email, name, role, region_code, password_hash, language, active, created_at)
			VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)`,
			u.Email, u.Name, u.Role, nullString(u.RegionCode), passwordHash, u.Language, tx.nowArg())
		if err != nil {
			return err
		}
		u.ID, u.Active, u.CreatedAt = id, true, tx.now
		return tx.audit("user.create", "user", u.Email, u.RegionCode, nil, u)
	})
	if traject.ErrorCode(err) == traject.ECONFLICT {
		var v traject.Validation
		v.Add("email", "user.email.taken", "An account with this e-mail address already exists", nil)
		return v.Err()
	}
	return err
}

// User returns the account with the given id, whatever the actor's scope:
// authentication needs it before there is an actor.
func (s *Store) User(ctx context.Context, id int64) (*traject.User, error) {
	var u traject.User
	err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id), &u)
	return &u, s.mapError("user", "account", err)
}

// UserByEmail returns the account with the given address, whatever the scope.
func (s *Store) UserByEmail(ctx context.Context, email string) (*traject.User, error) {
	var u traject.User
	err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, traject.NormalizeEmail(email)), &u)
	return &u, s.mapError("user by email", "account", err)
}

// UserFilter selects staff accounts.
type UserFilter struct {
	Role       traject.Role
	RegionCode string
	Query      string // part of the name or e-mail address
}

// Users lists the staff accounts the actor may see: every account for a
// national role, the accounts of the actor's region otherwise.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]traject.User, error) {
	where := []string{"1=1"}
	var args []any
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" || traject.UserFromContext(ctx) == nil {
		where, args = append(where, "region_code = ?"), append(args, scope)
	}
	if f.Role != "" {
		where, args = append(where, "role = ?"), append(args, f.Role)
	}
	if f.RegionCode != "" {
		where, args = append(where, "region_code = ?"), append(args, f.RegionCode)
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		where = append(where, "(LOWER(name) LIKE ? OR email LIKE ?)")
		args = append(args, "%"+q+"%", "%"+q+"%")
	}
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users WHERE `+strings.Join(where, " AND ")+
		` ORDER BY active DESC, name, id`, args...)
	if err != nil {
		return nil, s.mapError("users", "accounts", err)
	}
	defer rows.Close()
	var out []traject.User
	for rows.Next() {
		var u traject.User
		if err := scanUser(rows, &u); err != nil {
			return nil, s.mapError("users", "accounts", err)
		}
		out = append(out, u)
	}
	return out, s.mapError("users", "accounts", rows.Err())
}

// SetUserActive deactivates or reactivates an account. A deactivated account
// cannot sign in and its tokens stop working; it is never deleted.
func (s *Store) SetUserActive(ctx context.Context, id int64, active bool) (*traject.User, error) {
	var after traject.User
	err := s.write(ctx, "set user active", func(tx *Tx) error {
		var before traject.User
		if err := scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, id), &before); err != nil {
			return s.mapError("set user active", "account", err)
		}
		actor := traject.UserFromContext(ctx)
		if actor != nil && !actor.CanSeeRegion(before.RegionCode) {
			return traject.Errorf(traject.ENOTFOUND, "db.notfound", "account not found")
		}
		if actor != nil && actor.ID == id && !active {
			return traject.Errorf(traject.ECONFLICT, "user.deactivate.self", "you cannot deactivate your own account")
		}
		deactivated := tx.nowArg()
		if active {
			deactivated = nil
		}
		if err := expectOne(tx.exec(`UPDATE users SET active = ?, deactivated_at = ? WHERE id = ?`, active, deactivated, id)); err != nil {
			return err
		}
		after = before
		after.Active, after.Deactivated = active, nil
		if !active {
			after.Deactivated = &tx.now
		}
		action := map[bool]string{true: "user.activate", false: "user.deactivate"}[active]
		return tx.audit(action, "user", before.Email, before.RegionCode, before, after)
	})
	return &after, err
}

// SetUserPassword replaces an account's password hash.
func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) error {
	return s.write(ctx, "set password", func(tx *Tx) error {
		var u traject.User
		if err := scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, id), &u); err != nil {
			return s.mapError("set password", "account", err)
		}
		if err := expectOne(tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)); err != nil {
			return err
		}
		// The hash itself is never written to the audit log.
		return tx.audit("user.password", "user", u.Email, u.RegionCode, nil, map[string]string{"password": "changed"})
	})
}

// CountUsers returns how many accounts exist, so that a new installation can
// tell an operator to create the first one.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, s.mapError("count users", "accounts", err)
}

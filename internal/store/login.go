package store

import (
	"context"

	"traject"
)

// LoginState is what a sign-in needs to know before it checks a password.
type LoginState struct {
	User           *traject.User
	PasswordHash   string
	RecentFailures int
}

// LoginState returns the account behind email, its password hash and how many
// wrong passwords it received within traject.LoginFailureWindow.
func (s *Store) LoginState(ctx context.Context, email string) (*LoginState, error) {
	var st LoginState
	var u traject.User
	err := s.queryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`, traject.NormalizeEmail(email)).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.RegionCode, &u.Language, &u.Active,
			timeCol{&u.CreatedAt}, nullTimeCol{&u.Deactivated}, &st.PasswordHash)
	if err != nil {
		return nil, s.mapError("login state", "account", err)
	}
	st.User = &u
	since := s.dialect.timeArg(s.now().Add(-traject.LoginFailureWindow))
	err = s.queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE user_id = ? AND at >= ?`, u.ID, since).Scan(&st.RecentFailures)
	return &st, s.mapError("login state", "account", err)
}

// RecordLogin writes the outcome of a sign-in attempt for an existing account:
// a failure row that throttling counts, or the audit row of a success.
// Throttled attempts are recorded too, so a guesser cannot wait them out by
// hammering.
func (s *Store) RecordLogin(ctx context.Context, u *traject.User, outcome string) error {
	return s.write(ctx, "record login", func(tx *Tx) error {
		if outcome != "ok" {
			if _, err := tx.exec(`INSERT INTO login_failures (user_id, at) VALUES (?, ?)`, u.ID, tx.nowArg()); err != nil {
				return err
			}
		}
		ctx := traject.NewContextWithUser(tx.ctx, u)
		tx.ctx = ctx
		return tx.audit("auth.login", "user", u.Email, u.RegionCode, nil, map[string]string{"outcome": outcome})
	})
}

// RecordLogout writes the audit row of a sign-out.
func (s *Store) RecordLogout(ctx context.Context, u *traject.User) error {
	return s.write(ctx, "record logout", func(tx *Tx) error {
		return tx.audit("auth.logout", "user", u.Email, u.RegionCode, nil, nil)
	})
}

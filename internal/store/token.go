package store

import (
	"context"

	"traject"
)

// CreateToken stores a new API token for user under its SHA-256 hash.
func (s *Store) CreateToken(ctx context.Context, user *traject.User, name, hash, prefix string) (*traject.APIToken, error) {
	t := &traject.APIToken{UserID: user.ID, Name: name, Prefix: prefix}
	if name == "" || len(name) > 100 {
		var v traject.Validation
		v.Add("name", "token.name.invalid", "Give the token a name of 1 to 100 characters, such as the script that uses it", nil)
		return nil, v.Err()
	}
	err := s.write(ctx, "create token", func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO api_tokens (user_id, name, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)`,
			user.ID, name, hash, prefix, tx.nowArg())
		if err != nil {
			return err
		}
		t.ID, t.CreatedAt = id, tx.now
		return tx.audit("token.create", "api_token", itoa(id), user.RegionCode, nil, t)
	})
	return t, err
}

// UserByTokenHash returns the active account that owns the unrevoked token
// with this hash, or EUNAUTHORIZED.
func (s *Store) UserByTokenHash(ctx context.Context, hash string) (*traject.User, error) {
	var u traject.User
	err := scanUser(s.queryRow(ctx, `SELECT u.id, u.email, u.name, u.role, COALESCE(u.region_code, ''), u.language, u.active,
		u.created_at, u.deactivated_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND u.active`, hash), &u)
	if err != nil {
		if traject.ErrorCode(s.mapError("token", "token", err)) == traject.ENOTFOUND {
			return nil, traject.Errorf(traject.EUNAUTHORIZED, "auth.token.invalid", "the API token is unknown, revoked, or its account is deactivated")
		}
		return nil, s.mapError("token", "token", err)
	}
	return &u, nil
}

// Tokens lists the tokens of one account, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]traject.APIToken, error) {
	rows, err := s.query(ctx, `SELECT id, user_id, name, prefix, created_at, revoked_at FROM api_tokens
		WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, s.mapError("tokens", "tokens", err)
	}
	defer rows.Close()
	var out []traject.APIToken
	for rows.Next() {
		var t traject.APIToken
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, timeCol{&t.CreatedAt}, nullTimeCol{&t.RevokedAt}); err != nil {
			return nil, s.mapError("tokens", "tokens", err)
		}
		out = append(out, t)
	}
	return out, s.mapError("tokens", "tokens", rows.Err())
}

// RevokeToken revokes one of the owner's tokens; revoking twice is harmless.
func (s *Store) RevokeToken(ctx context.Context, owner *traject.User, id int64) error {
	return s.write(ctx, "revoke token", func(tx *Tx) error {
		var t traject.APIToken
		err := tx.queryRow(`SELECT id, user_id, name, prefix, created_at, revoked_at FROM api_tokens WHERE id = ? AND user_id = ?`, id, owner.ID).
			Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, timeCol{&t.CreatedAt}, nullTimeCol{&t.RevokedAt})
		if err != nil {
			return s.mapError("revoke token", "token", err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, tx.nowArg(), id); err != nil {
			return err
		}
		after := t
		after.RevokedAt = &tx.now
		return tx.audit("token.revoke", "api_token", itoa(id), owner.RegionCode, t, after)
	})
}

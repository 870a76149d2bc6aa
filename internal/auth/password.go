// Package auth holds how staff prove who they are: argon2id password hashes,
// API tokens, and OIDC sign-in. Which permissions a role carries is domain
// data (traject.Role.Permissions); this package only authenticates.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters, following RFC 9106's second
// recommended option (64 MiB, 3 passes) scaled to one lane per core of a
// small server. They are stored in every hash, so raising them later keeps
// old hashes valid.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultParams cost about 50 ms on one core of the machines Traject runs on.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, KeyLen: 32, SaltLen: 16}

// HashPassword returns the argon2id hash of password in the PHC string format:
// $argon2id$v=19$m=65536,t=3,p=2$salt$key.
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

// CheckPassword reports whether password matches hash. An empty or malformed
// hash never matches, so an account without a password cannot sign in with one.
func CheckPassword(password, hash string) bool {
	p, salt, key, ok := parseHash(hash)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// DummyCheck spends the time of one password check, so that a sign-in for an
// unknown address takes as long as one for a known address.
func DummyCheck(password string) {
	argon2.IDKey([]byte(password), make([]byte, DefaultParams.SaltLen), DefaultParams.Time,
		DefaultParams.Memory, DefaultParams.Threads, DefaultParams.KeyLen)
}

func parseHash(hash string) (Params, []byte, []byte, bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, false
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, false
	}
	// Refuse absurd costs from a tampered row rather than allocate gigabytes.
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 20 || p.Threads == 0 {
		return Params{}, nil, nil, false
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) < 16 {
		return Params{}, nil, nil, false
	}
	return p, salt, key, true
}

package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenPrefix starts every Traject API token, so that a leaked token is easy
// to recognise in logs and by secret scanners.
const TokenPrefix = "trj_"

// NewToken returns a new random API token (160 bits), its SHA-256 hash for
// storage, and a short prefix that lets a person tell tokens apart.
func NewToken() (token, hash, prefix string, err error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", fmt.Errorf("auth: token: %w", err)
	}
	token = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return token, HashToken(token), token[:len(TokenPrefix)+6], nil
}

// HashToken returns the hex SHA-256 of a token. A fast hash is right here:
// tokens are long and random, so there is nothing to guess.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewPassword returns a random password for an account created without one.
func NewPassword() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: password: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(b)), nil
}

package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"traject"
)

// Sealer keeps national numbers out of the database in clear (DESIGN §2
// invariant 8): it encrypts them with AES-256-GCM for the reveal, and hashes
// them with HMAC-SHA256 for exact look-up. Both keys are derived with HKDF
// from the one secret in TRAJECT_SECRET_KEY, under different labels, so that
// the look-up hash says nothing about the encryption key and vice versa.
type Sealer struct {
	aead cipher.AEAD
	mac  []byte
}

// HKDF labels; changing one makes every stored number unreadable.
const (
	sealLabel = "traject national number encryption v1"
	hashLabel = "traject national number look-up v1"
)

// NewSealer derives the two keys from a 32-byte secret (config.DecodeKey).
func NewSealer(secret []byte) (*Sealer, error) {
	if len(secret) != 32 {
		return nil, errors.New("store: the sealing secret must be 32 bytes")
	}
	encKey, err := hkdf.Key(sha256.New, secret, nil, sealLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("store: derive key: %w", err)
	}
	macKey, err := hkdf.Key(sha256.New, secret, nil, hashLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("store: derive key: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("store: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("store: gcm: %w", err)
	}
	return &Sealer{aead: aead, mac: macKey}, nil
}

// errNoSealer is the answer when a national number must be stored, found or
// revealed without a key: the number is refused rather than kept in clear.
var errNoSealer = traject.Errorf(traject.EUNAVAILABLE, "learner.nn.nokey",
	"national numbers cannot be stored or searched: set TRAJECT_SECRET_KEY (32 random bytes, as from openssl rand -hex 32)")

// seal returns base64(nonce || ciphertext) of the number's digits.
func (s *Sealer) seal(n traject.NationalNumber) (string, error) {
	if s == nil {
		return "", errNoSealer
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("store: nonce: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, []byte(n.Digits()), nil)
	return base64.StdEncoding.EncodeToString(out), nil
}

// open reverses seal.
func (s *Sealer) open(sealed string) (traject.NationalNumber, error) {
	if s == nil {
		return "", errNoSealer
	}
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errors.New("store: sealed national number is damaged")
	}
	n := s.aead.NonceSize()
	clear, err := s.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		// A different TRAJECT_SECRET_KEY than the one that sealed it.
		return "", errors.New("store: cannot open a sealed national number: wrong TRAJECT_SECRET_KEY?")
	}
	return traject.NationalNumber(clear), nil
}

// hash returns the hex HMAC of the number's digits, for exact look-up.
func (s *Sealer) hash(n traject.NationalNumber) (string, error) {
	if s == nil {
		return "", errNoSealer
	}
	h := hmac.New(sha256.New, s.mac)
	h.Write([]byte(n.Digits()))
	return hex.EncodeToString(h.Sum(nil)), nil
}

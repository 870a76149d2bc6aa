package auth

import (
	"strings"
	"testing"
)

var fastParams = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery", fastParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string", h)
	}
	if !CheckPassword("correct horse battery", h) {
		t.Error("the right password does not match")
	}
	if CheckPassword("correct horse batterx", h) {
		t.Error("a wrong password matches")
	}
	h2, _ := HashPassword("correct horse battery", fastParams)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	for _, h := range []string{
		"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$!!!$a2V5",
	} {
		if CheckPassword("x", h) {
			t.Errorf("hash %q matched", h)
		}
	}
}

func TestNewToken(t *testing.T) {
	tok, hash, prefix, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) != len(TokenPrefix)+32 {
		t.Errorf("token %q has the wrong form", tok)
	}
	if HashToken(tok) != hash || len(hash) != 64 {
		t.Errorf("hash %q does not match the token", hash)
	}
	if !strings.HasPrefix(tok, prefix) {
		t.Errorf("prefix %q is not the token's start", prefix)
	}
	tok2, _, _, _ := NewToken()
	if tok == tok2 {
		t.Error("two tokens are equal")
	}
}

package auth

import "testing"

// TestNewChallenge checks that every sign-in gets its own state, nonce and
// PKCE verifier: a value shared between sign-ins would protect nothing.
// The whole flow is tested against a provider in cmd/traject/oidc_test.go.
func TestNewChallenge(t *testing.T) {
	a, err := NewChallenge("/account")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewChallenge("/")
	if err != nil {
		t.Fatal(err)
	}
	if a.Next != "/account" {
		t.Errorf("Next = %q, want /account", a.Next)
	}
	for _, v := range [][2]string{{a.State, b.State}, {a.Nonce, b.Nonce}, {a.Verifier, b.Verifier}} {
		if len(v[0]) < 32 || v[0] == v[1] {
			t.Errorf("challenge value %q is short or repeats in another sign-in (%q)", v[0], v[1])
		}
	}
	// RFC 7636 4.1: the verifier is 43 to 128 characters.
	if n := len(a.Verifier); n < 43 || n > 128 {
		t.Errorf("PKCE verifier has %d characters, want 43 to 128", n)
	}
	if a.State == a.Nonce {
		t.Error("state and nonce are equal")
	}
}

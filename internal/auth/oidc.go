package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"traject"
	"traject/internal/config"
)

// OIDC signs staff in through the agency's identity provider. It only tells
// who the person is (a verified e-mail address); the staff account, its role
// and its region still come from Traject, so the provider cannot grant access
// on its own.
type OIDC struct {
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// NewOIDC discovers the provider at cfg.Issuer. It fails when the provider
// cannot be reached, so that a wrong issuer is found at start.
func NewOIDC(ctx context.Context, cfg config.OIDC, redirectURL string) (*OIDC, error) {
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: oidc discovery at %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		provider: p,
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: redirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
		},
	}, nil
}

// Challenge is what a sign-in keeps in the session between the redirect to the
// provider and the way back: state against CSRF, nonce against replay, and the
// PKCE verifier against a stolen code.
type Challenge struct {
	State, Nonce, Verifier, Next string
}

// NewChallenge returns fresh random values for one sign-in.
func NewChallenge(next string) (Challenge, error) {
	var c Challenge
	for _, p := range []*string{&c.State, &c.Nonce} {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return c, fmt.Errorf("auth: oidc challenge: %w", err)
		}
		*p = base64.RawURLEncoding.EncodeToString(b)
	}
	c.Verifier, c.Next = oauth2.GenerateVerifier(), next
	return c, nil
}

// AuthURL is where the browser goes to sign in at the provider.
func (o *OIDC) AuthURL(c Challenge) string {
	return o.oauth.AuthCodeURL(c.State, oidc.Nonce(c.Nonce), oauth2.S256ChallengeOption(c.Verifier))
}

// Email exchanges the code for an ID token, verifies its signature, audience,
// expiry and nonce, and returns the verified e-mail address it carries.
func (o *OIDC) Email(ctx context.Context, c Challenge, code string) (string, error) {
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(c.Verifier))
	if err != nil {
		return "", oidcRefused("the identity provider did not accept the sign-in code")
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", oidcRefused("the identity provider sent no ID token")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return "", oidcRefused("the ID token could not be verified")
	}
	if idt.Nonce != c.Nonce {
		return "", oidcRefused("the ID token does not belong to this sign-in")
	}
	var claims struct {
		Email    string `json:"email"`
		Verified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil || claims.Email == "" {
		return "", oidcRefused("the identity provider sent no e-mail address")
	}
	if claims.Verified != nil && !*claims.Verified {
		return "", oidcRefused("the identity provider has not verified this e-mail address")
	}
	return traject.NormalizeEmail(claims.Email), nil
}

func oidcRefused(msg string) error {
	return traject.Errorf(traject.EUNAUTHORIZED, "login.oidc.failed", "%s", msg)
}

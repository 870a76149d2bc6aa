package config

import (
	"errors"
	"testing"
)

// oidcEnv is a complete OIDC configuration, edited by each case.
func oidcEnv(edit map[string]string) func(string) string {
	env := map[string]string{
		"TRAJECT_OIDC_ISSUER":        "https://login.example.org",
		"TRAJECT_OIDC_CLIENT_ID":     "traject",
		"TRAJECT_OIDC_CLIENT_SECRET": "oidc-secret",
		"TRAJECT_BASE_URL":           "https://traject.example.org/",
	}
	for k, v := range edit {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func TestOIDCHalfConfiguredNamesTheMissingSetting(t *testing.T) {
	tests := []struct {
		name        string
		edit        map[string]string
		wantSetting string
	}{
		{"no issuer", map[string]string{"TRAJECT_OIDC_ISSUER": ""}, "TRAJECT_OIDC_ISSUER"},
		{"issuer without scheme", map[string]string{"TRAJECT_OIDC_ISSUER": "login.example.org"}, "TRAJECT_OIDC_ISSUER"},
		{"issuer not http", map[string]string{"TRAJECT_OIDC_ISSUER": "ftp://login.example.org"}, "TRAJECT_OIDC_ISSUER"},
		{"no client id", map[string]string{"TRAJECT_OIDC_CLIENT_ID": ""}, "TRAJECT_OIDC_CLIENT_ID"},
		{"no client secret", map[string]string{"TRAJECT_OIDC_CLIENT_SECRET": ""}, "TRAJECT_OIDC_CLIENT_SECRET"},
		{"only a secret", map[string]string{"TRAJECT_OIDC_ISSUER": "", "TRAJECT_OIDC_CLIENT_ID": ""}, "TRAJECT_OIDC_ISSUER"},
		{"no redirect address", map[string]string{"TRAJECT_BASE_URL": ""}, "TRAJECT_BASE_URL"},
		{"relative redirect", map[string]string{"TRAJECT_OIDC_REDIRECT_URL": "/auth/oidc/callback"}, "TRAJECT_OIDC_REDIRECT_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(oidcEnv(tt.edit), nil)
			var ce *Error
			if !errors.As(err, &ce) || ce.Setting != tt.wantSetting {
				t.Fatalf("err = %v, want a *config.Error naming %s", err, tt.wantSetting)
			}
		})
	}
}

func TestOIDCRedirectURL(t *testing.T) {
	tests := []struct {
		name string
		edit map[string]string
		want string
	}{
		{"from the base URL", nil, "https://traject.example.org/auth/oidc/callback"},
		{"set explicitly", map[string]string{"TRAJECT_OIDC_REDIRECT_URL": "https://sso.example.org/cb", "TRAJECT_BASE_URL": ""}, "https://sso.example.org/cb"},
		// Tests run a provider on http://127.0.0.1.
		{"http issuer", map[string]string{"TRAJECT_OIDC_ISSUER": "http://127.0.0.1:5556"}, "https://traject.example.org/auth/oidc/callback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(oidcEnv(tt.edit), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !c.OIDC.Enabled() || c.RedirectURL() != tt.want {
				t.Errorf("enabled %v, RedirectURL() = %q, want %q", c.OIDC.Enabled(), c.RedirectURL(), tt.want)
			}
		})
	}
}

func TestOIDCOffByDefault(t *testing.T) {
	c, err := Load(func(string) string { return "" }, nil)
	if err != nil || c.OIDC.Enabled() {
		t.Errorf("Load with nothing set: err %v, OIDC enabled %v", err, c.OIDC.Enabled())
	}
}

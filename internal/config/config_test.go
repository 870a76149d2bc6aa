package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(envOf(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DB != "sqlite:traject.db" || c.LogFormat != "json" || c.OIDC.Enabled() {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	Flags(fs, "db", "addr")
	if err := fs.Parse([]string{"--db", "sqlite:flag.db"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(envOf(map[string]string{"TRAJECT_DB": "sqlite:env.db", "TRAJECT_ADDR": "127.0.0.1:9999"}), fs)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "sqlite:flag.db" {
		t.Errorf("db = %q, want the flag's value", c.DB)
	}
	if c.Addr != "127.0.0.1:9999" {
		t.Errorf("addr = %q, want the environment's value", c.Addr)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		wantSetting string
		wantReason  string
	}{
		{"mysql url", map[string]string{"TRAJECT_DB": "mysql://x"}, "--db", "sqlite:PATH or postgres://"},
		{"empty sqlite path", map[string]string{"TRAJECT_DB": "sqlite:"}, "--db", "file path"},
		{"postgres without host", map[string]string{"TRAJECT_DB": "postgres:///traject"}, "--db", "needs a host"},
		{"bad addr", map[string]string{"TRAJECT_ADDR": "localhost"}, "--addr", "host:port"},
		{"bad port", map[string]string{"TRAJECT_ADDR": "127.0.0.1:99999"}, "--addr", "0 to 65535"},
		{"bad log format", map[string]string{"TRAJECT_LOG_FORMAT": "xml"}, "--log-format", "json or text"},
		{"bad log level", map[string]string{"TRAJECT_LOG_LEVEL": "loud"}, "--log-level", "debug"},
		{"short secret key", map[string]string{"TRAJECT_SECRET_KEY": "abcd"}, "TRAJECT_SECRET_KEY", "32 random bytes"},
		{"bad bool", map[string]string{"TRAJECT_COOKIE_SECURE": "perhaps"}, "TRAJECT_COOKIE_SECURE", "true or false"},
		{"bad duration", map[string]string{"TRAJECT_SHUTDOWN_TIMEOUT": "soon"}, "TRAJECT_SHUTDOWN_TIMEOUT", "duration"},
		{"relative base url", map[string]string{"TRAJECT_BASE_URL": "traject.example"}, "TRAJECT_BASE_URL", "absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(envOf(tt.env), nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *config.Error", err)
			}
			if !strings.Contains(ce.Setting, tt.wantSetting) || !strings.Contains(ce.Reason, tt.wantReason) {
				t.Errorf("error %q does not name %q with %q", err, tt.wantSetting, tt.wantReason)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestSecretsAreNeverShown(t *testing.T) {
	key := strings.Repeat("ab", 32)
	c, err := Load(envOf(map[string]string{
		"TRAJECT_DB":                 "postgres://traject:hunter2secret@db.internal:5432/traject",
		"TRAJECT_SECRET_KEY":         key,
		"TRAJECT_OIDC_ISSUER":        "https://login.example.org",
		"TRAJECT_OIDC_CLIENT_ID":     "traject",
		"TRAJECT_OIDC_CLIENT_SECRET": "oidc-secret-value",
		"TRAJECT_BASE_URL":           "https://traject.example.org",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for _, a := range c.Redacted() {
		dump.WriteString(a.String() + " ")
	}
	for _, secret := range []string{"hunter2secret", key, "oidc-secret-value"} {
		if strings.Contains(dump.String(), secret) {
			t.Errorf("Redacted() shows a secret: %s", dump.String())
		}
	}
	if !strings.Contains(dump.String(), "db.internal") {
		t.Errorf("Redacted() hides too much: %s", dump.String())
	}
	_, err = Load(envOf(map[string]string{"TRAJECT_DB": "mysql://root:hunter2secret@x"}), nil)
	if err == nil || strings.Contains(err.Error(), "hunter2secret") {
		t.Errorf("a config error shows the password: %v", err)
	}
}

func TestDecodeKey(t *testing.T) {
	hexKey := strings.Repeat("0f", 32)
	if b, err := DecodeKey(hexKey); err != nil || len(b) != 32 {
		t.Errorf("hex key: %v", err)
	}
	if b, err := DecodeKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="); err != nil || len(b) != 32 {
		t.Errorf("base64 key: %v", err)
	}
	if _, err := DecodeKey("0f0f"); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestNamesAreAllTrajectVariables(t *testing.T) {
	for _, n := range Names() {
		if !strings.HasPrefix(n, "TRAJECT_") {
			t.Errorf("%s does not start with TRAJECT_", n)
		}
	}
}

func TestRetention(t *testing.T) {
	c, err := Load(envOf(map[string]string{"TRAJECT_RETENTION_CONTACT_DAYS": "30"}), nil)
	if err != nil || c.Retention.Contact != 30*day || c.Retention.Identity != 5*365*day {
		t.Fatalf("retention = %+v, %v", c.Retention, err)
	}
	for env, want := range map[string]string{
		"TRAJECT_RETENTION_IDENTITY_DAYS":        "at least as long",
		"TRAJECT_RETENTION_NATIONAL_NUMBER_DAYS": "from 1 to 36500",
	} {
		v := "10"
		if want == "from 1 to 36500" {
			v = "0"
		}
		_, err := Load(envOf(map[string]string{env: v}), nil)
		if err == nil || !strings.Contains(err.Error(), env) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s=%s: %v", env, v, err)
		}
	}
}

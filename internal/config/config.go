// Package config builds Traject's one typed configuration from defaults,
// TRAJECT_* environment variables and command-line flags, in that order of
// precedence, and validates it before anything starts.
package config

import (
	"fmt"
	"log/slog"
	"time"
)

// Config is everything a Traject process is told from outside. It is built
// once by Load and passed down; no package keeps a global copy.
type Config struct {
	Addr         string // listen address of `serve`
	DB           string // sqlite:PATH or postgres://...
	Demo         bool   // start on a fresh demo database
	SecretKey    string // 32 bytes, hex or base64: encrypts national numbers
	LogFormat    string // json or text
	LogLevel     string // debug, info, warn, error
	BaseURL      string // public address, for links in e-mail and OIDC redirects
	CookieSecure bool   // send the session cookie over HTTPS only
	Dev          bool   // reload templates from disk on every request
	OIDC         OIDC
	Retention    Retention
	SMTP         SMTP

	ShutdownTimeout time.Duration
}

// Retention says how long after a learner's trajectory closed each kind of
// personal data is kept; the daily retention job removes it then. Counts,
// regions and dates that reports need stay, and so does the audit trail.
type Retention struct {
	NationalNumber time.Duration
	Contact        time.Duration // phone and e-mail
	Identity       time.Duration // names and birth date
}

const day = 24 * time.Hour

// OIDC configures single sign-on; it is off unless Issuer is set.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string
}

// Enabled reports whether OIDC sign-in is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DB:              "sqlite:traject.db",
		LogFormat:       "json",
		LogLevel:        "info",
		ShutdownTimeout: 10 * time.Second,
		Retention:       Retention{NationalNumber: 365 * day, Contact: 365 * day, Identity: 5 * 365 * day},
	}
}

// Error names the setting that is wrong and why, in one line.
type Error struct {
	Setting string
	Reason  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("setting %s: %s", e.Setting, e.Reason)
}

// Redacted returns the configuration as log attributes with every secret
// replaced, so that the start-up log line can show what is in force.
func (c Config) Redacted() []slog.Attr {
	return []slog.Attr{
		slog.String("addr", c.Addr),
		slog.String("db", RedactURL(c.DB)),
		slog.Bool("demo", c.Demo),
		slog.String("secret_key", redact(c.SecretKey)),
		slog.String("log_format", c.LogFormat),
		slog.String("log_level", c.LogLevel),
		slog.String("base_url", c.BaseURL),
		slog.Bool("cookie_secure", c.CookieSecure),
		slog.String("oidc_issuer", c.OIDC.Issuer),
		slog.String("oidc_client_id", c.OIDC.ClientID),
		slog.String("oidc_client_secret", redact(c.OIDC.ClientSecret)),
		slog.String("smtp_addr", c.SMTP.Addr),
		slog.String("smtp_from", c.SMTP.From),
		slog.String("smtp_user", c.SMTP.User),
		slog.String("smtp_password", redact(c.SMTP.Password)),
	}
}

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "[redacted]"
}

package config

import (
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Validate checks every setting and returns the first wrong one as an *Error.
func (c Config) Validate() error {
	checks := []func() *Error{c.checkDB, c.checkAddr, c.checkLog, c.checkSecretKey, c.checkBaseURL, c.checkOIDC, c.checkRetention, c.checkSMTP}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) checkDB() *Error {
	const setting = "--db (TRAJECT_DB)"
	if path, ok := strings.CutPrefix(c.DB, "sqlite:"); ok {
		if strings.TrimSpace(path) == "" {
			return &Error{setting, "sqlite: needs a file path, as in sqlite:traject.db"}
		}
		return nil
	}
	u, err := url.Parse(c.DB)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return &Error{setting, "use sqlite:PATH or postgres://user@host:5432/db, not " + strconv.Quote(RedactURL(c.DB))}
	}
	if u.Host == "" {
		return &Error{setting, "a postgres:// URL needs a host, as in postgres://user@127.0.0.1:5432/traject"}
	}
	return nil
}

func (c Config) checkAddr() *Error {
	const setting = "--addr (TRAJECT_ADDR)"
	_, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return &Error{setting, "use host:port, as in 127.0.0.1:8080, not " + strconv.Quote(c.Addr)}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return &Error{setting, "the port must be a number from 0 to 65535"}
	}
	return nil
}

func (c Config) checkLog() *Error {
	switch c.LogFormat {
	case "json", "text":
	default:
		return &Error{"--log-format (TRAJECT_LOG_FORMAT)", "use json or text"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &Error{"--log-level (TRAJECT_LOG_LEVEL)", "use debug, info, warn or error"}
	}
	return nil
}

func (c Config) checkSecretKey() *Error {
	if c.SecretKey == "" {
		return nil
	}
	if _, err := DecodeKey(c.SecretKey); err != nil {
		return &Error{"TRAJECT_SECRET_KEY", "use 32 random bytes as 64 hex digits or base64 (for example: openssl rand -hex 32)"}
	}
	return nil
}

// DecodeKey decodes a 32-byte key written as hex or standard base64.
func DecodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		return nil, &Error{"TRAJECT_SECRET_KEY", "not 32 bytes"}
	}
	return b, nil
}

func (c Config) checkBaseURL() *Error {
	if c.BaseURL == "" {
		return nil
	}
	if !absoluteHTTP(c.BaseURL) {
		return &Error{"TRAJECT_BASE_URL", "use an absolute http:// or https:// address"}
	}
	return nil
}

func (c Config) checkOIDC() *Error {
	o := c.OIDC
	if o.Issuer == "" && o.ClientID == "" && o.ClientSecret == "" && o.RedirectURL == "" {
		return nil
	}
	switch {
	case !absoluteHTTP(o.Issuer):
		return &Error{"TRAJECT_OIDC_ISSUER", "set the issuer's https:// address to turn OIDC on"}
	case o.ClientID == "":
		return &Error{"TRAJECT_OIDC_CLIENT_ID", "OIDC needs the client id the provider gave Traject"}
	case o.ClientSecret == "":
		return &Error{"TRAJECT_OIDC_CLIENT_SECRET", "OIDC needs the client secret the provider gave Traject"}
	case o.RedirectURL == "" && c.BaseURL == "":
		return &Error{"TRAJECT_BASE_URL", "OIDC needs the public address (or TRAJECT_OIDC_REDIRECT_URL) for its redirect"}
	case o.RedirectURL != "" && !absoluteHTTP(o.RedirectURL):
		return &Error{"TRAJECT_OIDC_REDIRECT_URL", "use an absolute http:// or https:// address"}
	}
	return nil
}

func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// RedactURL hides the password in a database URL, so that it can be logged or shown.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// RedirectURL returns where the OIDC provider sends the user back to.
func (c Config) RedirectURL() string {
	if c.OIDC.RedirectURL != "" {
		return c.OIDC.RedirectURL
	}
	return strings.TrimSuffix(c.BaseURL, "/") + "/auth/oidc/callback"
}

// checkRetention keeps the periods in order: names outlive the contact data
// and the national number, so that an anonymised learner holds none of them.
func (c Config) checkRetention() *Error {
	r := c.Retention
	if r.NationalNumber > r.Identity || r.Contact > r.Identity {
		return &Error{"TRAJECT_RETENTION_IDENTITY_DAYS", "must be at least as long as the national-number and contact periods"}
	}
	return nil
}

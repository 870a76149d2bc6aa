package config

import (
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// setting ties one configuration field to its flag and its environment
// variable, so that the two names are declared once.
type setting struct {
	flag  string
	env   string
	usage string
	apply func(c *Config, v string) error
}

var settings = []setting{
	{"addr", "TRAJECT_ADDR", "address to listen on (host:port)", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"db", "TRAJECT_DB", "database: sqlite:PATH or postgres://user@host/db", func(c *Config, v string) error { c.DB = v; return nil }},
	{"log-format", "TRAJECT_LOG_FORMAT", "log format: json or text", func(c *Config, v string) error { c.LogFormat = v; return nil }},
	{"log-level", "TRAJECT_LOG_LEVEL", "log level: debug, info, warn or error", func(c *Config, v string) error { c.LogLevel = v; return nil }},
	{"", "TRAJECT_SECRET_KEY", "", func(c *Config, v string) error { c.SecretKey = v; return nil }},
	{"", "TRAJECT_BASE_URL", "", func(c *Config, v string) error { c.BaseURL = v; return nil }},
	{"", "TRAJECT_COOKIE_SECURE", "", boolSetter(func(c *Config) *bool { return &c.CookieSecure })},
	{"", "TRAJECT_DEV", "", boolSetter(func(c *Config) *bool { return &c.Dev })},
	{"", "TRAJECT_OIDC_ISSUER", "", func(c *Config, v string) error { c.OIDC.Issuer = v; return nil }},
	{"", "TRAJECT_OIDC_CLIENT_ID", "", func(c *Config, v string) error { c.OIDC.ClientID = v; return nil }},
	{"", "TRAJECT_OIDC_CLIENT_SECRET", "", func(c *Config, v string) error { c.OIDC.ClientSecret = v; return nil }},
	{"", "TRAJECT_OIDC_REDIRECT_URL", "", func(c *Config, v string) error { c.OIDC.RedirectURL = v; return nil }},
	{"", "TRAJECT_RETENTION_NATIONAL_NUMBER_DAYS", "", daysSetter(func(c *Config) *time.Duration { return &c.Retention.NationalNumber })},
	{"", "TRAJECT_RETENTION_CONTACT_DAYS", "", daysSetter(func(c *Config) *time.Duration { return &c.Retention.Contact })},
	{"", "TRAJECT_RETENTION_IDENTITY_DAYS", "", daysSetter(func(c *Config) *time.Duration { return &c.Retention.Identity })},
	{"", "TRAJECT_SMTP_ADDR", "", func(c *Config, v string) error { c.SMTP.Addr = v; return nil }},
	{"", "TRAJECT_SMTP_FROM", "", func(c *Config, v string) error { c.SMTP.From = v; return nil }},
	{"", "TRAJECT_SMTP_USER", "", func(c *Config, v string) error { c.SMTP.User = v; return nil }},
	{"", "TRAJECT_SMTP_PASSWORD", "", func(c *Config, v string) error { c.SMTP.Password = v; return nil }},
	{"", "TRAJECT_SHUTDOWN_TIMEOUT", "", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return &Error{Setting: "TRAJECT_SHUTDOWN_TIMEOUT", Reason: "use a duration such as 10s"}
		}
		c.ShutdownTimeout = d
		return nil
	}},
}

func boolSetter(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return &Error{Reason: "use true or false, got " + strconv.Quote(v)}
		}
		*field(c) = b
		return nil
	}
}

func daysSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 36500 {
			return &Error{Reason: "use a number of days from 1 to 36500, got " + strconv.Quote(v)}
		}
		*field(c) = time.Duration(n) * day
		return nil
	}
}

// Flags registers the flags named in names (for example "db", "addr") on fs,
// with the defaults of Default. Commands register only the flags they use.
func Flags(fs *pflag.FlagSet, names ...string) {
	def := Default()
	defaults := map[string]string{"addr": def.Addr, "db": def.DB, "log-format": def.LogFormat, "log-level": def.LogLevel}
	for _, s := range settings {
		for _, n := range names {
			if s.flag == n {
				fs.String(s.flag, defaults[n], s.usage+" (or "+s.env+")")
			}
		}
	}
}

// Load builds the configuration: defaults, then the environment, then the
// flags that were set on fs (which may be nil), and validates the result.
func Load(getenv func(string) string, fs *pflag.FlagSet) (Config, error) {
	c := Default()
	for _, s := range settings {
		v, name := lookup(s, getenv, fs)
		if name == "" {
			continue
		}
		if err := s.apply(&c, strings.TrimSpace(v)); err != nil {
			if e, ok := err.(*Error); ok && e.Setting == "" {
				e.Setting = name
			}
			return c, err
		}
	}
	return c, c.Validate()
}

// lookup returns the value of one setting and the name it was given by: the
// flag when it was set, else the environment variable when it is non-empty.
func lookup(s setting, getenv func(string) string, fs *pflag.FlagSet) (string, string) {
	if fs != nil && s.flag != "" {
		if f := fs.Lookup(s.flag); f != nil && f.Changed {
			return f.Value.String(), "--" + s.flag
		}
	}
	if v := getenv(s.env); v != "" {
		return v, s.env
	}
	return "", ""
}

// Names returns every environment variable Traject reads, for the README and tests.
func Names() []string {
	var names []string
	for _, s := range settings {
		names = append(names, s.env)
	}
	return names
}

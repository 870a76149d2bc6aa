package config

import (
	"errors"
	"strings"
	"testing"
)

func TestSMTPSettings(t *testing.T) {
	c, err := Load(envOf(map[string]string{"TRAJECT_SMTP_ADDR": "smtp.example.org:587", "TRAJECT_SMTP_FROM": "Traject <noreply@example.org>",
		"TRAJECT_SMTP_USER": "traject", "TRAJECT_SMTP_PASSWORD": "smtp-hunter2"}), nil)
	if err != nil || !c.SMTP.Enabled() || c.SMTP.Addr != "smtp.example.org:587" || c.SMTP.Password != "smtp-hunter2" {
		t.Fatalf("%+v, %v", c.SMTP, err)
	}
	var dump strings.Builder
	for _, a := range c.Redacted() {
		dump.WriteString(a.String() + " ")
	}
	if strings.Contains(dump.String(), "smtp-hunter2") || !strings.Contains(dump.String(), "smtp.example.org:587") {
		t.Errorf("Redacted() = %s", dump.String())
	}
	if c, err := Load(envOf(nil), nil); err != nil || c.SMTP.Enabled() {
		t.Errorf("e-mail on by default: %+v, %v", c.SMTP, err)
	}
}

func TestSMTPSettingsRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		env     map[string]string
		setting string
	}{
		"no port":           {map[string]string{"TRAJECT_SMTP_ADDR": "smtp.example.org", "TRAJECT_SMTP_FROM": "a@example.org"}, "TRAJECT_SMTP_ADDR"},
		"bad port":          {map[string]string{"TRAJECT_SMTP_ADDR": "smtp.example.org:99999", "TRAJECT_SMTP_FROM": "a@example.org"}, "TRAJECT_SMTP_ADDR"},
		"no sender":         {map[string]string{"TRAJECT_SMTP_ADDR": "smtp.example.org:587"}, "TRAJECT_SMTP_FROM"},
		"user without pass": {map[string]string{"TRAJECT_SMTP_ADDR": "smtp.example.org:587", "TRAJECT_SMTP_FROM": "a@example.org", "TRAJECT_SMTP_USER": "u"}, "TRAJECT_SMTP_PASSWORD"},
		"sender, no server": {map[string]string{"TRAJECT_SMTP_FROM": "a@example.org"}, "TRAJECT_SMTP_ADDR"},
	} {
		_, err := Load(envOf(tc.env), nil)
		var e *Error
		if !errors.As(err, &e) || e.Setting != tc.setting {
			t.Errorf("%s: %v, want an error on %s", name, err, tc.setting)
		}
	}
}

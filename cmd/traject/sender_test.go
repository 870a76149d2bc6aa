package main

import (
	"testing"

	"traject/internal/config"
	"traject/internal/notify"
)

// With TRAJECT_SMTP_ADDR set, e-mail goes through SMTP and SMS to the log.
func TestSenderUsesSMTPWhenConfigured(t *testing.T) {
	cfg := config.Default()
	cfg.SMTP = config.SMTP{Addr: "smtp.example.org:587", From: "noreply@example.org"}
	route, ok := (&Main{Config: cfg}).sender().(notify.ByChannel)
	if !ok {
		t.Fatal("not routed by channel")
	}
	if s, ok := route.Email.(*notify.SMTP); !ok || s.Addr != "smtp.example.org:587" {
		t.Errorf("e-mail via %T", route.Email)
	}
	if _, ok := route.SMS.(notify.Log); !ok {
		t.Errorf("SMS via %T", route.SMS)
	}
	if _, ok := (&Main{Config: config.Default()}).sender().(notify.Log); !ok {
		t.Error("without SMTP, messages do not go to the log")
	}
}

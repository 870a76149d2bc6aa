package config

import (
	"net"
	"net/mail"
	"strconv"
)

// SMTP configures the mail server that carries e-mail to learners and staff;
// e-mail goes to the log unless Addr is set. There is no SMS gateway: texts
// always go to the log.
type SMTP struct {
	Addr     string // host:port; port 465 uses implicit TLS, others STARTTLS when offered
	From     string // the sender, as in "Traject <noreply@example.org>"
	User     string // empty: no sign-in
	Password string // secret
}

// Enabled reports whether e-mail goes through a mail server.
func (s SMTP) Enabled() bool { return s.Addr != "" }

func (c Config) checkSMTP() *Error {
	s := c.SMTP
	if s.Addr == "" {
		if s.From != "" || s.User != "" || s.Password != "" {
			return &Error{"TRAJECT_SMTP_ADDR", "set the mail server's host:port to send e-mail, or leave every TRAJECT_SMTP_ setting empty"}
		}
		return nil
	}
	host, port, err := net.SplitHostPort(s.Addr)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return &Error{"TRAJECT_SMTP_ADDR", "use host:port, as in smtp.example.org:587"}
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return &Error{"TRAJECT_SMTP_FROM", "use an e-mail address, as in Traject <noreply@example.org>"}
	}
	if (s.User == "") != (s.Password == "") {
		return &Error{"TRAJECT_SMTP_PASSWORD", "set both TRAJECT_SMTP_USER and TRAJECT_SMTP_PASSWORD, or neither"}
	}
	return nil
}

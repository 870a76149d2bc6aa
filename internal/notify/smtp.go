package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// SMTP sends e-mail through a mail server. It uses STARTTLS whenever the
// server offers it, implicit TLS on port 465, and signs in (PLAIN) only over
// TLS or to a server on this machine, so that a password never crosses a
// network in clear: net/smtp's PlainAuth refuses anything else.
type SMTP struct {
	Addr     string // host:port
	From     string // an address, optionally with a name: "Traject <noreply@example.org>"
	User     string // empty: no sign-in
	Password string
	// TLS overrides the TLS settings (tests trust their own certificate);
	// nil verifies the server's certificate against the system's roots.
	TLS *tls.Config
	// Timeout bounds one message from dial to QUIT; 30 s when zero.
	Timeout time.Duration
	// Now stamps the Date header; time.Now when nil.
	Now func() time.Time
}

// Send implements Sender for e-mail. SMS is refused: route it elsewhere (ByChannel).
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if m.Channel != Email {
		return fmt.Errorf("notify: smtp: cannot send a %s message", m.Channel)
	}
	from, to, err := s.addresses(m)
	if err != nil {
		return err
	}
	msg, err := s.compose(from, to, m)
	if err != nil {
		return err
	}
	return s.deliver(ctx, from.Address, to.Address, msg)
}

// addresses parses the sender and the recipient; a line break in either
// would let the text add headers of its own.
func (s *SMTP) addresses(m Message) (*mail.Address, *mail.Address, error) {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, nil, fmt.Errorf("notify: smtp: sender %q: %w", s.From, err)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil || strings.ContainsAny(m.To, "\r\n") {
		return nil, nil, errors.New("notify: smtp: the recipient is not one e-mail address")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, nil, errors.New("notify: smtp: the subject holds a line break")
	}
	return from, to, nil
}

// compose writes the message: headers (the subject MIME-encoded when it is
// not plain ASCII) and the body as quoted-printable UTF-8, which every
// server carries unchanged whether or not it speaks 8BITMIME.
func (s *SMTP) compose(from, to *mail.Address, m Message) ([]byte, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("UTF-8", m.Subject))
	header("Date", now().Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	if m.Language != "" {
		header("Content-Language", m.Language)
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(m.Body, "\r\n", "\n"))); err != nil {
		return nil, fmt.Errorf("notify: smtp: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("notify: smtp: %w", err)
	}
	return b.Bytes(), nil
}

func messageID(from string) string {
	_, domain, ok := strings.Cut(from, "@")
	if !ok {
		domain = "traject.invalid"
	}
	r := make([]byte, 12)
	_, _ = rand.Read(r) // crypto/rand.Read never fails on supported platforms
	return "<" + hex.EncodeToString(r) + "@" + domain + ">"
}

// deliver runs one SMTP dialogue.
func (s *SMTP) deliver(ctx context.Context, from, to string, msg []byte) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("notify: smtp: address %q: %w", s.Addr, err)
	}
	conn, err := s.dial(ctx, host, port)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A cancelled context closes the connection, which ends any read or write.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("notify: smtp: %w", err)
	}
	defer c.Close()
	if err := s.greet(c, host); err != nil {
		return err
	}
	return send(c, from, to, msg)
}

// dial connects, with implicit TLS on port 465 (SMTPS).
func (s *SMTP) dial(ctx context.Context, host, port string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("notify: smtp: %w", err)
	}
	if port == "465" {
		conn = tls.Client(conn, s.tlsConfig(host))
	}
	return conn, nil
}

func (s *SMTP) tlsConfig(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLS != nil {
		cfg = s.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// greet upgrades to TLS when offered and signs in when configured.
func (s *SMTP) greet(c *smtp.Client, host string) error {
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("notify: smtp: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(s.tlsConfig(host)); err != nil {
			return fmt.Errorf("notify: smtp: STARTTLS: %w", err)
		}
	}
	if s.User == "" {
		return nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return errors.New("notify: smtp: a user is set but the server offers no AUTH")
	}
	if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, host)); err != nil {
		return fmt.Errorf("notify: smtp: AUTH: %w", err)
	}
	return nil
}

func send(c *smtp.Client, from, to string, msg []byte) error {
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("notify: smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("notify: smtp: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("notify: smtp: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("notify: smtp: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("notify: smtp: DATA: %w", err)
	}
	if err := c.Quit(); err != nil {
		return fmt.Errorf("notify: smtp: QUIT: %w", err)
	}
	return nil
}

// ByChannel sends each message through the Sender of its channel: e-mail
// through SMTP while SMS, for want of a gateway, goes to the log.
type ByChannel struct {
	Email Sender
	SMS   Sender
}

// Send implements Sender.
func (b ByChannel) Send(ctx context.Context, m Message) error {
	next := b.SMS
	if m.Channel == Email {
		next = b.Email
	}
	if next == nil {
		return fmt.Errorf("notify: no transport for %s", m.Channel)
	}
	return next.Send(ctx, m)
}

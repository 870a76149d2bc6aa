package notify_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"traject/internal/notify"
)

// fakeSMTP is a minimal SMTP server: it speaks just enough of RFC 5321 for
// net/smtp's client and records what it was told.
type fakeSMTP struct {
	ln       net.Listener
	startTLS *tls.Config // offer STARTTLS with this certificate when set

	mu       sync.Mutex
	commands []string
	auth     string // the decoded AUTH PLAIN response
	data     []string
	tls      bool // the last message came over TLS
}

func newFakeSMTP(t *testing.T, addr string, startTLS *tls.Config) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	f := &fakeSMTP{ln: ln, startTLS: startTLS}
	t.Cleanup(func() { ln.Close() })
	go f.serve()
	return f
}

func (f *fakeSMTP) serve() {
	for {
		conn, err := f.ln.Accept()
		if err != nil {
			return
		}
		go f.session(conn)
	}
}

func (f *fakeSMTP) session(conn net.Conn) {
	defer conn.Close()
	r, w := bufio.NewReader(conn), conn
	reply := func(s string) { _, _ = io.WriteString(w, s+"\r\n") }
	reply("220 fake ESMTP")
	secure := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		f.record(line)
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO":
			if f.startTLS != nil && !secure {
				reply("250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN")
			} else {
				reply("250-fake\r\n250 AUTH PLAIN")
			}
		case "STARTTLS":
			reply("220 go ahead")
			tc := tls.Server(conn, f.startTLS)
			if tc.Handshake() != nil {
				return
			}
			conn, secure = tc, true
			r, w = bufio.NewReader(tc), tc
		case "AUTH":
			parts := strings.Fields(line)
			if len(parts) == 3 {
				b, _ := base64.StdEncoding.DecodeString(parts[2])
				f.mu.Lock()
				f.auth = string(b)
				f.mu.Unlock()
			}
			reply("235 ok")
		case "MAIL", "RCPT":
			reply("250 ok")
		case "DATA":
			reply("354 go on")
			f.readData(r, secure)
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not here")
		}
	}
}

func (f *fakeSMTP) readData(r *bufio.Reader, secure bool) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == ".\r\n" {
			break
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.data = append(f.data, b.String())
	f.tls = secure
}

func (f *fakeSMTP) record(line string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, line)
}

func (f *fakeSMTP) snapshot() (commands, data []string, auth string, secure bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.commands...), append([]string(nil), f.data...), f.auth, f.tls
}

func TestSMTPSendsAProperMessage(t *testing.T) {
	srv := newFakeSMTP(t, "127.0.0.1:0", nil)
	at := time.Date(2020, 10, 10, 9, 0, 0, 0, time.UTC)
	s := &notify.SMTP{Addr: srv.ln.Addr().String(), From: "Traject <noreply@example.org>", User: "traject", Password: "pw-secret",
		Now: func() time.Time { return at }}
	body := "مرحبا أمل،\nأرجِع هذا الجهاز.\n.\nA line with a dot above."
	err := s.Send(context.Background(), notify.Message{Channel: notify.Email, To: "amal@example.org",
		Subject: "أرجِع جهازك", Body: body, Language: "ar"})
	if err != nil {
		t.Fatal(err)
	}
	commands, data, auth, _ := srv.snapshot()
	if auth != "\x00traject\x00pw-secret" {
		t.Errorf("AUTH PLAIN = %q (a localhost server may receive the password)", auth)
	}
	if !contains(commands, "MAIL FROM:<noreply@example.org>") || !contains(commands, "RCPT TO:<amal@example.org>") {
		t.Errorf("envelope: %q", commands)
	}
	if len(data) != 1 {
		t.Fatalf("%d messages", len(data))
	}
	msg, err := mail.ReadMessage(strings.NewReader(data[0]))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"From": `"Traject" <noreply@example.org>`, "To": "<amal@example.org>", "Date": "Sat, 10 Oct 2020 09:00:00 +0000",
		"Mime-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "quoted-printable",
		"Content-Language": "ar",
	}
	for k, v := range want {
		if got := msg.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if raw := msg.Header.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?q?") {
		t.Errorf("the Arabic subject is not MIME-encoded: %q", raw)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil || subject != "أرجِع جهازك" {
		t.Errorf("subject = %q, %v", subject, err)
	}
	if id := msg.Header.Get("Message-Id"); !strings.HasSuffix(id, "@example.org>") {
		t.Errorf("Message-ID = %q", id)
	}
	got, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	// The DATA writer ends the message with a line break of its own.
	if err != nil || strings.TrimSuffix(strings.ReplaceAll(string(got), "\r\n", "\n"), "\n") != body {
		t.Errorf("body = %q, %v", got, err)
	}
}

// A password is never sent in clear to a server elsewhere: net/smtp refuses
// PLAIN without TLS unless the server is this machine by name. 127.0.0.2 is
// a loopback address that net/smtp does not count as local.
func TestSMTPRefusesPasswordInClear(t *testing.T) {
	srv := newFakeSMTP(t, "127.0.0.2:0", nil)
	s := &notify.SMTP{Addr: srv.ln.Addr().String(), From: "noreply@example.org", User: "traject", Password: "pw-secret"}
	err := s.Send(context.Background(), notify.Message{Channel: notify.Email, To: "amal@example.org", Subject: "x", Body: "y"})
	if err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Errorf("sent with a password in clear: %v", err)
	}
	if _, data, auth, _ := srv.snapshot(); auth != "" || len(data) != 0 {
		t.Errorf("the server got auth %q and %d messages", auth, len(data))
	}
}

func TestSMTPUpgradesWithSTARTTLS(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	srv := newFakeSMTP(t, "127.0.0.2:0", serverTLS)
	s := &notify.SMTP{Addr: srv.ln.Addr().String(), From: "noreply@example.org", User: "traject", Password: "pw-secret", TLS: clientTLS}
	if err := s.Send(context.Background(), notify.Message{Channel: notify.Email, To: "amal@example.org", Subject: "Reminder", Body: "Bring it back."}); err != nil {
		t.Fatal(err)
	}
	commands, data, auth, secure := srv.snapshot()
	if !contains(commands, "STARTTLS") || !secure || len(data) != 1 {
		t.Errorf("STARTTLS not used: %q, tls %v", commands, secure)
	}
	if auth != "\x00traject\x00pw-secret" {
		t.Errorf("AUTH over TLS = %q", auth)
	}
}

func TestSMTPRefusesBadInput(t *testing.T) {
	srv := newFakeSMTP(t, "127.0.0.1:0", nil)
	s := &notify.SMTP{Addr: srv.ln.Addr().String(), From: "noreply@example.org"}
	for name, m := range map[string]notify.Message{
		"sms":                {Channel: notify.SMS, To: "+32470000000", Body: "x"},
		"two recipients":     {Channel: notify.Email, To: "a@example.org, b@example.org", Body: "x"},
		"header injection":   {Channel: notify.Email, To: "a@example.org", Subject: "hi\r\nBcc: all@example.org", Body: "x"},
		"not an address":     {Channel: notify.Email, To: "amal", Body: "x"},
		"injected recipient": {Channel: notify.Email, To: "a@example.org\r\nRCPT TO:<b@example.org>", Body: "x"},
	} {
		if err := s.Send(context.Background(), m); err == nil {
			t.Errorf("%s: sent", name)
		}
	}
	if commands, _, _, _ := srv.snapshot(); len(commands) != 0 {
		t.Errorf("bad input reached the server: %q", commands)
	}
}

func TestByChannelRoutes(t *testing.T) {
	var mail, sms notify.Memory
	r := notify.ByChannel{Email: &mail, SMS: &sms}
	_ = r.Send(context.Background(), notify.Message{Channel: notify.Email, To: "a@example.org"})
	_ = r.Send(context.Background(), notify.Message{Channel: notify.SMS, To: "+32470000000"})
	if len(mail.Sent()) != 1 || len(sms.Sent()) != 1 || mail.Sent()[0].Channel != notify.Email {
		t.Errorf("mail %v, sms %v", mail.Sent(), sms.Sent())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// selfSigned makes a certificate for 127.0.0.2 and a client config that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.2")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

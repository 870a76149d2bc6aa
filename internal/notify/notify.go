// Package notify sends messages to learners and staff: SMS and e-mail. The
// transport is an interface so that a real gateway can replace the default,
// which writes each message to the log without its text (a message to a
// learner is personal data).
package notify

import (
	"context"
	"log/slog"
	"sync"
)

// Channel is how a message travels.
type Channel string

// The channels.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Message is one message to one recipient.
type Message struct {
	Channel  Channel
	To       string // a phone number for SMS, an e-mail address for e-mail
	Subject  string // e-mail only
	Body     string
	Language string // ISO 639-1, the language Body is written in
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Log is the default Sender: it logs that a message went out, to whom by
// channel only, never its text or address.
type Log struct{ Logger *slog.Logger }

// Send implements Sender.
func (l Log) Send(ctx context.Context, m Message) error {
	if l.Logger != nil {
		l.Logger.InfoContext(ctx, "message sent", "channel", string(m.Channel), "language", m.Language, "bytes", len(m.Body))
	}
	return nil
}

// Memory keeps every message it is given, for tests and for the demo's
// "messages sent" view.
type Memory struct {
	mu   sync.Mutex
	sent []Message
}

// Send implements Sender.
func (m *Memory) Send(_ context.Context, msg Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

// Sent returns a copy of the messages sent so far.
func (m *Memory) Sent() []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Message(nil), m.sent...)
}

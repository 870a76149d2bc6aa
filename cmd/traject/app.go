package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"traject"
	"traject/internal/auth"
	"traject/internal/config"
	"traject/internal/demo"
	"traject/internal/jobs"
	"traject/internal/notify"
	"traject/internal/store"
)

// Main is one running Traject server. Tests start it on 127.0.0.1:0 with a
// temporary database, exactly as the command does.
type Main struct {
	Config    config.Config
	Logger    *slog.Logger
	DBFlagSet bool // the database was named explicitly (matters for --demo)
	// Sender carries SMS and e-mail to learners and staff; nil means the
	// logging default (tests set a notify.Memory to read what was sent).
	Sender notify.Sender
	// Now replaces the store's clock (nil is time.Now): tests move it to
	// see a learner's one-time code expire.
	Now func() time.Time

	store    *store.Store
	jobs     *jobs.Jobs
	sessions *auth.Sessions
	server   *http.Server
	ln       net.Listener
	demoFile string // the temporary demo database, removed on Close
}

// Open connects the database, builds the handler and starts listening; it
// fails before listening when anything is wrong.
func (m *Main) Open(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	if err := m.prepareDemo(); err != nil {
		return err
	}
	sealer, err := sealerOf(m.Config)
	if err != nil {
		return err
	}
	if m.store, err = store.Open(ctx, m.Config.DB, store.Options{Logger: m.Logger, Sealer: sealer, Now: m.Now}); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := demo.Seed(ctx, m.store); err != nil {
			if traject.ErrorCode(err) == traject.ECONFLICT {
				return &usageError{"--demo needs an empty database; leave out --db to use a temporary one"}
			}
			return err
		}
	}
	if err := jobs.Migrate(ctx, m.store, m.Logger); err != nil {
		return err
	}
	if m.jobs, err = jobs.New(m.store, m.Config, m.Logger, jobs.WithSender(m.sender())); err != nil {
		return err
	}
	handler, err := m.handler(ctx)
	if err != nil {
		return err
	}
	if m.ln, err = net.Listen("tcp", m.Config.Addr); err != nil {
		return traject.Errorf(traject.EUNAVAILABLE, "serve.listen", "cannot listen on %s: %v", m.Config.Addr, err)
	}
	m.server = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.Logger.LogAttrs(ctx, slog.LevelInfo, "traject starting", append(m.Config.Redacted(), slog.String("url", m.URL()))...)
	return nil
}

// prepareDemo points --demo without an explicit database at a new temporary file.
func (m *Main) prepareDemo() error {
	if !m.Config.Demo || m.DBFlagSet {
		return nil
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	m.demoFile = filepath.Join(os.TempDir(), "traject-demo-"+hex.EncodeToString(b)+".db")
	m.Config.DB = "sqlite:" + m.demoFile
	if m.Config.SecretKey == "" {
		// The demo holds no real person; a key per run is enough.
		k := make([]byte, 32)
		_, _ = rand.Read(k)
		m.Config.SecretKey = hex.EncodeToString(k)
	}
	return nil
}

// URL is the address the server listens on.
func (m *Main) URL() string {
	if m.ln == nil {
		return ""
	}
	return "http://" + m.ln.Addr().String()
}

// DBDescription names the database without its password.
func (m *Main) DBDescription() string {
	return strings.TrimPrefix(config.RedactURL(m.Config.DB), "sqlite:")
}

// Serve answers requests until ctx ends, then shuts down gracefully: no new
// connections, and requests in flight get Config.ShutdownTimeout to finish.
func (m *Main) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(m.ln) }()
	// The queue works until the server stops; its own context is not ctx, so
	// that jobs in progress finish during the graceful shutdown below. A queue
	// that cannot start leaves the pages and the API up: background work is
	// late, requests are not refused, and the log says why.
	if err := m.jobs.Start(context.WithoutCancel(ctx)); err != nil {
		m.Logger.Error("background jobs did not start", slog.Any("err", err))
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	m.Logger.Info("traject stopping: finishing requests in flight", slog.Duration("timeout", m.Config.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	if err := m.server.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := m.jobs.Stop(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	m.Logger.Info("traject stopped")
	return nil
}

// Close releases everything Open took, and removes a temporary demo database.
func (m *Main) Close() error {
	if m.sessions != nil {
		m.sessions.Close()
	}
	var err error
	if m.store != nil {
		err = m.store.Close()
	}
	if m.demoFile != "" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(m.demoFile + suffix) // a leftover temporary file harms nothing
		}
	}
	return err
}

// sender is the message transport: the one set, else the log.
func (m *Main) sender() notify.Sender {
	if m.Sender == nil && m.Config.SMTP.Enabled() {
		// E-mail through the mail server; SMS to the log, for want of a gateway.
		c := m.Config.SMTP
		m.Sender = notify.ByChannel{Email: &notify.SMTP{Addr: c.Addr, From: c.From, User: c.User, Password: c.Password},
			SMS: notify.Log{Logger: m.Logger}}
	}
	if m.Sender == nil {
		m.Sender = notify.Log{Logger: m.Logger}
	}
	return m.Sender
}

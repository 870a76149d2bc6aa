package main

import (
	"context"
	"log/slog"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/config"
	"traject/internal/store"
)

// openStore opens the configured database for a command, which acts as the
// command line in the audit log.
func openStore(cmd *cobra.Command, e env) (context.Context, *store.Store, error) {
	cfg, err := loadConfig(cmd, e)
	if err != nil {
		return nil, nil, err
	}
	ctx := traject.NewContextWithActorLabel(cmd.Context(), traject.ActorCLI)
	sealer, err := sealerOf(cfg)
	if err != nil {
		return nil, nil, err
	}
	s, err := store.Open(ctx, cfg.DB, store.Options{Logger: newLogger(cfg, e), Sealer: sealer})
	if err != nil {
		return nil, nil, err
	}
	return ctx, s, nil
}

func newLogger(cfg config.Config, e env) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(e.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(e.stderr, opts))
}

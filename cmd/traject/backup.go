package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/config"
)

func newBackupCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the SQLite database, also while the server runs",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, e)
			if err != nil {
				return err
			}
			if path, ok := strings.CutPrefix(cfg.DB, "sqlite:"); ok {
				if _, err := os.Stat(path); err != nil {
					return traject.Errorf(traject.ENOTFOUND, "backup.nodb", "there is no database at %s to back up", path)
				}
			}
			ctx, s, err := openStore(cmd, e)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Backup(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %s\n", args[0])
			return nil
		},
	}
	config.Flags(cmd.Flags(), "db")
	return cmd
}

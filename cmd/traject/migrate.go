package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"traject/internal/config"
	"traject/internal/jobs"
)

func newMigrateCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date and exit",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, s, err := openStore(cmd, e)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := jobs.Migrate(ctx, s, nil); err != nil {
				return err
			}
			v, err := s.SchemaVersion(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "schema is at version %d (%s)\n", v, s.Dialect())
			return nil
		},
	}
	config.Flags(cmd.Flags(), "db")
	return cmd
}

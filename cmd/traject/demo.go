package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/demo"
	"traject/internal/store"
)

func newDemoCmd(e env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "demo --out FILE",
		Short: "Write a demo database (SQLite) with the 2020 programme and one account per role",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return &usageError{"demo needs --out FILE"}
			}
			if _, err := os.Stat(out); err == nil {
				return traject.Errorf(traject.ECONFLICT, "demo.exists", "%s already exists; choose a new file name", out)
			}
			ctx := traject.NewContextWithActorLabel(cmd.Context(), traject.ActorCLI)
			s, err := store.Open(ctx, "sqlite:"+out, store.Options{})
			if err != nil {
				return err
			}
			defer s.Close()
			if err := demo.Seed(ctx, s); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %s; sign in with any demo account and the password %s\n", out, demo.Password)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the new SQLite file")
	return cmd
}

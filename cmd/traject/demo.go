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
	var scale int
	cmd := &cobra.Command{
		Use:   "demo --out FILE [--scale N]",
		Short: "Write a demo database (SQLite) with the 2020 programme and one account per role",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return &usageError{"demo needs --out FILE"}
			}
			if scale < 1 || scale > demo.MaxScale {
				return &usageError{fmt.Sprintf("--scale takes a whole number from 1 to %d", demo.MaxScale)}
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
			if err := demo.SeedScale(ctx, s, scale); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %s with %d devices; sign in with any demo account and the password %s\n", out, scale*demo.FleetSize, demo.Password)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the new SQLite file")
	cmd.Flags().IntVar(&scale, "scale", 1, "make the fleet N times the 2020 one (1 to 10000) with synthetic copies")
	return cmd
}

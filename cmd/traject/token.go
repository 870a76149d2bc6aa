package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/auth"
	"traject/internal/config"
)

func newTokenCmd(e env) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens", Args: noArgs}
	var email, name string
	create := &cobra.Command{
		Use:   "create --email E [--name N]",
		Short: "Print a new API token for an account",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" {
				return &usageError{"token create needs --email"}
			}
			ctx, s, err := openStore(cmd, e)
			if err != nil {
				return err
			}
			defer s.Close()
			u, err := s.UserByEmail(ctx, email)
			if traject.ErrorCode(err) == traject.ENOTFOUND {
				return traject.Errorf(traject.ENOTFOUND, "token.noaccount", "there is no account %s; create it with traject user add", email)
			}
			if err != nil {
				return err
			}
			if !u.Active {
				return traject.Errorf(traject.ECONFLICT, "token.inactive", "the account %s is deactivated", email)
			}
			token, hash, prefix, err := auth.NewToken()
			if err != nil {
				return err
			}
			if _, err := s.CreateToken(ctx, u, name, hash, prefix); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, token)
			return nil
		},
	}
	create.Flags().StringVar(&email, "email", "", "the account the token acts as")
	create.Flags().StringVar(&name, "name", "cli", "a name that says what uses the token")
	config.Flags(create.Flags(), "db")
	cmd.AddCommand(create)
	return cmd
}

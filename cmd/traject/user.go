package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/auth"
	"traject/internal/config"
)

func newUserCmd(e env) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage staff accounts", Args: noArgs}
	cmd.AddCommand(newUserAddCmd(e))
	return cmd
}

func newUserAddCmd(e env) *cobra.Command {
	var email, name, role, region string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:   "add --email E --role R [--region X] [--name N] [--password-stdin]",
		Short: "Create a staff account",
		Long: "Create a staff account. Without --password-stdin a random password is made and printed once.\n" +
			"Roles: admin, analyst, enforcement (national); coordinator, desk, counsellor, teacher (need --region).",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" || role == "" {
				return &usageError{"user add needs --email and --role"}
			}
			password, generated, err := readPassword(e, passwordStdin)
			if err != nil {
				return err
			}
			if err := traject.ValidatePassword(password); err != nil {
				return err
			}
			u := &traject.User{Email: email, Name: name, Role: traject.Role(role), RegionCode: regionCode(region)}
			if u.Name == "" {
				u.Name, _, _ = strings.Cut(email, "@")
			}
			if err := u.Validate(); err != nil {
				return err
			}
			ctx, s, err := openStore(cmd, e)
			if err != nil {
				return err
			}
			defer s.Close()
			hash, err := auth.HashPassword(password, auth.DefaultParams)
			if err != nil {
				return err
			}
			if err := s.CreateUser(ctx, u, hash); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "created %s (%s)\n", u.Email, u.Role)
			if generated {
				fmt.Fprintf(e.stdout, "password: %s\n", password)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&email, "email", "", "e-mail address (the sign-in name)")
	f.StringVar(&name, "name", "", "full name (default: the part of the address before @)")
	f.StringVar(&role, "role", "", "role: admin, analyst, coordinator, desk, counsellor, teacher or enforcement")
	f.StringVar(&region, "region", "", "region code or name, for regional roles: ANT BRU LIM OVL VBR WVL")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	config.Flags(f, "db")
	return cmd
}

// readPassword reads the first line of stdin, or makes a random password.
func readPassword(e env, fromStdin bool) (string, bool, error) {
	if !fromStdin {
		p, err := auth.NewPassword()
		return p, true, err
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, &usageError{"--password-stdin: no password on standard input"}
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

// regionCode accepts a code or a name; an unknown value is kept so that
// validation names it.
func regionCode(s string) string {
	if r, ok := traject.ParseRegion(s); ok {
		return r.Code
	}
	return s
}

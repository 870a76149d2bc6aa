package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"traject/internal/config"
	"traject/internal/demo"
)

func newServeCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--db URL] [--demo]",
		Short: "Run the web application and API",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, e)
			if err != nil {
				return err
			}
			cfg.Demo, _ = cmd.Flags().GetBool("demo")
			m := &Main{Config: cfg, Logger: newLogger(cfg, e), DBFlagSet: cmd.Flags().Changed("db") || e.getenv("TRAJECT_DB") != ""}
			if err := m.Open(cmd.Context()); err != nil {
				m.Close()
				return err
			}
			defer m.Close()
			if cfg.Demo {
				printDemo(e.stdout, m)
			} else {
				fmt.Fprintf(e.stdout, "Traject is running at %s\n", m.URL())
			}
			return m.Serve(cmd.Context())
		},
	}
	config.Flags(cmd.Flags(), "addr", "db", "log-format", "log-level")
	cmd.Flags().Bool("demo", false, "start on a fresh demo database and print how to sign in")
	return cmd
}

// printDemo tells a person where Traject runs and how to sign in.
func printDemo(w io.Writer, m *Main) {
	fmt.Fprintf(w, "Traject demo is running at %s\n", m.URL())
	fmt.Fprintf(w, "Database: %s (fresh demo data)\n", m.DBDescription())
	fmt.Fprintf(w, "Sign in at %s/login with one of these accounts; the password is %q for all of them:\n\n", m.URL(), demo.Password)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  e-mail\trole\tregion")
	for _, a := range demo.Accounts {
		region := a.Region
		if region == "" {
			region = "national"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Email, a.Role, region)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nStop with Ctrl+C.")
}

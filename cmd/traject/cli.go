package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/config"
)

// env is the outside world of one run, so that tests can run commands
// in-process with their own environment and buffers.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// Exit codes (DESIGN §3).
const (
	exitOK       = 0
	exitRejected = 1 // rejected input or a failed check
	exitUsage    = 2 // wrong usage or configuration
)

// usageError marks a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// run executes one command line and returns the exit code; every failure is
// one line on stderr.
func run(ctx context.Context, args []string, e env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(e.stderr, "traject: "+oneLine(errorText(err)))
	return exitCode(err)
}

func errorText(err error) string {
	if _, ok := traject.AsError(err); ok {
		return traject.ErrorMessage(err)
	}
	return err.Error()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func exitCode(err error) int {
	var ue *usageError
	var ce *config.Error
	switch {
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	}
	return exitRejected
}

func newRootCmd(e env) *cobra.Command {
	root := &cobra.Command{
		Use:           "traject",
		Short:         "Traject runs the digital side of a civic-integration programme",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err.Error()} })
	root.AddCommand(newServeCmd(e), newMigrateCmd(e), newUserCmd(e), newTokenCmd(e), newBackupCmd(e), newDemoCmd(e))
	root.AddCommand(newImportCmd(e))
	root.AddCommand(newReportCmd(e))
	return root
}

// noArgs refuses stray arguments as a usage error, naming them.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Sprintf("%q is not a command or argument of %q; see %s --help", args[0], cmd.CommandPath(), cmd.CommandPath())}
	}
	return nil
}

// exactArgs wants n arguments, named in the usage line.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return &usageError{fmt.Sprintf("usage: %s", cmd.UseLine())}
		}
		return nil
	}
}

// loadConfig builds the configuration from the environment and cmd's flags.
func loadConfig(cmd *cobra.Command, e env) (config.Config, error) {
	return config.Load(e.getenv, cmd.Flags())
}

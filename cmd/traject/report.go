package main

import "github.com/spf13/cobra"

// newReportCmd prints or writes a report (DESIGN §3).
func newReportCmd(e env) *cobra.Command {
	_ = e
	return &cobra.Command{Use: "report NAME", Short: "Print or write a report", Hidden: true}
}

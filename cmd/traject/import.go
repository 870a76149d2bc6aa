package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"traject"
	"traject/internal/config"
	"traject/internal/importer"
)

// laterKinds are kinds DESIGN §3 names that later versions import.
var laterKinds []string

func newImportCmd(e env) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import KIND FILE [--dry-run]",
		Short: "Import deliveries, devices, learners or courses from a CSV or XLSX file, all or nothing",
		Long: "Import deliveries, devices, learners or courses from a CSV (UTF-8, comma or semicolon) or XLSX file (first sheet).\n" +
			"One bad row rejects the whole file: every rejected row is printed as FILE:LINE: column: reason,\n" +
			"and nothing is changed. --dry-run checks every row and changes nothing.",
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, format, err := importArgs(args[0], args[1])
			if err != nil {
				return err
			}
			return runImport(cmd, e, kind, format, args[1], dryRun)
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check every row, change nothing")
	config.Flags(cmd.Flags(), "db")
	return cmd
}

// importArgs reads KIND and the format of FILE, or says how to call import.
func importArgs(kindArg, file string) (importer.Kind, importer.Format, error) {
	var names []string
	for _, k := range importer.Kinds {
		names = append(names, string(k))
	}
	kinds := strings.Join(names, ", ")
	kind, ok := importer.ParseKind(kindArg)
	switch {
	case !ok && containsFold(laterKinds, kindArg):
		return "", "", &usageError{fmt.Sprintf("importing %s comes with a later version of Traject; what can be imported now: %s", kindArg, kinds)}
	case !ok:
		return "", "", &usageError{fmt.Sprintf("cannot import %q; what can be imported: %s", kindArg, kinds)}
	}
	format, ok := importer.FormatOfName(file)
	if !ok {
		return "", "", &usageError{fmt.Sprintf("%s: the file's name must end in .csv or .xlsx", file)}
	}
	return kind, format, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// runImport imports file, printing every rejected row to stderr as it is
// found, and a summary line to stdout when the file was good.
func runImport(cmd *cobra.Command, e env, kind importer.Kind, format importer.Format, file string, dryRun bool) error {
	f, err := os.Open(file)
	if err != nil {
		return traject.Errorf(traject.ENOTFOUND, "import.file.open", "cannot open %s: %v", file, errorCause(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return traject.Errorf(traject.EINVALID, "import.file.dir", "%s is a folder, not a file", file)
	}
	ctx, s, err := openStore(cmd, e)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := importer.Import(ctx, s, kind, f, importer.Options{Format: format, DryRun: dryRun,
		OnError: func(re importer.RowError) { fmt.Fprintf(e.stderr, "%s:%s\n", file, re.Error()) }})
	if e, ok := traject.AsError(err); ok {
		return traject.Errorf(e.Code, e.Key, "%s: %s; nothing was changed", file, e.Message)
	}
	if err != nil {
		return err
	}
	if !res.OK() {
		return traject.Errorf(traject.EINVALID, "import.cli.rejected", "%s was not imported: %s rejected; nothing was changed",
			file, plural(res.Rejected, "row was", "rows were"))
	}
	if dryRun {
		one := map[importer.Kind]string{importer.Devices: "device", importer.Deliveries: "delivery", importer.Courses: "course"}[kind]
		fmt.Fprintf(e.stdout, "checked %s in %s: all good; nothing was changed (dry run)\n", plural(res.Rows, one, string(kind)), file)
		return nil
	}
	fmt.Fprintf(e.stdout, "imported %d %s from %s\n", res.Imported, kind, file)
	return nil
}

// errorCause is the part of a file-system error that a person needs: not
// found, not allowed, a directory.
func errorCause(err error) string {
	switch {
	case os.IsNotExist(err):
		return "there is no such file"
	case os.IsPermission(err):
		return "permission denied"
	}
	return "it cannot be read"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

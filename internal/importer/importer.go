// Package importer reads CSV and XLSX files of deliveries and devices, checks
// every row and applies the file all or nothing through the store: one bad row
// rejects the whole file, and the report names every bad row with its line,
// column and reason (DESIGN §2 invariant 9). Files are read as a stream: what
// grows with the file is only the set of keys needed to find duplicates
// inside it.
package importer

import (
	"context"
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"strings"

	"traject"
	"traject/internal/store"
)

// Kind names what a file holds.
type Kind string

// The kinds of file that can be imported.
const (
	Deliveries Kind = "deliveries"
	Devices    Kind = "devices"
	Courses    Kind = "courses"
	Learners   Kind = "learners"
	Loans      Kind = "loans"
)

// Kinds lists the kinds that can be imported, in the order to import them:
// devices name their delivery.
var Kinds = []Kind{Deliveries, Devices, Learners, Courses, Loans}

// Permission returns what a person needs to import a kind: the permission
// to write what the file creates.
func Permission(k Kind) traject.Permission {
	switch k {
	case Learners:
		return traject.PermLearnersWrite
	case Courses:
		return traject.PermCoursesWrite
	case Loans:
		return traject.PermLoansWrite
	}
	return traject.PermDevicesWrite
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == strings.ToLower(strings.TrimSpace(s)) {
			return k, true
		}
	}
	return "", false
}

// Format is a file format.
type Format string

// The file formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Media types of the formats.
const (
	MediaTypeCSV  = "text/csv"
	MediaTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// FormatOfName returns the format of a file by its extension.
func FormatOfName(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV, true
	case ".xlsx":
		return XLSX, true
	}
	return "", false
}

// FormatOfMediaType returns the format of a Content-Type header value.
func FormatOfMediaType(contentType string) (Format, bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", false
	}
	switch mt {
	case MediaTypeCSV:
		return CSV, true
	case MediaTypeXLSX:
		return XLSX, true
	}
	return "", false
}

// MaxBytes is the largest file accepted, 50 MB: about 400,000 device rows in
// CSV. It is enforced while reading, so that a larger file is never read whole.
const MaxBytes = 50 << 20

// Options say how to import a file.
type Options struct {
	Format Format
	DryRun bool // check every row, write nothing
	// MaxBytes is the largest file accepted; 0 means MaxBytes.
	MaxBytes int64
	// MaxErrors caps Result.Errors (default 1,000); Result.Rejected still
	// counts every rejected row.
	MaxErrors int
	// OnError, when set, receives every problem as it is found, and
	// Result.Errors stays empty: the command line prints them as they come.
	OnError func(RowError)
}

// Result says what an import did.
type Result struct {
	Kind     Kind `json:"kind"`
	DryRun   bool `json:"dry_run"`
	Rows     int  `json:"rows"`     // data rows read
	Imported int  `json:"imported"` // rows written: 0 on a dry run and when rejected
	Rejected int  `json:"rejected"` // rows with at least one problem
	// Errors are the problems of the rejected rows, up to Options.MaxErrors.
	Errors []RowError `json:"errors,omitempty"`
	// Dropped counts the problems left out of Errors.
	Dropped int `json:"dropped,omitempty"`
}

// OK reports whether every row passed.
func (r *Result) OK() bool { return r.Rejected == 0 }

// RowError is one problem of one row: its line in the file (the row number in
// a spreadsheet), the column, and the reason in English. Key and Args name
// the reason in the catalogs, for other languages.
type RowError struct {
	Line   int            `json:"line"`
	Column string         `json:"column,omitempty"`
	Reason string         `json:"reason"`
	Key    string         `json:"-"`
	Args   map[string]any `json:"-"`
}

// Error returns "LINE: column: reason"; the command line puts the file's
// name in front.
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("%d: %s: %s", e.Line, e.Column, e.Reason)
}

// Field returns the problem as a field error, for the localizer.
func (e RowError) Field() traject.FieldError {
	return traject.FieldError{Field: e.Column, Key: e.Key, Args: e.Args, Message: e.Reason}
}

// fileError is a problem of the file as a whole: it cannot be read at all.
func fileError(key, format string, args ...any) *traject.Error {
	return traject.Errorf(traject.EINVALID, key, format, args...)
}

// IsTooLarge reports whether err refused a file for its size.
func IsTooLarge(err error) bool {
	e, ok := traject.AsError(err)
	return ok && e.Key == keyTooLarge
}

const keyTooLarge = "import.file.toolarge"

// TooLargeError is the error of a file larger than max bytes.
func TooLargeError(max int64) *traject.Error {
	mb := fmt.Sprintf("%.3g", float64(max)/(1<<20))
	return &traject.Error{Code: traject.EINVALID, Key: keyTooLarge, Args: map[string]any{"MB": mb},
		Message: "the file is larger than " + mb + " MB: split it into smaller files"}
}

// Import reads a file of the given kind from r and applies it all or nothing.
// Rejected rows are in the Result; the error is a problem of the file as a
// whole (empty, too large, not a spreadsheet: a *traject.Error) or of the
// database.
func Import(ctx context.Context, s *store.Store, kind Kind, r io.Reader, opts Options) (*Result, error) {
	if _, ok := columns[kind]; !ok {
		return nil, fmt.Errorf("importer: unknown kind %q", kind)
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = MaxBytes
	}
	src, err := openSource(r, opts.Format, opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	defer func() { _ = src.close() }() // removes temporary files; nothing to report
	res := &Result{Kind: kind, DryRun: opts.DryRun}
	rep := &reporter{opts: opts, res: res}
	t, ok, err := readHeader(src, kind, rep)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return res, nil // the header's problems are the result
	case kind == Devices:
		err = importDevices(ctx, s, t, opts.DryRun, rep)
	case kind == Courses:
		err = importCourses(ctx, s, t, opts.DryRun, rep)
	case kind == Learners:
		err = importLearners(ctx, s, t, opts.DryRun, rep)
	case kind == Loans:
		err = importLoans(ctx, s, t, opts.DryRun, rep)
	default:
		err = importDeliveries(ctx, s, t, opts.DryRun, rep)
	}
	if err != nil {
		return nil, err
	}
	if res.Rows == 0 && res.OK() {
		return nil, fileError("import.file.norows", "the file has a header but no rows below it")
	}
	if !res.OK() {
		res.Imported = 0
	}
	return res, nil
}

// reporter collects the problems of the rows.
type reporter struct {
	opts Options
	res  *Result
}

// reject records the problems of one row.
func (rep *reporter) reject(errs []RowError) {
	if len(errs) == 0 {
		return
	}
	rep.res.Rejected++
	max := rep.opts.MaxErrors
	if max <= 0 {
		max = 1000
	}
	for _, e := range errs {
		switch {
		case rep.opts.OnError != nil:
			rep.opts.OnError(e)
		case len(rep.res.Errors) < max:
			rep.res.Errors = append(rep.res.Errors, e)
		default:
			rep.res.Dropped++
		}
	}
}

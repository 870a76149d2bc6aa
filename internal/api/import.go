package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"traject/internal/importer"
)

// importUploadTime is how long a client may take to send a file: 50 MB on a
// slow line needs longer than the server's general read timeout.
const importUploadTime = 10 * time.Minute

// importMaxErrors caps the rows listed in a 422 answer, so that a file that is
// wrong throughout cannot make a response of hundreds of megabytes; the
// detail still counts every rejected row.
const importMaxErrors = 10_000

// importOperation makes op an upload of a CSV or XLSX file. The body's schema
// is a plain string, so huma leaves the body unread and the handler streams
// it (see importInput.Resolve): a file is never held in memory whole.
func importOperation(op huma.Operation) huma.Operation {
	op.Description += " The body is the file: CSV (UTF-8, comma or semicolon, header row) as `text/csv`, or XLSX (first sheet) as `" +
		importer.MediaTypeXLSX + "`. All or nothing: one bad row rejects the file, and the 422 answer lists every rejected row " +
		"(`location` is `line N, column`). `?dry_run=true` checks every row and changes nothing. At most 50 MB (413 above)."
	op.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		importer.MediaTypeCSV:  {Schema: &huma.Schema{Type: "string", Description: "A CSV file."}},
		importer.MediaTypeXLSX: {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "An XLSX workbook."}},
	}}
	op.Errors = append(op.Errors, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	return op
}

type importInput struct {
	DryRun      bool   `query:"dry_run" doc:"Check every row and change nothing."`
	ContentType string `header:"Content-Type" doc:"text/csv, or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet for XLSX."`
	body        io.Reader
	length      int64
}

// Resolve takes the request body as a stream, and gives the upload more time
// than the server's read timeout.
func (in *importInput) Resolve(ctx huma.Context) []error {
	in.body = ctx.BodyReader()
	in.length = -1
	if n, err := strconv.ParseInt(ctx.Header("Content-Length"), 10, 64); err == nil {
		in.length = n
	}
	_ = ctx.SetReadDeadline(time.Now().Add(importUploadTime)) // best effort: not every writer can
	return nil
}

// ImportSummary says what an import did.
type ImportSummary struct {
	Kind     string `json:"kind" enum:"deliveries,devices,courses,learners"`
	DryRun   bool   `json:"dry_run"`
	Rows     int    `json:"rows" doc:"Data rows read."`
	Imported int    `json:"imported" doc:"Rows written: 0 on a dry run."`
}

type importOutput struct {
	Body ImportSummary
}

func (s *Server) importDevices(ctx context.Context, in *importInput) (*importOutput, error) {
	return s.importFile(ctx, importer.Devices, in)
}

func (s *Server) importLearners(ctx context.Context, in *importInput) (*importOutput, error) {
	return s.importFile(ctx, importer.Learners, in)
}

func (s *Server) importDeliveries(ctx context.Context, in *importInput) (*importOutput, error) {
	return s.importFile(ctx, importer.Deliveries, in)
}

func (s *Server) importFile(ctx context.Context, kind importer.Kind, in *importInput) (*importOutput, error) {
	loc := s.localizer(ctx)
	format, ok := importer.FormatOfMediaType(in.ContentType)
	if !ok {
		return nil, huma.NewError(http.StatusUnsupportedMediaType, loc.T("import.api.mediatype", "XLSX", importer.MediaTypeXLSX))
	}
	if in.length > importer.MaxBytes {
		return nil, huma.NewError(http.StatusRequestEntityTooLarge, loc.T("import.file.toolarge", "MB", importer.MaxBytes>>20))
	}
	res, err := importer.Import(ctx, s.Store, kind, in.body, importer.Options{Format: format, DryRun: in.DryRun, MaxErrors: importMaxErrors})
	switch {
	case importer.IsTooLarge(err):
		return nil, huma.NewError(http.StatusRequestEntityTooLarge, loc.Error(err))
	case err != nil:
		return nil, s.problem(ctx, err)
	case !res.OK():
		return nil, s.rejected(ctx, res)
	}
	return &importOutput{Body: ImportSummary{Kind: string(kind), DryRun: res.DryRun, Rows: res.Rows, Imported: res.Imported}}, nil
}

// rejected is the 422 answer of a file with bad rows: every problem, located
// by line and column.
func (s *Server) rejected(ctx context.Context, res *importer.Result) error {
	loc := s.localizer(ctx)
	details := make([]error, 0, len(res.Errors))
	for _, e := range res.Errors {
		where := "line " + strconv.Itoa(e.Line) // not translated: scripts read it
		if e.Column != "" {
			where += ", " + e.Column
		}
		details = append(details, &huma.ErrorDetail{Location: where, Message: loc.Field(e.Field())})
	}
	msg := loc.T("import.rejected", "Rows", res.Rejected)
	if res.Dropped > 0 {
		msg += " " + loc.T("import.rejected.more", "Shown", len(res.Errors), "Dropped", res.Dropped)
	}
	return huma.NewError(http.StatusUnprocessableEntity, msg, details...)
}

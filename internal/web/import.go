package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"traject"
	"traject/internal/importer"
)

// An upload is checked first (a dry run) and imported only when the user
// confirms. Between the two the file waits in a temporary file named by a
// random id, which only the uploader's session knows; a browser cannot send
// a file again without the user choosing it again. The file lives on the
// server that checked it: with several servers behind one PostgreSQL, a
// confirm that lands elsewhere finds no file and asks for the file again.

// Session keys of the upload waiting for its confirmation.
const (
	sessionImportID   = "import_id"
	sessionImportKind = "import_kind"
	sessionImportName = "import_name"
)

// importKeep is how long a checked file waits for its confirmation.
const importKeep = time.Hour

// importView is the import page: the upload form, or the result of a check.
type importView struct {
	Form   *importForm
	Result *importResult
}

// importForm is the upload form: the kinds to choose from and the chosen one.
type importForm struct {
	Kind  string
	Kinds []importKind
}

type importKind struct {
	Value   string
	Columns string
}

// importResult is the page after a check or a failed import.
type importResult struct {
	Kind     string
	FileName string
	Rows     int
	Rejected int
	Problems []importProblem
	Dropped  int
	ID       string // the file waiting for a confirmation; empty when rejected
}

type importProblem struct {
	Line          int
	Column, Issue string
}

func newImportForm(kind string, u *traject.User) importForm {
	f := importForm{Kind: kind}
	for _, k := range importer.Kinds {
		if !u.Can(importer.Permission(k)) {
			continue // offer only what the role may create
		}
		f.Kinds = append(f.Kinds, importKind{Value: string(k), Columns: strings.Join(importer.Columns(k), ", ")})
	}
	return f
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	form := newImportForm(r.URL.Query().Get("kind"), traject.UserFromContext(r.Context()))
	return s.render(w, r, http.StatusOK, "import", s.newPage(r, "import.title", importView{Form: &form}))
}

// importCheck receives an upload, keeps it, and shows what a dry run of it
// found: the rows that would be imported, or every problem.
func (s *Server) importCheck(w http.ResponseWriter, r *http.Request) error {
	up, err := s.receiveUpload(w, r)
	if err != nil {
		return s.importFormError(w, r, string(up.kind), err)
	}
	res, err := s.runImport(r, up.kind, up.path, up.name, true)
	if err != nil {
		_ = os.Remove(up.path)
		return s.importFormError(w, r, string(up.kind), err)
	}
	out := resultOf(s, r, string(up.kind), up.name, res)
	if res.OK() {
		s.keepUpload(r, up)
		out.ID = up.id
	} else {
		_ = os.Remove(up.path)
	}
	return s.render(w, r, http.StatusOK, "import", s.newPage(r, "import.result.title", importView{Result: &out}))
}

// importConfirm imports the checked file for real.
func (s *Server) importConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, kind, name := s.Sessions.GetString(ctx, sessionImportID), s.Sessions.GetString(ctx, sessionImportKind), s.Sessions.GetString(ctx, sessionImportName)
	path := uploadPath(id)
	if id == "" || r.PostFormValue("id") != id || !fileExists(path) {
		return s.importFormError(w, r, kind, invalidUpload("import.web.expired", "the checked file is no longer here: choose it again"))
	}
	s.forgetUpload(r)
	defer func() { _ = os.Remove(path) }() // imported or not, the file was used
	res, err := s.runImport(r, importer.Kind(kind), path, name, false)
	if err != nil {
		return s.importFormError(w, r, kind, err)
	}
	if !res.OK() {
		// The database changed since the check: say what is wrong now.
		out := resultOf(s, r, kind, name, res)
		return s.render(w, r, http.StatusUnprocessableEntity, "import", s.newPage(r, "import.result.title", importView{Result: &out}))
	}
	s.flash(r, s.localizer(r).T("import.web.done", "Rows", res.Imported, "Name", name))
	http.Redirect(w, r, "/"+kind, http.StatusSeeOther)
	return nil
}

func (s *Server) importFormError(w http.ResponseWriter, r *http.Request, kind string, err error) error {
	if traject.ErrorCode(err) != traject.EINVALID {
		return err
	}
	e, _ := traject.AsError(err)
	field := "file"
	if strings.HasPrefix(e.Key, "import.web.kind") {
		field = "kind"
	}
	form := newImportForm(kind, traject.UserFromContext(r.Context()))
	p := s.newPage(r, "import.title", importView{Form: &form})
	p.Errors = append(p.Errors, fieldError{Field: field, Message: s.localizer(r).Error(err)})
	return s.render(w, r, http.StatusUnprocessableEntity, "import", p)
}

// runImport imports the file at path, as a dry run or for real.
func (s *Server) runImport(r *http.Request, kind importer.Kind, path, name string, dryRun bool) (*importer.Result, error) {
	if !traject.UserFromContext(r.Context()).Can(importer.Permission(kind)) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "import.web.kind.forbidden", "your role may not import %s", kind)
	}
	format, _ := importer.FormatOfName(name)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return importer.Import(r.Context(), s.Store, kind, f, importer.Options{Format: format, DryRun: dryRun})
}

func resultOf(s *Server, r *http.Request, kind, name string, res *importer.Result) importResult {
	loc := s.localizer(r)
	out := importResult{Kind: kind, FileName: name, Rows: res.Rows, Rejected: res.Rejected, Dropped: res.Dropped}
	for _, e := range res.Errors {
		out.Problems = append(out.Problems, importProblem{Line: e.Line, Column: e.Column, Issue: loc.Field(e.Field())})
	}
	return out
}

func invalidUpload(key, msg string) error { return traject.Errorf(traject.EINVALID, key, "%s", msg) }

// upload is a file received and kept in a temporary file.
type upload struct {
	id, path, name string
	kind           importer.Kind
}

// receiveUpload streams the form's parts: the kind, then the file, which is
// written to a temporary file as it comes, up to importer.MaxBytes.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request) (upload, error) {
	var up upload
	r.Body = http.MaxBytesReader(w, r.Body, importer.MaxBytes+1<<20) // the file and a little form
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(10 * time.Minute))
	mr, err := r.MultipartReader()
	if err != nil {
		return up, invalidUpload("import.web.nofile", "choose a CSV or XLSX file")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, uploadError(up, err)
		}
		switch part.FormName() {
		case "kind":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			up.kind = importer.Kind(strings.TrimSpace(string(b)))
		case "file":
			if err := s.saveUpload(&up, part); err != nil {
				return up, err
			}
		}
	}
	return up, checkUpload(up)
}

func checkUpload(up upload) error {
	if _, ok := importer.ParseKind(string(up.kind)); !ok {
		if up.path != "" {
			_ = os.Remove(up.path)
		}
		return invalidUpload("import.web.kind", "choose what the file holds")
	}
	if up.path == "" {
		return invalidUpload("import.web.nofile", "choose a CSV or XLSX file")
	}
	return nil
}

func uploadError(up upload, err error) error {
	if up.path != "" {
		_ = os.Remove(up.path)
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return importer.TooLargeError(importer.MaxBytes)
	}
	return invalidUpload("import.web.broken", "the upload broke off: choose the file again")
}

// saveUpload writes the file part to a new temporary file.
func (s *Server) saveUpload(up *upload, part *multipart.Part) error {
	up.name = filepath.Base(part.FileName())
	if up.name == "." || up.name == "" {
		return invalidUpload("import.web.nofile", "choose a CSV or XLSX file")
	}
	if _, ok := importer.FormatOfName(up.name); !ok {
		return invalidUpload("import.web.format", "choose a file that ends in .csv or .xlsx")
	}
	sweepUploads()
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux
	up.id = hex.EncodeToString(b)
	up.path = uploadPath(up.id)
	f, err := os.OpenFile(up.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(part, importer.MaxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > importer.MaxBytes {
		err = &http.MaxBytesError{Limit: importer.MaxBytes}
	}
	if err != nil {
		return uploadError(*up, err)
	}
	return nil
}

// keepUpload remembers the checked file in the session, and drops the one
// it replaces.
func (s *Server) keepUpload(r *http.Request, up upload) {
	if old := s.Sessions.GetString(r.Context(), sessionImportID); old != "" && old != up.id {
		_ = os.Remove(uploadPath(old))
	}
	s.Sessions.Put(r.Context(), sessionImportID, up.id)
	s.Sessions.Put(r.Context(), sessionImportKind, string(up.kind))
	s.Sessions.Put(r.Context(), sessionImportName, up.name)
}

func (s *Server) forgetUpload(r *http.Request) {
	for _, k := range []string{sessionImportID, sessionImportKind, sessionImportName} {
		s.Sessions.Remove(r.Context(), k)
	}
}

// uploadPath is where an upload waits. The id is ours (hex), never the
// client's, so no path can be smuggled in; anything else names no file.
func uploadPath(id string) string {
	if _, err := hex.DecodeString(id); err != nil || len(id) != 32 {
		return ""
	}
	return filepath.Join(os.TempDir(), "traject-upload-"+id)
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return path != "" && err == nil && fi.Mode().IsRegular()
}

// sweepUploads removes the uploads that waited longer than importKeep for a
// confirmation that never came.
func sweepUploads() {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "traject-upload-*"))
	for _, p := range old {
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > importKeep {
			_ = os.Remove(p)
		}
	}
}

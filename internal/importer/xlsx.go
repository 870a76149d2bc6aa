package importer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"traject"
)

// Limits on what a spreadsheet may unpack to. A 50 MB XLSX file of device
// rows unpacks to about 600 MB of XML; more than 1 GB is a zip bomb, not an
// inventory. Parts above 1 MB are unpacked to temporary files, not memory,
// so that the rows stream from disk.
const (
	maxUnzipped    = 1 << 30
	maxUnzippedXML = 1 << 20
)

// xlsxSource reads the first sheet of a spreadsheet with excelize's streaming
// row iterator. A zip can only be read with seeks, so an upload is first
// written to a temporary file, counting the bytes as they come.
type xlsxSource struct {
	f        *excelize.File
	rows     *excelize.Rows
	spooled  string // our temporary copy of the upload, removed on close
	row      int
	date1904 bool
	fail     error
}

func errCorrupt() *traject.Error {
	return fileError("import.xlsx.corrupt", "this is not a readable XLSX file: it is damaged or cut short, or another kind of file; save it again as an Excel workbook (.xlsx)")
}

func newXLSXSource(r io.Reader, max int64) (src *xlsxSource, err error) {
	s := &xlsxSource{}
	defer func() {
		if err != nil {
			_ = s.close() // the error at hand is the one to report
		}
	}()
	path, err := s.spool(r, max)
	if err != nil {
		return nil, err
	}
	if err := checkZip(path); err != nil {
		return nil, err
	}
	if s.f, err = excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML}); err != nil {
		return nil, errCorrupt()
	}
	sheets := s.f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errCorrupt()
	}
	if s.rows, err = s.f.Rows(sheets[0]); err != nil {
		return nil, errCorrupt()
	}
	if props, err := s.f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	return s, nil
}

// spool returns the path of the file to read: the file itself when r is a
// regular file, else a temporary copy of at most max bytes.
func (s *xlsxSource) spool(r io.Reader, max int64) (string, error) {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if fi.Size() > max {
				return "", TooLargeError(max)
			}
			return f.Name(), nil
		}
	}
	tmp, err := os.CreateTemp("", "traject-import-*.xlsx")
	if err != nil {
		return "", fmt.Errorf("importer: spool XLSX: %w", err)
	}
	s.spooled = tmp.Name()
	_, err = io.Copy(tmp, &limitReader{r: r, max: max})
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	switch {
	case errors.Is(err, errTooLarge):
		return "", TooLargeError(max)
	case err != nil:
		return "", fmt.Errorf("importer: spool XLSX: %w", err)
	}
	return s.spooled, nil
}

// checkZip refuses a file that is not a whole zip, or that would unpack to
// more than maxUnzipped, with a message of its own before excelize reads it.
func checkZip(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return errCorrupt()
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > maxUnzipped {
		return fileError("import.xlsx.unzipped", "this spreadsheet unpacks to more than 1 GB: split it into smaller files")
	}
	return nil
}

func (s *xlsxSource) next(rec *record) (ok bool) {
	// excelize parses what an uploader sends: whatever goes wrong inside it is
	// a broken file for the user, never a crash of the server.
	defer func() {
		if p := recover(); p != nil {
			s.fail, ok = errCorrupt(), false
		}
	}()
	if s.fail != nil {
		return false
	}
	if !s.rows.Next() {
		if s.rows.Error() != nil {
			s.fail = errCorrupt()
		}
		return false
	}
	// Next yields every row number in turn, the empty ones too, so counting
	// its calls gives the row number the spreadsheet shows.
	s.row++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		s.fail = errCorrupt()
		return false
	}
	rec.line, rec.cells, rec.problem = s.row, cells, nil
	return true
}

func (s *xlsxSource) err() error { return s.fail }

// date reads a date typed as text, or a date cell, which a sheet stores as
// the number of days since 1900 (or 1904).
func (s *xlsxSource) date(v string) (time.Time, bool) {
	if t, ok := traject.ParseDate(v); ok {
		return t, true
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 1 || n > 2958465 { // 9999-12-31
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(n, s.date1904)
	if err != nil {
		return time.Time{}, false
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
}

func (s *xlsxSource) close() error {
	var errs []error
	if s.rows != nil {
		errs = append(errs, s.rows.Close())
	}
	if s.f != nil {
		errs = append(errs, s.f.Close())
	}
	if s.spooled != "" {
		errs = append(errs, os.Remove(s.spooled))
	}
	return errors.Join(errs...)
}

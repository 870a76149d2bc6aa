package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"time"

	"traject"
)

// source yields the records of a file one at a time: the lines of a CSV file
// or the rows of a spreadsheet's first sheet. A record stays valid until the
// next call to next.
type source interface {
	// next reads the next record; false at the end or on an error that ends
	// the file, which err then returns.
	next(rec *record) bool
	err() error
	// date reads a date cell: YYYY-MM-DD, or a spreadsheet's date number.
	date(s string) (time.Time, bool)
	close() error
}

// record is one line or row. A line that cannot be read at all (a broken
// quote) carries its problem and no cells.
type record struct {
	line    int
	cells   []string
	problem *RowError
}

func openSource(r io.Reader, f Format, max int64) (source, error) {
	switch f {
	case CSV:
		return newCSVSource(r, max)
	case XLSX:
		return newXLSXSource(r, max)
	}
	return nil, fileError("import.file.format", "send a CSV or an XLSX file")
}

// errTooLarge is what limitReader returns past MaxBytes.
var errTooLarge = errors.New("importer: file too large")

// limitReader refuses to read past max bytes: it fails instead of stopping,
// so that a file cut at the limit is never taken for a whole one.
type limitReader struct {
	r      io.Reader
	n, max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, errTooLarge
	}
	if rest := l.max + 1 - l.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return 0, errTooLarge
	}
	return n, err
}

var utf8BOM = []byte("\xef\xbb\xbf")

// csvSource reads UTF-8 CSV with a comma or a semicolon between cells,
// whichever the header line uses; a byte-order mark is skipped.
type csvSource struct {
	r    *csv.Reader
	max  int64
	fail error
}

func newCSVSource(r io.Reader, max int64) (*csvSource, error) {
	br := bufio.NewReaderSize(&limitReader{r: r, max: max}, 64<<10)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM)) // peeked: cannot fail
	}
	if b, _ := br.Peek(2); bytes.Equal(b, []byte{0xff, 0xfe}) || bytes.Equal(b, []byte{0xfe, 0xff}) {
		return nil, fileError("import.csv.utf16", "this file is UTF-16 text (\"Unicode text\"): save it as CSV UTF-8")
	}
	comma, err := detectComma(br)
	if errors.Is(err, errTooLarge) {
		return nil, TooLargeError(max)
	}
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // a short or long line gets its own message
	cr.ReuseRecord = true   // one slice for the whole file
	return &csvSource{r: cr, max: max}, nil
}

// detectComma looks at the header line, the first that is not empty (within
// the first 64 KB), and picks the separator that occurs more often outside
// quotes: spreadsheets in Dutch and French write semicolons.
func detectComma(br *bufio.Reader) (rune, error) {
	head, err := br.Peek(br.Size())
	if len(bytes.TrimSpace(head)) == 0 {
		if err != nil && err != io.EOF {
			return 0, err // errTooLarge, or the reader failed
		}
		return 0, fileError("import.file.empty", "the file is empty: it needs a header line and one line per row")
	}
	commas, semicolons, quoted := 0, 0, false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' && commas+semicolons == 0:
		case c == '\n':
			if semicolons > commas {
				return ';', nil
			}
			return ',', nil
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
	}
	if semicolons > commas {
		return ';', nil
	}
	return ',', nil
}

func (s *csvSource) next(rec *record) bool {
	if s.fail != nil {
		return false
	}
	cells, err := s.r.Read()
	var pe *csv.ParseError
	switch {
	case err == nil:
		rec.line, _ = s.r.FieldPos(0)
		rec.cells, rec.problem = cells, nil
		return true
	case err == io.EOF:
		return false
	case errors.Is(err, errTooLarge):
		s.fail = TooLargeError(s.max)
		return false
	case errors.As(err, &pe):
		rec.line, rec.cells = pe.StartLine, nil
		rec.problem = &RowError{Line: pe.StartLine, Key: "import.csv.quote",
			Reason: "a quote (\") is not closed, or stands inside a value: put values with quotes, commas or semicolons between quotes and double the quotes inside"}
		return true
	default:
		s.fail = fmt.Errorf("importer: read CSV: %w", err)
		return false
	}
}

func (s *csvSource) err() error { return s.fail }

func (s *csvSource) date(v string) (time.Time, bool) { return traject.ParseDate(v) }

func (s *csvSource) close() error { return nil }

package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"traject"
)

// Encoder writes a report's rows one at a time (STYLE 21): the header when
// it is made, then Encode per row, and Close to finish the file.
type Encoder interface {
	Encode(row []any) error
	Close() error
}

// Formats are the file formats a report is written in.
var Formats = []string{"csv", "json", "xlsx"}

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case "csv":
		return "text/csv; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/json"
}

// FileName is the name a downloaded report gets: the report, its range and
// region, so that two downloads never overwrite each other by accident.
func FileName(t *Table, format string) string {
	name := t.Name
	if t.Name == "stock" {
		name += "-" + t.Filter.At.Format("2006-01-02")
	} else {
		name += "-" + t.Filter.From.String() + "-" + t.Filter.To.String()
	}
	if t.Filter.Region != "" {
		name += "-" + t.Filter.Region
	}
	return name + "." + format
}

// NewEncoder returns the encoder of a format for t's columns.
func NewEncoder(w io.Writer, format string, t *Table) (Encoder, error) {
	switch format {
	case "csv":
		return NewCSVEncoder(w, t.Columns)
	case "json":
		return NewJSONEncoder(w, t)
	case "xlsx":
		return NewXLSXEncoder(w, t.Name, t.Columns)
	}
	return nil, traject.Errorf(traject.EINVALID, "report.format", "%q is not a format: use csv, json or xlsx", format)
}

// Write writes the whole table in a format.
func Write(w io.Writer, format string, t *Table) error {
	enc, err := NewEncoder(w, format, t)
	if err != nil {
		return err
	}
	for _, row := range t.Rows {
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	return enc.Close()
}

// CSVEncoder writes CSV: a header row, '.' as the decimal separator.
type CSVEncoder struct {
	w   *csv.Writer
	rec []string
}

// NewCSVEncoder writes the header at once.
func NewCSVEncoder(w io.Writer, columns []string) (*CSVEncoder, error) {
	e := &CSVEncoder{w: csv.NewWriter(w)}
	return e, e.w.Write(columns)
}

// Encode writes one row.
func (e *CSVEncoder) Encode(row []any) error {
	e.rec = e.rec[:0]
	for _, c := range row {
		e.rec = append(e.rec, Text(c))
	}
	return e.w.Write(e.rec)
}

// Close flushes the rows and returns the first error of any write.
func (e *CSVEncoder) Close() error {
	e.w.Flush()
	return e.w.Error()
}

// JSONEncoder writes {"report", "from", "to", "region", "columns", "rows"},
// each row an object keyed by column, in the columns' order; an empty
// average is null.
type JSONEncoder struct {
	w       io.Writer
	columns []string
	n       int
	err     error
}

// NewJSONEncoder writes the document's head at once.
func NewJSONEncoder(w io.Writer, t *Table) (*JSONEncoder, error) {
	e := &JSONEncoder{w: w, columns: t.Columns}
	head := struct {
		Report  string   `json:"report"`
		From    string   `json:"from,omitempty"`
		To      string   `json:"to,omitempty"`
		At      string   `json:"at,omitempty"`
		Region  string   `json:"region,omitempty"`
		Columns []string `json:"columns"`
	}{Report: t.Name, Region: regionOf(t.Filter.Region), Columns: t.Columns}
	if t.Name == "stock" {
		head.At = t.Filter.At.Format("2006-01-02")
	} else {
		head.From, head.To = t.Filter.From.String(), t.Filter.To.String()
	}
	b, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	_, err = fmt.Fprintf(w, "%s,\"rows\":[", b[:len(b)-1])
	return e, err
}

func regionOf(code string) string {
	if r, ok := traject.ParseRegion(code); ok {
		return r.Name
	}
	return ""
}

// Encode writes one row as an object.
func (e *JSONEncoder) Encode(row []any) error {
	var b bytes.Buffer
	if e.n > 0 {
		b.WriteByte(',')
	}
	b.WriteByte('{')
	for i, c := range row {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.columns[i])
		v, err := json.Marshal(c)
		if err != nil {
			return err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	e.n++
	_, err := e.w.Write(b.Bytes())
	return err
}

// Close ends the document.
func (e *JSONEncoder) Close() error {
	_, err := io.WriteString(e.w, "]}\n")
	return err
}

// XLSXEncoder writes one sheet named after the report through excelize's
// stream writer: numbers as numbers, averages with one decimal.
type XLSXEncoder struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	avg    int // the one-decimal number style
	values []any
}

// NewXLSXEncoder writes the header row at once.
func NewXLSXEncoder(w io.Writer, sheet string, columns []string) (*XLSXEncoder, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	custom := "0.0" // no built-in format has one decimal
	avg, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	if err != nil {
		return nil, err
	}
	e := &XLSXEncoder{w: w, f: f, sw: sw, avg: avg}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = c
	}
	return e, e.write(header)
}

func (e *XLSXEncoder) write(values []any) error {
	e.row++
	cell, err := excelize.CoordinatesToCellName(1, e.row)
	if err != nil {
		return err
	}
	return e.sw.SetRow(cell, values)
}

// Encode writes one row.
func (e *XLSXEncoder) Encode(row []any) error {
	e.values = e.values[:0]
	for _, c := range row {
		switch v := c.(type) {
		case *float64:
			if v == nil {
				e.values = append(e.values, nil)
			} else {
				e.values = append(e.values, excelize.Cell{StyleID: e.avg, Value: *v})
			}
		default:
			e.values = append(e.values, v)
		}
	}
	return e.write(e.values)
}

// Close finishes the sheet and writes the workbook.
func (e *XLSXEncoder) Close() error {
	defer e.f.Close()
	if err := e.sw.Flush(); err != nil {
		return err
	}
	_, err := e.f.WriteTo(e.w)
	return err
}

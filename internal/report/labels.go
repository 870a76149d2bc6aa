// Package report holds Traject's aggregations and their encoders: CSV, XLSX,
// JSON, charts, and the PDF sheets that are printed from the records.
package report

import (
	"image"
	"image/color"
	"io"

	"github.com/boombuler/barcode/qr"
	"github.com/go-pdf/fpdf"

	"traject"
)

// The sheet: A4 with 3 × 8 labels of 63.5 × 33.9 mm, the common 24-up label
// sheet (Avery L7159 and its equivalents). Lengths are in millimetres.
const (
	LabelsPerPage = labelCols * labelRows

	labelCols   = 3
	labelRows   = 8
	labelW      = 63.5
	labelH      = 33.9
	labelLeft   = 7.25 // the columns are centred: (210 - 3 × 63.5 - 2 × 2.5) / 2
	labelTop    = 12.9 // the rows are centred: (297 - 8 × 33.9) / 2
	labelPitchX = labelW + 2.5
	labelPad    = 2.5 // blank border inside a label, for the printer's tolerance
	labelQR     = labelH - 2*labelPad
	quietZone   = 4 // white modules around a QR code, as the standard asks
)

// LabelEncoder writes a PDF sheet of device labels: each label carries the
// asset tag as a QR code and as text, and the serial number. It has the shape
// of the other encoders (Encode per row, Close to finish), but a PDF cannot be
// written before its cross-reference table is known, so fpdf keeps the
// document in memory until Close: callers cap the number of labels.
//
// A QR code holds the bare asset tag, which a scanner types into any search
// field, rather than a URL that would outlive the server's address. Its error
// correction is level Q (a quarter of the code may be scuffed off), which
// still fits a tag like CB-0001 or CB-S00002-0001 in the smallest code of 21 ×
// 21 modules, a millimetre each on the label.
//
// The codes are drawn as vector shapes rather than through fpdf's
// contrib/barcode: that package keeps every code it ever drew in a
// process-wide map that is never emptied (a server printing labels would grow
// without end) and embeds each code as a JPEG image, which a printer or
// viewer may blur. Vector shapes print sharp at any size.
type LabelEncoder struct {
	w   io.Writer
	pdf *fpdf.Fpdf
	tr  func(string) string // UTF-8 to the core fonts' code page
	n   int
}

// NewLabelEncoder starts a sheet of labels that Close writes to w.
func NewLabelEncoder(w io.Writer) *LabelEncoder {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreator("Traject", true)
	pdf.SetTitle("Traject labels", true)
	pdf.SetFillColor(0, 0, 0)
	return &LabelEncoder{w: w, pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
}

// Encode adds the label of one device, on a new page after every 24.
func (e *LabelEncoder) Encode(d *traject.Device) error {
	code, err := qr.Encode(d.AssetTag, qr.Q, qr.Auto)
	if err != nil {
		return err
	}
	if e.n%LabelsPerPage == 0 {
		e.pdf.AddPage()
	}
	x, y := LabelOrigin(e.n)
	e.n++
	e.drawQR(code, x+labelPad, y+labelPad, labelQR)
	e.drawText(d, x+labelPad+labelQR+2, y+labelPad, labelW-2*labelPad-labelQR-2)
	return e.pdf.Error()
}

// LabelOrigin returns the top-left corner, in millimetres, of label i (from 0)
// on its page.
func LabelOrigin(i int) (x, y float64) {
	i %= LabelsPerPage
	return labelLeft + float64(i%labelCols)*labelPitchX, labelTop + float64(i/labelCols)*labelH
}

// drawQR draws a QR code with its quiet zone in a square of side size at x, y.
// Each horizontal run of dark modules is a rectangle, and all of them are one
// path filled at once: filled one by one, their shared edges show as hairline
// seams in an anti-aliased rendering, and seams through the finder patterns
// made a scanner miss codes. The code is an image with one pixel per module.
func (e *LabelEncoder) drawQR(code image.Image, x, y, size float64) {
	b := code.Bounds()
	m := size / float64(b.Dx()+2*quietZone)
	x, y = x+quietZone*m, y+quietZone*m
	dark := func(col, row int) bool {
		return color.GrayModel.Convert(code.At(b.Min.X+col, b.Min.Y+row)).(color.Gray).Y < 128
	}
	for row := 0; row < b.Dy(); row++ {
		for col := 0; col < b.Dx(); {
			if !dark(col, row) {
				col++
				continue
			}
			start := col
			for col < b.Dx() && dark(col, row) {
				col++
			}
			x0, y0, x1, y1 := x+float64(start)*m, y+float64(row)*m, x+float64(col)*m, y+float64(row+1)*m
			e.pdf.MoveTo(x0, y0)
			e.pdf.LineTo(x1, y0)
			e.pdf.LineTo(x1, y1)
			e.pdf.LineTo(x0, y1)
			e.pdf.ClosePath()
		}
	}
	e.pdf.DrawPath("F")
}

// drawText writes the asset tag, as large as fits the width, and the serial
// below it. A tag too long for one line even in small type is broken.
func (e *LabelEncoder) drawText(d *traject.Device, x, y, w float64) {
	size := 14.0
	e.pdf.SetFont("Helvetica", "B", size)
	for size > 7 && e.pdf.GetStringWidth(d.AssetTag) > w {
		size -= 0.5
		e.pdf.SetFontSize(size)
	}
	lineH := size * 0.3528 * 1.2 // points to millimetres, with leading
	for _, line := range e.breakLine(d.AssetTag, w) {
		y += lineH
		e.pdf.Text(x, y, line)
	}
	e.pdf.SetFont("Helvetica", "", 7)
	serial := e.tr(d.Serial)
	for len(serial) > 1 && e.pdf.GetStringWidth(serial) > w {
		serial = serial[:len(serial)-1]
	}
	e.pdf.Text(x, y+4, serial)
}

// breakLine splits s into lines no wider than w in the current font.
func (e *LabelEncoder) breakLine(s string, w float64) []string {
	var lines []string
	for len(s) > 0 {
		n := len(s)
		for n > 1 && e.pdf.GetStringWidth(s[:n]) > w {
			n--
		}
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return lines
}

// Close finishes the sheet and writes it. A sheet without labels is one blank page.
func (e *LabelEncoder) Close() error {
	if e.n == 0 {
		e.pdf.AddPage()
	}
	return e.pdf.Output(e.w)
}

package report

import (
	"io"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// SheetNames are the reports an answer sheet composes, in its order.
var SheetNames = []string{"summary", "deliveries", "device-usage", "loans-by-month"}

// Sheet is an answer sheet: a few reports of one period, each with its
// definitions under it, in the words of one language (Dutch).
type Sheet struct {
	Title, Intro string
	Sections     []SheetSection
}

// SheetSection is one report on the sheet, its cells as text.
type SheetSection struct {
	Title      string
	Columns    []string
	Rows       [][]string
	Definition string
}

// WriteSheetPDF writes the sheet as an A4 PDF: each report a table with its
// definition under it. The Go fonts are embedded, so that the PDF looks the
// same on every machine.
func WriteSheetPDF(w io.Writer, sh Sheet) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(12, 12, 12)
	pdf.SetAutoPageBreak(true, 12)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetTitle(sh.Title, true)
	pdf.AddPage()
	pdf.SetFont("go", "B", 15)
	pdf.MultiCell(0, 7, sh.Title, "", "L", false)
	pdf.SetFont("go", "", 9.5)
	pdf.MultiCell(0, 5, sh.Intro, "", "L", false)
	for _, sec := range sh.Sections {
		sheetSection(pdf, sec)
	}
	return pdf.Output(w)
}

func sheetSection(pdf *fpdf.Fpdf, sec SheetSection) {
	pdf.Ln(4)
	pdf.SetFont("go", "B", 12)
	pdf.MultiCell(0, 6, sec.Title, "", "L", false)
	width := 186.0 / float64(max(len(sec.Columns), 1))
	pdf.SetFont("go", "B", 7)
	header := func() {
		for _, c := range sec.Columns {
			pdf.CellFormat(width, 8, c, "1", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("go", "", 7.5)
	}
	header()
	for _, row := range sec.Rows {
		if pdf.GetY() > 275 {
			pdf.AddPage()
			pdf.SetFont("go", "B", 7)
			header()
		}
		for _, c := range row {
			pdf.CellFormat(width, 5, c, "1", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.Ln(1)
	pdf.SetFont("go", "", 8.5)
	pdf.MultiCell(0, 4.2, sec.Definition, "", "L", false)
}

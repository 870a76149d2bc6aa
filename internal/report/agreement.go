package report

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"traject"
)

// The drawing area of a signature, in the units of its SVG path: the
// canvas at the desk is 600 × 200.
const (
	SignatureWidth  = 600
	SignatureHeight = 200
	maxSignaturePts = 20000
)

// Stroke is one pen stroke of a drawn signature: points in drawing units.
type Stroke [][2]float64

var errSignature = errors.New("report: not a signature path")

// ParseSignature reads a drawn signature: an SVG path of M (move) and L
// (line) commands with coordinates inside the drawing area, as the desk's
// signature pad writes it. Anything else is refused, so a stored signature
// can be drawn in a page or a PDF without surprises.
func ParseSignature(d string) ([]Stroke, error) {
	fields := strings.Fields(strings.NewReplacer(",", " ", "M", " M ", "L", " L ").Replace(d))
	var out []Stroke
	points := 0
	for i := 0; i < len(fields); {
		cmd := fields[i]
		if (cmd != "M" && cmd != "L") || i+2 >= len(fields) {
			return nil, errSignature
		}
		x, errX := strconv.ParseFloat(fields[i+1], 64)
		y, errY := strconv.ParseFloat(fields[i+2], 64)
		// Written so that NaN, which every comparison refuses, is refused too.
		if errX != nil || errY != nil || !(x >= 0 && x <= SignatureWidth && y >= 0 && y <= SignatureHeight) {
			return nil, errSignature
		}
		if cmd == "M" {
			out = append(out, nil)
		} else if len(out) == 0 {
			return nil, errSignature // a line must start somewhere
		}
		out[len(out)-1] = append(out[len(out)-1], [2]float64{x, y})
		if points++; points > maxSignaturePts {
			return nil, errSignature
		}
		i += 3
	}
	return out, nil
}

// SignaturePath writes strokes back as a compact SVG path, the form Traject keeps.
func SignaturePath(strokes []Stroke) string {
	var b strings.Builder
	for _, s := range strokes {
		for i, p := range s {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			b.WriteString(strconv.FormatFloat(p[0], 'f', -1, 64) + " " + strconv.FormatFloat(p[1], 'f', -1, 64))
		}
	}
	return b.String()
}

// agreementSeparator is what the store puts between the Dutch text and the
// translation in the exact text an acceptance keeps.
const agreementSeparator = "\n\n---\n\n"

// latinLanguages are the translations the embedded Go fonts can print.
var latinLanguages = map[string]bool{"nl": true, "en": true, "fr": true}

var languageNames = map[string]string{"nl": "Nederlands", "en": "Engels", "fr": "Frans", "ar": "Arabisch"}

// WriteAgreementPDF writes an accepted loan agreement as a PDF in Dutch: the
// loan, the binding Dutch text exactly as accepted, how and when it was
// accepted, and the drawn signature. A translation in a Latin script (en, fr)
// is printed after the Dutch text. fpdf cannot shape Arabic script, so for an
// Arabic translation the PDF names the language shown and the SHA-256 of the
// exact text instead; Traject keeps that text, and its hash proves it.
func WriteAgreementPDF(w io.Writer, l *traject.Loan, a *traject.Acceptance) error {
	p := &subjectPDF{pdf: fpdf.New("P", "mm", "A4", "")}
	p.pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.pdf.SetCreator("Traject", true)
	p.pdf.SetTitle("Overeenkomst bruikleen "+strconv.FormatInt(l.ID, 10), true)
	p.pdf.SetMargins(18, 18, 18)
	p.pdf.AddPage()
	for _, b := range agreementBlocks(l, a) {
		switch b.kind {
		case blockHeading:
			p.heading(b.value)
		case blockLine:
			p.line(b.label, b.value)
		case blockSection:
			p.subheading(b.label)
		case blockText:
			p.text(b.value)
		}
	}
	if strokes, err := ParseSignature(a.Signature); err == nil && len(strokes) > 0 {
		p.subheading("Handtekening")
		drawSignature(p.pdf, strokes)
	}
	return p.pdf.Output(w)
}

// block is one piece of the printed agreement, in reading order.
type block struct {
	kind         blockKind
	label, value string
}

type blockKind int

const (
	blockHeading blockKind = iota
	blockLine
	blockSection
	blockText
)

// agreementBlocks is what the PDF says, kept apart from drawing it so that a
// test can read it: the PDF's own text is glyph ids, not words.
func agreementBlocks(l *traject.Loan, a *traject.Acceptance) []block {
	line := func(label, value string) block { return block{kind: blockLine, label: label, value: value} }
	out := []block{
		{kind: blockHeading, value: "Overeenkomst bruikleen – lening " + strconv.FormatInt(l.ID, 10)},
		line("Inburgeraar", l.LearnerName+" ("+l.LearnerRef+")"),
		line("Toestel", l.AssetTag),
		line("Cursus", dash(l.CourseRef)),
		line("Afgesproken periode", l.From.Format(traject.DateLayout)+" tot en met "+l.Until.Format(traject.DateLayout)),
		line("Terugbrengen ten laatste", l.Due.Format(traject.DateLayout)),
		line("Versie van de tekst", strconv.Itoa(a.Version)),
		line("Aanvaard op", a.At.In(brussels).Format("2006-01-02 15:04")),
		line("Hoe", acceptanceWords(a)),
		line("Getuige (medewerker)", dash(a.Witness)),
		line("Getoonde taal", languageNames[a.Language]+" ("+a.Language+")"),
		line("SHA-256 van de tekst", a.TextHash),
	}
	dutch, translation, _ := strings.Cut(a.Text, agreementSeparator)
	out = append(out, block{kind: blockSection, label: "Bindende tekst (Nederlands)"}, block{kind: blockText, value: dutch})
	if a.Language == "nl" {
		return out
	}
	out = append(out, block{kind: blockSection, label: "Vertaling zoals getoond (" + languageNames[a.Language] + ")"})
	if latinLanguages[a.Language] {
		return append(out, block{kind: blockText, value: translation})
	}
	return append(out, block{kind: blockText, value: "De inburgeraar las de tekst ook in het " + languageNames[a.Language] +
		". Dit PDF-bestand kan dat schrift niet weergeven. Traject bewaart de exacte getoonde tekst (Nederlands en vertaling); " +
		"de SHA-256 hierboven bewijst welke tekst het was."})
}

// subheading starts a part of the agreement.
func (p *subjectPDF) subheading(title string) {
	p.pdf.Ln(4)
	p.pdf.SetFont("go", "B", 12)
	p.pdf.MultiCell(0, 7, title, "", "L", false)
}

// acceptanceWords says in Dutch how the agreement was accepted.
func acceptanceWords(a *traject.Acceptance) string {
	switch a.Method {
	case traject.AcceptSignature:
		if a.Signature != "" {
			return "handtekening aan de balie"
		}
		return "volledige naam getypt aan de balie: " + a.TypedName
	case traject.AcceptCode:
		return "eenmalige code op de eigen pagina van de inburgeraar"
	case traject.AcceptPaper:
		if a.Imported {
			return "op papier (ingevoerd uit een oud bestand)"
		}
		return "op papier, de scan is bewaard (" + a.ScanType + ")"
	}
	return string(a.Method)
}

// drawSignature draws the strokes in an 90 × 30 mm box under the text.
func drawSignature(pdf *fpdf.Fpdf, strokes []Stroke) {
	const boxW = 90.0
	scale := boxW / SignatureWidth
	x0, y0 := pdf.GetX(), pdf.GetY()+2
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.4)
	for _, s := range strokes {
		for i := 1; i < len(s); i++ {
			pdf.Line(x0+s[i-1][0]*scale, y0+s[i-1][1]*scale, x0+s[i][0]*scale, y0+s[i][1]*scale)
		}
	}
	pdf.SetLineWidth(0.2)
	pdf.Rect(x0, y0, boxW, SignatureHeight*scale, "D")
}

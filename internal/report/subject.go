package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"traject"
	"traject/internal/store"
)

// WriteSubjectJSON writes a subject-access export as indented JSON: the
// complete, exact copy, in every script.
func WriteSubjectJSON(w io.Writer, rec *store.SubjectRecord) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("report: subject json: %w", err)
	}
	return nil
}

// WriteSubjectPDF writes the same export as a readable PDF in Dutch. The Go
// fonts are embedded (Latin, Greek and Cyrillic scripts); text in other
// scripts, such as Arabic names, is exact in the JSON copy, which the PDF says.
func WriteSubjectPDF(w io.Writer, rec *store.SubjectRecord) error {
	p := &subjectPDF{pdf: fpdf.New("P", "mm", "A4", "")}
	p.pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.pdf.SetCreator("Traject", true)
	p.pdf.SetTitle("Gegevens van inburgeraar "+rec.Learner.Ref, true)
	p.pdf.SetMargins(18, 18, 18)
	p.pdf.AddPage()
	p.heading("Alle gegevens over inburgeraar " + rec.Learner.Ref)
	p.line("Gemaakt op", rec.ExportedAt.In(brussels).Format("2006-01-02 15:04")+" door "+rec.ExportedBy)
	p.text("Dit overzicht is leesbaar. De volledige kopie, ook van namen in andere schriften, zit in het JSON-bestand van dezelfde export.")
	p.learner(rec)
	p.section("Intakes", len(rec.Assessments))
	for _, a := range rec.Assessments {
		p.line(a.AssessedOn.Format(traject.DateLayout), fmt.Sprintf("toestel %s, internet %s, geletterdheid %s, opleiding %s, Nederlands %s",
			a.DeviceAccess, a.Internet, a.Literacy, a.Education, dash(string(a.DutchLevel))))
	}
	p.section("Plaatsingsadviezen", len(rec.Placements))
	for _, pl := range rec.Placements {
		o := pl.Final()
		p.line(pl.CreatedAt.In(brussels).Format(traject.DateLayout), fmt.Sprintf("niveau %s, lesvorm %s, voortraject %v, lening %s (regels versie %d)",
			o.Track, o.Mode, o.PreTrack, dash(string(o.Loan)), pl.RulesVersion))
	}
	p.section("Inschrijvingen", len(rec.Enrolments))
	for _, e := range rec.Enrolments {
		p.line(e.CourseRef, string(e.State)+", sinds "+e.CreatedAt.In(brussels).Format(traject.DateLayout))
	}
	p.section("Aanwezigheden", len(rec.Attendance))
	for _, a := range rec.Attendance {
		p.line(a.StartsAt.In(brussels).Format("2006-01-02 15:04")+" "+a.Course, a.Status+" "+a.Reason)
	}
	p.section("Geschiedenis (wie wat wanneer veranderde of bekeek)", len(rec.History))
	for _, h := range rec.History {
		p.line(h.At.In(brussels).Format("2006-01-02 15:04"), h.Action+" door "+h.ActorLabel)
	}
	return p.pdf.Output(w)
}

var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC // the binary embeds the zone database (internal/i18n)
	}
	return loc
}()

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// subjectPDF writes the export's simple layout: headings and label-value lines.
type subjectPDF struct{ pdf *fpdf.Fpdf }

func (p *subjectPDF) heading(s string) {
	p.pdf.SetFont("go", "B", 15)
	p.pdf.MultiCell(0, 8, s, "", "L", false)
	p.pdf.Ln(2)
}

func (p *subjectPDF) section(title string, n int) {
	p.pdf.Ln(4)
	p.pdf.SetFont("go", "B", 12)
	p.pdf.MultiCell(0, 7, fmt.Sprintf("%s (%d)", title, n), "", "L", false)
	if n == 0 {
		p.text("Geen.")
	}
}

func (p *subjectPDF) line(label, value string) {
	p.pdf.SetFont("go", "B", 9.5)
	p.pdf.CellFormat(48, 5.5, label, "", 0, "L", false, 0, "")
	p.pdf.SetFont("go", "", 9.5)
	p.pdf.MultiCell(0, 5.5, value, "", "L", false)
}

func (p *subjectPDF) text(s string) {
	p.pdf.SetFont("go", "", 9.5)
	p.pdf.MultiCell(0, 5.5, s, "", "L", false)
}

func (p *subjectPDF) learner(rec *store.SubjectRecord) {
	l := rec.Learner
	p.section("Persoonsgegevens", 1)
	p.line("Dossiernummer", l.Ref)
	p.line("Naam", l.FirstName+" "+l.LastName)
	p.line("Geboortedatum", dash(dateOrEmpty(l.BirthDate)))
	p.line("Rijksregisternummer", dash(rec.NationalNumber))
	p.line("Telefoon", dash(l.Phone))
	p.line("E-mail", dash(l.Email))
	p.line("Contacttaal", l.Language)
	p.line("Regio", l.RegionCode)
	p.line("Statuut", string(l.Obligation))
	p.line("Trajectbegeleider", dash(l.Counsellor))
	p.line("Traject afgesloten", dash(dateOrEmpty(l.ClosedOn)))
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(traject.DateLayout)
}

package report

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"traject"
	"traject/internal/store"
)

var letterTitles = map[traject.LetterKind]string{
	traject.LetterWarning:  "Aanmaning",
	traject.LetterReferral: "Kennisgeving van doorverwijzing",
	traject.LetterDecision: "Beslissing",
}

var summaryHeadings = map[string]string{
	"nl": "In eenvoudige taal", "en": "In plain English", "fr": "En langage simple", "ar": "Samenvatting in het Arabisch",
}

// WriteLetterPDF writes a letter of an infraction file as sent: the Dutch
// letter, then the plain-language summary in the learner's language. fpdf
// cannot shape Arabic script, so for an Arabic summary the PDF prints the
// Dutch and English summaries and says that the Arabic one is in the file
// in Traject (its page shows it exactly), to be read out or handed over.
func WriteLetterPDF(w io.Writer, f *traject.InfractionFile, l *store.FileLetter) error {
	p := &subjectPDF{pdf: fpdf.New("P", "mm", "A4", "")}
	p.pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.pdf.SetCreator("Traject", true)
	p.pdf.SetTitle(letterTitles[l.Kind]+" - dossier "+strconv.FormatInt(f.ID, 10), true)
	p.pdf.SetMargins(20, 20, 20)
	p.pdf.AddPage()
	p.heading(letterTitles[l.Kind])
	p.line("Dossier", strconv.FormatInt(f.ID, 10)+" - "+f.LearnerRef)
	p.line("Verzonden op", l.SentOn.Format("02-01-2006"))
	p.pdf.Ln(3)
	for _, para := range strings.Split(l.Body, "\n") {
		p.text(para)
	}
	p.pdf.Ln(4)
	for _, s := range letterSummaries(f, l) {
		p.pdf.SetFont("go", "B", 11)
		p.pdf.MultiCell(0, 6, s[0], "", "L", false)
		p.text(s[1])
		p.pdf.Ln(2)
	}
	return p.pdf.Output(w)
}

// letterSummaries returns the summaries to print, each with its heading.
func letterSummaries(f *traject.InfractionFile, l *store.FileLetter) [][2]string {
	if latinLanguages[l.SummaryLanguage] {
		return [][2]string{{summaryHeadings[l.SummaryLanguage], l.Summary}}
	}
	facts := traject.LetterFacts{FileID: f.ID, Learner: f.LearnerName, Type: f.Type, From: f.From, Until: f.Until,
		Deadline: letterDeadline(f, l.Kind), Outcome: f.Outcome, Amount: f.Amount}
	return [][2]string{
		{summaryHeadings["nl"], traject.PlainSummary(l.Kind, facts, "nl")},
		{summaryHeadings["en"], traject.PlainSummary(l.Kind, facts, "en")},
		{summaryHeadings[l.SummaryLanguage], "De samenvatting in het Arabisch staat in het dossier in Traject en wordt " +
			"de inburgeraar voorgelezen of apart meegegeven: dit PDF-bestand kan Arabisch schrift niet correct weergeven."},
	}
}

func letterDeadline(f *traject.InfractionFile, kind traject.LetterKind) time.Time {
	switch kind {
	case traject.LetterWarning:
		return f.WarningDeadline
	case traject.LetterReferral:
		return f.DefenceDeadline
	}
	return f.PaymentDeadline
}

package report

import (
	"bytes"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
)

func TestWriteLetterPDF(t *testing.T) {
	f := &traject.InfractionFile{ID: 12, LearnerRef: "ANT-2020-0001", LearnerName: "Amal Haddad", Type: traject.InfractionInsufficientParticipation,
		From: time.Date(2020, 3, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2020, 3, 26, 0, 0, 0, 0, time.UTC),
		WarningDeadline: time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)}
	for _, lang := range []string{"fr", "ar"} {
		text := traject.ComposeLetter(traject.LetterWarning, traject.LetterFacts{FileID: 12, Learner: f.LearnerName, Type: f.Type,
			From: f.From, Until: f.Until, Deadline: f.WarningDeadline}, lang)
		l := &store.FileLetter{Kind: traject.LetterWarning, Language: lang, Body: text.Dutch, Summary: text.Summary,
			SummaryLanguage: text.SummaryLanguage, SentOn: f.From}
		var buf bytes.Buffer
		if err := WriteLetterPDF(&buf, f, l); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) || buf.Len() < 1000 {
			t.Errorf("%s: not a PDF (%d bytes)", lang, buf.Len())
		}
		sums := letterSummaries(f, l)
		if lang == "ar" && (len(sums) != 3 || sums[1][1] == "" || sums[1][1] == sums[0][1]) {
			t.Errorf("ar summaries: %v", sums)
		}
		if lang == "fr" && (len(sums) != 1 || sums[0][1] != text.Summary) {
			t.Errorf("fr summaries: %v", sums)
		}
	}
}

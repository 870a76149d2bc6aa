package report

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"traject"
)

func agreementLoan() *traject.Loan {
	day := func(s string) time.Time { d, _ := traject.ParseDate(s); return d }
	return &traject.Loan{ID: 42, LearnerRef: "INB-1", LearnerName: "Amal Haddad", CourseRef: "MO-ANT-01", AssetTag: "CB-0001",
		From: day("2020-09-01"), Until: day("2020-10-31"), Due: day("2020-10-31")}
}

func TestParseSignature(t *testing.T) {
	strokes, err := ParseSignature("M10 20 L30.5 40 L50,60 M100 100 L120 110")
	if err != nil || len(strokes) != 2 || len(strokes[0]) != 3 || strokes[0][1] != [2]float64{30.5, 40} {
		t.Fatalf("strokes %v, %v", strokes, err)
	}
	if got := SignaturePath(strokes); got != "M10 20 L30.5 40 L50 60 M100 100 L120 110" {
		t.Errorf("path %q", got)
	}
	for _, bad := range []string{"M10", "L10 10", "M10 10 C1 2 3 4", "M-1 5", "M700 5", "M1 NaN", "M1 2 Z", "<script>"} {
		if _, err := ParseSignature(bad); err == nil {
			t.Errorf("ParseSignature(%q) accepted", bad)
		}
	}
}

// TestAgreementPDF checks what the PDF says, for a Dutch, a French and an
// Arabic acceptance, and that it is a PDF with the signature drawn.
func TestAgreementPDF(t *testing.T) {
	l := agreementLoan()
	at := time.Date(2020, 9, 1, 8, 30, 0, 0, time.UTC)
	tests := []struct {
		lang, text string
		want       []string
		notWant    []string
	}{
		{lang: "nl", text: "Ik leen CB-0001.", want: []string{"Ik leen CB-0001."}, notWant: []string{"Vertaling"}},
		{lang: "fr", text: "Ik leen CB-0001." + agreementSeparator + "J'emprunte CB-0001.",
			want: []string{"Ik leen CB-0001.", "J'emprunte CB-0001.", "Frans (fr)"}},
		{lang: "ar", text: "Ik leen CB-0001." + agreementSeparator + "أستعير CB-0001.",
			want: []string{"Ik leen CB-0001.", "Arabisch (ar)", "kan dat schrift niet weergeven"}, notWant: []string{"أستعير"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := &traject.Acceptance{Version: 3, Language: tt.lang, Text: tt.text, TextHash: traject.TextHash(tt.text),
				Method: traject.AcceptSignature, Signature: "M10 10 L100 50 L200 20", Witness: "desk@example.org", At: at}
			var all strings.Builder
			for _, b := range agreementBlocks(l, a) {
				all.WriteString(b.label + ": " + b.value + "\n")
			}
			text := all.String()
			for _, w := range append(tt.want, a.TextHash, "desk@example.org", "2020-09-01 10:30", "2020-10-31", "Versie van de tekst: 3") {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF does not say %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("the PDF says %q", w)
				}
			}
			var buf bytes.Buffer
			if err := WriteAgreementPDF(&buf, l, a); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
			// The signature's two segments are drawn as lines ("x y m x y l S").
			var lines int
			for _, stream := range pdfStreams(t, buf.Bytes()) {
				lines += len(regexp.MustCompile(`(?m) m [0-9.]+ [0-9.]+ l S$`).FindAllString(stream, -1))
			}
			if lines < 2 {
				t.Errorf("%d line segments drawn, want the signature's 2", lines)
			}
		})
	}
}

// pdfStreams returns every stream of a PDF, inflated.
func pdfStreams(t *testing.T, pdf []byte) []string {
	t.Helper()
	var out []string
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			t.Fatal("unterminated stream")
		}
		b := rest[:j]
		if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatalf("stream: %v", err)
			}
		}
		out = append(out, string(b))
		rest = rest[j+len("\nendstream"):]
	}
}

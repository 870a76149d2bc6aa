package report

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"traject"
)

// TestLabelSheet prints 25 labels and reads them back from the PDF itself:
// two A4 pages, every tag as text, and every QR code, rasterised from the
// page's own drawing operators, decoded by an independent reader (a port of
// ZXing) to its tag.
func TestLabelSheet(t *testing.T) {
	var buf bytes.Buffer
	enc := NewLabelEncoder(&buf)
	var tags []string
	for i := 1; i <= 25; i++ {
		d := &traject.Device{AssetTag: fmt.Sprintf("CB-%04d", i), Serial: fmt.Sprintf("5CD%07d", 2000000+i)}
		if i == 25 {
			d.AssetTag = "CB-S10000-1000" // the longest tag of the synthetic fleet
		}
		tags = append(tags, d.AssetTag)
		if err := enc.Encode(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	if m := regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count (\d+)`).FindSubmatch(pdf); m == nil || string(m[1]) != "2" {
		t.Fatalf("page count: %q", m)
	}
	pages := pageContents(t, pdf)
	if len(pages) != 2 {
		t.Fatalf("%d content streams, want 2", len(pages))
	}
	// Each QR code is one path, filled once: without the fill nothing shows.
	if n0, n1 := strings.Count(pages[0], "h\nf\n"), strings.Count(pages[1], "h\nf\n"); n0 != 24 || n1 != 1 {
		t.Errorf("filled QR paths: %d and %d, want 24 and 1", n0, n1)
	}
	rects := [][]rect{pageRects(pages[0]), pageRects(pages[1])}
	for i, tag := range tags {
		if !strings.Contains(pages[i/LabelsPerPage], "("+tag+") Tj") {
			t.Errorf("label %d: tag %s is not printed as text", i, tag)
		}
		if got := decodeQR(t, rects[i/LabelsPerPage], i); got != tag {
			t.Errorf("label %d: QR code reads %q, want %q", i, got, tag)
		}
	}
}

// TestEmptyLabelSheet: no labels is still a valid one-page PDF.
func TestEmptyLabelSheet(t *testing.T) {
	var buf bytes.Buffer
	if err := NewLabelEncoder(&buf).Close(); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("empty sheet: %v, %q", err, buf.String()[:min(20, buf.Len())])
	}
}

// pageContents returns the inflated content stream of each page, in order.
func pageContents(t *testing.T, pdf []byte) []string {
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
		if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil { // else a stream that is not compressed
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatalf("stream: %v", err)
			}
		}
		if bytes.Contains(b, []byte(" Tj")) {
			out = append(out, string(b))
		}
		rest = rest[j+len("\nendstream"):]
	}
}

// subpath is one closed rectangle of a QR code's path: x y m, three x y l, h.
var subpath = regexp.MustCompile(`([\d.]+) ([\d.]+) m\n[\d.]+ [\d.]+ l\n([\d.]+) ([\d.]+) l\n[\d.]+ [\d.]+ l\nh\n`)

// rect is a rectangle on the page in millimetres from its top-left corner.
type rect struct{ x, top, right, bottom float64 }

// pageRects returns the rectangles of a page's paths: from the top-left corner
// and the bottom-right one (PDF's y grows upwards from the bottom, in points).
func pageRects(page string) []rect {
	const k = 72 / 25.4 // points per millimetre
	var out []rect
	for _, m := range subpath.FindAllStringSubmatch(page, -1) {
		out = append(out, rect{num(m[1]) / k, 297 - num(m[2])/k, num(m[3]) / k, 297 - num(m[4])/k})
	}
	return out
}

// decodeQR paints the rectangles that fall in label i's QR square into an
// image, 6 pixels a millimetre with a white border, and decodes it.
func decodeQR(t *testing.T, rects []rect, i int) string {
	t.Helper()
	const pxPerMM, border = 6.0, 12
	x0, y0 := LabelOrigin(i)
	x0, y0 = x0+labelPad, y0+labelPad
	side := int(math.Ceil(labelQR*pxPerMM)) + 2*border
	img := image.NewGray(image.Rect(0, 0, side, side))
	for p := range img.Pix {
		img.Pix[p] = 0xff
	}
	px := func(mm, origin float64) int { return border + int((mm-origin)*pxPerMM+0.5) }
	for _, r := range rects {
		if r.x < x0 || r.x >= x0+labelQR || r.top < y0 || r.top >= y0+labelQR {
			continue // another label's square
		}
		for y := px(r.top, y0); y < px(r.bottom, y0); y++ {
			for x := px(r.x, x0); x < px(r.right, x0); x++ {
				img.SetGray(x, y, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "undecodable: " + err.Error()
	}
	return res.GetText()
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

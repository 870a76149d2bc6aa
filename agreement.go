package traject

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AgreementLanguages are the languages an agreement is published in. Dutch
// is binding; the others are translations shown beside it.
var AgreementLanguages = []string{"nl", "en", "fr", "ar"}

// AgreementVersion is one published version of the loan agreement. A new
// version never changes an old one: acceptances point at the version, and
// keep the exact text they showed.
type AgreementVersion struct {
	ID          int64             `json:"id"`
	Version     int               `json:"version"`
	Texts       map[string]string `json:"texts"` // language -> template
	PublishedAt time.Time         `json:"published_at"`
	PublishedBy string            `json:"published_by,omitempty"`
}

// The placeholders an agreement template may hold.
var agreementPlaceholders = []string{"{learner}", "{device}", "{accessories}", "{from}", "{until}", "{due}", "{return}"}

// Validate checks a new version: a Dutch text, only known languages, and no
// unknown placeholder (a typo would print braces in a signed document).
func (a *AgreementVersion) Validate() error {
	var v Validation
	if strings.TrimSpace(a.Texts["nl"]) == "" {
		v.Add("nl", "agreement.nl.required", "the Dutch text is binding and cannot be empty", nil)
	}
	for lang, text := range a.Texts {
		if !slices.Contains(AgreementLanguages, lang) {
			v.Add(lang, "agreement.language", "publish only in nl, en, fr or ar", nil)
			continue
		}
		if p := unknownPlaceholder(text); p != "" {
			v.Add(lang, "agreement.placeholder", "unknown placeholder "+p, map[string]any{"Placeholder": p})
		}
		if utf8.RuneCountInString(text) > 20000 {
			v.Add(lang, "agreement.long", "keep the text under 20,000 characters", nil)
		}
	}
	return v.Err()
}

func unknownPlaceholder(text string) string {
	for rest := text; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return ""
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return ""
		}
		if p := rest[i : i+j+1]; !slices.Contains(agreementPlaceholders, p) {
			return p
		}
		rest = rest[i+j+1:]
	}
}

// AgreementFacts fill an agreement's placeholders for one loan.
type AgreementFacts struct {
	Learner     string
	Device      string // model and asset tag
	Accessories string
	From, Until time.Time
	Due         time.Time
	Return      string // where and how to return the device
}

// RenderAgreement fills a template; dates are written DD-MM-YYYY, as
// Belgian letters write them, in every language.
func RenderAgreement(template string, f AgreementFacts) string {
	day := func(t time.Time) string { return t.Format("02-01-2006") }
	return strings.NewReplacer(
		"{learner}", f.Learner, "{device}", f.Device, "{accessories}", f.Accessories,
		"{from}", day(f.From), "{until}", day(f.Until), "{due}", day(f.Due), "{return}", f.Return,
	).Replace(template)
}

// TextHash is the SHA-256 of a text shown to a learner, in hex: what an
// acceptance records, so the text can be proven later.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// AcceptanceMethod is how a learner accepted an agreement.
type AcceptanceMethod string

// The acceptance methods.
const (
	AcceptSignature AcceptanceMethod = "signature" // drawn at the desk, or the typed name without JavaScript
	AcceptCode      AcceptanceMethod = "code"      // a one-time code entered on the learner's own page
	AcceptPaper     AcceptanceMethod = "paper"     // signed on paper, the scan attached
)

// Acceptance is a learner's acceptance of one version of the agreement for one loan.
type Acceptance struct {
	ID        int64            `json:"id"`
	LoanID    int64            `json:"loan_id"`
	Version   int              `json:"version"`
	Language  string           `json:"language"`    // the language shown beside the Dutch text
	TextHash  string           `json:"text_sha256"` // of the exact text shown
	Text      string           `json:"-"`
	Method    AcceptanceMethod `json:"method"`
	Signature string           `json:"-"` // the drawn signature as an SVG path, when drawn
	TypedName string           `json:"typed_name,omitempty"`
	Scan      []byte           `json:"-"` // the paper scan (PDF, PNG or JPEG)
	ScanType  string           `json:"scan_type,omitempty"`
	Witness   string           `json:"witness,omitempty"` // the staff member's e-mail address
	Imported  bool             `json:"imported,omitempty"`
	At        time.Time        `json:"accepted_at"`
}

// MaxScanBytes bounds a paper scan.
const MaxScanBytes = 5 << 20

// Validate checks an acceptance's method and its proof.
func (a *Acceptance) Validate() error {
	var v Validation
	if !slices.Contains(AgreementLanguages, a.Language) {
		v.Add("language", "acceptance.language", "show the agreement in nl, en, fr or ar", nil)
	}
	switch a.Method {
	case AcceptSignature:
		a.TypedName = strings.TrimSpace(a.TypedName)
		if a.Signature == "" && a.TypedName == "" {
			v.Add("signature", "acceptance.signature", "let the learner sign, or type their full name", nil)
		}
		if len(a.Signature) > 200000 {
			v.Add("signature", "acceptance.signature.long", "the signature is too large", nil)
		}
	case AcceptCode:
	case AcceptPaper:
		if len(a.Scan) == 0 && !a.Imported {
			v.Add("scan", "acceptance.scan", "attach the scan of the signed paper", nil)
		}
		if len(a.Scan) > MaxScanBytes {
			v.Add("scan", "acceptance.scan.large", "the scan can be at most 5 MB", nil)
		}
	default:
		v.Add("method", "acceptance.method", "choose signature, code or paper", nil)
	}
	return v.Err()
}

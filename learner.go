package traject

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Obligation says whether a learner must follow the trajectory (and can be
// fined) or may follow it.
type Obligation string

// The obligations.
const (
	Obliged  Obligation = "obliged"
	Entitled Obligation = "entitled"
)

// Valid reports whether o is obliged or entitled.
func (o Obligation) Valid() bool { return o == Obliged || o == Entitled }

// Learner is a newcomer following a civic-integration trajectory (an
// inburgeraar). Learners are personal data: lists are scoped to the actor's
// region, and the national number is kept sealed by the store.
//
// NationalNumber holds the number in clear only in memory, between a form and
// the store, or after a permitted reveal; it is never marshalled (its own
// encoders give the mask, and the field is excluded), so audit rows and API
// answers carry NationalNumberMasked instead.
type Learner struct {
	ID                   int64          `json:"id"`
	Ref                  string         `json:"ref"`
	FirstName            string         `json:"first_name"`
	LastName             string         `json:"last_name"`
	BirthDate            time.Time      `json:"birth_date,omitzero"`
	NationalNumber       NationalNumber `json:"-"`
	NationalNumberMasked string         `json:"national_number_masked,omitempty"`
	Phone                string         `json:"phone,omitempty"`
	Email                string         `json:"email,omitempty"`
	Language             string         `json:"language"` // ISO 639-1, the language to contact the learner in
	RegionCode           string         `json:"region"`
	OfficeID             int64          `json:"office_id,omitempty"`
	Obligation           Obligation     `json:"obligation"`
	Counsellor           string         `json:"counsellor,omitempty"` // the counsellor's e-mail address
	ClosedOn             time.Time      `json:"closed_on,omitzero"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

// FullName is the name as staff pages show it.
func (l *Learner) FullName() string {
	return strings.TrimSpace(l.FirstName + " " + l.LastName)
}

var learnerRefPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$`)

// ValidLearnerRef reports whether s can be a learner's reference (the
// agency's dossier number): 3 to 32 letters, digits, dots, dashes or
// underscores, starting with a letter or digit, so that it sits in a URL as it is.
func ValidLearnerRef(s string) bool { return learnerRefPattern.MatchString(s) }

var phonePattern = regexp.MustCompile(`^\+?[0-9 ./()-]{6,24}$`)

// Validate checks a new or changed learner, names every wrong field in the
// order the form asks them, and normalises what people type: spaces around
// answers, the national number's separators, the region's name, the language
// code's case. A national number becomes its 11 digits, with its mask.
func (l *Learner) Validate() error {
	var v Validation
	l.trim()
	switch {
	case !ValidLearnerRef(l.Ref) || strings.EqualFold(l.Ref, "new") || strings.EqualFold(l.Ref, "search"):
		v.Add("ref", "learner.ref.invalid", "use 3 to 32 letters, digits, dots or dashes", nil)
	case looksLikeNationalNumber(l.Ref):
		// The reference goes into URLs, logs and the audit log, where a
		// national number must never be.
		v.Add("ref", "learner.ref.nationalnumber", "a reference must not be a national number", nil)
	}
	validName(&v, "first_name", l.FirstName)
	validName(&v, "last_name", l.LastName)
	l.validateBirthAndNumber(&v)
	if l.Phone != "" && !phonePattern.MatchString(l.Phone) {
		v.Add("phone", "learner.phone.invalid", "enter a phone number of digits, as in 0470 12 34 56 or +32 470 12 34 56", nil)
	}
	if a, err := mail.ParseAddress(l.Email); l.Email != "" && (err != nil || a.Address != l.Email || len(l.Email) > 254) {
		v.Add("email", "learner.email.invalid", "enter an e-mail address like name@example.org, or leave it empty", nil)
	}
	if !IsLanguageCode(l.Language) {
		v.Add("language", "learner.language.invalid", "enter a two-letter language code (ISO 639-1), as in nl, ar or ti", nil)
	}
	if r, ok := ParseRegion(l.RegionCode); ok {
		l.RegionCode = r.Code
	} else {
		v.Add("region", "learner.region.invalid", "use one of ANT BRU LIM OVL VBR WVL or the region's name", nil)
	}
	if !l.Obligation.Valid() {
		v.Add("obligation", "learner.obligation.invalid", "choose obliged or entitled", nil)
	}
	return v.Err()
}

func (l *Learner) trim() {
	for _, p := range []*string{&l.Ref, &l.FirstName, &l.LastName, &l.Phone, &l.Email, &l.Counsellor} {
		*p = strings.Join(strings.Fields(*p), " ")
	}
	l.Email = strings.ToLower(l.Email)
	l.Counsellor = NormalizeEmail(l.Counsellor)
	l.Language = strings.ToLower(strings.TrimSpace(l.Language))
}

func validName(v *Validation, field, name string) {
	if name == "" || utf8.RuneCountInString(name) > 100 {
		v.Add(field, "learner."+strings.ReplaceAll(field, "_", "")+".invalid", "enter the name (at most 100 characters)", nil)
	}
}

// validateBirthAndNumber checks the birth date (required, not in the future,
// not before 1900) and the national number when there is one, against each other.
func (l *Learner) validateBirthAndNumber(v *Validation) {
	switch {
	case l.BirthDate.IsZero():
		v.Add("birth_date", "learner.birthdate.required", "enter the birth date", nil)
	case l.BirthDate.Year() < 1900 || l.BirthDate.After(time.Now()):
		v.Add("birth_date", "learner.birthdate.range", "enter a birth date between 1900 and today", nil)
	}
	if l.NationalNumber == "" {
		return
	}
	n, err := ParseNationalNumber(string(l.NationalNumber))
	if err != nil {
		e, _ := AsError(err)
		v.fields = append(v.fields, e.Fields...)
		return
	}
	l.NationalNumber, l.NationalNumberMasked = n, n.Mask()
	if !n.MatchesBirthDate(l.BirthDate) {
		v.Add("national_number", "learner.nn.birthdate", "the national number does not match the birth date: check both", nil)
	}
}

// looksLikeNationalNumber reports whether s would be read as a valid
// national number.
func looksLikeNationalNumber(s string) bool {
	_, err := ParseNationalNumber(s)
	return err == nil
}

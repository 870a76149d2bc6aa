package traject

import (
	"slices"
	"testing"
	"time"
)

func validLearner(t *testing.T) *Learner {
	birth, _ := ParseDate("1985-07-30")
	return &Learner{Ref: "INB-2020-0001", FirstName: " Amina ", LastName: "El  Amrani", BirthDate: birth,
		NationalNumber: NationalNumber("85.07.30-033." + makeNN(t, "850730033", false)[9:]),
		Phone:          "0470 12 34 56", Email: "Amina@Example.org", Language: "AR", RegionCode: "Antwerpen", Obligation: Obliged}
}

func TestLearnerValidateNormalises(t *testing.T) {
	l := validLearner(t)
	if err := l.Validate(); err != nil {
		t.Fatal(err)
	}
	want := makeNN(t, "850730033", false)
	if l.NationalNumber.Digits() != want || l.NationalNumberMasked != "••.••.••-•••."+want[9:] {
		t.Errorf("number %q mask %q", l.NationalNumber.Digits(), l.NationalNumberMasked)
	}
	if l.FirstName != "Amina" || l.LastName != "El Amrani" || l.Email != "amina@example.org" || l.Language != "ar" || l.RegionCode != "ANT" {
		t.Errorf("not normalised: %+v", l)
	}
}

func TestLearnerValidateFields(t *testing.T) {
	future := time.Now().AddDate(1, 0, 0)
	tests := []struct {
		name   string
		change func(l *Learner)
		fields []string
	}{
		{"no national number is fine", func(l *Learner) { l.NationalNumber = "" }, nil},
		{"no e-mail is fine", func(l *Learner) { l.Email = "" }, nil},
		{"no phone is fine", func(l *Learner) { l.Phone = "" }, nil},
		{"any ISO 639-1 language", func(l *Learner) { l.Language = "ti" }, nil},
		{"bad reference", func(l *Learner) { l.Ref = "a/b" }, []string{"ref"}},
		{"reference is a page name", func(l *Learner) { l.Ref = "new" }, []string{"ref"}},
		{"reference is a national number", func(l *Learner) { l.Ref = makeNN(t, "900101001", false) }, []string{"ref"}},
		{"no names", func(l *Learner) { l.FirstName, l.LastName = " ", "" }, []string{"first_name", "last_name"}},
		{"no birth date", func(l *Learner) { l.BirthDate = time.Time{}; l.NationalNumber = "" }, []string{"birth_date"}},
		{"birth date in the future", func(l *Learner) { l.BirthDate = future; l.NationalNumber = "" }, []string{"birth_date"}},
		{"bad number", func(l *Learner) { l.NationalNumber = "85073003329" }, []string{"national_number"}},
		{"number of another birth date", func(l *Learner) { l.BirthDate = l.BirthDate.AddDate(0, 0, 1) }, []string{"national_number"}},
		{"bad phone", func(l *Learner) { l.Phone = "call me" }, []string{"phone"}},
		{"bad e-mail", func(l *Learner) { l.Email = "amina@" }, []string{"email"}},
		{"three-letter language", func(l *Learner) { l.Language = "ara" }, []string{"language"}},
		{"unknown language", func(l *Learner) { l.Language = "xx" }, []string{"language"}},
		{"unknown region", func(l *Learner) { l.RegionCode = "NAM" }, []string{"region"}},
		{"no obligation", func(l *Learner) { l.Obligation = "maybe" }, []string{"obligation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLearner(t)
			tt.change(l)
			err := l.Validate()
			var got []string
			if e, ok := AsError(err); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("not an *Error: %v", err)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := map[string]string{
		"Çelik":              "celik",
		"ÖZTÜRK":             "ozturk",
		"  Van den   Broeck": "van den broeck",
		"Dvořák":             "dvorak",
		"Łukasz":             "lukasz",
		"Strauß":             "strauss",
		"Zoë":                "zoe",
		"Zoe\u0308":          "zoe", // decomposed diaeresis
		"D’Hondt":            "d'hondt",
		"Nguyễn":             "nguyen",
		"مُحَمَّد":           "محمد", // Arabic short vowels dropped
		"İbrahim":            "ibrahim",
		"Ægir":               "aegir",
	}
	for in, want := range tests {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

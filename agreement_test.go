package traject

import (
	"strings"
	"testing"
)

func TestAgreementValidate(t *testing.T) {
	good := AgreementVersion{Texts: map[string]string{"nl": "Ik, {learner}, breng {device} terug op {due}.", "ar": "{learner}"}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := AgreementVersion{Texts: map[string]string{"en": "I, {leaner}", "de": "x"}}
	e, _ := AsError(bad.Validate())
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] = f.Key
	}
	if got["nl"] != "agreement.nl.required" || got["en"] != "agreement.placeholder" || got["de"] != "agreement.language" {
		t.Errorf("fields: %v", got)
	}
}

func TestRenderAgreementAndHash(t *testing.T) {
	text := RenderAgreement("{learner} leent {device} ({accessories}) van {from} tot {until}, terug op {due}: {return}.",
		AgreementFacts{Learner: "Amal", Device: "CB (CB-1)", Accessories: "lader", From: day("2020-09-01"),
			Until: day("2020-10-31"), Due: day("2020-11-15"), Return: "aan de balie"})
	want := "Amal leent CB (CB-1) (lader) van 01-09-2020 tot 31-10-2020, terug op 15-11-2020: aan de balie."
	if text != want {
		t.Errorf("got %q", text)
	}
	if h := TextHash(text); len(h) != 64 || h == TextHash(text+" ") || strings.ToLower(h) != h {
		t.Errorf("hash %q", h)
	}
}

func TestAcceptanceValidate(t *testing.T) {
	cases := []struct {
		a    Acceptance
		want string
	}{
		{Acceptance{Language: "nl", Method: AcceptSignature, TypedName: "  "}, "signature"},
		{Acceptance{Language: "nl", Method: AcceptSignature, TypedName: "Amal"}, ""},
		{Acceptance{Language: "ar", Method: AcceptCode}, ""},
		{Acceptance{Language: "nl", Method: AcceptPaper}, "scan"},
		{Acceptance{Language: "nl", Method: AcceptPaper, Imported: true}, ""},
		{Acceptance{Language: "de", Method: "fax"}, "language,method"},
	}
	for _, c := range cases {
		if got := fieldNames(c.a.Validate()); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
}

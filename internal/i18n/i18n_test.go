package i18n

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"traject"
)

// TestCatalogsAreComplete fails when any language lacks a key that another
// language has, or has an empty text.
func TestCatalogsAreComplete(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]bool{}
	for _, l := range Languages {
		for _, k := range b.Keys(l.Tag) {
			all[k] = true
		}
	}
	if len(all) < 50 {
		t.Fatalf("only %d keys: catalogs not loaded?", len(all))
	}
	for _, l := range Languages {
		keys := b.Keys(l.Tag)
		for k := range all {
			if !slices.Contains(keys, k) {
				t.Errorf("%s catalog lacks %q", l.Tag, k)
			}
		}
		for _, k := range keys {
			if strings.TrimSpace(b.keys[l.Tag][k]) == "" {
				t.Errorf("%s: %q is empty", l.Tag, k)
			}
		}
	}
}

// TestPlaceholdersMatch keeps {{.Name}} placeholders the same in every language.
func TestPlaceholdersMatch(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range b.Keys(Default) {
		want := placeholders(b.keys[Default][k])
		for _, l := range Languages[1:] {
			if got := placeholders(b.keys[l.Tag][k]); !slices.Equal(got, want) {
				t.Errorf("%s %q has placeholders %v, nl has %v", l.Tag, k, got, want)
			}
		}
	}
}

func placeholders(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			break
		}
		out = append(out, s[i:i+j+2])
		s = s[i+j+2:]
	}
	slices.Sort(out)
	return out
}

func TestNegotiate(t *testing.T) {
	b, _ := New()
	for header, want := range map[string]string{
		"":                       "nl",
		"ar-MA,ar;q=0.9":         "ar",
		"fr-BE,fr;q=0.9,en;q=.5": "fr",
		"en-GB":                  "en",
		"tr,ru":                  "nl",
		"nl-BE":                  "nl",
		"garbage;;;q=x":          "nl",
	} {
		if got := b.Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestTranslate(t *testing.T) {
	b, _ := New()
	nl, ar := b.Localizer("nl"), b.Localizer("ar")
	if got := nl.T("home.title", "Name", "An"); got != "Welkom, An" {
		t.Errorf("nl home.title = %q", got)
	}
	if ar.Lang.Dir != "rtl" || b.Localizer("xx").Lang.Tag != "nl" {
		t.Error("wrong language data")
	}
	if got := nl.T("no.such.key"); !MissingMarker(got) {
		t.Errorf("a missing key gives %q", got)
	}
}

func TestErrorMessages(t *testing.T) {
	b, _ := New()
	nl := b.Localizer("nl")
	if got := nl.Error(errors.New("pq: password authentication failed")); got != nl.T("error.internal") {
		t.Errorf("an internal error shows %q", got)
	}
	e := traject.Errorf(traject.ETHROTTLED, "login.throttled", "too many")
	if got := nl.Error(e); !strings.Contains(got, "15 minuten") {
		t.Errorf("throttled = %q", got)
	}
	unknownKey := traject.Errorf(traject.ECONFLICT, "no.such.key", "plain English")
	if got := nl.Error(unknownKey); got != "plain English" {
		t.Errorf("fallback = %q", got)
	}
}

func TestDates(t *testing.T) {
	b, _ := New()
	// 23:30 UTC on 31 March 2026 is already 1 April in Brussels (summer time).
	at := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	if got := b.Localizer("nl").DateTime(at); got != "1 april 2026, 01.30" {
		t.Errorf("nl = %q", got)
	}
	if got := b.Localizer("fr").Date(at); got != "1 avril 2026" {
		t.Errorf("fr = %q", got)
	}
	if got := b.Localizer("en").Date(time.Time{}); got != "" {
		t.Errorf("zero date = %q", got)
	}
}

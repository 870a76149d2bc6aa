// Package i18n chooses the language of each request and translates message
// keys from embedded catalogs (Dutch first; English, French and Arabic, which
// is written right to left). Domain errors carry keys, not English, so the
// same error reads well in every language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Language is one interface language.
type Language struct {
	Tag  string // BCP 47, as in lang=""
	Name string // the endonym, as the language switch shows it
	Dir  string // ltr or rtl, as in dir=""
}

// Languages lists the interface languages; the first is the default.
var Languages = []Language{
	{Tag: "nl", Name: "Nederlands", Dir: "ltr"},
	{Tag: "en", Name: "English", Dir: "ltr"},
	{Tag: "fr", Name: "Français", Dir: "ltr"},
	{Tag: "ar", Name: "العربية", Dir: "rtl"},
}

// Default is the language used when nothing else is known.
const Default = "nl"

//go:embed catalog/*.json
var catalogs embed.FS

// Bundle holds every catalog, loaded once at start.
type Bundle struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	keys    map[string]map[string]string // tag -> key -> text, for the completeness test
}

// New loads the embedded catalogs and fails on a malformed one. Each language
// has several files, catalog/AREA.LANG.json (base, inventory, ...), so that
// a capability adds its own texts without touching another's file.
func New() (*Bundle, error) {
	b := &Bundle{bundle: goi18n.NewBundle(language.Dutch), keys: map[string]map[string]string{}}
	b.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	var tags []language.Tag
	for _, l := range Languages {
		names, err := fs.Glob(catalogs, "catalog/*."+l.Tag+".json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("i18n: no catalog for %s", l.Tag)
		}
		b.keys[l.Tag] = map[string]string{}
		for _, name := range names {
			if err := b.load(l.Tag, name); err != nil {
				return nil, err
			}
		}
		tags = append(tags, language.MustParse(l.Tag))
	}
	b.matcher = language.NewMatcher(tags)
	return b, nil
}

func (b *Bundle) load(tag, name string) error {
	data, err := fs.ReadFile(catalogs, name)
	if err != nil {
		return fmt.Errorf("i18n: %w", err)
	}
	flat := map[string]string{}
	if err := json.Unmarshal(data, &flat); err != nil {
		return fmt.Errorf("i18n: %s: flat key-text pairs only: %w", name, err)
	}
	for k, v := range flat {
		if _, dup := b.keys[tag][k]; dup {
			return fmt.Errorf("i18n: %s: key %q is also in another %s file", name, k, tag)
		}
		b.keys[tag][k] = v
	}
	// go-i18n takes the language from the file name's last part before .json.
	if _, err := b.bundle.ParseMessageFileBytes(data, path.Base(name)); err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	return nil
}

// Keys returns the sorted keys of one catalog.
func (b *Bundle) Keys(tag string) []string {
	var out []string
	for k := range b.keys[tag] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Supported returns the language with this tag, if Traject speaks it.
func Supported(tag string) (Language, bool) {
	for _, l := range Languages {
		if l.Tag == tag {
			return l, true
		}
	}
	return Language{}, false
}

// Negotiate picks the best interface language for an Accept-Language header.
func (b *Bundle) Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[idx].Tag
}

// Localizer translates into one language.
type Localizer struct {
	Lang  Language
	loc   *goi18n.Localizer
	texts map[string]string // the language's catalog, for texts without placeholders
}

// Localizer returns the translator for tag (the default when unknown).
func (b *Bundle) Localizer(tag string) *Localizer {
	l, ok := Supported(tag)
	if !ok {
		l = Languages[0]
	}
	return &Localizer{Lang: l, loc: goi18n.NewLocalizer(b.bundle, l.Tag), texts: b.keys[l.Tag]}
}

// T translates key; args are name/value pairs that fill {{.Name}} in the text.
// A missing key shows as [[key]], which tests look for, instead of failing the page.
func (l *Localizer) T(key string, args ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	return l.TMap(key, data)
}

// TMap translates key with its placeholders filled from data.
func (l *Localizer) TMap(key string, data map[string]any) string {
	// Most texts have no placeholder: they are returned as they are, which
	// spares a template execution per text on long tables.
	text, ok := l.texts[key]
	if !ok {
		return "[[" + key + "]]"
	}
	if !strings.Contains(text, "{{") {
		return text
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil || s == "" {
		return "[[" + key + "]]"
	}
	return s
}

// Has reports whether the catalogs know key.
func (l *Localizer) Has(key string) bool {
	_, ok := l.texts[key]
	return ok
}

// MissingMarker reports whether s holds an untranslated key.
func MissingMarker(s string) bool { return strings.Contains(s, "[[") }

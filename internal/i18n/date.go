package i18n

import (
	"fmt"
	"time"
	_ "time/tzdata" // Brussels time must not depend on the host's zoneinfo
)

// Brussels is the time zone every date is shown and counted in.
var Brussels = mustLoad("Europe/Brussels")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is imported by the binary, so this cannot happen in a build.
		panic(err)
	}
	return loc
}

// Go has no localized month names, so each language keeps its own (UX §18).
var months = map[string][12]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"ar": {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
}

// Date writes a day out in words, as in "3 maart 2026", in Brussels time.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Brussels)
	m := months[l.Lang.Tag]
	return fmt.Sprintf("%d %s %d", t.Day(), m[t.Month()-1], t.Year())
}

// DateTime writes a moment as in "3 maart 2026, 09.05" (Brussels time).
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	b := t.In(Brussels)
	sep := ":"
	if l.Lang.Tag == "nl" {
		sep = "." // Flemish writing rules: 9.05 uur
	}
	return fmt.Sprintf("%s, %02d%s%02d", l.Date(t), b.Hour(), sep, b.Minute())
}

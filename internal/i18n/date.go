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

// Go has no localized weekday names either; Sunday first, as time.Weekday counts.
var weekdays = map[string][7]string{
	"nl": {"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	"ar": {"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"},
}

// Weekday names the day of the week of t in Brussels, as in "dinsdag"
// (UX §18: dates with their weekday).
func (l *Localizer) Weekday(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return weekdays[l.Lang.Tag][t.In(Brussels).Weekday()]
}

// DayName names a day of the week, as in "maandag", for forms that choose days.
func (l *Localizer) DayName(d time.Weekday) string { return weekdays[l.Lang.Tag][d] }

// Clock writes the time of day of t in Brussels as DateTime does: "09.05" in
// Dutch, "09:05" in the other languages.
func (l *Localizer) Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	b := t.In(Brussels)
	sep := ":"
	if l.Lang.Tag == "nl" {
		sep = "."
	}
	return fmt.Sprintf("%02d%s%02d", b.Hour(), sep, b.Minute())
}

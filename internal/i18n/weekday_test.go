package i18n

import (
	"testing"
	"time"
)

// TestWeekdayAndClock writes lesson times in Brussels: the Sunday night
// moment in UTC is already Monday there, and the hour follows summer time.
func TestWeekdayAndClock(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	summer := time.Date(2020, 10, 18, 22, 30, 0, 0, time.UTC) // Monday 00:30 in Brussels (UTC+2)
	winter := time.Date(2020, 10, 26, 8, 0, 0, 0, time.UTC)   // Monday 09:00 in Brussels (UTC+1)
	for lang, want := range map[string][3]string{
		"nl": {"maandag", "00.30", "09.00"},
		"en": {"Monday", "00:30", "09:00"},
		"fr": {"lundi", "00:30", "09:00"},
		"ar": {"الاثنين", "00:30", "09:00"},
	} {
		l := b.Localizer(lang)
		if got := [3]string{l.Weekday(summer), l.Clock(summer), l.Clock(winter)}; got != want {
			t.Errorf("%s: %v, want %v", lang, got, want)
		}
		if l.DayName(time.Monday) != want[0] || l.Weekday(time.Time{}) != "" || l.Clock(time.Time{}) != "" {
			t.Errorf("%s: day name or zero time", lang)
		}
	}
}

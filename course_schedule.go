package traject

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Weekdays is a set of days of the week, written as in files: "mon+thu",
// Monday first.
type Weekdays uint8

// weekdayNames are the names files use, Sunday first as time.Weekday counts.
var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// weekOrder is the order a week is written in: Monday first.
var weekOrder = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// WeekOrder returns the days of the week, Monday first, for forms.
func WeekOrder() []time.Weekday { return weekOrder[:] }

// WeekdayName returns the name a file uses for d: mon, tue, ...
func WeekdayName(d time.Weekday) string { return weekdayNames[d] }

// ParseWeekdays reads days as "mon+thu", in any case; commas and spaces
// separate days too. The empty string is no days. ok is false when a part
// names no day.
func ParseWeekdays(s string) (Weekdays, bool) {
	var w Weekdays
	for _, part := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '+' || r == ',' || r == ' ' }) {
		d, ok := parseWeekday(part)
		if !ok {
			return 0, false
		}
		w = w.With(d)
	}
	return w, true
}

func parseWeekday(s string) (time.Weekday, bool) {
	for d, name := range weekdayNames {
		if s == name || s == strings.ToLower(time.Weekday(d).String()) {
			return time.Weekday(d), true
		}
	}
	return 0, false
}

// With returns the set with d added.
func (w Weekdays) With(d time.Weekday) Weekdays { return w | 1<<d }

// Has reports whether d is in the set.
func (w Weekdays) Has(d time.Weekday) bool { return w&(1<<d) != 0 }

// Days returns the days of the set, Monday first.
func (w Weekdays) Days() []time.Weekday {
	var out []time.Weekday
	for _, d := range weekOrder {
		if w.Has(d) {
			out = append(out, d)
		}
	}
	return out
}

// String writes the set as "mon+thu"; the empty set is "".
func (w Weekdays) String() string {
	names := make([]string, 0, 7)
	for _, d := range w.Days() {
		names = append(names, weekdayNames[d])
	}
	return strings.Join(names, "+")
}

// MarshalJSON writes the set as its string.
func (w Weekdays) MarshalJSON() ([]byte, error) { return json.Marshal(w.String()) }

// UnmarshalJSON reads the set from its string.
func (w *Weekdays) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, ok := ParseWeekdays(s)
	if !ok {
		return fmt.Errorf("weekdays: %q is not like mon+thu", s)
	}
	*w = v
	return nil
}

// Clock is a time of day in minutes after midnight, Brussels time.
type Clock int

// Lesson hours lie between these times, which keeps them clear of the hour
// that a change to or from summer time skips or repeats (2:00 to 3:00).
const (
	ClockEarliest Clock = 6 * 60
	ClockLatest   Clock = 23 * 60
)

// ParseClock reads a lesson time as HH:MM; 9:00, 9.00 and 09:00:00 are read
// too. ok is false outside ClockEarliest to ClockLatest.
func ParseClock(s string) (Clock, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ".", ":"))
	if strings.Count(s, ":") == 2 && strings.HasSuffix(s, ":00") {
		s = strings.TrimSuffix(s, ":00")
	}
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 {
		return 0, false
	}
	c := Clock(h*60 + m)
	return c, c >= ClockEarliest && c <= ClockLatest
}

// String writes the time as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// On returns the moment this time of day happens on the date day (midnight
// UTC) in Brussels: the same wall-clock time in winter and summer time.
func (c Clock) On(day time.Time) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, int(c)/60, int(c)%60, 0, 0, courseZone)
}

// LessonStart returns when a lesson starts on the course's first day, for
// writing the hours out; zero when the course has no hours.
func (c *Course) LessonStart() time.Time { return c.lessonAt(c.StartTime) }

// LessonEnd returns when a lesson ends on the course's first day; zero when
// the course has no hours.
func (c *Course) LessonEnd() time.Time { return c.lessonAt(c.EndTime) }

func (c *Course) lessonAt(hhmm string) time.Time {
	clock, ok := ParseClock(hhmm)
	if !ok || c.StartsOn.IsZero() {
		return time.Time{}
	}
	return clock.On(c.StartsOn)
}

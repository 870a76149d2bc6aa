package traject

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// NationalNumber is a Belgian national register number (rijksregisternummer)
// or BIS number: 11 digits YYMMDD SSS CC. It is sensitive personal data
// (DESIGN §2 invariant 8), so every way of printing it — fmt, slog, JSON,
// text — gives the mask; only Digits gives the number itself, and only the
// store (to seal it) and a permitted, audited reveal call it.
//
// The rules (Royal Decrees of 3 April 1984 and 8 February 1991):
//   - YYMMDD is the birth date; the month or the day is 00 when it was not
//     known, and the month is raised by 20 (sex unknown) or 40 (sex known) in
//     a BIS number, given to people not in the national register;
//   - SSS is a counter of people born that day, 001 to 998;
//   - CC is 97 - (YYMMDDSSS mod 97); for people born in or after 2000 the
//     nine digits are preceded by a 2 before dividing.
type NationalNumber string

// ParseNationalNumber accepts a number as people type it (dots, dashes and
// spaces anywhere, as in YY.MM.DD-SSS.CC) and returns its 11 digits, or an
// EINVALID error on field "national_number" that says what is wrong.
func ParseNationalNumber(s string) (NationalNumber, error) {
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == '.' || r == '-' || r == ' ' || r == '/':
			return -1
		}
		return 'x'
	}, strings.TrimSpace(s))
	if len(digits) != 11 || strings.Contains(digits, "x") {
		return "", invalid("national_number", "learner.nn.format", "a national number has 11 digits: YY.MM.DD-SSS.CC", nil)
	}
	n := NationalNumber(digits)
	if !n.datePartValid() {
		return "", invalid("national_number", "learner.nn.date", "the first six digits are the birth date YYMMDD; check them", nil)
	}
	if n.Century() == 0 {
		return "", invalid("national_number", "learner.nn.check", "the last two digits do not match: check the number for a typing error", nil)
	}
	return n, nil
}

// Digits returns the 11 digits in clear. Call it only to seal the number or
// to show it to a person allowed to see it.
func (n NationalNumber) Digits() string { return string(n) }

// String returns the mask, so that a number printed by mistake leaks nothing.
func (n NationalNumber) String() string { return n.Mask() }

// GoString returns the mask, for %#v.
func (n NationalNumber) GoString() string { return strconv.Quote(n.Mask()) }

// LogValue returns the mask, so that slog never writes the number.
func (n NationalNumber) LogValue() slog.Value { return slog.StringValue(n.Mask()) }

// MarshalText returns the mask, for encoding/json and every text encoder.
func (n NationalNumber) MarshalText() ([]byte, error) { return []byte(n.Mask()), nil }

// Mask returns the number with all but its two check digits hidden, in the
// usual grouping: ••.••.••-•••.84. An empty number gives "".
func (n NationalNumber) Mask() string {
	if n == "" {
		return ""
	}
	last := string(n)
	if len(last) > 2 {
		last = last[len(last)-2:]
	}
	return "••.••.••-•••." + last
}

// Format returns the 11 digits grouped as YY.MM.DD-SSS.CC. It is the clear
// number: only for a permitted reveal.
func (n NationalNumber) Format() string {
	s := string(n)
	if len(s) != 11 {
		return s
	}
	return s[0:2] + "." + s[2:4] + "." + s[4:6] + "-" + s[6:9] + "." + s[9:11]
}

// Century returns 1900 or 2000, the century whose check the number passes,
// or 0 when it passes neither.
func (n NationalNumber) Century() int {
	if len(n) != 11 {
		return 0
	}
	base, err1 := strconv.ParseInt(string(n[:9]), 10, 64)
	check, err2 := strconv.ParseInt(string(n[9:]), 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return 0
	case check == NationalNumberCheck(base, false):
		return 1900
	case check == NationalNumberCheck(base, true):
		return 2000
	}
	return 0
}

// NationalNumberCheck returns the check number of the first nine digits:
// 97 - (base mod 97), with base preceded by a 2 for people born in or after 2000.
func NationalNumberCheck(base int64, bornFrom2000 bool) int64 {
	if bornFrom2000 {
		base += 2_000_000_000
	}
	return 97 - base%97
}

// BIS reports whether the number is a BIS number (the month raised by 20 or 40).
func (n NationalNumber) BIS() bool {
	m, _ := strconv.Atoi(string(n[2:4]))
	return m >= 20
}

// birthParts returns the year within the century, the month (BIS offset
// removed; 0 when unknown) and the day (0 when unknown).
func (n NationalNumber) birthParts() (yy, month, day int) {
	yy, _ = strconv.Atoi(string(n[0:2]))
	month, _ = strconv.Atoi(string(n[2:4]))
	day, _ = strconv.Atoi(string(n[4:6]))
	if month >= 40 {
		month -= 40
	} else if month >= 20 {
		month -= 20
	}
	return yy, month, day
}

// datePartValid checks YYMMDD and the counter: a month of 0 to 12 (plus 20 or
// 40 for BIS), a day of 0 to 31 that exists in that month when both are known,
// and a counter from 001 to 998.
func (n NationalNumber) datePartValid() bool {
	raw, _ := strconv.Atoi(string(n[2:4]))
	if !(raw <= 12 || (raw >= 20 && raw <= 32) || (raw >= 40 && raw <= 52)) {
		return false
	}
	yy, month, day := n.birthParts()
	if day > 31 {
		return false
	}
	if month > 0 && day > 0 {
		// A leap day is checked in both centuries: 00 is a leap year in 2000, not in 1900.
		t2000 := time.Date(2000+yy, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		t1900 := time.Date(1900+yy, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if t2000.Day() != day && t1900.Day() != day {
			return false
		}
	}
	counter, _ := strconv.Atoi(string(n[6:9]))
	return counter >= 1 && counter <= 998
}

// MatchesBirthDate reports whether the number agrees with a known birth date:
// the check of the birth year's century, and every known part of YYMMDD.
func (n NationalNumber) MatchesBirthDate(birth time.Time) bool {
	if birth.IsZero() || len(n) != 11 {
		return true
	}
	if (birth.Year() >= 2000) != (n.Century() == 2000) {
		return false
	}
	yy, month, day := n.birthParts()
	if yy != birth.Year()%100 {
		return false
	}
	if month == 0 {
		return true // the month, and so the day, was not known
	}
	return month == int(birth.Month()) && (day == 0 || day == birth.Day())
}

// MakeNationalNumber builds the valid number of a person born on birth with
// the given day counter (1 to 998), by the rule above: for synthetic data
// (the demo, tests, scale runs), never to guess a real person's number.
func MakeNationalNumber(birth time.Time, counter int) NationalNumber {
	nine := fmt.Sprintf("%02d%02d%02d%03d", birth.Year()%100, int(birth.Month()), birth.Day(), counter%999)
	base, _ := strconv.ParseInt(nine, 10, 64)
	return NationalNumber(fmt.Sprintf("%s%02d", nine, NationalNumberCheck(base, birth.Year() >= 2000)))
}

// LooksLikeNationalNumber reports whether a search term is meant as a
// national number: nothing but digits and the separators people type, and
// at least nine digits. Such a term belongs in a request body, never in a
// URL, and is never repeated back.
func LooksLikeNationalNumber(term string) bool {
	digits := 0
	for _, c := range term {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == '-' || c == ' ' || c == '/':
		default:
			return false
		}
	}
	return digits >= 9
}

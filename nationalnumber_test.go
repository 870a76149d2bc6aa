package traject

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// makeNN builds a valid number from its nine digits by the rule itself, so
// that the tests do not depend on any real person's number.
func makeNN(t *testing.T, nine string, from2000 bool) string {
	t.Helper()
	var base int64
	if _, err := fmt.Sscanf(nine, "%d", &base); err != nil || len(nine) != 9 {
		t.Fatalf("bad nine digits %q", nine)
	}
	return fmt.Sprintf("%s%02d", nine, NationalNumberCheck(base, from2000))
}

func TestNationalNumberCheck(t *testing.T) {
	// Worked examples of the rule: 930518223 mod 97 = 36, so the check is 61
	// (as published by Belgian municipalities); for 2000+ the 2 in front
	// changes it: 2170730033 mod 97 = 13, so 84.
	if got := NationalNumberCheck(930518223, false); got != 61 {
		t.Errorf("check(930518223) = %d, want 61", got)
	}
	if got := NationalNumberCheck(170730033, true); got != 84 {
		t.Errorf("check(2 170730033) = %d, want 84", got)
	}
	if got := NationalNumberCheck(850730033, false); got != 28 {
		t.Errorf("check(850730033) = %d, want 28", got)
	}
	// A remainder of 0 gives 97, never 00.
	if got := NationalNumberCheck(97, false); got != 97 {
		t.Errorf("check(97) = %d, want 97", got)
	}
}

func TestParseNationalNumber(t *testing.T) {
	born1985 := makeNN(t, "850730033", false)
	born2017 := makeNN(t, "170730033", true)
	tests := []struct {
		name, in, want, key string
	}{
		{"plain digits", born1985, born1985, ""},
		{"dots and dash", "85.07.30-033." + born1985[9:], born1985, ""},
		{"spaces", "85 07 30 033 " + born1985[9:], born1985, ""},
		{"born in 2017, with the 2 rule", born2017, born2017, ""},
		{"unknown day", makeNN(t, "920400125", false), makeNN(t, "920400125", false), ""},
		{"unknown month and day (refugee)", makeNN(t, "880000421", false), makeNN(t, "880000421", false), ""},
		{"unknown date after 2000", makeNN(t, "050000002", true), makeNN(t, "050000002", true), ""},
		{"BIS, sex unknown", makeNN(t, "902415007", false), makeNN(t, "902415007", false), ""},
		{"BIS, sex known", makeNN(t, "014507210", true), makeNN(t, "014507210", true), ""},
		{"leap day 2000", makeNN(t, "000229004", true), makeNN(t, "000229004", true), ""},
		{"wrong check", born1985[:9] + "29", "", "learner.nn.check"},
		{"2000 check on a 1985 number", "850730033" + born2017[9:], "", "learner.nn.check"},
		{"swapped digits", "58073003328", "", "learner.nn.check"},
		{"too short", "8507300332", "", "learner.nn.format"},
		{"too long", born1985 + "1", "", "learner.nn.format"},
		{"letters", "85O73003328", "", "learner.nn.format"},
		{"empty", "", "", "learner.nn.format"},
		{"month 13", makeNN(t, "851330033", false), "", "learner.nn.date"},
		{"month 35", makeNN(t, "853530033", false), "", "learner.nn.date"},
		{"31 April", makeNN(t, "850431033", false), "", "learner.nn.date"},
		{"29 February 1985", makeNN(t, "850229033", false), "", "learner.nn.date"},
		{"counter 000", makeNN(t, "850730000", false), "", "learner.nn.date"},
		{"counter 999", makeNN(t, "850730999", false), "", "learner.nn.date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNationalNumber(tt.in)
			if tt.key == "" {
				if err != nil || n.Digits() != tt.want {
					t.Fatalf("ParseNationalNumber(%q) = %q, %v; want %q", tt.in, n.Digits(), err, tt.want)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Key != tt.key || e.Fields[0].Field != "national_number" {
				t.Fatalf("ParseNationalNumber(%q) = %q, %v; want %s", tt.in, n.Digits(), err, tt.key)
			}
		})
	}
}

func TestNationalNumberCentury(t *testing.T) {
	if c := NationalNumber(makeNN(t, "850730033", false)).Century(); c != 1900 {
		t.Errorf("1985: century %d", c)
	}
	if c := NationalNumber(makeNN(t, "170730033", true)).Century(); c != 2000 {
		t.Errorf("2017: century %d", c)
	}
	if !NationalNumber(makeNN(t, "902415007", false)).BIS() || NationalNumber(makeNN(t, "850730033", false)).BIS() {
		t.Error("BIS detection")
	}
}

func TestNationalNumberMatchesBirthDate(t *testing.T) {
	date := func(s string) time.Time { d, _ := ParseDate(s); return d }
	tests := []struct {
		name  string
		nn    string
		birth string
		want  bool
	}{
		{"same date", makeNN(t, "850730033", false), "1985-07-30", true},
		{"other day", makeNN(t, "850730033", false), "1985-07-31", false},
		{"other year", makeNN(t, "850730033", false), "1986-07-30", false},
		{"other century", makeNN(t, "850730033", false), "2085-07-30", false},
		{"2000s number, 1900s birth", makeNN(t, "170730033", true), "1917-07-30", false},
		{"2000s", makeNN(t, "170730033", true), "2017-07-30", true},
		{"unknown day", makeNN(t, "920400125", false), "1992-04-17", true},
		{"unknown month", makeNN(t, "880000421", false), "1988-01-01", true},
		{"BIS month +40", makeNN(t, "014507210", true), "2001-05-07", true},
		{"no birth date", makeNN(t, "850730033", false), "", true},
	}
	for _, tt := range tests {
		if got := NationalNumber(tt.nn).MatchesBirthDate(date(tt.birth)); got != tt.want {
			t.Errorf("%s: MatchesBirthDate = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestNationalNumberNeverPrints: every way a number can be printed by
// mistake gives the mask; only Digits and Format give the number.
func TestNationalNumberNeverPrints(t *testing.T) {
	n := NationalNumber(makeNN(t, "850730033", false))
	clear := n.Digits()
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "nn", n, "learner", &Learner{NationalNumber: n})
	j, _ := json.Marshal(map[string]any{"n": n, "l": Learner{NationalNumber: n, NationalNumberMasked: n.Mask()}})
	outputs := []string{
		fmt.Sprint(n), fmt.Sprintf("%v %s %q %+v %#v %x", n, n, n, n, n, n),
		fmt.Sprintf("%+v", Learner{NationalNumber: n}), fmt.Sprintf("%#v", Learner{NationalNumber: n}),
		logged.String(), string(j),
	}
	for _, out := range outputs {
		if strings.Contains(out, clear) || strings.Contains(out, n.Format()) || strings.Contains(out, clear[:9]) {
			t.Errorf("the number leaks: %s", out)
		}
	}
	if m := n.Mask(); m != "••.••.••-•••."+clear[9:] {
		t.Errorf("mask = %q", m)
	}
	if f := n.Format(); f != "85.07.30-033."+clear[9:] {
		t.Errorf("format = %q", f)
	}
}

func TestMakeNationalNumber(t *testing.T) {
	for _, birth := range []string{"1985-07-30", "2017-07-30", "2000-02-29", "1999-12-31"} {
		d, _ := ParseDate(birth)
		n := MakeNationalNumber(d, 33)
		if p, err := ParseNationalNumber(n.Digits()); err != nil || p != n || !n.MatchesBirthDate(d) {
			t.Errorf("%s: %s is not valid: %v", birth, n.Digits(), err)
		}
	}
}

func TestLooksLikeNationalNumber(t *testing.T) {
	for term, want := range map[string]bool{"85.07.30-033.28": true, "85073003328": true, "850730033": true,
		"8507300": false, "INB-2020-0001": false, "Peeters": false, "": false, "85 07 30 033 28": true} {
		if got := LooksLikeNationalNumber(term); got != want {
			t.Errorf("LooksLikeNationalNumber(%q) = %v", term, got)
		}
	}
}

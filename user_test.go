package traject

import (
	"strings"
	"testing"
)

func TestUserValidate(t *testing.T) {
	tests := []struct {
		name       string
		user       User
		wantFields []string
	}{
		{"national admin", User{Email: " Admin@Example.org ", Name: "An", Role: RoleAdmin}, nil},
		{"regional desk", User{Email: "desk@example.org", Name: "Dries", Role: RoleDesk, RegionCode: "ANT"}, nil},
		{"name with diacritics and apostrophe", User{Email: "c@example.org", Name: "Chloé D'Hondt", Role: RoleAnalyst}, nil},
		{"bad email", User{Email: "not an address", Name: "X", Role: RoleAdmin}, []string{"email"}},
		{"display-name email", User{Email: "X <x@example.org>", Name: "X", Role: RoleAdmin}, []string{"email"}},
		{"empty name", User{Email: "x@example.org", Name: "  ", Role: RoleAdmin}, []string{"name"}},
		{"long name", User{Email: "x@example.org", Name: strings.Repeat("a", 101), Role: RoleAdmin}, []string{"name"}},
		{"unknown role", User{Email: "x@example.org", Name: "X", Role: "root"}, []string{"role"}},
		{"regional without region", User{Email: "x@example.org", Name: "X", Role: RoleTeacher}, []string{"region"}},
		{"national with region", User{Email: "x@example.org", Name: "X", Role: RoleAnalyst, RegionCode: "ANT"}, []string{"region"}},
		{"unknown region", User{Email: "x@example.org", Name: "X", Role: RoleDesk, RegionCode: "XYZ"}, []string{"region"}},
		{"everything wrong", User{Role: "x"}, []string{"name", "email", "role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.user.Validate()
			var got []string
			if e, ok := AsError(err); ok {
				if e.Code != EINVALID {
					t.Fatalf("code = %s", e.Code)
				}
				for _, f := range e.Fields {
					got = append(got, f.Field)
					if f.Key == "" || f.Message == "" {
						t.Errorf("field %s has no key or message", f.Field)
					}
				}
			} else if err != nil {
				t.Fatalf("err = %v, not a domain error", err)
			}
			if strings.Join(got, ",") != strings.Join(tt.wantFields, ",") {
				t.Errorf("fields = %v, want %v", got, tt.wantFields)
			}
		})
	}
}

func TestValidateNormalizesEmail(t *testing.T) {
	u := User{Email: "  Someone@Example.ORG ", Name: "S", Role: RoleAdmin}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	if u.Email != "someone@example.org" || u.Language != "nl" {
		t.Errorf("email %q, language %q", u.Email, u.Language)
	}
}

func TestValidatePassword(t *testing.T) {
	for p, ok := range map[string]bool{
		"":                       false,
		"short":                  false,
		"elevenchars":            false,
		"twelve chars":           true,
		"ééééééééééé€":           true, // counted in characters, not bytes
		strings.Repeat("x", 257): false,
	} {
		if got := ValidatePassword(p) == nil; got != ok {
			t.Errorf("ValidatePassword(%q) ok = %v, want %v", p, got, ok)
		}
	}
}

func TestLoginThrottled(t *testing.T) {
	for n := 0; n <= 7; n++ {
		if got := LoginThrottled(n); got != (n >= 5) {
			t.Errorf("LoginThrottled(%d) = %v", n, got)
		}
	}
}

func TestParseRegion(t *testing.T) {
	for in, want := range map[string]string{
		"ANT": "ANT", "ant": "ANT", "Antwerpen": "ANT", " oost-vlaanderen ": "OVL", "Vlaams-Brabant": "VBR", "WVL": "WVL",
	} {
		r, ok := ParseRegion(in)
		if !ok || r.Code != want {
			t.Errorf("ParseRegion(%q) = %v, %v; want %s", in, r, ok, want)
		}
	}
	for _, in := range []string{"", "Gent", "NL", "Antwerp"} {
		if _, ok := ParseRegion(in); ok {
			t.Errorf("ParseRegion(%q) accepted", in)
		}
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	if ErrorCode(nil) != "" {
		t.Error("nil has a code")
	}
	internal := &plainError{"sql: connection refused on 10.0.0.1"}
	if ErrorCode(internal) != EINTERNAL || ErrorMessage(internal) != "Internal error." {
		t.Errorf("an internal error leaks: %q", ErrorMessage(internal))
	}
	e := Errorf(ENOTFOUND, "x.y", "device %s not found", "CB-1")
	if ErrorCode(e) != ENOTFOUND || ErrorMessage(e) != "device CB-1 not found" {
		t.Errorf("code %q message %q", ErrorCode(e), ErrorMessage(e))
	}
}

type plainError struct{ s string }

func (e *plainError) Error() string { return e.s }

package traject

import "testing"

func TestIsLanguageCode(t *testing.T) {
	if n := len(iso6391Codes); n != 184 {
		t.Errorf("%d codes, ISO 639-1 has 184 (bh withdrawn but still met in old files)", n)
	}
	for _, c := range []string{"nl", "fr", "ar", "en", "tr", "ti", "so", "ps", "fa", "uk", "zu"} {
		if !IsLanguageCode(c) {
			t.Errorf("%s is ISO 639-1", c)
		}
	}
	for _, c := range []string{"NL", "nld", "", "xx", "n", " nl"} {
		if IsLanguageCode(c) {
			t.Errorf("%q is not a lower-case ISO 639-1 code", c)
		}
	}
}

package traject

import (
	"strings"
	"unicode"
)

// foldTable maps the lower-case Latin letters with diacritics that names in
// the programme carry to their base letters, so that "Çelik" is found by
// "celik" and "Öztürk" by "ozturk".
var foldTable = func() map[rune]string {
	groups := map[string]string{
		"àáâãäåāăą": "a", "çćĉċč": "c", "ďđð": "d", "èéêëēĕėęě": "e", "ĝğġģ": "g",
		"ĥħ": "h", "ìíîïĩīĭįı": "i", "ĵ": "j", "ķ": "k", "ĺļľŀł": "l", "ñńņňŉ": "n",
		"òóôõöøōŏő": "o", "ŕŗř": "r", "śŝşšș": "s", "ţťŧț": "t", "ùúûüũūŭůűų": "u",
		"ŵ": "w", "ýÿŷ": "y", "źżž": "z", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
		"ạảấầẩẫậắằẳẵặǎ": "a", "ẹẻẽếềểễệ": "e", "ỉịǐ": "i", "ọỏốồổỗộớờởỡợơǒ": "o",
		"ụủứừửữựưǔ": "u", "ỳỵỷỹ": "y", // Vietnamese and pinyin
		"’‘ʼ`´": "'",
	}
	m := map[rune]string{}
	for letters, base := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// NormalizeName is how names are compared and searched: lower case, without
// diacritics (precomposed or combining, and Arabic short vowels), with single
// spaces. It is stored beside each name, so a prefix search is an index range.
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining marks: decomposed accents, Arabic harakat
		case foldTable[r] != "":
			b.WriteString(foldTable[r])
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

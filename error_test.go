package traject

import (
	"errors"
	"testing"
)

func TestRenamedField(t *testing.T) {
	var v Validation
	v.Add("signature", "k1", "sign", nil)
	v.Add("language", "k2", "choose", nil)
	err := v.Err()
	got := RenamedField(err, "signature", "typed_name")
	if fieldNames(got) != "typed_name,language" || fieldNames(err) != "signature,language" {
		t.Errorf("renamed %q, original %q", fieldNames(got), fieldNames(err))
	}
	plain := errors.New("x")
	if RenamedField(plain, "a", "b") != plain {
		t.Error("an error without fields comes back as it is")
	}
}

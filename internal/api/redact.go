package api

import (
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// withoutValues is a response transformer that drops the values huma's
// request validation copies into a problem's errors. A body that fails
// validation may hold personal data — a national number sent as a JSON
// number, or beside an unknown property, would come back whole — and DESIGN
// §2 invariant 8 keeps national numbers out of every answer. The location and
// the message say what to fix without repeating what was sent. Query and
// path values stay: no operation takes personal data there.
func withoutValues(_ huma.Context, _ string, v any) (any, error) {
	if m, ok := v.(*huma.ErrorModel); ok {
		for _, d := range m.Errors {
			if d != nil && strings.HasPrefix(d.Location, "body") {
				d.Value = nil
			}
		}
	}
	return v, nil
}

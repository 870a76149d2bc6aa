package i18n

import "traject"

// Error returns the message of err in the localizer's language: the catalog
// text of its key when there is one, its English message otherwise, and a
// generic text for internal errors, which never show their own text.
func (l *Localizer) Error(err error) string {
	e, ok := traject.AsError(err)
	if !ok {
		return l.T("error.internal")
	}
	if e.Key != "" && l.Has(e.Key) {
		return l.TMap(e.Key, e.Args)
	}
	return e.Error()
}

// Field returns the message of one field error.
func (l *Localizer) Field(f traject.FieldError) string {
	if f.Key != "" && l.Has(f.Key) {
		return l.TMap(f.Key, f.Args)
	}
	return f.Message
}

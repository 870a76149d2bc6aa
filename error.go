package traject

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status at the edge (httpx) and to one exit
// code on the command line; nothing below the edge speaks HTTP.
const (
	ECONFLICT     = "conflict"     // the change collides with existing data
	EFORBIDDEN    = "forbidden"    // the actor lacks the permission or the region
	EINTERNAL     = "internal"     // a failure the user cannot act on
	EINVALID      = "invalid"      // the input is wrong; Fields says where
	ENOTFOUND     = "not_found"    // the object does not exist or is out of scope
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	ETHROTTLED    = "throttled"    // too many attempts; try again later
	EUNAVAILABLE  = "unavailable"  // a dependency (the database) cannot be reached
)

// Error is an error a person can act on. Key names a message in the catalogs
// (internal/i18n) and Args fills its placeholders, so the same error reads well
// in every language; Message is the English fallback used by the command line
// and logs. Internal failures are never of this type: they become EINTERNAL and
// show only a request id.
type Error struct {
	Code    string
	Key     string
	Args    map[string]any
	Message string
	Fields  []FieldError
}

// FieldError names one wrong answer in a form, an API body or an import row.
type FieldError struct {
	Field   string
	Key     string
	Args    map[string]any
	Message string
}

// Error implements the error interface.
// RenamedField returns err with its errors on field from moved to field to,
// for a form that names a field otherwise than the domain does; any other
// error comes back as it is. err itself is not changed.
func RenamedField(err error, from, to string) error {
	e, ok := AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = append([]FieldError(nil), e.Fields...)
	for i := range out.Fields {
		if out.Fields[i].Field == from {
			out.Fields[i].Field = to
		}
	}
	return &out
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	msg := e.Message
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", f.Field, f.Message)
	}
	return msg
}

// Errorf returns an *Error with the given code and catalog key; the English
// message is formatted from format and args.
func Errorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for anything that is not an
// *Error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe, English message of err; internal errors give a
// generic text so that no internal detail ever reaches a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "Internal error."
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Validation collects field errors; its Err is nil when nothing was added.
type Validation struct {
	fields []FieldError
}

// Add records that field is wrong, with a catalog key and English message.
func (v *Validation) Add(field, key, message string, args map[string]any) {
	v.fields = append(v.fields, FieldError{Field: field, Key: key, Args: args, Message: message})
}

// Err returns an EINVALID *Error with every field error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: "error.invalid", Message: "Some answers need to be corrected", Fields: v.fields}
}

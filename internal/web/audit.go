package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"traject"
	"traject/internal/i18n"
)

const auditPageSize = 50

type auditData struct {
	Actor, ObjectType, ObjectID string
	From, To                    dateValue
	Entries                     []traject.AuditEntry
	Older                       string
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := auditData{Actor: q.Get("actor"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"),
		From: readDate(q, "from"), To: readDate(q, "to")}
	f, err := data.filter(q)
	p := s.newPage(r, "audit.title", &data)
	if err != nil {
		return s.render(w, r, http.StatusUnprocessableEntity, "audit", s.withErrors(r, p, err, "from"))
	}
	if data.Entries, err = s.Store.AuditLog(r.Context(), f); err != nil {
		return err
	}
	if len(data.Entries) == auditPageSize {
		q.Set("before", strconv.FormatInt(data.Entries[len(data.Entries)-1].ID, 10))
		data.Older = "/audit?" + q.Encode()
	}
	return s.render(w, r, http.StatusOK, "audit", p)
}

func (d *auditData) filter(q url.Values) (traject.AuditFilter, error) {
	f := traject.AuditFilter{Actor: d.Actor, ObjectType: strings.TrimSpace(d.ObjectType),
		ObjectID: strings.TrimSpace(d.ObjectID), Limit: auditPageSize}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	var v traject.Validation
	from, okFrom := d.From.parse()
	to, okTo := d.To.parse()
	if !okFrom {
		v.Add("from", "date.invalid", "Enter a real date, as in 3 3 2026", nil)
	}
	if !okTo {
		v.Add("to", "date.invalid", "Enter a real date, as in 3 3 2026", nil)
	}
	f.From = from
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole "to" day is included
	}
	if okFrom && okTo && !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("to", "date.order", "The end date must be on or after the start date", nil)
	}
	return f, v.Err()
}

// dateValue is the GOV.UK three-field date input: day, month, year.
type dateValue struct{ Day, Month, Year string }

func readDate(q url.Values, name string) dateValue {
	return dateValue{strings.TrimSpace(q.Get(name + "_day")), strings.TrimSpace(q.Get(name + "_month")), strings.TrimSpace(q.Get(name + "_year"))}
}

// parse returns the start of the day in Brussels; all fields empty is no date.
func (d dateValue) parse() (time.Time, bool) {
	if d.Day == "" && d.Month == "" && d.Year == "" {
		return time.Time{}, true
	}
	day, e1 := strconv.Atoi(d.Day)
	month, e2 := strconv.Atoi(d.Month)
	year, e3 := strconv.Atoi(d.Year)
	if e1 != nil || e2 != nil || e3 != nil || year < 2000 || year > 2100 || month < 1 || month > 12 || day < 1 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, i18n.Brussels)
	if t.Day() != day {
		return time.Time{}, false // 31 February
	}
	return t, true
}

// dateField is what the dateInput partial needs.
type dateField struct {
	Name  string
	Error *fieldError
	dateValue
}

// DateField returns the data of one date input, with its error.
func (p *page) DateField(name string, v dateValue) dateField {
	return dateField{Name: name, Error: p.FieldError(name), dateValue: v}
}

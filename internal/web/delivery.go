package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// deliveryData is a delivery's page: plan against receipt, and the forms to
// record its arrival and receive its devices by serial.
type deliveryData struct {
	*store.DeliveryReport
	Delay   delay
	Arrival dateValue // arrival form (not ArrivedOn, which the report has)
	Serials string    // receive form
}

// Difference writes received minus planned with its sign ("+2", "−3", "0").
func (deliveryData) Difference(planned, received int) string {
	switch n := received - planned; {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

func (s *Server) delivery(w http.ResponseWriter, r *http.Request) error {
	return s.showDelivery(w, r, http.StatusOK, nil, deliveryData{})
}

// showDelivery renders the delivery page; after a refused form it shows err
// with the answers in form kept.
func (s *Server) showDelivery(w http.ResponseWriter, r *http.Request, status int, err error, form deliveryData) error {
	report, rerr := s.Store.Delivery(r.Context(), r.PathValue("reference"))
	if rerr != nil {
		return rerr
	}
	form.DeliveryReport, form.Delay = report, delayOf(&report.Delivery, today())
	if form.Arrival == (dateValue{}) && !report.ArrivedOn.IsZero() {
		form.Arrival = dateOf(report.ArrivedOn)
	}
	p := s.newPage(r, "deliverypage.title", &form)
	p.Title = s.localizer(r).T("deliverypage.title", "Reference", report.Reference)
	if err != nil {
		s.formErrors(r, p, err, "serials")
	}
	return s.render(w, r, status, "delivery", p)
}

// recordArrival sets the date the delivery arrived.
func (s *Server) recordArrival(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("reference")
	if err := r.ParseForm(); err != nil {
		return traject.Errorf(traject.EINVALID, "error.invalid", "the form cannot be read")
	}
	form := deliveryData{Arrival: readDate(r.PostForm, "arrived_on")}
	day, ok := form.Arrival.parse()
	var err error
	if !ok || day.IsZero() {
		var v traject.Validation
		v.Add("arrived_on", "deliverypage.arrival.invalid", "enter a real arrival date", nil)
		err = v.Err()
	} else {
		err = s.Store.RecordArrival(r.Context(), ref, asDate(day))
	}
	if status, ok := formStatus(err); ok {
		return s.showDelivery(w, r, status, err, form)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("deliverypage.arrival.done", "Date", s.localizer(r).Date(asDate(day))))
	http.Redirect(w, r, "/deliveries/"+ref, http.StatusSeeOther)
	return nil
}

// receiveSerials records the serials typed or scanned, one per line: the
// announced devices go in stock, other serials are kept as unannounced.
func (s *Server) receiveSerials(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("reference")
	form := deliveryData{Serials: r.PostFormValue("serials")}
	serials := splitSerials(form.Serials)
	var res *store.ReceiveResult
	var err error
	if len(serials) == 0 {
		var v traject.Validation
		v.Add("serials", "deliverypage.serials.none", "enter at least one serial", nil)
		err = v.Err()
	} else {
		res, err = s.Store.ReceiveSerials(r.Context(), ref, serials, today())
	}
	if status, ok := formStatus(err); ok {
		return s.showDelivery(w, r, status, err, form)
	}
	if err != nil {
		return err
	}
	s.flash(r, receiptText(s, r, res))
	http.Redirect(w, r, "/deliveries/"+ref, http.StatusSeeOther)
	return nil
}

// receiptText says what a receipt did, naming the serials that need a look.
func receiptText(s *Server, r *http.Request, res *store.ReceiveResult) string {
	loc := s.localizer(r)
	parts := []string{countText(loc, "deliverypage.received", len(res.Received))}
	if len(res.Already) > 0 {
		parts = append(parts, loc.T("deliverypage.already", "Count", len(res.Already), "Serials", strings.Join(res.Already, ", ")))
	}
	if len(res.Unannounced) > 0 {
		parts = append(parts, loc.T("deliverypage.unannounced", "Count", len(res.Unannounced), "Serials", strings.Join(res.Unannounced, ", ")))
	}
	return strings.Join(parts, " ")
}

// splitSerials reads one serial per line, as a barcode scanner types them;
// commas, semicolons and tabs separate serials too.
func splitSerials(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == '\t'
	}) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// asDate turns a day read from a form (midnight in Brussels) into a date as
// the store keeps them (midnight UTC).
func asDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOf fills a three-field date input from a date.
func dateOf(t time.Time) dateValue {
	y, m, d := t.Date()
	return dateValue{Day: strconv.Itoa(d), Month: strconv.Itoa(int(m)), Year: strconv.Itoa(y)}
}

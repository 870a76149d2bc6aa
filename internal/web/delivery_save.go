package web

import (
	"net/http"
	"strconv"
	"strings"

	"traject"
)

// deliveryForm is the form that announces a delivery, as typed.
type deliveryForm struct {
	Reference, Supplier, PlannedCount string
	PlannedOn                         dateValue
	Allocation                        map[string]string // region code -> count as typed
	Regions                           []traject.Region
}

func newDeliveryForm(r *http.Request) deliveryForm {
	// Like PostFormValue, a body that cannot be read gives empty answers,
	// which the checks below then refuse.
	_ = r.ParseForm()
	f := deliveryForm{Reference: r.PostFormValue("reference"), Supplier: r.PostFormValue("supplier"),
		PlannedCount: r.PostFormValue("planned_count"), PlannedOn: readDate(r.PostForm, "planned_on"),
		Allocation: map[string]string{}, Regions: traject.Regions}
	for _, region := range traject.Regions {
		f.Allocation[region.Code] = strings.TrimSpace(r.PostFormValue("allocation_" + region.Code))
	}
	return f
}

func (s *Server) deliveryNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "delivery_new", s.newPage(r, "deliverynew.title", newDeliveryForm(r)))
}

func (s *Server) deliveryCreate(w http.ResponseWriter, r *http.Request) error {
	form := newDeliveryForm(r)
	d, err := form.delivery()
	if err == nil {
		err = s.Store.CreateDelivery(r.Context(), d)
	}
	if traject.ErrorCode(err) == traject.EINVALID {
		p := s.withErrors(r, s.newPage(r, "deliverynew.title", form), localizeArgs(s.localizer(r), err), "reference")
		return s.render(w, r, http.StatusUnprocessableEntity, "delivery_new", p)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("deliverynew.done", "Reference", d.Reference))
	http.Redirect(w, r, "/deliveries/"+d.Reference, http.StatusSeeOther)
	return nil
}

// delivery reads the typed answers into a delivery and checks them all at
// once: what cannot be read as a date or a number, and what the domain refuses.
func (f *deliveryForm) delivery() (*traject.Delivery, error) {
	d := &traject.Delivery{Reference: f.Reference, Supplier: f.Supplier, Allocation: map[string]int{}}
	var v traject.Validation
	bad := map[string]bool{}
	if day, ok := f.PlannedOn.parse(); ok && !day.IsZero() {
		d.PlannedOn = asDate(day)
	} else {
		// The domain's own message asks for YYYY-MM-DD, as files and the API
		// write dates; this form has three fields.
		bad["planned_on"] = true
		v.Add("planned_on", "deliverynew.plannedon.invalid", "enter a real date", nil)
	}
	if n, ok := parseCount(f.PlannedCount); ok {
		d.PlannedCount = n
	} else {
		bad["planned_count"], bad["allocation"] = true, true // the total cannot be checked
		v.Add("planned_count", "delivery.count.invalid", "enter a whole number", nil)
	}
	for _, region := range traject.Regions {
		typed := f.Allocation[region.Code]
		if typed == "" {
			continue
		}
		if n, ok := parseCount(typed); ok {
			d.Allocation[region.Code] = n
		} else if !bad["allocation_invalid"] {
			bad["allocation_invalid"], bad["allocation"] = true, true
			v.Add("allocation", "delivery.allocation.invalid", "enter whole numbers", nil)
		}
	}
	if err := d.Validate(); err != nil {
		e, _ := traject.AsError(err)
		for _, fe := range e.Fields {
			if !bad[fe.Field] {
				v.Add(fe.Field, fe.Key, fe.Message, fe.Args)
			}
		}
	}
	return d, v.Err()
}

// parseCount reads a whole number, leniently: spaces and the dots and commas
// of thousands ("1.000") are ignored.
func parseCount(s string) (int, bool) {
	s = strings.NewReplacer(" ", "", ".", "", ",", "", "\u00a0", "").Replace(s)
	n, err := strconv.Atoi(s)
	return n, err == nil
}

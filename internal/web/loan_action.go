package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"traject"
)

// readLoanForm reads the answers of one action's form; checkboxes are
// "on" when ticked.
func readLoanForm(r *http.Request, action string) loanForm {
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	f := r.PostForm
	return loanForm{Action: action,
		Device: f.Get("device") != "", Charger: f.Get("charger") != "", SIM: f.Get("sim") != "",
		On: readDate(f, "on"), Due: readDate(f, "due"),
		Condition: f.Get("condition"), Note: strings.TrimSpace(f.Get("note")), Reason: f.Get("reason"),
		AssetTag: strings.TrimSpace(f.Get("asset_tag")), LossState: f.Get("state"), LossNote: f.Get("lossnote")}
}

func (f loanForm) checklist() traject.Checklist {
	return traject.Checklist{Device: f.Device, Charger: f.Charger, SIM: f.SIM}
}

// formDate reads a date field; a date that is not a real day is a field error.
func formDate(v *traject.Validation, field string, d dateValue, required bool) time.Time {
	day, ok := d.parse()
	if !ok || (required && day.IsZero()) {
		v.Add(field, "date.invalid", "Enter a real date, as in 3 3 2026", nil)
		return time.Time{}
	}
	if day.IsZero() {
		return day
	}
	return asDate(day)
}

// loanAction runs one action on the loan of the request: on success it goes
// back to the loan page with done as the flash; a refused action comes back
// on the loan page with the reason, and nothing changed.
func (s *Server) loanAction(w http.ResponseWriter, r *http.Request, action, done string,
	run func(id int64, f loanForm) (*traject.Loan, error)) error {
	id, err := loanID(r)
	if err != nil {
		return err
	}
	form := readLoanForm(r, action)
	l, err := run(id, form)
	if status, ok := formStatus(err); ok {
		if traject.ErrorCode(err) == traject.EFORBIDDEN || isLoanNotFound(err, id) {
			return err // another region's loan is not found, as if it did not exist
		}
		return s.showLoan(w, r, id, status, err, form)
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T(done, "ID", l.ID, "AssetTag", l.AssetTag, "Due", loc.Date(l.Due)))
	http.Redirect(w, r, loanURL(l.ID), http.StatusSeeOther)
	return nil
}

// isLoanNotFound tells the loan itself missing (a 404) from a device or
// learner the form named that was not found (an error on the form).
func isLoanNotFound(err error, id int64) bool {
	e, ok := traject.AsError(err)
	if !ok || e.Code != traject.ENOTFOUND || len(e.Fields) > 0 {
		return false
	}
	ref, _ := e.Args["ID"].(string)
	return ref == "" || ref == strconv.FormatInt(id, 10)
}

func (s *Server) handOut(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, "handout", "loanpage.handout.done", func(id int64, f loanForm) (*traject.Loan, error) {
		return s.Store.HandOut(r.Context(), id, today(), f.checklist())
	})
}

func (s *Server) returnLoan(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, "return", "loanpage.return.done", func(id int64, f loanForm) (*traject.Loan, error) {
		var v traject.Validation
		on := formDate(&v, "on", f.On, true)
		if err := v.Err(); err != nil {
			return nil, err
		}
		return s.Store.ReturnLoan(r.Context(), id, traject.Return{On: on, Checklist: f.checklist(),
			Condition: traject.Condition(f.Condition), Note: f.Note})
	})
}

func (s *Server) extendLoan(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, "extend", "loanpage.extend.done", func(id int64, f loanForm) (*traject.Loan, error) {
		var v traject.Validation
		due := formDate(&v, "due", f.Due, true)
		if strings.TrimSpace(f.Reason) == "" {
			v.Add("reason", "loan.extend.reason", "say why the loan is extended", nil)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		return s.Store.Extend(r.Context(), id, due, f.Reason)
	})
}

func (s *Server) swapDevice(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, "swap", "loanpage.swap.done", func(id int64, f loanForm) (*traject.Loan, error) {
		var v traject.Validation
		if f.AssetTag == "" {
			v.Add("asset_tag", "loan.swap.tag", "enter the asset tag of the replacement device", nil)
		}
		if strings.TrimSpace(f.Reason) == "" {
			v.Add("reason", "loan.swap.reason", "say what is wrong with the device", nil)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		return s.Store.Swap(r.Context(), id, f.AssetTag, f.Reason)
	})
}

func (s *Server) reportLoss(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, "loss", "loanpage.loss.done", func(id int64, f loanForm) (*traject.Loan, error) {
		var v traject.Validation
		on := formDate(&v, "on", f.On, true)
		if err := v.Err(); err != nil {
			return nil, err
		}
		l, err := s.Store.ReportLoss(r.Context(), id, traject.Loss{State: traject.LoanState(f.LossState), On: on, Note: f.LossNote})
		return l, lossNoteField(err)
	})
}

// lossNoteField names the loss form's note field as the page does: "note"
// is the return form's.
func lossNoteField(err error) error { return traject.RenamedField(err, "note", "lossnote") }

func (s *Server) cancelLoan(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, "cancel", "loanpage.cancel.done", func(id int64, f loanForm) (*traject.Loan, error) {
		return s.Store.CancelLoan(r.Context(), id, f.Reason)
	})
}

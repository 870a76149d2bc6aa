package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/i18n"
	"traject/internal/store"
)

// The agreement page shows the loan's agreement in the learner's language
// beside the binding Dutch text, and takes the acceptance with a one-time
// code: sent by SMS on request, or given at the desk.

type mijnAgreementData struct {
	Loan     store.LearnerLoan
	Text     *store.AgreementText
	Language string // the name of the language shown beside the Dutch text
	Accepted bool   // already accepted: nothing to do here
	CanPhone bool   // the learner has a phone to receive a code
}

// ownLoan returns one of the learner's current loans; any other id is not found.
func (m *mijn) ownLoan(r *http.Request, l *traject.Learner) (store.LearnerLoan, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		h, err := m.Store.LearnerHome(r.Context(), l.ID)
		if err != nil {
			return store.LearnerLoan{}, err
		}
		for _, ll := range h.Loans {
			if ll.ID == id {
				return ll, nil
			}
		}
	}
	return store.LearnerLoan{}, traject.Errorf(traject.ENOTFOUND, "mijn.loan.notfound", "this loan is not yours, or does not exist")
}

func (m *mijn) agreementData(r *http.Request, l *traject.Learner, lang string) (*mijnAgreementData, error) {
	ll, err := m.ownLoan(r, l)
	if err != nil {
		return nil, err
	}
	text, err := m.Store.LoanAgreement(r.Context(), ll.ID, lang)
	if err != nil {
		return nil, err
	}
	name, _ := i18n.Supported(text.Language)
	return &mijnAgreementData{Loan: ll, Text: text, Language: name.Name,
		Accepted: ll.Accepted || ll.State != traject.LoanReserved, CanPhone: l.Phone != ""}, nil
}

func (m *mijn) agreement(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	p := m.newPage(r, l, "mijn.agreement.title", nil)
	data, err := m.agreementData(r, l, p.Lang.Tag)
	if err != nil {
		return err
	}
	p.Data, p.Back = data, "/mijn/home"
	return m.render(w, http.StatusOK, "mijn_agreement", p)
}

// sendAcceptCode sends a code of purpose accept for this loan by SMS.
func (m *mijn) sendAcceptCode(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	ll, err := m.ownLoan(r, l)
	if err != nil {
		return err
	}
	target := "/mijn/loans/" + strconv.FormatInt(ll.ID, 10) + "/agreement#accept"
	if l.Phone == "" {
		return m.seeOther(w, r, target)
	}
	code, err := m.Store.IssueLearnerCode(r.Context(),
		store.LearnerCode{LearnerID: l.ID, Purpose: store.CodeAccept, LoanID: ll.ID, Limit: store.CodeSMSLimit})
	loc := m.localizer(r)
	switch {
	case traject.ErrorCode(err) == traject.ETHROTTLED:
		m.flash(r, loc.T("mijn.sms.throttled"))
		return m.seeOther(w, r, target)
	case err != nil:
		return err
	}
	if err := m.sendSMS(r.Context(), l, loc.Lang.Tag, loc.T("mijn.sms.accept", "Code", code)); err != nil {
		return err
	}
	m.flash(r, loc.T("mijn.sms.sent"))
	return m.seeOther(w, r, target)
}

// accept records the acceptance with the code, for the exact text shown
// (its language and hash come back with the form).
func (m *mijn) accept(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	shown := r.PostFormValue("language")
	if _, ok := i18n.Supported(shown); !ok {
		shown = i18n.Default
	}
	var v traject.Validation
	if r.PostFormValue("agree") != "yes" {
		v.Add("agree", "mijn.agree.required", "tick the box to say you agree", nil)
	}
	code := normalizeCode(r.PostFormValue("code"))
	if len(code) != 6 {
		v.Add("code", "mijn.code.invalid", "enter the 6 digits of the code", nil)
	}
	err := v.Err()
	if err == nil {
		ll, lerr := m.ownLoan(r, l)
		if lerr != nil {
			return lerr
		}
		acc := &traject.Acceptance{Language: shown, TextHash: r.PostFormValue("text_sha256")}
		err = m.Store.AcceptWithCode(r.Context(), l.ID, ll.ID, code, acc)
		if err == nil {
			return m.seeOther(w, r, "/mijn/loans/"+strconv.FormatInt(ll.ID, 10)+"/accepted")
		}
	}
	return m.acceptError(w, r, l, err)
}

// acceptError shows the agreement again with what went wrong: a form
// mistake or a wrong code (422), or a text that changed meanwhile (409).
func (m *mijn) acceptError(w http.ResponseWriter, r *http.Request, l *traject.Learner, err error) error {
	status := http.StatusUnprocessableEntity
	switch {
	case mijnIsKey(err, "code.wrong"):
		err = mijnInvalid("code", "mijn.code.wrong", "this code does not work")
	case mijnIsKey(err, "acceptance.changed"):
		status, err = http.StatusConflict, mijnInvalid("agree", "mijn.agreement.changed", "the agreement changed: read it again")
	case traject.ErrorCode(err) != traject.EINVALID:
		return err
	}
	p := m.newPage(r, l, "mijn.agreement.title", nil)
	data, derr := m.agreementData(r, l, p.Lang.Tag)
	if derr != nil {
		return derr
	}
	p.Data, p.Back = data, "/mijn/home"
	return m.render(w, status, "mijn_agreement", m.withErrors(r, p, err, "agree"))
}

func mijnIsKey(err error, key string) bool {
	e, ok := traject.AsError(err)
	return ok && e.Key == key
}

func (m *mijn) accepted(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	ll, err := m.ownLoan(r, l)
	if err != nil {
		return err
	}
	if !ll.Accepted {
		return m.seeOther(w, r, "/mijn/loans/"+strconv.FormatInt(ll.ID, 10)+"/agreement")
	}
	return m.render(w, http.StatusOK, "mijn_accepted", m.newPage(r, l, "mijn.accepted.title", ll))
}

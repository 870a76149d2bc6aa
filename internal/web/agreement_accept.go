package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"traject"
	"traject/internal/report"
	"traject/internal/store"
)

// acceptData is the acceptance page: the agreement in force for the loan,
// the binding Dutch text beside the translation shown, and the form that
// records how the learner accepted it.
type acceptData struct {
	Loan      *traject.Loan
	Text      *store.AgreementText
	Languages []string
	Method    string
	TypedName string
	Confirmed bool
}

// DirOf is the writing direction of an agreement language.
func (acceptData) DirOf(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// Paragraphs splits an agreement text into its paragraphs for the page.
func (acceptData) Paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// shownLanguage is the translation to show: the one asked for, else the
// learner's own language when the agreement has it, else Dutch alone.
func (s *Server) shownLanguage(r *http.Request, l *traject.Loan) string {
	if q := r.FormValue("language"); slices.Contains(traject.AgreementLanguages, q) {
		return q
	}
	if le, err := s.Store.Learner(r.Context(), l.LearnerRef); err == nil && slices.Contains(traject.AgreementLanguages, le.Language) {
		return le.Language
	}
	return "nl"
}

func (s *Server) acceptForm(w http.ResponseWriter, r *http.Request) error {
	id, err := loanID(r)
	if err != nil {
		return err
	}
	return s.showAccept(w, r, id, "", http.StatusOK, nil, acceptData{Method: string(traject.AcceptSignature)})
}

// showAccept renders the acceptance page in language lang ("" chooses it).
func (s *Server) showAccept(w http.ResponseWriter, r *http.Request, id int64, lang string, status int, err error, form acceptData) error {
	l, lerr := s.Store.Loan(r.Context(), id)
	if lerr != nil {
		return lerr
	}
	if lang == "" {
		lang = s.shownLanguage(r, l)
	}
	text, lerr := s.Store.LoanAgreement(r.Context(), id, lang)
	if lerr != nil {
		return lerr
	}
	form.Loan, form.Text, form.Languages = l, text, traject.AgreementLanguages
	loc := s.localizer(r)
	p := s.newPage(r, "acceptpage.title", &form)
	p.Title = loc.T("acceptpage.title", "ID", l.ID)
	if err != nil {
		s.formErrors(r, p, acceptFields(err), "method")
	}
	return s.render(w, r, status, "agreement_accept", p)
}

// acceptFields names the page's fields for the domain's: a drawn signature
// is a hidden field, so its errors go to the typed name beside it.
func acceptFields(err error) error { return traject.RenamedField(err, "signature", "typed_name") }

// maxAcceptBody bounds the acceptance form: a scan and a signature.
const maxAcceptBody = traject.MaxScanBytes + 1<<20

// accept records the acceptance: a signature drawn on the pad (or the full
// name typed, which works without JavaScript), or the paper's scan.
func (s *Server) accept(w http.ResponseWriter, r *http.Request) error {
	id, err := loanID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxAcceptBody)
	form, acc, err := readAcceptance(r)
	lang := acc.Language
	if !slices.Contains(traject.AgreementLanguages, lang) {
		lang = ""
	}
	if err == nil {
		err = s.Store.Accept(r.Context(), id, acc)
	}
	if status, ok := formStatus(err); ok {
		if isLoanNotFound(err, id) {
			return err
		}
		return s.showAccept(w, r, id, lang, status, err, form)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("acceptpage.done", "Version", acc.Version))
	http.Redirect(w, r, loanURL(id), http.StatusSeeOther)
	return nil
}

// readAcceptance reads the multipart form into an acceptance, checking what
// only the page can check: the confirmation box, the drawn path and the
// scan's type.
func readAcceptance(r *http.Request) (acceptData, *traject.Acceptance, error) {
	var v traject.Validation
	sigBad, scanBad := false, false
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			v.Add("scan", "acceptance.scan.large", "the scan can be at most 5 MB", nil)
		} else {
			v.Add("method", "acceptance.form.broken", "the form broke off: send it again", nil)
		}
		return acceptData{Method: string(traject.AcceptSignature)}, &traject.Acceptance{}, v.Err()
	}
	form := acceptData{Method: r.FormValue("method"), TypedName: strings.TrimSpace(r.FormValue("typed_name")),
		Confirmed: r.FormValue("confirm") != ""}
	acc := &traject.Acceptance{Language: r.FormValue("language"), TextHash: r.FormValue("text_sha256"),
		Method: traject.AcceptanceMethod(form.Method)}
	switch acc.Method {
	case traject.AcceptSignature:
		acc.TypedName = form.TypedName
		if sig := strings.TrimSpace(r.FormValue("signature")); sig != "" {
			strokes, err := report.ParseSignature(sig)
			if err != nil || len(strokes) == 0 {
				sigBad = true
				v.Add("typed_name", "acceptance.signature.invalid", "the drawn signature cannot be read: type the full name instead", nil)
			} else {
				acc.Signature = report.SignaturePath(strokes)
			}
		}
	case traject.AcceptPaper:
		if err := readScan(r, acc); err != nil {
			scanBad = true
			v.Add("scan", err.Error(), "attach a PDF, PNG or JPEG scan of at most 5 MB", nil)
		}
	case traject.AcceptCode:
		// A code is entered by the learner on their own page, never at the desk.
		acc.Method = ""
	}
	if !form.Confirmed {
		v.Add("confirm", "acceptance.confirm", "tick the box to confirm that the learner read and accepts the text", nil)
	}
	if err := acc.Validate(); err != nil {
		e, _ := traject.AsError(err)
		for _, f := range e.Fields {
			// One message per field: the page's own check says it more precisely.
			if !(sigBad && f.Field == "signature") && !(scanBad && f.Field == "scan") {
				v.Add(f.Field, f.Key, f.Message, f.Args)
			}
		}
	}
	return form, acc, v.Err()
}

// scanTypes are the scans a paper acceptance may attach, by their content.
var scanTypes = []string{"application/pdf", "image/png", "image/jpeg"}

// readScan reads the attached scan; its type is read from its bytes, not
// from the name the browser sent. The error text is a catalog key.
func readScan(r *http.Request, acc *traject.Acceptance) error {
	f, _, err := r.FormFile("scan")
	if err != nil {
		return errors.New("acceptance.scan")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, traject.MaxScanBytes+1))
	if err != nil || len(b) == 0 {
		return errors.New("acceptance.scan")
	}
	if len(b) > traject.MaxScanBytes {
		return errors.New("acceptance.scan.large")
	}
	kind := http.DetectContentType(b)
	if !slices.Contains(scanTypes, kind) {
		return errors.New("acceptance.scan.type")
	}
	acc.Scan, acc.ScanType = b, kind
	return nil
}

// agreementPDF sends the loan's latest acceptance as a PDF to print or send.
func (s *Server) agreementPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := loanID(r)
	if err != nil {
		return err
	}
	l, err := s.Store.Loan(r.Context(), id)
	if err != nil {
		return err
	}
	accs, err := s.Store.Acceptances(r.Context(), id)
	if err != nil {
		return err
	}
	if len(accs) == 0 {
		return traject.Errorf(traject.ENOTFOUND, "loanpage.agreement.nopdf", "loan %d has no accepted agreement yet", id)
	}
	var buf bytes.Buffer
	if err := report.WriteAgreementPDF(&buf, l, &accs[0]); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="overeenkomst-`+r.PathValue("id")+`.pdf"`)
	_, err = buf.WriteTo(w)
	return err
}

package web

import (
	"net/http"
	"strconv"
	"time"

	"traject"
	"traject/internal/report"
	"traject/internal/store"
)

// caseListView is the files page: the files, those whose deadline passed,
// the proposals from the follow-up list and the attempts the guard refused.
type caseListView struct {
	Files     []traject.InfractionFile
	Late      []traject.InfractionFile
	Proposals []store.FileProposal
	Refusals  []store.FileRefusal
	State     string
	States    []traject.FileState
	CanWrite  bool
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := &caseListView{States: traject.FileStates, CanWrite: traject.UserFromContext(ctx).Can(traject.PermCasesWrite)}
	if st := traject.FileState(r.URL.Query().Get("state")); st.Valid() {
		v.State = string(st)
	}
	var err error
	if v.Files, err = s.Store.InfractionFiles(ctx, store.FileFilter{State: traject.FileState(v.State)}); err != nil {
		return err
	}
	if v.Late, err = s.Store.DeadlinesPassed(ctx); err != nil {
		return err
	}
	if v.Proposals, err = s.Store.FileProposals(ctx); err != nil {
		return err
	}
	if v.Refusals, err = s.Store.FileRefusals(ctx, 20); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "case_list", s.newPage(r, "cases.title", v))
}

// caseView is one file with its evidence and the forms of its next steps.
type caseView struct {
	*store.FileEvidence
	Steps     []traject.FileStep
	CanWrite  bool
	Signed    bool // the signed-in staff member signed it off
	Late      bool
	Form      stepForm
	CheckRows []checkRow
}

// checkRow is one checklist item with its explanation in the page's language.
type checkRow struct {
	Key    string
	Passed bool
	Why    string
}

// stepForm is a step's form as typed, kept when it is sent back.
type stepForm struct {
	On      dateValue
	Text    string
	Outcome string
	Amount  string
	Note    string
}

func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) error {
	v, err := s.newCaseView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "case", s.newPage(r, "case.title", v))
}

func (s *Server) newCaseView(r *http.Request) (*caseView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ev, err := s.Store.FileEvidence(r.Context(), id)
	if err != nil {
		return nil, err
	}
	actor := traject.UserFromContext(r.Context())
	v := &caseView{FileEvidence: ev, Steps: ev.File.NextSteps(), CanWrite: actor.Can(traject.PermCasesWrite),
		Late: ev.File.DeadlinePassed(traject.SessionDay(time.Now()))}
	for _, so := range ev.SignOffs {
		v.Signed = v.Signed || so.UserID == actor.ID
	}
	v.Form.Amount = strconv.Itoa(ev.Proposed)
	loc := s.localizer(r)
	for _, it := range ev.Checklist {
		v.CheckRows = append(v.CheckRows, checkRow{Key: it.Key, Passed: it.Passed, Why: loc.TMap(it.Why, it.Args)})
	}
	return v, nil
}

// pathID reads a numeric id from the path; anything else is a page not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "page not found")
	}
	return id, nil
}

// caseLetter sends a letter of a file as PDF.
func (s *Server) caseLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	letterID, err := pathID(r, "letter")
	if err != nil {
		return err
	}
	f, l, err := s.Store.FileLetter(r.Context(), id, letterID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename=\"dossier-"+strconv.FormatInt(f.ID, 10)+"-"+string(l.Kind)+".pdf\"")
	return report.WriteLetterPDF(w, f, l)
}

package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/store"
)

// The desk gives a learner a one-time code in person: to sign in to their
// own pages, or to accept the agreement of a reserved loan. The code is
// shown once, on this answer page, and is never stored in clear.

type deskCodeData struct {
	Learner *traject.Learner
	Loans   []traject.Loan // reserved loans still to be accepted
	Code    string         // the code just issued, shown once
	For     string         // what it is for: signin or the loan id
}

func (s *Server) deskCodeData(r *http.Request) (*deskCodeData, error) {
	l, err := s.Store.Learner(r.Context(), r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	loans, err := s.Store.Loans(r.Context(), store.LoanFilter{Learner: l.Ref, State: traject.LoanReserved})
	if err != nil {
		return nil, err
	}
	data := &deskCodeData{Learner: l}
	for _, ln := range loans {
		if !ln.Accepted {
			data.Loans = append(data.Loans, ln)
		}
	}
	return data, nil
}

func (s *Server) deskCodeForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.deskCodeData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "mijn_desk_code", s.newPage(r, "mijn.desk.title", data))
}

// deskCode issues the code and shows it to the staff member, once.
func (s *Server) deskCode(w http.ResponseWriter, r *http.Request) error {
	data, err := s.deskCodeData(r)
	if err != nil {
		return err
	}
	data.For = r.PostFormValue("for")
	req := store.LearnerCode{LearnerID: data.Learner.ID, Purpose: store.CodeSignIn}
	if data.For != "signin" {
		id, _ := strconv.ParseInt(data.For, 10, 64)
		req.Purpose, req.LoanID = store.CodeAccept, id
		if !hasLoan(data.Loans, id) {
			err := mijnInvalid("for", "mijn.desk.for.required", "choose what the code is for")
			p := s.withErrors(r, s.newPage(r, "mijn.desk.title", data), err, "for")
			return s.render(w, r, http.StatusUnprocessableEntity, "mijn_desk_code", p)
		}
	}
	if data.Code, err = s.Store.IssueLearnerCode(r.Context(), req); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "mijn_desk_code", s.newPage(r, "mijn.desk.title", data))
}

func hasLoan(loans []traject.Loan, id int64) bool {
	for _, l := range loans {
		if l.ID == id {
			return true
		}
	}
	return false
}

package web

import (
	"net/http"
	"net/url"
	"strings"

	"traject"
	"traject/internal/store"
)

// learnerListSize is the number of learners on one page of the list.
const learnerListSize = 50

// learnerListData is the learner list: the search and one keyset page.
type learnerListData struct {
	Term     string // the search as typed; never a national number
	ByNumber string // the mask of the national number searched for, if that was the search
	Learners []traject.Learner
	Next     string // the next page's address, "" on the last
	First    string // the first page's address, "" on the first
}

// learnerList shows the learners by name; ?q= searches by reference or name.
func (s *Server) learnerList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	term := strings.TrimSpace(q.Get("q"))
	if traject.LooksLikeNationalNumber(term) {
		// A number typed into the address: the page's own links (the
		// language switch) must not carry it on.
		r = r.Clone(r.Context())
		r.URL.RawQuery = ""
	}
	return s.showLearners(w, r, term, q.Get("after"), false)
}

// learnerSearch is the search form's target: a POST, so that a national
// number typed into it is in no URL, browser history or access log.
func (s *Server) learnerSearch(w http.ResponseWriter, r *http.Request) error {
	return s.showLearners(w, r, strings.TrimSpace(r.PostFormValue("term")), "", true)
}

// showLearners runs one search: a national number (only when posted), an
// exact reference, or the start of a name, and renders the list.
func (s *Server) showLearners(w http.ResponseWriter, r *http.Request, term, after string, posted bool) error {
	data := &learnerListData{}
	p := s.newPage(r, "learners.title", data)
	f := store.LearnerFilter{After: after, Limit: learnerListSize}
	switch {
	case traject.LooksLikeNationalNumber(term) && !posted:
		// Already in the URL by mistake: not repeated on the page, not searched.
		return s.render(w, r, http.StatusUnprocessableEntity, "learner_list",
			s.withErrors(r, p, invalidTerm("learner.search.nninurl", "search a national number with the search field"), "term"))
	case traject.LooksLikeNationalNumber(term):
		n, err := traject.ParseNationalNumber(term)
		if err != nil {
			return s.render(w, r, http.StatusUnprocessableEntity, "learner_list", s.withErrors(r, p, asTermError(err), "term"))
		}
		f.NationalNumber, data.ByNumber = n, n.Mask()
	default:
		data.Term = term
		if found, err := s.learnerByRef(r, term); err != nil || found != nil {
			data.Learners = found
			return s.renderList(w, r, p, err)
		}
		f.Name = term
	}
	page, err := s.Store.Learners(r.Context(), f)
	if err != nil {
		return err
	}
	data.Learners = page.Learners
	data.pages(term, after, page.Next)
	return s.render(w, r, http.StatusOK, "learner_list", p)
}

func (s *Server) renderList(w http.ResponseWriter, r *http.Request, p *page, err error) error {
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "learner_list", p)
}

// learnerByRef returns the learner whose reference is exactly term, as a
// list of one, or nil when there is none (the search then goes by name).
func (s *Server) learnerByRef(r *http.Request, term string) ([]traject.Learner, error) {
	if !traject.ValidLearnerRef(term) {
		return nil, nil
	}
	page, err := s.Store.Learners(r.Context(), store.LearnerFilter{Ref: term, Limit: 1})
	if err != nil || len(page.Learners) == 0 {
		return nil, err
	}
	return page.Learners, nil
}

// pages sets the links to the next and the first page; the search term goes
// into them, which is safe because a number never gets here.
func (d *learnerListData) pages(term, after, next string) {
	q := url.Values{}
	if term != "" {
		q.Set("q", term)
	}
	if after != "" {
		d.First = "/learners?" + q.Encode()
	}
	if next != "" {
		q.Set("after", next)
		d.Next = "/learners?" + q.Encode()
	}
}

func invalidTerm(key, msg string) error {
	var v traject.Validation
	v.Add("term", key, msg, nil)
	return v.Err()
}

// asTermError moves the national number's error to the search field.
func asTermError(err error) error {
	e, ok := traject.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	f := e.Fields[0]
	var v traject.Validation
	v.Add("term", f.Key, f.Message, f.Args)
	return v.Err()
}

package web

import (
	"net/http"

	"traject"
)

// mijnPages are the page templates of the learner area that staff see (the
// desk's code page), parsed with the staff layout. The learner's own pages
// have their own layout and are listed in mijnViews.
var mijnPages = []string{"mijn_desk_code"}

// mijnRoutes adds the learner's own pages, under /mijn/, and the desk's form
// that gives a learner a code. The embedded templates are parsed here, once;
// a broken one stops the start, as a staff template does.
func (s *Server) mijnRoutes(mux *http.ServeMux) {
	m, err := newMijn(s)
	if err != nil {
		panic(err)
	}
	mux.Handle("GET /mijn/{$}", m.public(m.signInForm))
	mux.Handle("POST /mijn/{$}", m.public(m.sendSignInCode))
	mux.Handle("GET /mijn/code", m.public(m.codeForm))
	mux.Handle("POST /mijn/code", m.public(m.checkCode))
	mux.Handle("POST /mijn/logout", m.public(m.signOut))
	mux.Handle("GET /mijn/home", m.learner(m.home))
	mux.Handle("GET /mijn/request/course", m.learner(m.requestCourse))
	mux.Handle("POST /mijn/request/course", m.learner(m.saveCourse))
	mux.Handle("GET /mijn/request/internet", m.learner(m.requestInternet))
	mux.Handle("POST /mijn/request/internet", m.learner(m.saveInternet))
	mux.Handle("GET /mijn/request/check", m.learner(m.requestCheck))
	mux.Handle("POST /mijn/request/check", m.learner(m.sendRequest))
	mux.Handle("GET /mijn/request/done", m.learner(m.requestDone))
	mux.Handle("GET /mijn/loans/{id}/agreement", m.learner(m.agreement))
	mux.Handle("POST /mijn/loans/{id}/agreement", m.learner(m.accept))
	mux.Handle("POST /mijn/loans/{id}/code", m.learner(m.sendAcceptCode))
	mux.Handle("GET /mijn/loans/{id}/accepted", m.learner(m.accepted))
	mux.Handle("/mijn/", m.public(m.notFound))

	// The desk gives a code in person (shown once); staff only.
	mux.Handle("GET /learners/{ref}/code", s.handle(string(traject.PermLoansWrite), s.deskCodeForm))
	mux.Handle("POST /learners/{ref}/code", s.handle(string(traject.PermLoansWrite), s.deskCode))
}

func (m *mijn) notFound(w http.ResponseWriter, r *http.Request) error {
	return traject.Errorf(traject.ENOTFOUND, "mijn.notfound", "page not found")
}

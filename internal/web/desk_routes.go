package web

import (
	"net/http"

	"traject"
)

// deskPages are the lending desk's page templates.
var deskPages = []string{"desk", "desk_queue", "desk_request", "loan", "loan_list", "agreement_accept", "agreement"}

// deskRoutes adds the lending desk's pages: loans:read to see, loans:write to
// act. The store keeps staff to their own region: a loan elsewhere is not found.
func (s *Server) deskRoutes(mux *http.ServeMux) {
	read, write := string(traject.PermLoansRead), string(traject.PermLoansWrite)
	mux.Handle("GET /desk", s.handle(read, s.deskHome))
	mux.Handle("POST /desk/wipe", s.handle(write, s.confirmWipe))
	mux.Handle("GET /desk/queue", s.handle(read, s.deskQueue))
	mux.Handle("POST /desk/queue/allocate", s.handle(write, s.serveQueue))
	mux.Handle("POST /desk/queue/{ref}/cancel", s.handle(write, s.cancelRequest))
	mux.Handle("GET /desk/requests/new", s.handle(write, s.requestNew))
	mux.Handle("POST /desk/requests", s.handle(write, s.requestCreate))

	mux.Handle("GET /loans", s.handle(read, s.loanList))
	mux.Handle("GET /loans/{id}", s.handle(read, s.loan))
	mux.Handle("POST /loans/{id}/handout", s.handle(write, s.handOut))
	mux.Handle("POST /loans/{id}/return", s.handle(write, s.returnLoan))
	mux.Handle("POST /loans/{id}/extend", s.handle(write, s.extendLoan))
	mux.Handle("POST /loans/{id}/swap", s.handle(write, s.swapDevice))
	mux.Handle("POST /loans/{id}/loss", s.handle(write, s.reportLoss))
	mux.Handle("POST /loans/{id}/cancel", s.handle(write, s.cancelLoan))
	mux.Handle("GET /loans/{id}/accept", s.handle(read, s.acceptForm))
	mux.Handle("POST /loans/{id}/accept", s.handle(write, s.accept))
	mux.Handle("GET /loans/{id}/agreement.pdf", s.handle(read, s.agreementPDF))

	// The agreement is national: every region lends under the same text, so
	// only the administrator publishes it.
	mux.Handle("GET /agreement", s.handle(read, s.agreementPage))
	mux.Handle("POST /agreement", s.handle(string(traject.PermAgreementPublish), s.publishAgreement))
}

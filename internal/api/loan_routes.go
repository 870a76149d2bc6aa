package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
)

// loanRoutes registers the lending desk's operations. Publishing an agreement
// needs agreement:publish (administrators): a new version binds every region
// and makes every accepted-but-not-handed-out loan accept again, which is not
// a regional desk's decision, though desks hold loans:write.
func (s *Server) loanRoutes() {
	read, write := traject.PermLoansRead, traject.PermLoansWrite
	huma.Register(s.api, s.operation("list-loans", http.MethodGet, "/loans", "Loans in id order, a keyset page", read), s.loans)
	huma.Register(s.api, s.conflicts(s.created(s.operation("reserve-loan", http.MethodPost, "/loans", "Reserve a device for a learner and a period: the one asked for, or any free one", write))), s.reserve)
	huma.Register(s.api, s.operation("get-loan", http.MethodGet, "/loans/{id}", "One loan", read), s.loan)
	huma.Register(s.api, s.operation("get-loan-timeline", http.MethodGet, "/loans/{id}/timeline", "A loan's audited history, newest first", read), s.loanTimeline)
	huma.Register(s.api, s.operation("get-loan-agreement", http.MethodGet, "/loans/{id}/agreement", "The agreement in force, filled in for this loan, in a language beside the binding Dutch text", read), s.loanAgreement)
	huma.Register(s.api, s.operation("list-acceptances", http.MethodGet, "/loans/{id}/acceptance", "A loan's acceptances of the agreement, newest first", read), s.acceptances)
	huma.Register(s.api, s.bigBody(s.conflicts(s.created(s.operation("accept-agreement", http.MethodPost, "/loans/{id}/acceptance", "Record the learner's acceptance of the agreement in force", write)))), s.accept)
	huma.Register(s.api, s.conflicts(s.operation("hand-out-loan", http.MethodPost, "/loans/{id}/handout", "Hand the device out: needs an acceptance of the agreement in force and the checklist", write)), s.handOut)
	huma.Register(s.api, s.conflicts(s.operation("return-loan", http.MethodPost, "/loans/{id}/return", "Record the device's return; it goes to quarantine until wiped", write)), s.returnLoan)
	huma.Register(s.api, s.conflicts(s.operation("extend-loan", http.MethodPost, "/loans/{id}/extend", "Move the due date later, with a reason; the agreed period stays", write)), s.extend)
	huma.Register(s.api, s.conflicts(s.operation("swap-loan-device", http.MethodPost, "/loans/{id}/swap", "Replace a faulty device inside the loan", write)), s.swap)
	huma.Register(s.api, s.conflicts(s.operation("report-loan-loss", http.MethodPost, "/loans/{id}/lost", "End the loan as lost or stolen: suspends the SIM, queues a remote disable", write)), s.reportLoss)
	huma.Register(s.api, s.conflicts(s.operation("cancel-loan", http.MethodPost, "/loans/{id}/cancel", "Cancel a reservation", write)), s.cancelLoan)
	huma.Register(s.api, s.operation("list-loan-requests", http.MethodGet, "/loan-requests", "The waiting queue in serving order, with suggested transfers", read), s.queue)
	huma.Register(s.api, s.conflicts(s.created(s.operation("create-loan-request", http.MethodPost, "/loan-requests", "Request a device for a learner's course: allocated at once when one is free, else queued", write))), s.createRequest)
	huma.Register(s.api, s.operation("get-loan-request", http.MethodGet, "/loan-requests/{ref}", "One request", read), s.loanRequest)
	huma.Register(s.api, s.operation("get-agreement", http.MethodGet, "/agreement", "The agreement version in force, its templates in every language", read), s.agreement)
	huma.Register(s.api, s.created(s.operation("publish-agreement", http.MethodPost, "/agreement", "Publish a new version of the agreement; older versions never change", traject.PermAgreementPublish)), s.publishAgreement)
}

// conflicts documents the 409 an operation answers when the data refuses it.
func (s *Server) conflicts(op huma.Operation) huma.Operation {
	op.Errors = append(op.Errors, http.StatusConflict)
	return op
}

// bigBody lets an acceptance carry a paper scan of up to 5 MB in base64.
func (s *Server) bigBody(op huma.Operation) huma.Operation {
	op.MaxBodyBytes = 8 << 20
	return op
}

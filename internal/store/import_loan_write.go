package store

import (
	"database/sql"
	"time"

	"traject"
)

// loanKey finds an inserted loan again among the rows RETURNING gives back,
// which come in no promised order: one device never has two loans of a file
// starting on one day (they would overlap).
type loanKey struct {
	deviceID int64
	from     string
}

// insert writes checked loans, then the devices of the loans still out go on
// loan, then the imported paper acceptances of every loan handed out, then
// the audit rows, as Reserve, HandOut and Accept do one by one.
func (imp *LoanImport) insert(ls []*HistoricalLoan) error {
	now := imp.tx.nowArg()
	byKey := make(map[loanKey]*HistoricalLoan, len(ls))
	args := imp.args[:0]
	for _, h := range ls {
		h.loan = imp.loanOf(h)
		byKey[loanKey{h.device.ID, h.From.Format("2006-01-02")}] = h
		args = append(args, h.learner.id, h.course, h.device.ID, h.learner.region, h.device.Connectivity,
			dateArg(h.From), dateArg(h.Until), dateArg(h.Until), h.loan.State, dateArg(h.HandedOut), dateArg(h.Returned), now, now)
	}
	err := imp.loans.exec(args, func(rows *sql.Rows) error {
		var id, deviceID int64
		var from time.Time
		if err := rows.Scan(&id, &deviceID, dateCol{&from}); err != nil {
			return err
		}
		if h := byKey[loanKey{deviceID, from.Format("2006-01-02")}]; h != nil {
			h.loan.ID = id
		}
		return nil
	})
	imp.args = args[:0]
	if err != nil {
		return err
	}
	if err := imp.handOut(ls); err != nil {
		return err
	}
	if err := imp.insertAcceptances(ls); err != nil {
		return err
	}
	return imp.insertAudit(ls)
}

// loanOf is the loan a checked row becomes.
func (imp *LoanImport) loanOf(h *HistoricalLoan) traject.Loan {
	l := traject.Loan{LearnerRef: h.Learner, LearnerName: h.learner.name, CourseRef: h.Course, RegionCode: h.learner.region,
		AssetTag: h.AssetTag, Connectivity: h.device.Connectivity, From: h.From, Until: h.Until, Due: h.Until, State: h.State(),
		HandedOutOn: h.HandedOut, ReturnedOn: h.Returned, CreatedAt: imp.tx.now, UpdatedAt: imp.tx.now}
	if v, ok := imp.versionOn(h.HandedOut); ok && !h.HandedOut.IsZero() {
		l.Accepted = v.version == imp.versions[len(imp.versions)-1].version
	}
	return l
}

// handOut moves the device of every loan still out from stock to on loan,
// through the desk's own hand-out transition. A returned loan is history: its
// device stays as it is.
func (imp *LoanImport) handOut(ls []*HistoricalLoan) error {
	for _, h := range ls {
		if h.loan.State != traject.LoanHandedOut {
			continue
		}
		// The device as the checks read it: a loan's device is in the loan's
		// region, which the actor may see (a nil actor is Traject itself).
		d := *h.device
		moved, err := imp.tx.moveDevice(&d, traject.StateOnLoan, traject.ViaHandOut, "loan "+itoa(h.loan.ID)+" (imported)")
		if err != nil {
			return err
		}
		h.device.State = moved.State
	}
	return nil
}

// insertAcceptances records, for every loan handed out, the paper the learner
// signed: an acceptance by paper, marked imported (there is no scan), of the
// version in force on the day of the hand-out, in the binding Dutch text
// rendered for the loan, witnessed by the importing staff member.
func (imp *LoanImport) insertAcceptances(ls []*HistoricalLoan) error {
	witness, _ := actorOf(imp.tx.ctx)
	args := imp.args[:0]
	for _, h := range ls {
		v, ok := imp.versionOn(h.HandedOut)
		if h.HandedOut.IsZero() || !ok {
			continue
		}
		text := traject.RenderAgreement(v.dutch, agreementFacts(&h.loan, h.device, "nl"))
		args = append(args, h.loan.ID, v.id, text, traject.TextHash(text), witness, imp.tx.d.timeArg(h.HandedOut))
	}
	err := imp.acceptances.exec(args, nil)
	imp.args = args[:0]
	return err
}

func (imp *LoanImport) insertAudit(ls []*HistoricalLoan) error {
	args := imp.args[:0]
	for _, h := range ls {
		var err error
		if args, err = imp.auditArgs(args, "loan.import", "loan", itoa(h.loan.ID), h.loan.RegionCode, h.loan); err != nil {
			return err
		}
		if v, ok := imp.versionOn(h.HandedOut); ok && !h.HandedOut.IsZero() {
			acc := traject.Acceptance{LoanID: h.loan.ID, Version: v.version, Language: "nl", Method: traject.AcceptPaper, Imported: true, At: h.HandedOut}
			if args, err = imp.auditArgs(args, "loan.accept", "loan", itoa(h.loan.ID), h.loan.RegionCode, acc); err != nil {
				return err
			}
		}
	}
	err := imp.audit.exec(args, nil)
	imp.args = args[:0]
	return err
}

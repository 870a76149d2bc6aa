package store

import (
	"context"
	"strings"
	"time"

	"traject"
)

// loanChange runs fn on a loan inside one write transaction and returns the
// loan as it is afterwards.
func (s *Store) loanChange(ctx context.Context, op string, id int64, fn func(tx *Tx, l *loanRow) error) (*traject.Loan, error) {
	err := s.write(ctx, op, func(tx *Tx) error {
		l, err := tx.loan(id)
		if err != nil {
			return notFound(err, "loan", itoa(id))
		}
		return fn(tx, l)
	})
	if err != nil {
		return nil, err
	}
	return s.Loan(ctx, id)
}

// setLoanState moves a loan to a new state with the columns that go with it,
// and audits the change.
func (tx *Tx) setLoanState(l *loanRow, to traject.LoanState, set string, args []any, action, reason string) error {
	if err := traject.CheckLoanTransition(l.State, to); err != nil {
		return err
	}
	q := `UPDATE loans SET state = ?, updated_at = ?`
	if set != "" {
		q += `, ` + set
	}
	all := append([]any{to, tx.nowArg()}, args...)
	if err := expectOne(tx.exec(q+` WHERE id = ? AND state = ?`, append(all, l.ID, l.State)...)); err != nil {
		return err
	}
	after, err := tx.loan(l.ID)
	if err != nil {
		return err
	}
	return tx.auditReason(action, "loan", itoa(l.ID), l.RegionCode, reason, l.Loan, after.Loan)
}

// HandOut gives the device to the learner. It needs an acceptance of the
// agreement in force (DESIGN invariant 2) and the desk's checklist; the
// device goes on loan through the desk's own transition.
func (s *Store) HandOut(ctx context.Context, id int64, on time.Time, check traject.Checklist) (*traject.Loan, error) {
	return s.loanChange(ctx, "hand out", id, func(tx *Tx, l *loanRow) error {
		if l.State != traject.LoanReserved {
			return traject.Errorf(traject.ECONFLICT, "loan.handout.state", "loan %d is %s: only a reserved loan is handed out", l.ID, l.State)
		}
		ok, err := tx.hasCurrentAcceptance(l.ID)
		if err != nil {
			return err
		}
		if !ok {
			return traject.Errorf(traject.ECONFLICT, "loan.handout.unaccepted", "the learner has not accepted the current loan agreement: record the acceptance first")
		}
		if err := check.Check(l.Connectivity); err != nil {
			return err
		}
		if on.IsZero() {
			on = tx.now
		}
		d, err := tx.loanDevice(l)
		if err != nil {
			return err
		}
		if b := d.LendBlocker(); b != "" {
			return &traject.Error{Code: traject.ECONFLICT, Key: "loan.handout.device", Args: map[string]any{"State": string(d.State)},
				Message: "device " + d.AssetTag + " cannot go out now (it is " + string(d.State) + "): swap it for another one"}
		}
		if _, err := tx.moveDevice(d, traject.StateOnLoan, traject.ViaHandOut, "loan "+itoa(l.ID)); err != nil {
			return err
		}
		return tx.setLoanState(l, traject.LoanHandedOut, `handed_out_on = ?, handout_check = ?`,
			[]any{dateArg(traject.Date(on)), jsonText(check)}, "loan.handout", "")
	})
}

// moveDevice moves a device through the state table: a desk action (via) or
// a change by hand with a reason, each audited under its own action name.
func (tx *Tx) moveDevice(d *traject.Device, to traject.DeviceState, via, reason string) (*traject.Device, error) {
	if err := traject.CheckTransition(d.State, to, via, reason); err != nil {
		return nil, err
	}
	action := "device.transition"
	if via != "" {
		action = "device." + strings.ReplaceAll(via, "-", "")
	}
	return tx.setDeviceState(d, to, "", action, reason)
}

// loanDevice reads the loan's device whatever the actor's region (a loan's
// device is in the loan's region, which the actor can see).
func (tx *Tx) loanDevice(l *loanRow) (*traject.Device, error) {
	var d traject.Device
	err := scanDevice(tx.queryRow(`SELECT `+deviceColumns+deviceFrom+` WHERE d.id = ?`, l.deviceID), &d)
	return &d, err
}

// ReturnLoan records the device coming back. The device goes to quarantine
// until its wipe is confirmed.
func (s *Store) ReturnLoan(ctx context.Context, id int64, r traject.Return) (*traject.Loan, error) {
	return s.loanChange(ctx, "return", id, func(tx *Tx, l *loanRow) error {
		if l.State != traject.LoanHandedOut {
			return traject.Errorf(traject.ECONFLICT, "loan.return.state", "loan %d is %s: only a handed-out loan comes back", l.ID, l.State)
		}
		if r.On.IsZero() {
			r.On = traject.Date(tx.now)
		}
		if err := r.Validate(l.Connectivity, l.HandedOutOn); err != nil {
			return err
		}
		d, err := tx.loanDevice(l)
		if err != nil {
			return err
		}
		if _, err := tx.moveDevice(d, traject.StateQuarantine, traject.ViaReturn, "loan "+itoa(l.ID)); err != nil {
			return err
		}
		return tx.setLoanState(l, traject.LoanReturned, `returned_on = ?, return_check = ?, condition = ?`,
			[]any{dateArg(traject.Date(r.On)), jsonText(r.Checklist), string(r.Condition)}, "loan.return", strings.TrimSpace(r.Note))
	})
}

// Extend moves a loan's due date; the agreed period stays as it was
// accepted. An extension that would collide with the device's next
// reservation is refused by the database like any overlap.
func (s *Store) Extend(ctx context.Context, id int64, due time.Time, reason string) (*traject.Loan, error) {
	if strings.TrimSpace(reason) == "" {
		var v traject.Validation
		v.Add("reason", "loan.extend.reason", "say why the loan is extended", nil)
		return nil, v.Err()
	}
	l, err := s.loanChange(ctx, "extend", id, func(tx *Tx, l *loanRow) error {
		if b := l.ExtendBlocker(due); b != "" {
			return &traject.Error{Code: traject.ECONFLICT, Key: b, Message: extendMessages[b]}
		}
		if err := expectOne(tx.exec(`UPDATE loans SET due_on = ?, updated_at = ? WHERE id = ?`, dateArg(due), tx.nowArg(), l.ID)); err != nil {
			return err
		}
		return tx.auditReason("loan.extend", "loan", itoa(l.ID), l.RegionCode, strings.TrimSpace(reason),
			map[string]any{"due": l.Due.Format(time.DateOnly)}, map[string]any{"due": due.Format(time.DateOnly)})
	})
	if isOverlap(err) {
		return nil, traject.Errorf(traject.ECONFLICT, "loan.extend.taken", "the device is reserved for someone else before that day: swap it or choose an earlier day")
	}
	return l, err
}

var extendMessages = map[string]string{
	"loan.extend.state":   "only a reserved or handed-out loan can be extended",
	"loan.extend.earlier": "the new due date must be after the current one",
	"loan.extend.long":    "a loan lasts at most a year",
}

// Swap replaces a faulty device inside a handed-out loan: the old one goes to
// repair, the new one goes out, and an addendum to the agreement names it.
func (s *Store) Swap(ctx context.Context, id int64, newTag, reason string) (*traject.Loan, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		var v traject.Validation
		v.Add("reason", "loan.swap.reason", "say what is wrong with the device", nil)
		return nil, v.Err()
	}
	l, err := s.loanChange(ctx, "swap", id, func(tx *Tx, l *loanRow) error {
		if l.State != traject.LoanHandedOut {
			return traject.Errorf(traject.ECONFLICT, "loan.swap.state", "loan %d is %s: only a handed-out device is swapped", l.ID, l.State)
		}
		old, err := tx.loanDevice(l)
		if err != nil {
			return err
		}
		next, err := tx.swapDevice(l, newTag)
		if err != nil {
			return err
		}
		return tx.swap(l, old, next, reason)
	})
	if isOverlap(err) {
		return nil, traject.Errorf(traject.ECONFLICT, "loan.swap.taken", "device %s is reserved for someone else in this loan's days: choose another", newTag)
	}
	return l, err
}

// swapDevice reads the replacement: in the loan's region, of the same
// connectivity, and lendable now.
func (tx *Tx) swapDevice(l *loanRow, tag string) (*traject.Device, error) {
	d, err := tx.device(strings.TrimSpace(tag))
	if err != nil {
		return nil, notFound(err, "device", tag)
	}
	switch {
	case d.ID == l.deviceID:
		return nil, traject.Errorf(traject.EINVALID, "loan.swap.same", "choose another device than the one on loan")
	case d.RegionCode != l.RegionCode:
		return nil, traject.Errorf(traject.ECONFLICT, "loan.device.region", "device %s is in region %s, not %s", d.AssetTag, d.RegionCode, l.RegionCode)
	case d.Connectivity != l.Connectivity:
		return nil, traject.Errorf(traject.ECONFLICT, "loan.device.connectivity", "device %s is a %s device, not %s", d.AssetTag, d.Connectivity, l.Connectivity)
	case d.LendBlocker() != "":
		return nil, &traject.Error{Code: traject.ECONFLICT, Key: d.LendBlocker(), Args: map[string]any{"State": string(d.State)},
			Message: "device " + d.AssetTag + " cannot be lent: it is " + string(d.State)}
	}
	return d, nil
}

func (tx *Tx) swap(l *loanRow, old, next *traject.Device, reason string) error {
	back, err := tx.moveDevice(old, traject.StateQuarantine, traject.ViaReturn, "swapped out of loan "+itoa(l.ID))
	if err != nil {
		return err
	}
	if _, err := tx.moveDevice(back, traject.StateInRepair, "", reason); err != nil {
		return err
	}
	if _, err := tx.moveDevice(next, traject.StateOnLoan, traject.ViaHandOut, "swapped into loan "+itoa(l.ID)); err != nil {
		return err
	}
	if err := expectOne(tx.exec(`UPDATE loans SET device_id = ?, updated_at = ? WHERE id = ?`, next.ID, tx.nowArg(), l.ID)); err != nil {
		return err
	}
	addendum := swapAddendum(l, old, next, tx.now)
	if _, err := tx.exec(`INSERT INTO loan_swaps (loan_id, old_device_id, new_device_id, swapped_on, reason, addendum, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.ID, old.ID, next.ID, dateArg(traject.Date(tx.now)), reason, addendum, tx.nowArg()); err != nil {
		return err
	}
	return tx.auditReason("loan.swap", "loan", itoa(l.ID), l.RegionCode, reason,
		map[string]any{"asset_tag": old.AssetTag}, map[string]any{"asset_tag": next.AssetTag})
}

// swapAddendum is the addendum to the agreement, in its binding Dutch: the
// same terms, another device.
func swapAddendum(l *loanRow, old, next *traject.Device, on time.Time) string {
	return "Aanhangsel bij de leenovereenkomst van lening " + itoa(l.ID) + " (" + on.Format("02-01-2006") + ").\n" +
		"Het toestel " + old.Model + " (" + old.AssetTag + ") is vervangen door " + next.Model + " (" + next.AssetTag + ").\n" +
		"Alle andere afspraken blijven dezelfde; terugbrengen ten laatste op " + l.Due.Format("02-01-2006") + "."
}

// ReportLoss ends a handed-out loan as lost or stolen: the device follows, its
// SIM is suspended, and a remote-disable request is queued for the
// device-management integration, all in one transaction.
func (s *Store) ReportLoss(ctx context.Context, id int64, x traject.Loss) (*traject.Loan, error) {
	if err := x.Validate(); err != nil {
		return nil, err
	}
	return s.loanChange(ctx, "report loss", id, func(tx *Tx, l *loanRow) error {
		if l.State != traject.LoanHandedOut {
			return traject.Errorf(traject.ECONFLICT, "loan.loss.state", "loan %d is %s: only a handed-out device can be lost", l.ID, l.State)
		}
		d, err := tx.loanDevice(l)
		if err != nil {
			return err
		}
		if _, err := tx.moveDevice(d, traject.DeviceState(x.State), traject.ViaLoss, strings.TrimSpace(x.Note)); err != nil {
			return err
		}
		if err := tx.suspendSIM(d); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO remote_disables (device_id, loan_id, state, requested_at) VALUES (?, ?, 'queued', ?)`,
			d.ID, l.ID, tx.nowArg()); err != nil {
			return err
		}
		return tx.setLoanState(l, x.State, `returned_on = NULL`, nil, "loan."+string(x.State), strings.TrimSpace(x.Note))
	})
}

// suspendSIM suspends the device's active SIM, if it has one.
func (tx *Tx) suspendSIM(d *traject.Device) error {
	if d.SIM == nil || d.SIM.State != traject.SIMActive {
		return nil
	}
	if err := expectOne(tx.exec(`UPDATE sims SET state = 'suspended', updated_at = ? WHERE id = ?`, tx.nowArg(), d.SIM.ID)); err != nil {
		return err
	}
	return tx.auditReason("sim.state", "sim", d.SIM.ICCID, d.RegionCode, "device reported lost or stolen",
		map[string]any{"state": d.SIM.State}, map[string]any{"state": traject.SIMSuspended})
}

// CancelLoan cancels a reservation; its device is free again for those days.
func (s *Store) CancelLoan(ctx context.Context, id int64, reason string) (*traject.Loan, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		var v traject.Validation
		v.Add("reason", "loan.cancel.reason", "say why the reservation is cancelled", nil)
		return nil, v.Err()
	}
	return s.loanChange(ctx, "cancel loan", id, func(tx *Tx, l *loanRow) error {
		if l.State != traject.LoanReserved {
			return traject.Errorf(traject.ECONFLICT, "loan.cancel.state", "loan %d is %s: only a reservation can be cancelled", l.ID, l.State)
		}
		return tx.setLoanState(l, traject.LoanCancelled, "", nil, "loan.cancel", reason)
	})
}

// LoanTimeline returns the loan's history, newest first.
func (s *Store) LoanTimeline(ctx context.Context, id int64) ([]traject.AuditEntry, error) {
	if _, err := s.Loan(ctx, id); err != nil {
		return nil, err
	}
	return s.auditOf(ctx, "loan", itoa(id))
}

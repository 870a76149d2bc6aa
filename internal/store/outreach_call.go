package store

import (
	"context"
	"database/sql"

	"traject"
)

// targetRow is a target inside a write, with what a call needs: the
// campaign's retry rule and the learner.
type targetRow struct {
	traject.Target
	learnerID      int64
	retryAfterDays int
	maxAttempts    int
}

const targetColumns = `t.id, t.campaign_id, l.ref, l.first_name || ' ' || l.last_name, l.phone, l.region_code, t.language,
	t.state, t.attempts, t.next_call_on, t.outcome`

const targetFrom = ` FROM outreach_targets t JOIN learners l ON l.id = t.learner_id`

func scanTarget(row interface{ Scan(...any) error }, t *traject.Target, extra ...any) error {
	return row.Scan(append([]any{&t.ID, &t.CampaignID, &t.LearnerRef, &t.LearnerName, &t.Phone, &t.RegionCode, &t.Language,
		&t.State, &t.Attempts, dateCol{&t.NextCallOn}, &t.Outcome}, extra...)...)
}

// target reads a target the actor may call: its learner in the actor's
// region, its campaign visible. Anything else is not found.
func (tx *Tx) target(id int64) (*targetRow, error) {
	var t targetRow
	var campaignRegion string
	err := scanTarget(tx.queryRow(`SELECT `+targetColumns+`, l.id, oc.retry_after_days, oc.max_attempts, COALESCE(oc.region_code, '')`+
		targetFrom+` JOIN outreach_campaigns oc ON oc.id = t.campaign_id WHERE t.id = ?`, id),
		&t.Target, &t.learnerID, &t.retryAfterDays, &t.maxAttempts, &campaignRegion)
	if err != nil {
		return nil, err
	}
	if !canSee(tx.ctx, t.RegionCode) || !campaignVisible(tx.ctx, campaignRegion) {
		return nil, sql.ErrNoRows
	}
	return &t, nil
}

// RecordCall records a call to a target and its outcome, audited, and in the
// same transaction what the outcome sets in motion: a reached learner leaves
// the list; an unanswered one comes back after the campaign's delay, until
// its last attempt; needs_device makes a loan request (channel phone),
// needs_pretrack and needs_onsite an enrolment in the region's next such
// course. When no such course is planned, the call is still recorded and
// call.NoAction says why. A call to a target no longer open is refused.
func (s *Store) RecordCall(ctx context.Context, targetID int64, call *traject.Call) (*traject.Target, error) {
	if err := call.Validate(); err != nil {
		return nil, err
	}
	var out *traject.Target
	var err error
	// A loan request may reserve a device; on PostgreSQL two desks can race
	// for the same one, and the loser tries again like RequestDevice does.
	for attempt := 0; attempt < 8; attempt++ {
		c := *call
		err = s.write(ctx, "record call", func(tx *Tx) error {
			out, err = tx.recordCall(targetID, &c)
			return err
		})
		if err == nil {
			*call = c
		}
		if !isOverlap(err) {
			break
		}
	}
	if err != nil {
		return nil, s.mapError("record call", "target "+itoa(targetID), err)
	}
	return out, nil
}

func (tx *Tx) recordCall(targetID int64, call *traject.Call) (*traject.Target, error) {
	t, err := tx.target(targetID)
	if err != nil {
		return nil, err
	}
	before := map[string]any{"state": t.State, "attempts": t.Attempts}
	if err := t.Apply(call.Outcome, traject.SessionDay(tx.now), t.retryAfterDays, t.maxAttempts); err != nil {
		return nil, err
	}
	if call.Language == "" {
		call.Language = t.Language
	}
	if call.Outcome.NeedsAction() {
		if call.ActionRef, call.NoAction, err = tx.followUpAction(t, call.Outcome); err != nil {
			return nil, err
		}
	}
	if err := tx.insertCall(t, call); err != nil {
		return nil, err
	}
	if err := expectOne(tx.exec(`UPDATE outreach_targets SET state = ?, attempts = ?, next_call_on = ?, outcome = ?, updated_at = ?
		WHERE id = ? AND state = 'open'`, t.State, t.Attempts, dateArg(t.NextCallOn), t.Outcome, tx.nowArg(), t.ID)); err != nil {
		return nil, err
	}
	after := map[string]any{"state": t.State, "attempts": t.Attempts, "call": call}
	return &t.Target, tx.audit("outreach.call", "learner", t.LearnerRef, t.RegionCode, before, after)
}

func (tx *Tx) insertCall(t *targetRow, call *traject.Call) error {
	callerID, label := actorOf(tx.ctx)
	id, err := tx.insert(`INSERT INTO outreach_calls (target_id, campaign_id, learner_id, language, interpreter, caller_id, called_at,
		outcome, note, action_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.CampaignID, t.learnerID, call.Language, call.Interpreter, callerID, tx.nowArg(), call.Outcome, call.Note, call.ActionRef)
	if err != nil {
		return err
	}
	call.ID, call.TargetID, call.CampaignID, call.LearnerRef = id, t.ID, t.CampaignID, t.LearnerRef
	call.Caller, call.CalledAt = tx.actorName(label), tx.now
	return nil
}

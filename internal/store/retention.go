package store

import (
	"context"
	"time"
)

// RetentionPolicy is how long after a trajectory closed each kind of personal
// data is kept.
type RetentionPolicy struct {
	NationalNumber, Contact, Identity time.Duration
}

// RetentionResult counts the learners whose data one run removed.
type RetentionResult struct {
	NationalNumbers, Contacts, Identities int
}

// retentionBatch bounds one transaction, so that a first run over years of
// closed trajectories never holds the writer for long.
const retentionBatch = 500

// retentionStep is one kind of removal: which learners it applies to and what
// it clears. The facts reports need (region, dates, reference, counts) stay.
type retentionStep struct {
	action, where, set string
	period             func(RetentionPolicy) time.Duration
	count              func(*RetentionResult) *int
}

var retentionSteps = []retentionStep{
	{"learner.retention.national_number", "nn_hash IS NOT NULL", "nn_cipher = NULL, nn_hash = NULL, nn_mask = ''",
		func(p RetentionPolicy) time.Duration { return p.NationalNumber }, func(r *RetentionResult) *int { return &r.NationalNumbers }},
	{"learner.retention.contact", "(phone <> '' OR email <> '')", "phone = '', email = ''",
		func(p RetentionPolicy) time.Duration { return p.Contact }, func(r *RetentionResult) *int { return &r.Contacts }},
	{"learner.retention.identity", "anonymised_at IS NULL",
		"first_name = '', last_name = '', first_norm = '', last_norm = '', birth_date = NULL, phone = '', email = '', " +
			"nn_cipher = NULL, nn_hash = NULL, nn_mask = '', anonymised_at = ?",
		func(p RetentionPolicy) time.Duration { return p.Identity }, func(r *RetentionResult) *int { return &r.Identities }},
}

// ApplyRetention removes the personal data whose period has passed since the
// learner's trajectory closed, with an audit row per learner that names what
// was removed (never the data itself).
func (s *Store) ApplyRetention(ctx context.Context, p RetentionPolicy, now time.Time) (RetentionResult, error) {
	var res RetentionResult
	for _, step := range retentionSteps {
		cutoff := dateArg(now.UTC().Add(-step.period(p)).Truncate(24 * time.Hour))
		for {
			n, err := s.retentionBatch(ctx, step, cutoff)
			if err != nil {
				return res, err
			}
			*step.count(&res) += n
			if n < retentionBatch {
				break
			}
		}
	}
	return res, nil
}

func (s *Store) retentionBatch(ctx context.Context, step retentionStep, cutoff any) (int, error) {
	n := 0
	err := s.write(ctx, "apply retention", func(tx *Tx) error {
		args := []any{}
		if step.action == "learner.retention.identity" {
			args = append(args, tx.nowArg())
		}
		args = append(args, cutoff)
		rows, err := tx.query(`UPDATE learners SET `+step.set+`
			WHERE id IN (SELECT id FROM learners WHERE closed_on IS NOT NULL AND closed_on <= ? AND `+step.where+
			` ORDER BY id LIMIT `+itoa(retentionBatch)+`) RETURNING ref, region_code`, args...)
		if err != nil {
			return err
		}
		type done struct{ ref, region string }
		var changed []done
		for rows.Next() {
			var d done
			if err := rows.Scan(&d.ref, &d.region); err != nil {
				rows.Close()
				return err
			}
			changed = append(changed, d)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, d := range changed {
			if err := tx.audit(step.action, "learner", d.ref, d.region, nil, nil); err != nil {
				return err
			}
		}
		n = len(changed)
		return nil
	})
	return n, err
}

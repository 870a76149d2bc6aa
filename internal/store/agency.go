package store

import (
	"strings"
	"time"

	"traject"
)

// The periods in which the agency kept a learner from taking part (DESIGN
// invariant 7), read from the lending desk's records:
//
//   - a request for a device (no_device_yet): from the day it was made, or the
//     course's first day when that is later, until the day its device was
//     handed out; open while no device went out. A cancelled request counts
//     until the day it was cancelled: the wait until then was the agency's.
//   - a swap of a faulty device (device_failure): the day of the swap. When
//     the learner first reported the failure is not recorded, so the days
//     before the swap are left to an excuse chosen by hand.
//   - a lost or stolen device (device_failure: it is disabled): from the day
//     it was reported until the end of the loan.
//   - a 4G device whose data bundle ended before the loan did (no_data): from
//     the day after the bundle's end until the device came back, or the end
//     of the loan.

// agencyChunk bounds the learners of one query, far below both dialects'
// limits on parameters; a course has a few dozen.
const agencyChunk = 500

// loanAgencyPeriods returns the periods of each learner of learnerIDs.
func loanAgencyPeriods(r attendanceReader, learnerIDs []int64) (map[int64][]traject.AgencyPeriod, error) {
	out := make(map[int64][]traject.AgencyPeriod, len(learnerIDs))
	for start := 0; start < len(learnerIDs); start += agencyChunk {
		ids := learnerIDs[start:min(start+agencyChunk, len(learnerIDs))]
		for _, read := range []func(attendanceReader, string, []any, map[int64][]traject.AgencyPeriod) error{
			requestPeriods, swapPeriods, lossPeriods, bundlePeriods,
		} {
			if err := read(r, inList(len(ids)), idArgs(ids), out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func inList(n int) string { return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")" }

func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// addPeriod adds a period unless it ends before it starts.
func addPeriod(out map[int64][]traject.AgencyPeriod, learner int64, p traject.AgencyPeriod) {
	if !p.Until.IsZero() && p.Until.Before(p.From) {
		return
	}
	out[learner] = append(out[learner], p)
}

func requestPeriods(r attendanceReader, in string, args []any, out map[int64][]traject.AgencyPeriod) error {
	rows, err := r.query(`SELECT q.learner_id, q.state, q.created_at, q.updated_at, c.starts_on,
		(SELECT MIN(l.handed_out_on) FROM loans l WHERE l.request_id = q.id)
		FROM loan_requests q JOIN courses c ON c.id = q.course_id WHERE q.learner_id IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var learner int64
		var state traject.RequestState
		var created, updated, starts, handedOut time.Time
		if err := rows.Scan(&learner, &state, timeCol{&created}, timeCol{&updated}, dateCol{&starts}, dateCol{&handedOut}); err != nil {
			return err
		}
		p := traject.AgencyPeriod{From: traject.SessionDay(created), Until: handedOut, Reason: traject.ExcuseNoDeviceYet}
		if starts.After(p.From) {
			p.From = starts
		}
		if state == traject.RequestCancelled && handedOut.IsZero() {
			p.Until = traject.SessionDay(updated)
		}
		addPeriod(out, learner, p)
	}
	return rows.Err()
}

func swapPeriods(r attendanceReader, in string, args []any, out map[int64][]traject.AgencyPeriod) error {
	rows, err := r.query(`SELECT l.learner_id, w.swapped_on FROM loan_swaps w JOIN loans l ON l.id = w.loan_id
		WHERE l.learner_id IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var learner int64
		var on time.Time
		if err := rows.Scan(&learner, dateCol{&on}); err != nil {
			return err
		}
		addPeriod(out, learner, traject.AgencyPeriod{From: on, Until: on, Reason: traject.ExcuseDeviceFailure})
	}
	return rows.Err()
}

// lossPeriods reads lost and stolen loans. The loan changes no more once it
// is lost, so its last change is the day the loss was reported.
func lossPeriods(r attendanceReader, in string, args []any, out map[int64][]traject.AgencyPeriod) error {
	rows, err := r.query(`SELECT l.learner_id, l.updated_at, l.due_on FROM loans l
		WHERE l.state IN ('lost', 'stolen') AND l.learner_id IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var learner int64
		var reported, due time.Time
		if err := rows.Scan(&learner, timeCol{&reported}, dateCol{&due}); err != nil {
			return err
		}
		addPeriod(out, learner, traject.AgencyPeriod{From: traject.SessionDay(reported), Until: due, Reason: traject.ExcuseDeviceFailure})
	}
	return rows.Err()
}

func bundlePeriods(r attendanceReader, in string, args []any, out map[int64][]traject.AgencyPeriod) error {
	rows, err := r.query(`SELECT l.learner_id, s.bundle_until, l.due_on, l.returned_on FROM loans l
		JOIN sims s ON s.device_id = l.device_id AND s.state <> 'terminated'
		WHERE l.connectivity = '4g' AND l.state IN ('handed_out', 'returned') AND s.bundle_until < l.due_on
		  AND l.learner_id IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var learner int64
		var bundle, due, returned time.Time
		if err := rows.Scan(&learner, dateCol{&bundle}, dateCol{&due}, dateCol{&returned}); err != nil {
			return err
		}
		until := due
		if !returned.IsZero() && returned.Before(due) {
			until = returned
		}
		addPeriod(out, learner, traject.AgencyPeriod{From: bundle.AddDate(0, 0, 1), Until: until, Reason: traject.ExcuseNoData})
	}
	return rows.Err()
}

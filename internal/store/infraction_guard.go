package store

import (
	"context"
	"time"

	"traject"
	"traject/internal/i18n"
)

// The fairness guard (DESIGN invariant 7): the causes the agency has open for
// a learner in a period. Each query names its cause so that the page can list
// them all, and all are asked every time, not only until the first is found.
//
// A device request still waiting, created before the period ended; a swap of a
// failed device in the period; a loan in the period whose device was lost or
// stolen (and so disabled); a 4G loan in hand whose SIM is suspended or whose
// bundle ended before the period's end; a suspension of one of the learner's
// courses that overlaps the period.
var causeQueries = []struct {
	kind  traject.AgencyCauseKind
	query string // its arguments: the learner, the period's end, its start (requests: the learner, the end as a time)
}{
	{traject.CauseRequestWaiting, `SELECT r.ref, NULL, NULL FROM loan_requests r
		WHERE r.learner_id = ? AND r.state = 'waiting' AND r.created_at < ?`},
	{traject.CauseDeviceSwapped, `SELECT d.asset_tag, sw.swapped_on, sw.swapped_on FROM loan_swaps sw
		JOIN loans l ON l.id = sw.loan_id JOIN devices d ON d.id = sw.old_device_id
		WHERE l.learner_id = ? AND sw.swapped_on <= ? AND sw.swapped_on >= ?`},
	{traject.CauseDeviceLost, `SELECT d.asset_tag, l.starts_on, l.due_on FROM loans l JOIN devices d ON d.id = l.device_id
		WHERE l.learner_id = ? AND l.state = 'lost' AND l.starts_on <= ? AND l.due_on >= ?`},
	{traject.CauseDeviceStolen, `SELECT d.asset_tag, l.starts_on, l.due_on FROM loans l JOIN devices d ON d.id = l.device_id
		WHERE l.learner_id = ? AND l.state = 'stolen' AND l.starts_on <= ? AND l.due_on >= ?`},
	{traject.CauseSIMSuspended, `SELECT s.iccid, l.starts_on, l.due_on FROM loans l JOIN sims s ON s.device_id = l.device_id
		WHERE l.learner_id = ? AND l.state = 'handed_out' AND l.connectivity = '4g' AND s.state = 'suspended'
		AND l.starts_on <= ? AND l.due_on >= ?`},
	{traject.CauseBundleEnded, `SELECT s.iccid, s.bundle_until, NULL FROM loans l JOIN sims s ON s.device_id = l.device_id
		WHERE l.learner_id = ? AND l.state = 'handed_out' AND l.connectivity = '4g' AND s.state = 'active'
		AND s.bundle_until IS NOT NULL AND s.bundle_until < ? AND l.due_on >= ?`},
	{traject.CauseCourseSuspended, `SELECT c.ref, su.starts_on, su.ends_on FROM course_suspensions su
		JOIN courses c ON c.id = su.course_id
		WHERE su.course_id IN (SELECT course_id FROM enrolments WHERE learner_id = ? AND state <> 'waiting')
		AND su.starts_on <= ? AND su.ends_on >= ?`},
}

// openCauses returns every agency-caused cause of the learner in the period
// from..until (dates, both included), in the order of causeQueries.
func openCauses(r attendanceReader, d dialect, learnerID int64, from, until time.Time) ([]traject.AgencyCauseOpen, error) {
	var out []traject.AgencyCauseOpen
	for _, q := range causeQueries {
		args := []any{learnerID, dateArg(until), dateArg(from)}
		if q.kind == traject.CauseRequestWaiting {
			// created_at is a time: before the start of the day after the period.
			end := time.Date(until.Year(), until.Month(), until.Day()+1, 0, 0, 0, 0, i18n.Brussels)
			args = []any{learnerID, d.timeArg(end)}
		}
		found, err := causeRows(r, q.kind, q.query, args)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

func causeRows(r attendanceReader, kind traject.AgencyCauseKind, query string, args []any) ([]traject.AgencyCauseOpen, error) {
	rows, err := r.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []traject.AgencyCauseOpen
	for rows.Next() {
		c := traject.AgencyCauseOpen{Kind: kind}
		if err := rows.Scan(&c.Ref, dateCol{&c.From}, dateCol{&c.Until}); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// OpenCauses returns the agency-caused causes of a learner in a period, for
// anyone who may read infraction files, within their region.
func (s *Store) OpenCauses(ctx context.Context, learnerRef string, from, until time.Time) ([]traject.AgencyCauseOpen, error) {
	if err := caseReader(ctx); err != nil {
		return nil, err
	}
	r := attendancePool{s, ctx}
	l, err := caseLearner(r, traject.UserFromContext(ctx), learnerRef)
	if err != nil {
		return nil, s.mapError("open causes", "learner "+learnerRef, err)
	}
	causes, err := openCauses(r, s.dialect, l.id, from, until)
	return causes, s.mapError("open causes", "", err)
}

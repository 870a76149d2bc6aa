package store

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"traject"
)

// selectLearners finds the learners that match any of the criteria, within
// the criteria's region (every region when empty), each once, with their
// contact language. Learners whose file is closed are never phoned.
func (tx *Tx) selectLearners(c traject.CampaignCriteria) ([]campaignLearner, error) {
	today := traject.SessionDay(tx.now)
	ids := map[int64]bool{}
	add := func(found []int64, err error) error {
		for _, id := range found {
			ids[id] = true
		}
		return err
	}
	if c.NotReached {
		if err := add(tx.notReachedLearners(c.Region, c.Course, today)); err != nil {
			return nil, err
		}
	}
	if c.FollowUp {
		if err := add(tx.followUpLearners(c.Region)); err != nil {
			return nil, err
		}
	}
	if c.NoDeviceNoRequest {
		if err := add(tx.noDeviceLearners(c.Region, today)); err != nil {
			return nil, err
		}
	}
	if c.LoanOverdue {
		if err := add(tx.overdueLearners(c.Region, today)); err != nil {
			return nil, err
		}
	}
	return tx.openLearners(ids)
}

// participants computes the participation of every learner of the courses
// that match where (on courses as c), with the same code the course pages
// and the follow-up list use, and keeps those keep says.
func (tx *Tx) participants(keep func(traject.Participation) bool, where string, args ...any) ([]int64, error) {
	data, err := loadAttendance(tx, where, args...)
	if err != nil {
		return nil, err
	}
	norms, err := participationNorms(tx)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, a := range data {
		periods, err := agencyPeriods(tx, a.learnerIDs())
		if err != nil {
			return nil, err
		}
		for _, l := range a.participation(norms, periods).Learners {
			if keep(l.Participation) {
				out = append(out, l.LearnerID)
			}
		}
	}
	return out, nil
}

// regionCond adds the region condition on column when region is set.
func regionCond(where []string, args []any, column, region string) ([]string, []any) {
	if region == "" {
		return where, args
	}
	return append(where, column+" = ?"), append(args, region)
}

// notReachedLearners are the learners never present in a course that has
// started: one course when course is set, else every course of the region.
// A course outside the region (or the actor's scope) is a wrong answer.
func (tx *Tx) notReachedLearners(region, course string, today time.Time) ([]int64, error) {
	where, args := regionCond([]string{"c.starts_on <= ?"}, []any{dateArg(today)}, "c.region_code", region)
	if course != "" {
		c, err := tx.course(course)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && region != "" && c.RegionCode != region) {
			var v traject.Validation
			v.Add("course", "outreach.course.unknown", "there is no course "+course+" in this region", map[string]any{"Ref": course})
			return nil, v.Err()
		}
		if err != nil {
			return nil, err
		}
		where, args = append(where, "c.id = ?"), append(args, c.ID)
	}
	return tx.participants(func(p traject.Participation) bool { return p.Reach == traject.NotReached },
		strings.Join(where, " AND "), args...)
}

// followUpLearners are the learners on the follow-up list of the region:
// the rule and the window of store.FollowUpList, applied to the campaign's
// region rather than the actor's (Traject itself creates campaigns too).
func (tx *Tx) followUpLearners(region string) ([]int64, error) {
	where, args := regionCond([]string{"c.ends_on >= ?"}, []any{dateArg(traject.SessionDay(tx.now.Add(-FollowUpGrace)))},
		"c.region_code", region)
	return tx.participants(traject.Participation.OnFollowUp, strings.Join(where, " AND "), args...)
}

// noDeviceLearners are the learners enrolled in an online or blended course
// that has not ended, whose latest intake says they have no device, and who
// hold neither an active loan nor a waiting request.
func (tx *Tx) noDeviceLearners(region string, today time.Time) ([]int64, error) {
	where, args := regionCond([]string{"1=1"}, nil, "l.region_code", region)
	return tx.learnerIDs(`SELECT DISTINCT l.id FROM learners l
		JOIN enrolments e ON e.learner_id = l.id AND e.state = 'enrolled'
		JOIN courses c ON c.id = e.course_id AND c.mode IN ('online', 'blended') AND c.ends_on >= ?
		WHERE `+strings.Join(where, " AND ")+`
		  AND (SELECT a.device_access FROM assessments a WHERE a.learner_id = l.id
		       ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) = 'none'
		  AND NOT EXISTS (SELECT 1 FROM loans o WHERE o.learner_id = l.id AND o.state IN ('reserved', 'handed_out'))
		  AND NOT EXISTS (SELECT 1 FROM loan_requests r WHERE r.learner_id = l.id AND r.state = 'waiting')`,
		append([]any{dateArg(today)}, args...)...)
}

// overdueLearners hold a handed-out device past its due date.
func (tx *Tx) overdueLearners(region string, today time.Time) ([]int64, error) {
	where, args := regionCond([]string{"o.state = 'handed_out'", "o.due_on < ?"}, []any{dateArg(today)}, "o.region_code", region)
	return tx.learnerIDs(`SELECT DISTINCT o.learner_id FROM loans o WHERE `+strings.Join(where, " AND "), args...)
}

func (tx *Tx) learnerIDs(q string, args ...any) ([]int64, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// openLearners keeps the selected learners whose file is open, with their
// contact language, in id order. The ids go in batches, well under either
// dialect's limit on parameters.
func (tx *Tx) openLearners(ids map[int64]bool) ([]campaignLearner, error) {
	all := make([]int64, 0, len(ids))
	for id := range ids {
		all = append(all, id)
	}
	langs := map[int64]string{}
	for start := 0; start < len(all); start += 500 {
		batch := all[start:min(start+500, len(all))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := tx.query(`SELECT id, language FROM learners WHERE closed_on IS NULL AND id IN (?`+
			strings.Repeat(", ?", len(batch)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var lang string
			if err := rows.Scan(&id, &lang); err != nil {
				rows.Close()
				return nil, err
			}
			langs[id] = lang
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return sortedLearners(langs), nil
}

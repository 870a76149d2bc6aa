package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"traject"
)

// CallListSummary is one call list of a campaign: the targets in one
// language, how many are still open and how many are due today.
type CallListSummary struct {
	Language string `json:"language"`
	Targets  int    `json:"targets"`
	Open     int    `json:"open"`
	DueToday int    `json:"due_today"`
}

// CallListEntry is one target on a call list, with whether it is due today.
type CallListEntry struct {
	traject.Target
	Due bool `json:"due"`
}

// campaignTargets reads a visible campaign's targets in the actor's region,
// in one language when language is set.
func (s *Store) campaignTargets(ctx context.Context, campaignID int64, language string) (*traject.Campaign, []traject.Target, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return nil, nil, err
	}
	scope := targetScope(ctx)
	rows, err := s.query(ctx, `SELECT `+targetColumns+targetFrom+`
		WHERE t.campaign_id = ? AND (? = '' OR l.region_code = ?) AND (? = '' OR t.language = ?)
		ORDER BY l.last_norm, l.first_norm, t.id`, campaignID, scope, scope, language, language)
	if err != nil {
		return nil, nil, s.mapError("call list", "", err)
	}
	defer rows.Close()
	var out []traject.Target
	for rows.Next() {
		var t traject.Target
		if err := scanTarget(rows, &t); err != nil {
			return nil, nil, s.mapError("call list", "", err)
		}
		out = append(out, t)
	}
	return c, out, s.mapError("call list", "", rows.Err())
}

// CallLists returns a campaign's call lists, one per language, in language
// order, with their counts.
func (s *Store) CallLists(ctx context.Context, campaignID int64) ([]CallListSummary, error) {
	_, targets, err := s.campaignTargets(ctx, campaignID, "")
	if err != nil {
		return nil, err
	}
	today := traject.SessionDay(s.now())
	byLang := map[string]*CallListSummary{}
	for i := range targets {
		t := &targets[i]
		l := byLang[t.Language]
		if l == nil {
			l = &CallListSummary{Language: t.Language}
			byLang[t.Language] = l
		}
		l.Targets++
		if t.State == traject.TargetOpen {
			l.Open++
		}
		if t.DueOn(today) {
			l.DueToday++
		}
	}
	out := make([]CallListSummary, 0, len(byLang))
	for _, l := range byLang {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Language < out[j].Language })
	return out, nil
}

// CallList returns the call list of one language for a caller: the targets
// due today first, then those that come back later (soonest first), then
// the reached and exhausted ones, by name within each group.
func (s *Store) CallList(ctx context.Context, campaignID int64, language string) ([]CallListEntry, error) {
	language = strings.ToLower(strings.TrimSpace(language))
	if language == "" {
		return nil, traject.Errorf(traject.ENOTFOUND, "db.notfound", "call list not found")
	}
	_, targets, err := s.campaignTargets(ctx, campaignID, language)
	if err != nil {
		return nil, err
	}
	today := traject.SessionDay(s.now())
	out := make([]CallListEntry, len(targets))
	for i, t := range targets {
		out[i] = CallListEntry{Target: t, Due: t.DueOn(today)}
	}
	group := func(e CallListEntry) int {
		switch {
		case e.Due:
			return 0
		case e.State == traject.TargetOpen:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		gi, gj := group(out[i]), group(out[j])
		if gi != gj {
			return gi < gj
		}
		return gi == 1 && out[i].NextCallOn.Before(out[j].NextCallOn)
	})
	return out, nil
}

// CampaignProgress counts a campaign's targets by state and its calls by
// outcome, within the actor's region.
func (s *Store) CampaignProgress(ctx context.Context, campaignID int64) (*traject.CampaignProgress, error) {
	_, targets, err := s.campaignTargets(ctx, campaignID, "")
	if err != nil {
		return nil, err
	}
	today := traject.SessionDay(s.now())
	p := &traject.CampaignProgress{Targets: len(targets), ByState: map[traject.TargetState]int{}, Outcomes: map[traject.CallOutcome]int{}}
	for i := range targets {
		p.ByState[targets[i].State]++
		if targets[i].DueOn(today) {
			p.DueToday++
		}
	}
	scope := targetScope(ctx)
	rows, err := s.query(ctx, `SELECT oc.outcome, COUNT(*), SUM(CASE WHEN oc.action_ref <> '' THEN 1 ELSE 0 END)
		FROM outreach_calls oc JOIN learners l ON l.id = oc.learner_id
		WHERE oc.campaign_id = ? AND (? = '' OR l.region_code = ?) GROUP BY oc.outcome`, campaignID, scope, scope)
	if err != nil {
		return nil, s.mapError("campaign progress", "", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o traject.CallOutcome
		var n, actions int
		if err := rows.Scan(&o, &n, &actions); err != nil {
			return nil, s.mapError("campaign progress", "", err)
		}
		p.Outcomes[o], p.Calls, p.Actions = n, p.Calls+n, p.Actions+actions
	}
	return p, s.mapError("campaign progress", "", rows.Err())
}

// TargetCalls returns one target the actor may call, with its calls, newest
// first.
func (s *Store) TargetCalls(ctx context.Context, targetID int64) (*traject.Target, []traject.Call, error) {
	var t traject.Target
	var campaignRegion string
	err := scanTarget(s.queryRow(ctx, `SELECT `+targetColumns+`, COALESCE(oc.region_code, '')`+targetFrom+`
		JOIN outreach_campaigns oc ON oc.id = t.campaign_id WHERE t.id = ?`, targetID), &t, &campaignRegion)
	if err == nil && (!canSee(ctx, t.RegionCode) || !campaignVisible(ctx, campaignRegion)) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, nil, s.mapError("target", "target "+itoa(targetID), err)
	}
	rows, err := s.query(ctx, `SELECT c.id, c.language, c.interpreter, COALESCE(u.name, ''), c.called_at, c.outcome, c.note, c.action_ref
		FROM outreach_calls c LEFT JOIN users u ON u.id = c.caller_id WHERE c.target_id = ? ORDER BY c.id DESC`, targetID)
	if err != nil {
		return nil, nil, s.mapError("target calls", "", err)
	}
	defer rows.Close()
	var calls []traject.Call
	for rows.Next() {
		c := traject.Call{TargetID: t.ID, CampaignID: t.CampaignID, LearnerRef: t.LearnerRef}
		if err := rows.Scan(&c.ID, &c.Language, &c.Interpreter, &c.Caller, timeCol{&c.CalledAt}, &c.Outcome, &c.Note, &c.ActionRef); err != nil {
			return nil, nil, s.mapError("target calls", "", err)
		}
		calls = append(calls, c)
	}
	return &t, calls, s.mapError("target calls", "", rows.Err())
}

// PhonedCount is, for one course, how many of its enrolled learners were
// never reached (traject.NotReached) and how many of those were phoned: at
// least one outreach call, made on or after the course's first day.
type PhonedCount struct {
	Region     string `json:"region"`
	Course     string `json:"course"`
	NotReached int    `json:"not_reached"`
	Phoned     int    `json:"phoned"`
}

// PhonedLearners returns, per course that has started (one region when
// region is set, one course when course is set, always within the actor's
// region), the not-reached learners and how many of them were phoned, in
// course start order. The reach report's "phoned" column.
func (s *Store) PhonedLearners(ctx context.Context, region, course string) ([]PhonedCount, error) {
	r := attendancePool{s, ctx}
	where, args := regionCond([]string{"c.starts_on <= ?"}, []any{dateArg(traject.SessionDay(s.now()))}, "c.region_code", region)
	where, args = regionCond(where, args, "c.region_code", targetScope(ctx))
	if course != "" {
		where, args = append(where, "c.ref = ?"), append(args, course)
	}
	data, err := loadAttendance(r, strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, s.mapError("phoned learners", "", err)
	}
	norms, err := participationNorms(r)
	if err != nil {
		return nil, s.mapError("phoned learners", "norms", err)
	}
	out := []PhonedCount{}
	for _, a := range data {
		periods, err := agencyPeriods(r, a.learnerIDs())
		if err != nil {
			return nil, s.mapError("phoned learners", "agency periods", err)
		}
		p := a.participation(norms, periods)
		n, err := reachPhoned(r, s.dialect, p)
		if err != nil {
			return nil, s.mapError("phoned learners", "", err)
		}
		out = append(out, PhonedCount{Region: a.course.RegionCode, Course: a.course.Ref, NotReached: p.Reach[traject.NotReached], Phoned: int(n)})
	}
	return out, nil
}

// phonedAmong counts the learners among ids with at least one outreach call
// at or after since (the start of a course's first day in Brussels, as the
// dialect's time argument). The reach report can call it with a course's
// not-reached learners.
func phonedAmong(r attendanceReader, ids []int64, since any) (int, error) {
	n := 0
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		args := []any{since}
		for _, id := range batch {
			args = append(args, id)
		}
		var k int
		if err := r.queryRow(`SELECT COUNT(DISTINCT learner_id) FROM outreach_calls WHERE called_at >= ? AND learner_id IN (?`+
			strings.Repeat(", ?", len(batch)-1)+`)`, args...).Scan(&k); err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}

// reachPhoned is the reach report's "phoned" figure for one course: its
// not-reached learners that had an outreach call on or after its first day.
func reachPhoned(r attendanceReader, d dialect, p *CourseParticipation) (int64, error) {
	var ids []int64
	for _, l := range p.Learners {
		if l.Reach == traject.NotReached {
			ids = append(ids, l.LearnerID)
		}
	}
	n, err := phonedAmong(r, ids, d.timeArg(brusselsMidnight(p.Course.StartsOn)))
	return int64(n), err
}

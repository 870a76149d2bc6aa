package store

import (
	"context"
	"time"

	"traject"
)

// ReachRow is one course of the reach report: its enrolled learners by reach
// status (traject.ReachStatus), and how many of those not reached were phoned.
type ReachRow struct {
	Region        string `json:"region"`
	Course        string `json:"course"`
	StartsOn      string `json:"starts_on"`
	Enrolled      int64  `json:"enrolled"`
	ReachedOnline int64  `json:"reached_online"`
	ReachedOnsite int64  `json:"reached_onsite"`
	NotReached    int64  `json:"not_reached"`
	// Phoned counts the not-reached learners an outreach campaign phoned. No
	// campaign is recorded yet (the outreach capability comes later), so it
	// is 0.
	Phoned int64 `json:"phoned"`
}

// Reach returns, per course that starts in the range, its enrolled learners
// by reach status, sorted by region and course. Reach is derived from the
// attendance as the course's participation page derives it.
func (s *Store) Reach(ctx context.Context, f ReportFilter) ([]ReachRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	r := attendancePool{s, ctx}
	where, args := "c.starts_on >= ? AND c.starts_on <= ?", []any{dateArg(f.From.First()), dateArg(f.To.Last())}
	if f.Region != "" {
		where, args = where+" AND c.region_code = ?", append(args, f.Region)
	}
	data, err := loadAttendance(r, where, args...)
	if err != nil {
		return nil, s.mapError("reach report", "report", err)
	}
	norms, err := participationNorms(r)
	if err != nil {
		return nil, s.mapError("reach report", "norms", err)
	}
	out := []ReachRow{}
	for _, a := range data {
		periods, err := agencyPeriods(r, a.learnerIDs())
		if err != nil {
			return nil, s.mapError("reach report", "agency periods", err)
		}
		p := a.participation(norms, periods)
		out = append(out, ReachRow{Region: regionName(a.course.RegionCode), Course: a.course.Ref,
			StartsOn: a.course.StartsOn.Format(time.DateOnly), Enrolled: int64(len(p.Learners)),
			ReachedOnline: int64(p.Reach[traject.ReachedOnline]), ReachedOnsite: int64(p.Reach[traject.ReachedOnsite]),
			NotReached: int64(p.Reach[traject.NotReached])})
		if out[len(out)-1].Phoned, err = reachPhoned(r, s.dialect, p); err != nil { // outreach: the not reached who were phoned
			return nil, s.mapError("reach report", "phoned", err)
		}
	}
	sortRows(out, func(r ReachRow) []string { return []string{r.Region, r.Course} })
	return out, nil
}

// BarrierRow counts the barriers reported about one resource in one category.
type BarrierRow struct {
	Category     traject.BarrierCategory `json:"category"`
	ResourceKind traject.BarrierResource `json:"resource_kind"`
	Resource     string                  `json:"resource"`
	// Open counts those not yet handled (open or in progress); Resolved
	// those resolved. Barriers closed as "won't fix" count in neither.
	Open     int64 `json:"open"`
	Resolved int64 `json:"resolved"`
}

// BarriersReport counts the barriers reported in the range (by the day they
// were reported, in Brussels) per category and resource, sorted by category,
// kind and resource.
func (s *Store) BarriersReport(ctx context.Context, f ReportFilter) ([]BarrierRow, error) {
	f, err := reportScope(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	cond, rargs := regionWhere("b.region_code", f.Region)
	rows, err := s.query(ctx, `SELECT b.category, b.resource_kind, MIN(b.resource),
		SUM(CASE WHEN b.status IN ('open', 'in_progress') THEN 1 ELSE 0 END),
		SUM(CASE WHEN b.status = 'resolved' THEN 1 ELSE 0 END)
		FROM barriers b WHERE b.created_at >= ? AND b.created_at < ?`+cond+`
		GROUP BY b.category, b.resource_kind, b.resource_key`,
		append([]any{s.dialect.timeArg(brusselsMidnight(f.From.First())), s.dialect.timeArg(brusselsMidnight(f.To.Next().First()))}, rargs...)...)
	if err != nil {
		return nil, s.mapError("barriers report", "report", err)
	}
	defer rows.Close()
	out := []BarrierRow{}
	for rows.Next() {
		var b BarrierRow
		if err := rows.Scan(&b.Category, &b.ResourceKind, &b.Resource, &b.Open, &b.Resolved); err != nil {
			return nil, s.mapError("barriers report", "report", err)
		}
		out = append(out, b)
	}
	sortRows(out, func(r BarrierRow) []string { return []string{string(r.Category), string(r.ResourceKind), r.Resource} })
	return out, s.mapError("barriers report", "report", rows.Err())
}

package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"sort"
	"time"

	"traject"
)

const requestColumns = `r.id, r.ref, le.ref, le.first_name || ' ' || le.last_name, le.obligation, c.ref, c.starts_on, c.ends_on,
	r.region_code, r.need, r.channel, r.state,
	COALESCE((SELECT MAX(l.id) FROM loans l WHERE l.request_id = r.id), 0), r.created_at, r.updated_at`

const requestFrom = ` FROM loan_requests r
	JOIN learners le ON le.id = r.learner_id
	JOIN courses c ON c.id = r.course_id`

func scanRequest(row interface{ Scan(...any) error }, r *traject.LoanRequest) error {
	var obligation string
	err := row.Scan(&r.ID, &r.Ref, &r.LearnerRef, &r.LearnerName, &obligation, &r.CourseRef, dateCol{&r.CourseStarts},
		dateCol{&r.CourseEnds}, &r.RegionCode, &r.Need, &r.Channel, &r.State, &r.LoanID, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt})
	r.Obliged = obligation == string(traject.Obliged)
	return err
}

// LoanRequest returns one request by its reference, within the actor's region.
func (s *Store) LoanRequest(ctx context.Context, ref string) (*traject.LoanRequest, error) {
	var r traject.LoanRequest
	err := scanRequest(s.queryRow(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.ref = ?`, ref), &r)
	if err == nil && !canSee(ctx, r.RegionCode) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, s.mapError("loan request", "request "+ref, err)
	}
	return &r, nil
}

// RequestDevice records a request for a device for a learner and a course,
// and reserves a device at once when one is free in the learner's region for
// the course's days. Otherwise the request waits in the queue. The returned
// loan is nil while it waits.
func (s *Store) RequestDevice(ctx context.Context, req *traject.LoanRequest) (*traject.Loan, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var loanID int64
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = s.write(ctx, "request device", func(tx *Tx) error {
			loanID, err = tx.request(req)
			return err
		})
		if !isOverlap(err) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if loanID == 0 {
		return nil, nil
	}
	return s.Loan(ctx, loanID)
}

func (tx *Tx) request(req *traject.LoanRequest) (int64, error) {
	le, _, err := tx.learner(req.LearnerRef)
	if err != nil {
		return 0, notFound(err, "learner", req.LearnerRef)
	}
	c, err := tx.course(req.CourseRef)
	if err != nil {
		return 0, notFound(err, "course", req.CourseRef)
	}
	if !le.ClosedOn.IsZero() {
		return 0, traject.Errorf(traject.ECONFLICT, "request.learner.closed", "learner %s's file is closed", le.Ref)
	}
	var open int
	if err := tx.queryRow(`SELECT COUNT(*) FROM loans WHERE learner_id = ? AND course_id = ? AND state IN ('reserved', 'handed_out')`,
		le.ID, c.ID).Scan(&open); err != nil {
		return 0, err
	}
	if open > 0 {
		return 0, traject.Errorf(traject.ECONFLICT, "request.has_loan", "learner %s already has a device for course %s", le.Ref, c.Ref)
	}
	req.RegionCode, req.State, req.Obliged = le.RegionCode, traject.RequestWaiting, le.Obligation == traject.Obliged
	req.CourseStarts, req.CourseEnds, req.LearnerName = c.StartsOn, c.EndsOn, le.FullName()
	req.Ref = requestRef()
	id, err := tx.insert(`INSERT INTO loan_requests (ref, learner_id, course_id, region_code, need, channel, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`, req.Ref, le.ID, c.ID, le.RegionCode, req.Need, req.Channel, tx.nowArg(), tx.nowArg())
	if err != nil {
		if isOverlap(tx.mapError(err)) {
			return 0, traject.Errorf(traject.ECONFLICT, "request.duplicate", "learner %s already waits for a device for course %s", le.Ref, c.Ref)
		}
		return 0, err
	}
	req.ID, req.CreatedAt, req.UpdatedAt = id, tx.now, tx.now
	if err := tx.audit("request.create", "request", req.Ref, req.RegionCode, nil, req); err != nil {
		return 0, err
	}
	return tx.allocate(req)
}

// allocate reserves a device for a waiting request when one is free; 0 and
// no error when none is.
func (tx *Tx) allocate(req *traject.LoanRequest) (int64, error) {
	l, err := tx.reserve(traject.Reservation{LearnerRef: req.LearnerRef, CourseRef: req.CourseRef, RegionCode: req.RegionCode,
		Connectivity: req.Need, From: req.CourseStarts, Until: req.CourseEnds}, req.ID)
	if e, ok := traject.AsError(err); ok && e.Key == "loan.none_free" {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	loanID := l.ID
	if err := expectOne(tx.exec(`UPDATE loan_requests SET state = 'allocated', updated_at = ? WHERE id = ? AND state = 'waiting'`,
		tx.nowArg(), req.ID)); err != nil {
		return 0, err
	}
	req.State, req.LoanID = traject.RequestAllocated, loanID
	return loanID, tx.audit("request.allocate", "request", req.Ref, req.RegionCode,
		map[string]any{"state": traject.RequestWaiting}, map[string]any{"state": traject.RequestAllocated, "loan": loanID})
}

// requestRef makes a reference a learner can read over the phone: AV- and
// six characters without look-alikes (no 0/O, 1/I/L).
func requestRef() string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "AV-" + string(b)
}

// Queue returns the waiting requests of a region (all visible regions when
// region is ""), in the order they will be served (traject.QueueBefore).
func (s *Store) Queue(ctx context.Context, region string) ([]traject.LoanRequest, error) {
	q := `SELECT ` + requestColumns + requestFrom + ` WHERE r.state = 'waiting'`
	var args []any
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		q += ` AND r.region_code = ?`
		args = append(args, scope)
	}
	if region != "" {
		q += ` AND r.region_code = ?`
		args = append(args, region)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, s.mapError("queue", "", err)
	}
	defer rows.Close()
	var out []traject.LoanRequest
	for rows.Next() {
		var r traject.LoanRequest
		if err := scanRequest(rows, &r); err != nil {
			return nil, s.mapError("queue", "", err)
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return traject.QueueBefore(&out[i], &out[j]) })
	return out, s.mapError("queue", "", rows.Err())
}

// AllocateWaiting serves the queue of a region (every region when "") in
// order, reserving a device for each waiting request that one is now free
// for. It returns how many it allocated. Each allocation is its own
// transaction, so one that fails leaves the others done.
func (s *Store) AllocateWaiting(ctx context.Context, region string) (int, error) {
	queue, err := s.Queue(ctx, region)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range queue {
		req := &queue[i]
		var loanID int64
		err := s.write(ctx, "allocate", func(tx *Tx) error {
			var state string
			if err := tx.queryRow(`SELECT state FROM loan_requests WHERE id = ?`, req.ID).Scan(&state); err != nil {
				return err
			}
			if state != string(traject.RequestWaiting) {
				return nil // served meanwhile by another process
			}
			loanID, err = tx.allocate(req)
			return err
		})
		if err != nil && !isOverlap(err) {
			return n, err
		}
		if loanID != 0 {
			n++
		}
	}
	return n, nil
}

// CancelRequest takes a waiting request out of the queue.
func (s *Store) CancelRequest(ctx context.Context, ref, reason string) error {
	return s.write(ctx, "cancel request", func(tx *Tx) error {
		var id int64
		var region, state string
		if err := tx.queryRow(`SELECT id, region_code, state FROM loan_requests WHERE ref = ?`, ref).Scan(&id, &region, &state); err != nil {
			return notFound(err, "request", ref)
		}
		if !canSee(tx.ctx, region) {
			return notFound(sql.ErrNoRows, "request", ref)
		}
		if state != string(traject.RequestWaiting) {
			return traject.Errorf(traject.ECONFLICT, "request.cancel.state", "request %s is %s: only a waiting request is cancelled", ref, state)
		}
		if err := expectOne(tx.exec(`UPDATE loan_requests SET state = 'cancelled', updated_at = ? WHERE id = ?`, tx.nowArg(), id)); err != nil {
			return err
		}
		return tx.auditReason("request.cancel", "request", ref, region, reason, map[string]any{"state": state}, map[string]any{"state": "cancelled"})
	})
}

// TransferSuggestion says that another region has devices free for the days a
// waiting request needs.
type TransferSuggestion struct {
	Request      string               `json:"request"`
	FromRegion   string               `json:"from_region"`
	ToRegion     string               `json:"to_region"`
	Connectivity traject.Connectivity `json:"connectivity"`
	Free         int                  `json:"free"`
}

// SuggestedTransfers looks, for each waiting request of the region, for
// regions with devices in stock that no loan holds in the request's days.
// Requests for the same connectivity and days share one count.
func (s *Store) SuggestedTransfers(ctx context.Context, region string) ([]TransferSuggestion, error) {
	queue, err := s.Queue(ctx, region)
	if err != nil {
		return nil, err
	}
	type need struct {
		region   string
		conn     traject.Connectivity
		from, to string
	}
	free := map[need][]TransferSuggestion{}
	var out []TransferSuggestion
	for _, r := range queue {
		k := need{r.RegionCode, r.Need, dateKey(r.CourseStarts), dateKey(r.CourseEnds)}
		found, ok := free[k]
		if !ok {
			if found, err = s.freeElsewhere(ctx, r); err != nil {
				return nil, err
			}
			free[k] = found
		}
		for _, t := range found {
			t.Request = r.Ref
			out = append(out, t)
		}
	}
	return out, nil
}

func dateKey(t time.Time) string { return t.Format(time.DateOnly) }

// freeElsewhere counts, per other region, the devices free for a request's days.
func (s *Store) freeElsewhere(ctx context.Context, r traject.LoanRequest) ([]TransferSuggestion, error) {
	rows, err := s.query(ctx, `SELECT d.region_code, COUNT(*) FROM devices d
		LEFT JOIN sims s ON s.device_id = d.id AND s.state <> 'terminated'
		WHERE d.region_code <> ? AND d.connectivity = ? AND d.state = 'in_stock'
		  AND (d.connectivity = 'wifi' OR s.state = 'active')
		  AND NOT EXISTS (SELECT 1 FROM loans o WHERE o.device_id = d.id AND o.state IN ('reserved', 'handed_out')
		                  AND o.starts_on <= ? AND (? <= o.due_on OR o.state = 'handed_out'))
		GROUP BY d.region_code ORDER BY COUNT(*) DESC, d.region_code`,
		r.RegionCode, r.Need, dateArg(r.CourseEnds), dateArg(r.CourseStarts))
	if err != nil {
		return nil, s.mapError("suggested transfers", "", err)
	}
	defer rows.Close()
	var out []TransferSuggestion
	for rows.Next() {
		t := TransferSuggestion{ToRegion: r.RegionCode, Connectivity: r.Need}
		if err := rows.Scan(&t.FromRegion, &t.Free); err != nil {
			return nil, s.mapError("suggested transfers", "", err)
		}
		out = append(out, t)
	}
	return out, s.mapError("suggested transfers", "", rows.Err())
}

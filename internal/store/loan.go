package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"traject"
)

const loanColumns = `l.id, le.ref, le.first_name || ' ' || le.last_name, COALESCE(c.ref, ''), l.region_code,
	d.asset_tag, l.connectivity, COALESCE(r.ref, ''), l.starts_on, l.ends_on, l.due_on, l.state,
	l.handed_out_on, l.returned_on, l.condition,
	EXISTS (SELECT 1 FROM acceptances a WHERE a.loan_id = l.id AND a.version_id = (` + currentVersionID + `)),
	l.created_at, l.updated_at, l.device_id, l.learner_id`

const loanFrom = ` FROM loans l
	JOIN learners le ON le.id = l.learner_id
	JOIN devices d ON d.id = l.device_id
	LEFT JOIN courses c ON c.id = l.course_id
	LEFT JOIN loan_requests r ON r.id = l.request_id`

// currentVersionID selects the id of the agreement version in force: the
// highest published.
const currentVersionID = `SELECT id FROM agreement_versions ORDER BY version DESC LIMIT 1`

// loanRow is a loan with the ids a write needs.
type loanRow struct {
	traject.Loan
	deviceID, learnerID int64
}

func scanLoan(row interface{ Scan(...any) error }, l *loanRow) error {
	return row.Scan(&l.ID, &l.LearnerRef, &l.LearnerName, &l.CourseRef, &l.RegionCode,
		&l.AssetTag, &l.Connectivity, &l.RequestRef, dateCol{&l.From}, dateCol{&l.Until}, dateCol{&l.Due}, &l.State,
		dateCol{&l.HandedOutOn}, dateCol{&l.ReturnedOn}, &l.Condition, &l.Accepted,
		timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt}, &l.deviceID, &l.learnerID)
}

// Loan returns one loan, within the actor's region.
func (s *Store) Loan(ctx context.Context, id int64) (*traject.Loan, error) {
	var l loanRow
	err := scanLoan(s.queryRow(ctx, `SELECT `+loanColumns+loanFrom+` WHERE l.id = ?`, id), &l)
	if err == nil && !canSee(ctx, l.RegionCode) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, s.mapError("loan", "loan "+itoa(id), err)
	}
	return &l.Loan, nil
}

// canSee applies the region scope; a nil actor is Traject itself (a job, the demo).
func canSee(ctx context.Context, region string) bool {
	actor := traject.UserFromContext(ctx)
	return actor == nil || actor.CanSeeRegion(region)
}

func (tx *Tx) loan(id int64) (*loanRow, error) {
	var l loanRow
	if err := scanLoan(tx.queryRow(`SELECT `+loanColumns+loanFrom+` WHERE l.id = ?`, id), &l); err != nil {
		return nil, err
	}
	if !canSee(tx.ctx, l.RegionCode) {
		return nil, sql.ErrNoRows
	}
	return &l, nil
}

// LoanFilter selects loans; zero fields do not filter.
type LoanFilter struct {
	Region   string
	State    traject.LoanState
	Learner  string // reference
	Course   string // reference
	AssetTag string
	// StartsOn selects the reservations to hand out on this day: reserved,
	// and the day within their agreed period. A reservation whose period has
	// passed is no hand-out to do but one to cancel (see Stale).
	StartsOn  time.Time
	Stale     time.Time // reservations whose agreed period ended before this day
	DueBy     time.Time // handed-out loans due on or before this day
	OverdueOn time.Time // handed-out loans past due on this day
	AfterID   int64     // keyset: loans with a higher id
	Limit     int
}

// CountLoans counts the loans a filter selects within the actor's region.
func (s *Store) CountLoans(ctx context.Context, f LoanFilter) (int, error) {
	where, args := loanWhere(ctx, f)
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*)`+loanFrom+where, args...).Scan(&n)
	return n, s.mapError("count loans", "", err)
}

// Loans lists loans in id order within the actor's region.
func (s *Store) Loans(ctx context.Context, f LoanFilter) ([]traject.Loan, error) {
	where, args := loanWhere(ctx, f)
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.query(ctx, `SELECT `+loanColumns+loanFrom+where+` ORDER BY l.id LIMIT `+itoa(int64(limit)), args...)
	if err != nil {
		return nil, s.mapError("loans", "", err)
	}
	defer rows.Close()
	var out []traject.Loan
	for rows.Next() {
		var l loanRow
		if err := scanLoan(rows, &l); err != nil {
			return nil, s.mapError("loans", "", err)
		}
		out = append(out, l.Loan)
	}
	return out, s.mapError("loans", "", rows.Err())
}

func loanWhere(ctx context.Context, f LoanFilter) (string, []any) {
	w := ` WHERE l.id > ?`
	args := []any{f.AfterID}
	add := func(cond string, a ...any) { w += ` AND ` + cond; args = append(args, a...) }
	if scope := traject.UserFromContext(ctx).ScopeRegion(); scope != "" {
		add(`l.region_code = ?`, scope)
	}
	if f.Region != "" {
		add(`l.region_code = ?`, f.Region)
	}
	if f.State != "" {
		add(`l.state = ?`, f.State)
	}
	if f.Learner != "" {
		add(`le.ref = ?`, f.Learner)
	}
	if f.Course != "" {
		add(`c.ref = ?`, f.Course)
	}
	if f.AssetTag != "" {
		add(`d.asset_tag = ?`, f.AssetTag)
	}
	if !f.StartsOn.IsZero() {
		add(`l.state = 'reserved' AND l.starts_on <= ? AND l.ends_on >= ?`, dateArg(f.StartsOn), dateArg(f.StartsOn))
	}
	if !f.Stale.IsZero() {
		add(`l.state = 'reserved' AND l.ends_on < ?`, dateArg(f.Stale))
	}
	if !f.DueBy.IsZero() {
		add(`l.state = 'handed_out' AND l.due_on <= ?`, dateArg(f.DueBy))
	}
	if !f.OverdueOn.IsZero() {
		add(`l.state = 'handed_out' AND l.due_on < ?`, dateArg(f.OverdueOn))
	}
	return w, args
}

// Reserve reserves a device for a learner and a period: the one asked for, or
// the first free one of the right connectivity in the learner's region. When
// none is free the answer is a conflict that says so. On PostgreSQL two
// desks may pick the same device at once; the exclusion constraint refuses
// the second, which then tries the next free device.
func (s *Store) Reserve(ctx context.Context, r traject.Reservation) (*traject.Loan, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var l *loanRow
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = s.write(ctx, "reserve", func(tx *Tx) error {
			l, err = tx.reserve(r, 0)
			return err
		})
		if r.AssetTag != "" || !isOverlap(err) {
			break
		}
	}
	if isOverlap(err) {
		err = noDeviceFree(r)
	}
	if err != nil {
		return nil, err
	}
	return &l.Loan, nil
}

// isOverlap reports whether err is the database refusing a second active loan
// on a device (or another write racing on the same rows).
func isOverlap(err error) bool {
	e, ok := traject.AsError(err)
	return ok && e.Code == traject.ECONFLICT && e.Key == "db.conflict"
}

func noDeviceFree(r traject.Reservation) error {
	return &traject.Error{Code: traject.ECONFLICT, Key: "loan.none_free",
		Args:    map[string]any{"Connectivity": string(r.Connectivity), "Region": r.RegionCode},
		Message: "no " + string(r.Connectivity) + " device is free in " + r.RegionCode + " for these days; the request can wait in the queue"}
}

// reserve writes one reserved loan inside tx and returns it as written.
func (tx *Tx) reserve(r traject.Reservation, requestID int64) (*loanRow, error) {
	le, _, err := tx.learner(r.LearnerRef)
	if err != nil {
		return nil, notFound(err, "learner", r.LearnerRef)
	}
	if le.RegionCode != r.RegionCode {
		return nil, traject.Errorf(traject.EINVALID, "loan.region.learner", "learner %s belongs to region %s: lend from that region", le.Ref, le.RegionCode)
	}
	var courseID any
	if r.CourseRef != "" {
		c, err := tx.course(r.CourseRef)
		if err != nil {
			return nil, notFound(err, "course", r.CourseRef)
		}
		courseID = c.ID
	}
	deviceID, err := tx.freeDevice(r)
	if err != nil {
		return nil, err
	}
	var reqID any
	if requestID != 0 {
		reqID = requestID
	}
	id, err := tx.insert(`INSERT INTO loans (learner_id, course_id, device_id, region_code, connectivity, request_id, starts_on, ends_on, due_on, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reserved', ?, ?)`,
		le.ID, courseID, deviceID, r.RegionCode, r.Connectivity, reqID, dateArg(r.From), dateArg(r.Until), dateArg(r.Until), tx.nowArg(), tx.nowArg())
	if err != nil {
		return nil, err
	}
	l, err := tx.loan(id)
	if err != nil {
		return nil, err
	}
	return l, tx.audit("loan.reserve", "loan", itoa(id), l.RegionCode, nil, l.Loan)
}

// notFound names what was not found, for a lookup inside a write.
func notFound(err error, kind, id string) error {
	if err == sql.ErrNoRows {
		return &traject.Error{Code: traject.ENOTFOUND, Key: "db.notfound", Args: map[string]any{"ID": id},
			Message: kind + " " + id + " not found; it may not exist, or it is outside your region"}
	}
	return err
}

// freeDevice finds the device to reserve: the asked one if it can be lent for
// these days, else the first free one, devices in stock first. A handed-out
// loan holds its device until it comes back, even past its due date.
func (tx *Tx) freeDevice(r traject.Reservation) (int64, error) {
	q := `SELECT d.id, d.state FROM devices d
		LEFT JOIN sims s ON s.device_id = d.id AND s.state <> 'terminated'
		WHERE d.region_code = ? AND d.connectivity = ? AND d.state IN ('in_stock', 'on_loan', 'quarantine')
		  AND (d.connectivity = 'wifi' OR s.state = 'active')
		  AND NOT EXISTS (SELECT 1 FROM loans o WHERE o.device_id = d.id AND o.state IN ('reserved', 'handed_out')
		                  AND o.starts_on <= ? AND (? <= o.due_on OR o.state = 'handed_out'))`
	args := []any{r.RegionCode, r.Connectivity, dateArg(r.Until), dateArg(r.From)}
	if r.AssetTag != "" {
		return tx.askedDevice(r, q+` AND d.asset_tag = ?`, append(args, r.AssetTag))
	}
	q += ` ORDER BY CASE WHEN d.state = 'in_stock' THEN 0 ELSE 1 END, d.asset_tag LIMIT 1`
	var id int64
	var state string
	err := tx.queryRow(q+tx.d.lockFreeDevice(true), args...).Scan(&id, &state)
	if err == sql.ErrNoRows && tx.d == dialectPostgres {
		// SKIP LOCKED also passes over a device that another desk is
		// reserving at this moment, perhaps for other days. Before saying
		// none is free, wait for those desks: if one takes our days, the
		// exclusion constraint refuses our insert and Reserve tries again.
		err = tx.queryRow(q+tx.d.lockFreeDevice(false), args...).Scan(&id, &state)
	}
	if err == sql.ErrNoRows {
		return 0, noDeviceFree(r)
	}
	return id, err
}

// lockFreeDevice locks the device a reservation picks, on PostgreSQL, so that
// two desks pick different devices instead of colliding; skip passes over
// devices that other transactions hold. SQLite needs none: its one writer
// runs the whole transaction alone (BEGIN IMMEDIATE).
func (d dialect) lockFreeDevice(skip bool) string {
	switch {
	case d != dialectPostgres:
		return ""
	case skip:
		return ` FOR UPDATE OF d SKIP LOCKED`
	}
	return ` FOR UPDATE OF d`
}

// askedDevice checks a device chosen by the desk, and says why it cannot be
// reserved when it cannot.
func (tx *Tx) askedDevice(r traject.Reservation, q string, args []any) (int64, error) {
	var id int64
	var state string
	err := tx.queryRow(q, args...).Scan(&id, &state)
	if err == nil {
		return id, nil
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	d, derr := tx.device(r.AssetTag)
	switch {
	case derr != nil:
		return 0, notFound(derr, "device", r.AssetTag)
	case d.RegionCode != r.RegionCode:
		return 0, traject.Errorf(traject.ECONFLICT, "loan.device.region", "device %s is in region %s, not %s", d.AssetTag, d.RegionCode, r.RegionCode)
	case d.Connectivity != r.Connectivity:
		return 0, traject.Errorf(traject.ECONFLICT, "loan.device.connectivity", "device %s is a %s device, not %s", d.AssetTag, d.Connectivity, r.Connectivity)
	case d.LendBlocker() != "" && d.State != traject.StateOnLoan && d.State != traject.StateQuarantine:
		return 0, &traject.Error{Code: traject.ECONFLICT, Key: d.LendBlocker(), Args: map[string]any{"State": string(d.State)},
			Message: "device " + d.AssetTag + " cannot be lent: it is " + string(d.State)}
	}
	return 0, traject.Errorf(traject.ECONFLICT, "loan.device.taken", "device %s is already lent or reserved for some of these days", d.AssetTag)
}

// jsonText is v as the JSON text a column keeps.
func jsonText(v any) string {
	b, _ := json.Marshal(v) // plain structs of bools and strings always marshal
	return string(b)
}

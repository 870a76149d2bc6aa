package store

import (
	"context"
	"fmt"
	"time"

	"traject"
)

// BulkLoan is one loan written by CreateLoansBulk: a generated or copied
// record, with the ids of its learner, course and device already known.
type BulkLoan struct {
	LearnerID    int64
	CourseID     int64 // 0: no course
	DeviceID     int64
	RegionCode   string
	Connectivity traject.Connectivity
	StartsOn     time.Time // the agreed period, both days included
	EndsOn       time.Time
	DueOn        time.Time // zero: EndsOn
	State        traject.LoanState
	HandedOutOn  time.Time // zero: not handed out
	ReturnedOn   time.Time // zero: not returned
}

// validate checks what the loans table's own constraints check, so that a
// bad loan is named before anything is written.
func (l *BulkLoan) validate() error {
	if l.DueOn.IsZero() {
		l.DueOn = l.EndsOn
	}
	handedOut := l.State == traject.LoanHandedOut || l.State == traject.LoanReturned || l.State == traject.LoanLost || l.State == traject.LoanStolen
	switch {
	case l.LearnerID == 0 || l.DeviceID == 0:
		return fmt.Errorf("a loan needs a learner and a device")
	case l.Connectivity != traject.WiFi && l.Connectivity != traject.Mobile:
		return fmt.Errorf("connectivity %q", l.Connectivity)
	case l.StartsOn.IsZero() || l.EndsOn.Before(l.StartsOn) || l.DueOn.Before(l.EndsOn):
		return fmt.Errorf("agreed period %s to %s, due %s", l.StartsOn.Format(time.DateOnly), l.EndsOn.Format(time.DateOnly), l.DueOn.Format(time.DateOnly))
	case handedOut && l.HandedOutOn.IsZero():
		return fmt.Errorf("a %s loan needs its hand-out day", l.State)
	case l.State == traject.LoanReturned && (l.ReturnedOn.IsZero() || l.ReturnedOn.Before(l.HandedOutOn)):
		return fmt.Errorf("a returned loan needs a return day on or after its hand-out")
	}
	if _, ok := traject.ParseRegion(l.RegionCode); !ok {
		return fmt.Errorf("region %q", l.RegionCode)
	}
	return nil
}

// CreateLoansBulk writes loans in one transaction through multi-row INSERTs:
// the path of generated loans (the scaled demo, benchmarks), where a
// reservation's transaction per loan would take hours for ten million. The
// database's own guards still apply to every row (no overlapping active
// loans, no spare device), and so do the triggers that keep the report
// summaries. One audit row records the batch: the loans are created by one
// act of one actor, like CreateFleet's devices.
func (s *Store) CreateLoansBulk(ctx context.Context, loans []BulkLoan) error {
	if actor := traject.UserFromContext(ctx); actor != nil && !actor.Can(traject.PermLoansWrite) {
		return traject.Errorf(traject.EFORBIDDEN, "loan.bulk.forbidden", "your role may not create loans")
	}
	regions := map[string]int{}
	for i := range loans {
		if err := loans[i].validate(); err != nil {
			return traject.Errorf(traject.EINVALID, "loan.bulk.invalid", "loan %d: %v", i+1, err)
		}
		regions[loans[i].RegionCode]++
		if actor := traject.UserFromContext(ctx); actor != nil && !actor.CanSeeRegion(loans[i].RegionCode) {
			return traject.Errorf(traject.EFORBIDDEN, "loan.region.forbidden", "you can add loans only to your own region")
		}
	}
	if len(loans) == 0 {
		return nil
	}
	return s.write(ctx, "create loans", func(tx *Tx) error {
		if tx.d == dialectSQLite {
			restore, err := tx.bulkPragmas()
			if err != nil {
				return err
			}
			defer restore()
		}
		if err := tx.insertLoans(loans); err != nil {
			return err
		}
		return tx.audit("loan.bulk_create", "loan", "", "", nil, map[string]any{"count": len(loans), "regions": regions})
	})
}

func (tx *Tx) insertLoans(loans []BulkLoan) error {
	if tx.d == dialectPostgres {
		return tx.insertLoansPostgres(loans)
	}
	ins := &rowInserter{tx: tx,
		head:  `INSERT INTO loans (learner_id, course_id, device_id, region_code, connectivity, starts_on, ends_on, due_on, state, handed_out_on, returned_on, created_at, updated_at) VALUES `,
		tuple: `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`}
	defer ins.close()
	now := tx.nowArg()
	for i := range loans {
		l := &loans[i]
		if ins.full() {
			if err := ins.flush(); err != nil {
				return err
			}
		}
		var course any
		if l.CourseID != 0 {
			course = l.CourseID
		}
		ins.add(l.LearnerID, course, l.DeviceID, l.RegionCode, l.Connectivity, dateArg(l.StartsOn), dateArg(l.EndsOn),
			dateArg(l.DueOn), l.State, dateArg(l.HandedOutOn), dateArg(l.ReturnedOn), now, now)
	}
	return ins.flush()
}

// pgLoanRows is how many loans one PostgreSQL INSERT writes. The report
// summaries' trigger runs once a statement (00011) and costed about 3 ms a
// call, 47 µs a loan at 64 rows a statement, half of all the time; at
// 10,000 rows it is under 5 µs a loan. The row guards and foreign keys
// still check every row.
const pgLoanRows = 10_000

// insertLoansPostgres writes loans pgLoanRows at a time, each batch as one
// INSERT from arrays, one array a column, in the order given (the ids
// follow it, as with the multi-row INSERTs).
func (tx *Tx) insertLoansPostgres(loans []BulkLoan) error {
	const q = `INSERT INTO loans (learner_id, course_id, device_id, region_code, connectivity, starts_on, ends_on, due_on,
		state, handed_out_on, returned_on, created_at, updated_at)
	SELECT l, NULLIF(c, 0), d, r, k, s::date, e::date, du::date, st, NULLIF(h, '')::date, NULLIF(rt, '')::date, ?, ?
	FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
		WITH ORDINALITY AS u(l, c, d, r, k, s, e, du, st, h, rt, n)
	ORDER BY n`
	now := tx.nowArg()
	for len(loans) > 0 {
		batch := loans[:min(len(loans), pgLoanRows)]
		loans = loans[len(batch):]
		var cols bulkLoanColumns
		for i := range batch {
			cols.add(&batch[i])
		}
		if _, err := tx.exec(q, now, now, cols.learner, cols.course, cols.device, cols.region, cols.conn,
			cols.starts, cols.ends, cols.due, cols.state, cols.handedOut, cols.returned); err != nil {
			return err
		}
	}
	return nil
}

// bulkLoanColumns holds a batch of loans column by column, for unnest: no
// course is 0 and no day is "", which the INSERT turns into NULL.
type bulkLoanColumns struct {
	learner, course, device                                     []int64
	region, conn, starts, ends, due, state, handedOut, returned []string
}

func (c *bulkLoanColumns) add(l *BulkLoan) {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	c.learner, c.course, c.device = append(c.learner, l.LearnerID), append(c.course, l.CourseID), append(c.device, l.DeviceID)
	c.region, c.conn = append(c.region, l.RegionCode), append(c.conn, string(l.Connectivity))
	c.starts, c.ends, c.due = append(c.starts, day(l.StartsOn)), append(c.ends, day(l.EndsOn)), append(c.due, day(l.DueOn))
	c.state = append(c.state, string(l.State))
	c.handedOut, c.returned = append(c.handedOut, day(l.HandedOutOn)), append(c.returned, day(l.ReturnedOn))
}

// LoanCopies returns every loan as a BulkLoan with its device's asset tag,
// for the scaled demo, which repeats the loans on copies of the fleet.
func (s *Store) LoanCopies(ctx context.Context) ([]BulkLoan, []string, error) {
	rows, err := s.query(ctx, `SELECT l.learner_id, COALESCE(l.course_id, 0), d.asset_tag, l.region_code, l.connectivity,
		l.starts_on, l.ends_on, l.due_on, l.state, l.handed_out_on, l.returned_on
		FROM loans l JOIN devices d ON d.id = l.device_id ORDER BY l.id`)
	if err != nil {
		return nil, nil, s.mapError("loan copies", "loans", err)
	}
	defer rows.Close()
	var loans []BulkLoan
	var tags []string
	for rows.Next() {
		var l BulkLoan
		var tag string
		if err := rows.Scan(&l.LearnerID, &l.CourseID, &tag, &l.RegionCode, &l.Connectivity, dateCol{&l.StartsOn}, dateCol{&l.EndsOn},
			dateCol{&l.DueOn}, &l.State, dateCol{&l.HandedOutOn}, dateCol{&l.ReturnedOn}); err != nil {
			return nil, nil, s.mapError("loan copies", "loans", err)
		}
		loans, tags = append(loans, l), append(tags, tag)
	}
	return loans, tags, s.mapError("loan copies", "loans", rows.Err())
}

// DeviceIDsByPrefix maps the asset tags that start with prefix to their ids.
func (s *Store) DeviceIDsByPrefix(ctx context.Context, prefix string) (map[string]int64, error) {
	rows, err := s.query(ctx, `SELECT asset_tag, id FROM devices WHERE asset_tag >= ? AND asset_tag < ?`, prefix, prefix+"\uffff")
	if err != nil {
		return nil, s.mapError("device ids", "devices", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var tag string
		var id int64
		if err := rows.Scan(&tag, &id); err != nil {
			return nil, s.mapError("device ids", "devices", err)
		}
		out[tag] = id
	}
	return out, s.mapError("device ids", "devices", rows.Err())
}

package store

import (
	"context"

	"traject"
)

// CourseImport is a courses import in progress: ImportCourses hands it to the
// caller, which adds the file's courses a batch at a time.
type CourseImport struct {
	*importTx
	exists, course stmt
	sessions       *multiInsert
	args           []any // the parameters of a statement, reused
}

// ImportCourses runs feed in one transaction; feed adds every row of a file
// with Add. The courses and their generated sessions are committed only when
// feed returns nil and no row was rejected; a dry run checks every row and
// writes nothing. It returns how many courses were imported. An actor who may
// not add courses is refused before anything is read.
func (s *Store) ImportCourses(ctx context.Context, dryRun bool, feed func(*CourseImport) error) (int, error) {
	if actor := traject.UserFromContext(ctx); actor != nil && !actor.Can(traject.PermCoursesWrite) {
		return 0, traject.Errorf(traject.EFORBIDDEN, "import.courses.forbidden", "you may not add courses")
	}
	return runKind(ctx, s, "import courses", dryRun, func(it *importTx) *CourseImport { return &CourseImport{importTx: it} }, feed)
}

func (imp *CourseImport) prepareAll() error {
	var err error
	prep := func(dst *stmt, query string) {
		if err == nil {
			*dst, err = imp.prepare(query)
		}
	}
	prep(&imp.exists, `SELECT COUNT(*) FROM courses WHERE ref = ?`)
	prep(&imp.course, `INSERT INTO courses (ref, kind, language, mode, track, region_code, starts_on, ends_on, capacity,
		weekdays, start_time, end_time, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	imp.sessions = newMultiInsert(imp.importTx, `INSERT INTO course_sessions (course_id, starts_at, ends_at, mode) VALUES`, "(?, ?, ?, ?)", "")
	imp.prepareAudit()
	return err
}

// Add checks courses against the rules and the database and returns the
// problems of each, index by index, each naming its column; none means the
// course is good. While every row so far passed and this is no dry run, the
// courses are inserted with their sessions and audit rows.
func (imp *CourseImport) Add(cs []*traject.Course) ([][]traject.FieldError, error) {
	return addEach(imp.importTx, cs, "ref", imp.problemsOf, imp.insert)
}

// problemsOf returns the problems of one course: the domain's rules, a
// reference the database already holds, and a region outside the actor's.
func (imp *CourseImport) problemsOf(c *traject.Course) ([]traject.FieldError, error) {
	var fields []traject.FieldError
	if err := c.Validate(); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	if actor := traject.UserFromContext(imp.tx.ctx); actor != nil && c.RegionCode != "" && !actor.CanSeeRegion(c.RegionCode) {
		fields = append(fields, traject.FieldError{Field: "region", Key: "import.course.region",
			Message: "you can import courses only into your own region"})
	}
	var n int64
	if err := imp.check(imp.exists, []any{&n}, c.Ref); err != nil {
		return nil, err
	}
	if n > 0 {
		fields = append(fields, traject.FieldError{Field: "ref", Key: "import.exists.courseref", Args: map[string]any{"Value": c.Ref},
			Message: "a course with reference " + c.Ref + " already exists"})
	}
	return fields, nil
}

// insert writes a checked course, its generated sessions and its audit row,
// as tx.createCourse does.
func (imp *CourseImport) insert(c *traject.Course) error {
	now := imp.tx.nowArg()
	if err := imp.course.st.QueryRowContext(imp.tx.ctx, c.Ref, c.Kind, c.Language, c.Mode, c.Track, c.RegionCode,
		dateArg(c.StartsOn), dateArg(c.EndsOn), c.Capacity, c.Weekdays.String(), c.StartTime, c.EndTime, now, now).Scan(&c.ID); err != nil {
		return err
	}
	c.CreatedAt, c.UpdatedAt = imp.tx.now, imp.tx.now
	sessions := traject.GenerateSessions(c)
	args := imp.args[:0]
	for _, se := range sessions {
		args = append(args, c.ID, imp.tx.d.timeArg(se.StartsAt), imp.tx.d.timeArg(se.EndsAt), se.Mode)
	}
	err := imp.sessions.exec(args, nil)
	imp.args = args[:0]
	if err != nil {
		return err
	}
	auditArgs, err := imp.auditArgs(nil, "course.create", "course", c.Ref, c.RegionCode, courseAudit{c, len(sessions)})
	if err != nil {
		return err
	}
	return imp.audit.exec(auditArgs, nil)
}

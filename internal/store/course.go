package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"traject"
)

const courseColumns = `c.id, c.ref, c.kind, c.language, c.mode, c.track, c.region_code,
	COALESCE(c.office_id, 0), COALESCE(o.name, ''), COALESCE(c.teacher_id, 0), COALESCE(u.name, ''), COALESCE(u.email, ''),
	c.starts_on, c.ends_on, c.capacity, c.weekdays, c.start_time, c.end_time, c.created_at, c.updated_at`

// courseFrom joins the office's name and the teacher's name and address,
// which is how people and files name them.
const courseFrom = ` FROM courses c
	LEFT JOIN offices o ON o.id = c.office_id
	LEFT JOIN users u ON u.id = c.teacher_id`

func scanCourse(row interface{ Scan(...any) error }, c *traject.Course, extra ...any) error {
	return row.Scan(append([]any{&c.ID, &c.Ref, &c.Kind, &c.Language, &c.Mode, &c.Track, &c.RegionCode,
		&c.OfficeID, &c.OfficeName, &c.TeacherID, &c.TeacherName, &c.TeacherEmail,
		dateCol{&c.StartsOn}, dateCol{&c.EndsOn}, &c.Capacity, weekdaysCol{&c.Weekdays}, &c.StartTime, &c.EndTime,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}}, extra...)...)
}

// weekdaysCol scans the weekdays column ("mon+thu").
type weekdaysCol struct{ w *traject.Weekdays }

// Scan implements sql.Scanner.
func (c weekdaysCol) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case nil:
	default:
		return fmt.Errorf("store: cannot scan %T as weekdays", v)
	}
	w, ok := traject.ParseWeekdays(s)
	if !ok {
		return fmt.Errorf("store: bad weekdays %q", s)
	}
	*c.w = w
	return nil
}

// Course returns the course with this reference, within the actor's scope:
// its region, and for a teacher, their own courses. A course outside it is
// not found, exactly as one that does not exist.
func (s *Store) Course(ctx context.Context, ref string) (*traject.Course, error) {
	var c traject.Course
	err := scanCourse(s.queryRow(ctx, `SELECT `+courseColumns+courseFrom+` WHERE c.ref = ?`, ref), &c)
	if err == nil && !traject.CanSeeCourse(traject.UserFromContext(ctx), &c) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, s.mapError("course", "course "+ref, err)
	}
	return &c, nil
}

// course reads a course inside a write transaction, within the actor's
// scope; a system actor (the command line) sees every course.
func (tx *Tx) course(ref string) (*traject.Course, error) {
	var c traject.Course
	if err := scanCourse(tx.queryRow(`SELECT `+courseColumns+courseFrom+` WHERE c.ref = ?`, ref), &c); err != nil {
		return nil, err
	}
	if actor := traject.UserFromContext(tx.ctx); actor != nil && !traject.CanSeeCourse(actor, &c) {
		return nil, sql.ErrNoRows
	}
	return &c, nil
}

// editableCourse reads a course the actor may change, and locks it against
// concurrent enrolments.
func (tx *Tx) editableCourse(ref string) (*traject.Course, error) {
	c, err := tx.course(ref)
	if err != nil {
		return nil, err
	}
	if actor := traject.UserFromContext(tx.ctx); actor != nil && !traject.CanEditCourse(actor, c) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "course.edit.forbidden", "you may not change course %s", ref)
	}
	return c, tx.lockCourse(c.ID)
}

// lockCourse serialises the changes to one course's enrolments, so that two
// enrolments at once cannot both take its last place. SQLite needs nothing:
// every write transaction holds the one write lock from its start.
func (tx *Tx) lockCourse(id int64) error {
	if tx.d != dialectPostgres {
		return nil
	}
	var got int64
	return tx.queryRow(`SELECT id FROM courses WHERE id = ? FOR UPDATE`, id).Scan(&got)
}

// CourseFilter selects courses; zero fields do not filter.
type CourseFilter struct {
	Region   string
	Kind     traject.CourseKind
	Mode     traject.Mode
	Track    traject.LevelTrack
	Language string
	Query    string    // the start of a reference
	From     time.Time // courses that end on or after this date
	After    string    // keyset: the Next of the previous page
	Limit    int
}

// CourseSummary is a course with how many learners it has and how many wait.
type CourseSummary struct {
	traject.Course
	Enrolled int `json:"enrolled_count"`
	Waiting  int `json:"waiting_count"`
}

// CoursePage is one page of the course list; Next is the After of the next
// page, empty on the last.
type CoursePage struct {
	Courses []CourseSummary
	Next    string
}

// Courses lists courses by start date, then reference, within the actor's
// scope: the region, and for a teacher only their own courses. Pages are
// keyset pages on (start date, reference).
func (s *Store) Courses(ctx context.Context, f CourseFilter) (CoursePage, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	where, args, err := courseWhere(traject.UserFromContext(ctx), f)
	if err != nil {
		return CoursePage{}, err
	}
	rows, err := s.query(ctx, `SELECT `+courseColumns+`,
		(SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.state = 'enrolled'),
		(SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.state = 'waiting')`+courseFrom+
		` WHERE `+where+` ORDER BY c.starts_on, c.ref LIMIT `+itoa(int64(limit+1)), args...)
	if err != nil {
		return CoursePage{}, s.mapError("courses", "courses", err)
	}
	defer rows.Close()
	var page CoursePage
	for rows.Next() {
		var c CourseSummary
		if err := scanCourse(rows, &c.Course, &c.Enrolled, &c.Waiting); err != nil {
			return CoursePage{}, s.mapError("courses", "courses", err)
		}
		page.Courses = append(page.Courses, c)
	}
	if len(page.Courses) > limit {
		page.Courses = page.Courses[:limit]
		last := page.Courses[limit-1]
		page.Next = last.StartsOn.Format(traject.DateLayout) + "_" + last.Ref
	}
	return page, s.mapError("courses", "courses", rows.Err())
}

// courseWhere builds the filter; the actor's scope is added in SQL, so that
// no page can reach past it.
func courseWhere(actor *traject.User, f CourseFilter) (string, []any, error) {
	where := []string{"1=1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if scope := actor.ScopeRegion(); scope != "" || actor == nil {
		add("c.region_code = ?", scope)
	}
	if teacher := traject.CourseTeacherOnly(actor); teacher != 0 {
		add("c.teacher_id = ?", teacher)
	}
	for _, eq := range [][2]string{{"c.region_code", f.Region}, {"c.kind", string(f.Kind)}, {"c.mode", string(f.Mode)},
		{"c.track", string(f.Track)}, {"c.language", strings.ToLower(f.Language)}} {
		if eq[1] != "" {
			add(eq[0]+" = ?", eq[1])
		}
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		add("c.ref >= ? AND c.ref < ?", q, q+prefixEnd)
	}
	if !f.From.IsZero() {
		add("c.ends_on >= ?", dateArg(f.From))
	}
	if f.After != "" {
		day, ref, ok := strings.Cut(f.After, "_")
		start, okDay := traject.ParseDate(day)
		if !ok || !okDay {
			return "", nil, traject.Errorf(traject.EINVALID, "course.after.invalid", "the page address is broken: start again from the first page")
		}
		add("(c.starts_on > ? OR (c.starts_on = ? AND c.ref > ?))", dateArg(start), dateArg(start), ref)
	}
	return strings.Join(where, " AND "), args, nil
}

// CreateCourse adds a course in the actor's region, with the sessions its
// weekdays and hours generate, in one transaction. The teacher is named by
// e-mail address in c.TeacherEmail.
func (s *Store) CreateCourse(ctx context.Context, c *traject.Course) error {
	if err := c.Validate(); err != nil {
		return err
	}
	switch actor := traject.UserFromContext(ctx); {
	case actor == nil:
	case !actor.Can(traject.PermCoursesWrite):
		return traject.Errorf(traject.EFORBIDDEN, "course.create.forbidden", "you may not add courses")
	case !actor.CanSeeRegion(c.RegionCode):
		return traject.Errorf(traject.EFORBIDDEN, "course.region.forbidden", "you can add courses only in your own region")
	}
	err := s.write(ctx, "create course", func(tx *Tx) error { return tx.createCourse(c) })
	if traject.ErrorCode(err) == traject.ECONFLICT {
		return courseRefTaken(c.Ref)
	}
	return err
}

func courseRefTaken(ref string) error {
	var v traject.Validation
	v.Add("ref", "course.ref.taken", "a course with reference "+ref+" already exists", map[string]any{"Ref": ref})
	return v.Err()
}

// createCourse inserts a validated course and its generated sessions, and
// audits it.
func (tx *Tx) createCourse(c *traject.Course) error {
	refs, err := tx.courseRefs(c)
	if err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO courses (ref, kind, language, mode, track, region_code, office_id, teacher_id,
		starts_on, ends_on, capacity, weekdays, start_time, end_time, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Ref, c.Kind, c.Language, c.Mode, c.Track, c.RegionCode, refs.office, refs.teacher,
		dateArg(c.StartsOn), dateArg(c.EndsOn), c.Capacity, c.Weekdays.String(), c.StartTime, c.EndTime, tx.nowArg(), tx.nowArg())
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt, c.UpdatedAt = id, tx.now, tx.now
	sessions := traject.GenerateSessions(c)
	for i := range sessions {
		if err := tx.insertSession(&sessions[i]); err != nil {
			return err
		}
	}
	return tx.audit("course.create", "course", c.Ref, c.RegionCode, nil, courseAudit{c, len(sessions)})
}

// courseAudit is what the audit row of a new course holds: the course and
// how many sessions were generated with it.
type courseAudit struct {
	*traject.Course
	Sessions int `json:"sessions"`
}

// courseRefIDs are the ids a course row points to.
type courseRefIDs struct {
	office, teacher any // nil or an id
}

// courseRefs checks what only the database knows, naming every problem at
// once: a reference already taken, the office (which must be in the course's
// region) and the teacher (an active teacher of that region, by e-mail
// address); it fills in their ids and names.
func (tx *Tx) courseRefs(c *traject.Course) (courseRefIDs, error) {
	var r courseRefIDs
	var v traject.Validation
	var taken int
	if err := tx.queryRow(`SELECT COUNT(*) FROM courses WHERE ref = ?`, c.Ref).Scan(&taken); err != nil {
		return r, err
	}
	if taken > 0 {
		v.Add("ref", "course.ref.taken", "a course with reference "+c.Ref+" already exists", map[string]any{"Ref": c.Ref})
	}
	if c.OfficeID != 0 || c.OfficeName != "" {
		// An office is named by id (forms) or by its name within the region (files, the API).
		err := tx.queryRow(`SELECT id, name FROM offices WHERE (id = ? OR (? = 0 AND name = ?)) AND region_code = ?`,
			c.OfficeID, c.OfficeID, strings.TrimSpace(c.OfficeName), c.RegionCode).Scan(&c.OfficeID, &c.OfficeName)
		switch {
		case err == sql.ErrNoRows:
			v.Add("office", "course.office.invalid", "choose an office of the course's region", nil)
		case err != nil:
			return r, err
		default:
			r.office = c.OfficeID
		}
	}
	if c.TeacherEmail = traject.NormalizeEmail(c.TeacherEmail); c.TeacherEmail != "" {
		var u traject.User
		err := scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE email = ?`, c.TeacherEmail), &u)
		switch {
		case err != nil && err != sql.ErrNoRows:
			return r, err
		case err != nil || !u.Active || u.Role != traject.RoleTeacher || u.RegionCode != c.RegionCode:
			v.Add("teacher", "course.teacher.invalid", "enter the e-mail address of an active teacher of the course's region", nil)
		default:
			r.teacher, c.TeacherID, c.TeacherName = u.ID, u.ID, u.Name
		}
	}
	return r, v.Err()
}

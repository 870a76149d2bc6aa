package importer

import (
	"context"
	"math"
	"strconv"
	"strings"

	"traject"
	"traject/internal/store"
)

// importCourses adds every course row to one store import, which checks it
// against the database, generates its sessions, and commits only a file
// without a bad row.
func importCourses(ctx context.Context, s *store.Store, t *table, dryRun bool, rep *reporter) error {
	seen := newKeys("ref")
	parse := func(r *row) *traject.Course {
		c := parseCourse(r)
		seen.check(r, "ref", c.Ref)
		return c
	}
	n, err := s.ImportCourses(ctx, dryRun, func(imp *store.CourseImport) error {
		return feed(ctx, t, rep, batchSize, parse, imp.Add, imp.Reject)
	})
	rep.res.Imported = n
	return err
}

// parseCourse reads the cells of a course row; the domain checks the rest.
func parseCourse(r *row) *traject.Course {
	c := &traject.Course{
		Ref: r.get("ref"), Kind: traject.CourseKind(strings.ToLower(r.get("kind"))), Language: r.get("language"),
		Mode: traject.Mode(strings.ToLower(r.get("mode"))), Track: traject.LevelTrack(strings.ToLower(r.get("track"))),
		RegionCode: r.get("region"), StartsOn: r.date("starts_on"), EndsOn: r.date("ends_on"),
		StartTime: r.clock("start_time"), EndTime: r.clock("end_time"),
	}
	c.Capacity = r.count("capacity", true)
	if w, ok := traject.ParseWeekdays(r.get("weekdays")); ok {
		c.Weekdays = w
	} else {
		r.fail("weekdays", "import.course.weekdays", "write the weekdays as mon, tue, wed, thu, fri, sat, sun joined by +, like mon+thu", nil)
	}
	return c
}

// clock reads a lesson time: HH:MM as text, or in a spreadsheet a time cell,
// which it stores as a fraction of a day (0.375 is 09:00).
func (r *row) clock(col string) string {
	v := r.get(col)
	if _, ok := r.t.src.(*xlsxSource); ok && v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f < 1 {
			m := int(math.Round(f * 24 * 60))
			return traject.Clock(m).String()
		}
	}
	return v
}

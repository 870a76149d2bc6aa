package store_test

import (
	"fmt"
	"slices"
	"testing"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// TestImportCoursesAllOrNothing imports a batch with one bad row (nothing is
// written, the row is named), then the batch without it (every course and
// its sessions, audited).
func TestImportCoursesAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCourseFixture(t, s)
		batch := func(bad bool) []*traject.Course {
			var out []*traject.Course
			for i := range 3 {
				c := newCourse(fmt.Sprintf("IMP-%d", i))
				if bad && i == 1 {
					c.Capacity = 0
				}
				out = append(out, c)
			}
			return out
		}
		before := f.counts(t)
		n, err := s.ImportCourses(cli(), false, func(imp *store.CourseImport) error {
			problems, err := imp.Add(batch(true))
			if got := fields(problems); !slices.Equal(got, []string{"1 capacity"}) {
				t.Errorf("problems = %v", got)
			}
			return err
		})
		if err != nil || n != 0 || f.counts(t) != before {
			t.Fatalf("bad batch: %d imported, %v; counts %v -> %v", n, err, before, f.counts(t))
		}
		if _, err := s.ImportCourses(f.teacherCtx, false, func(*store.CourseImport) error { return nil }); traject.ErrorCode(err) != traject.EFORBIDDEN {
			t.Errorf("teacher imports: %v", err)
		}
		n, err = s.ImportCourses(f.coordBRU, false, func(imp *store.CourseImport) error {
			problems, err := imp.Add(batch(false))
			if got := fields(problems); !slices.Equal(got, []string{"0 region", "1 region", "2 region"}) {
				t.Errorf("BRU imports ANT courses: %v", got)
			}
			return err
		})
		if err != nil || n != 0 {
			t.Fatalf("other region: %d, %v", n, err)
		}
		n, err = s.ImportCourses(cli(), false, func(imp *store.CourseImport) error {
			problems, err := imp.Add(batch(false))
			if len(fields(problems)) != 0 {
				t.Errorf("good batch: %v", fields(problems))
			}
			return err
		})
		if err != nil || n != 3 {
			t.Fatalf("good batch: %d, %v", n, err)
		}
		if after := f.counts(t); after != [3]int{3, 24, before[2] + 3} {
			t.Errorf("counts %v -> %v, want 3 courses, 24 sessions, 3 more audit rows", before, after)
		}
		n, err = s.ImportCourses(cli(), false, func(imp *store.CourseImport) error {
			problems, err := imp.Add(batch(false)[:1])
			if got := fields(problems); !slices.Equal(got, []string{"0 ref"}) {
				t.Errorf("again: %v", got)
			}
			return err
		})
		if err != nil || n != 0 {
			t.Errorf("again: %d, %v", n, err)
		}
	})
}

package importer_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"traject"
	"traject/internal/importer"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

const courseHeader = "ref,kind,language,mode,track,region,starts_on,ends_on,capacity,weekdays,start_time,end_time\n"

// goodCourses are two courses: mon+thu for four weeks from 19 October 2020
// (8 sessions, across the end of summer time), and one whose sessions are
// added by hand.
const goodCourses = courseHeader +
	"MO-ANT-01,civic_orientation,ar,blended,standard,Antwerpen,2020-10-19,2020-11-12,12,mon+thu,9:00,12:00\n" +
	"DIG-BRU-01,digital_pretrack,FR,onsite,basic,BRU,2020-09-01,2020-09-30,8,,,\n"

// courseCounts counts the courses, their sessions and the audit rows of
// courses, as a national admin sees them.
func courseCounts(t *testing.T, s *store.Store) [3]int {
	t.Helper()
	page, err := s.Courses(adminCtx(), store.CourseFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	sessions := 0
	for _, c := range page.Courses {
		list, err := s.CourseSessions(adminCtx(), c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		sessions += len(list)
	}
	return [3]int{len(page.Courses), sessions, auditCount(t, s, "course")}
}

// TestImportCoursesBadRowsChangeNothing imports files with bad rows on both
// databases: every bad row is named with its line, column and reason, and
// nothing is written; the fixed file then imports with its sessions.
func TestImportCoursesBadRowsChangeNothing(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string
	}{
		{"one bad row among good ones", goodCourses + "MO-ANT-02,civic_orientation,ar,blended,standard,ANT,2020-10-19,2020-11-12,0,mon,9:00,12:00\n",
			[]string{"4: capacity: enter a capacity from 1 to 500"}},
		{"every column wrong", courseHeader + "M O,dutch,arabic,hybrid,fast,Gent,19/10/2020,2020-11-12,x,ma+do,9u,12:00\n",
			[]string{"2: ref: use 3 to 32 letters, digits or dashes", "2: kind: use civic_orientation or digital_pretrack",
				"2: language: enter the language of instruction as a two-letter ISO 639-1 code, like nl, fr or ar",
				"2: mode: use online, blended or onsite", "2: track: use basic, standard or intensive",
				"2: region: use one of ANT BRU LIM OVL VBR WVL or the region's name",
				"2: starts_on: write the date as YYYY-MM-DD, for example 2020-05-11", "2: capacity: enter a whole number from 0 up",
				"2: weekdays: write the weekdays as mon, tue, wed, thu, fri, sat, sun joined by +, like mon+thu",
				"2: start_time: enter the start time as HH:MM, between 06:00 and 23:00"}},
		{"schedule rules", courseHeader +
			"A-1,civic_orientation,nl,online,basic,ANT,2020-10-19,2020-10-01,5,,,\n" +
			"A-2,civic_orientation,nl,online,basic,ANT,2020-10-19,2020-11-01,5,mon,,\n" +
			"A-3,civic_orientation,nl,online,basic,ANT,2020-10-20,2020-10-21,5,mon,9:00,12:00\n" +
			"A-4,civic_orientation,nl,online,basic,ANT,2020-10-19,2020-11-01,5,mon,12:00,9:00\n",
			[]string{"2: ends_on: the end date must be on or after the start date",
				"3: start_time: enter the start time as HH:MM, between 06:00 and 23:00", "3: end_time: enter the end time as HH:MM, between 06:00 and 23:00",
				"4: weekdays: none of these weekdays falls between the start and end date",
				"5: end_time: the lesson must end after it starts"}},
		{"duplicate inside the file", goodCourses + "MO-ANT-01,civic_orientation,ar,online,standard,ANT,2020-10-19,2020-11-12,12,mon,9:00,12:00\n",
			[]string{"4: ref: MO-ANT-01 is also on line 2"}},
		{"missing column", "ref,kind,language,mode,track,region,starts_on,ends_on,capacity\nA-1,civic_orientation,nl,online,basic,ANT,2020-10-19,2020-11-01,5\n",
			[]string{"1: weekdays: this column is missing; the columns are ref, kind, language, mode, track, region, starts_on, ends_on, capacity, weekdays, start_time, end_time",
				"1: start_time: this column is missing; the columns are ref, kind, language, mode, track, region, starts_on, ends_on, capacity, weekdays, start_time, end_time",
				"1: end_time: this column is missing; the columns are ref, kind, language, mode, track, region, starts_on, ends_on, capacity, weekdays, start_time, end_time"}},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := importCSV(t, s, importer.Courses, []byte(tt.file), importer.Options{})
				var got []string
				for _, e := range res.Errors {
					got = append(got, e.Error())
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
				if res.Imported != 0 || courseCounts(t, s) != [3]int{} {
					t.Errorf("a rejected file changed something: %+v, counts %v", res, courseCounts(t, s))
				}
			})
		}
		res := importCSV(t, s, importer.Courses, []byte(goodCourses), importer.Options{})
		if !res.OK() || res.Imported != 2 {
			t.Fatalf("fixed file: %+v", res)
		}
		if got := courseCounts(t, s); got != [3]int{2, 8, 2} {
			t.Errorf("courses, sessions, audit rows = %v, want [2 8 2]", got)
		}
		c, err := s.Course(adminCtx(), "DIG-BRU-01")
		if err != nil || c.Language != "fr" || c.Generated() || c.RegionCode != "BRU" {
			t.Errorf("DIG-BRU-01 = %+v, %v", c, err)
		}
		res = importCSV(t, s, importer.Courses, []byte(goodCourses), importer.Options{})
		if res.Imported != 0 || len(res.Errors) != 2 || res.Errors[0].Error() != "2: ref: a course with reference MO-ANT-01 already exists" {
			t.Errorf("the same file again: %+v", res)
		}
	})
}

// TestImportCoursesXLSX reads a workbook with date cells and time cells,
// which a spreadsheet keeps as a fraction of a day.
func TestImportCoursesXLSX(t *testing.T) {
	s := storetest.Open(t)
	data := writeXLSX(t, [][]any{
		strs("ref,kind,language,mode,track,region,starts_on,ends_on,capacity,weekdays,start_time,end_time"),
		{"MO-LIM-01", "civic_orientation", "ti", "onsite", "intensive", "Limburg",
			time.Date(2020, 10, 19, 0, 0, 0, 0, time.UTC), time.Date(2020, 10, 29, 0, 0, 0, 0, time.UTC), 10, "mon+thu", 13.5 / 24, 16.0 / 24},
	})
	res, err := importer.Import(cliCtx(), s, importer.Courses, bytes.NewReader(data), importer.Options{Format: importer.XLSX})
	if err != nil || !res.OK() || res.Imported != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	c, err := s.Course(adminCtx(), "MO-LIM-01")
	if err != nil || c.StartTime != "13:30" || c.EndTime != "16:00" || c.StartsOn != date("2020-10-19") {
		t.Errorf("course = %+v, %v", c, err)
	}
	sessions, _ := s.CourseSessions(adminCtx(), "MO-LIM-01")
	if len(sessions) != 4 || sessions[0].Mode != traject.SessionOnsite {
		t.Errorf("%d sessions: %+v", len(sessions), sessions)
	}
}

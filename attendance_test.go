package traject

import (
	"testing"
	"time"
)

func TestAttendanceStatuses(t *testing.T) {
	present := map[AttendanceStatus]bool{AttendancePresentOnsite: true, AttendancePresentOnline: true, AttendanceLate: true}
	for _, s := range AttendanceStatuses {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
		if s.Present() != present[s] {
			t.Errorf("%s present = %v", s, s.Present())
		}
	}
	if AttendanceStatus("there").Valid() || AttendanceStatus("").Valid() {
		t.Error("unknown status valid")
	}
}

func TestExcuseReasonsAgencyCaused(t *testing.T) {
	agency := map[ExcuseReason]bool{ExcuseNoDeviceYet: true, ExcuseDeviceFailure: true, ExcuseNoData: true, ExcuseCourseSuspended: true}
	for _, r := range ExcuseReasons {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
		if r.AgencyCaused() != agency[r] {
			t.Errorf("%s agency caused = %v", r, r.AgencyCaused())
		}
	}
	for _, r := range ManualExcuseReasons {
		if r == ExcuseCourseSuspended {
			t.Error("a person can choose course_suspended")
		}
	}
	if len(ManualExcuseReasons) != len(ExcuseReasons)-1 {
		t.Errorf("manual reasons = %v", ManualExcuseReasons)
	}
}

func TestAttendanceMarkValidate(t *testing.T) {
	tests := []struct {
		name      string
		mark      AttendanceMark
		wantField string
		wantKey   string
		wantMark  AttendanceMark // after Normalize, when no error
	}{
		{name: "present", mark: AttendanceMark{Status: " present_onsite "},
			wantMark: AttendanceMark{Status: AttendancePresentOnsite, Source: SourceManual}},
		{name: "reason dropped unless excused", mark: AttendanceMark{Status: "late", Reason: "illness"},
			wantMark: AttendanceMark{Status: AttendanceLate, Source: SourceManual}},
		{name: "excused with reason", mark: AttendanceMark{Status: "excused", Reason: "illness"},
			wantMark: AttendanceMark{Status: AttendanceExcused, Reason: ExcuseIllness, Source: SourceManual}},
		{name: "agency reason by hand", mark: AttendanceMark{Status: "excused", Reason: "device_failure"},
			wantMark: AttendanceMark{Status: AttendanceExcused, Reason: ExcuseDeviceFailure, Source: SourceManual}},
		{name: "no status", mark: AttendanceMark{Status: " "}, wantField: "status", wantKey: "attendance.status.required"},
		{name: "unknown status", mark: AttendanceMark{Status: "here"}, wantField: "status", wantKey: "attendance.status.invalid"},
		{name: "excused without reason", mark: AttendanceMark{Status: "excused"}, wantField: "reason", wantKey: "attendance.reason.required"},
		{name: "unknown reason", mark: AttendanceMark{Status: "excused", Reason: "holiday"}, wantField: "reason", wantKey: "attendance.reason.invalid"},
		{name: "suspension by hand", mark: AttendanceMark{Status: "excused", Reason: "course_suspended"}, wantField: "reason", wantKey: "attendance.reason.suspended"},
		{name: "suspension by Traject", mark: AttendanceMark{Status: "excused", Reason: "course_suspended", Source: SourceAuto},
			wantMark: AttendanceMark{Status: AttendanceExcused, Reason: ExcuseCourseSuspended, Source: SourceAuto}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.mark
			m.Normalize()
			err := m.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if m != tt.wantMark {
					t.Errorf("mark = %+v, want %+v", m, tt.wantMark)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField || e.Fields[0].Key != tt.wantKey {
				t.Errorf("err = %#v, want %s on %s", err, tt.wantKey, tt.wantField)
			}
		})
	}
}

func TestAttendanceMarkTiming(t *testing.T) {
	now := time.Date(2020, 3, 2, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		status   AttendanceStatus
		startsAt time.Time
		wantErr  bool
	}{
		{"past lesson", AttendanceAbsent, now.Add(-48 * time.Hour), false},
		{"lesson starting within the hour", AttendancePresentOnsite, now.Add(50 * time.Minute), false},
		{"lesson next week", AttendancePresentOnsite, now.Add(7 * 24 * time.Hour), true},
		{"absent next week", AttendanceAbsent, now.Add(7 * 24 * time.Hour), true},
		{"excused next week", AttendanceExcused, now.Add(7 * 24 * time.Hour), false},
	}
	for _, tt := range tests {
		m := AttendanceMark{Status: tt.status}
		if err := m.CheckTiming(tt.startsAt, now); (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
}

func TestSessionDayIsTheDayInBrussels(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2020, 3, 2, 8, 0, 0, 0, time.UTC), "2020-03-02"},
		// 23.30 UTC in winter is 0.30 the next day in Brussels (CET, +1).
		{time.Date(2020, 3, 2, 23, 30, 0, 0, time.UTC), "2020-03-03"},
		// 22.30 UTC in summer is 0.30 the next day (CEST, +2).
		{time.Date(2020, 6, 1, 22, 30, 0, 0, time.UTC), "2020-06-02"},
		{time.Date(2020, 6, 1, 21, 30, 0, 0, time.UTC), "2020-06-01"},
	}
	for _, tt := range tests {
		if got := SessionDay(tt.at).Format(DateLayout); got != tt.want {
			t.Errorf("SessionDay(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

func TestAttendanceObjectRules(t *testing.T) {
	teacher := &User{ID: 7, Role: RoleTeacher, RegionCode: "ANT", Active: true}
	tests := []struct {
		name       string
		user       *User
		region     string
		teacherID  int64
		read, take bool
	}{
		{"own course", teacher, "ANT", 7, true, true},
		{"colleague's course", teacher, "ANT", 8, false, false},
		{"course without teacher", teacher, "ANT", 0, false, false},
		{"own id, other region", teacher, "BRU", 7, false, false},
		{"coordinator of the region", &User{ID: 1, Role: RoleCoordinator, RegionCode: "ANT", Active: true}, "ANT", 7, true, true},
		{"coordinator of another region", &User{ID: 1, Role: RoleCoordinator, RegionCode: "BRU", Active: true}, "ANT", 7, false, false},
		{"admin", &User{ID: 1, Role: RoleAdmin, Active: true}, "WVL", 7, true, true},
		{"analyst sees figures, not learners", &User{ID: 1, Role: RoleAnalyst, Active: true}, "WVL", 7, false, false},
		{"counsellor reads only", &User{ID: 1, Role: RoleCounsellor, RegionCode: "ANT", Active: true}, "ANT", 7, true, false},
		{"desk reads only", &User{ID: 1, Role: RoleDesk, RegionCode: "ANT", Active: true}, "ANT", 7, true, false},
		{"enforcement has no course rights", &User{ID: 1, Role: RoleEnforcement, Active: true}, "ANT", 7, false, false},
		{"deactivated teacher", &User{ID: 7, Role: RoleTeacher, RegionCode: "ANT"}, "ANT", 7, false, false},
		{"nobody", nil, "ANT", 7, false, false},
	}
	for _, tt := range tests {
		c := &Course{RegionCode: tt.region, TeacherID: tt.teacherID}
		if got := CanReadAttendance(tt.user, c); got != tt.read {
			t.Errorf("%s: read = %v", tt.name, got)
		}
		if got := CanTakeAttendance(tt.user, c); got != tt.take {
			t.Errorf("%s: take = %v", tt.name, got)
		}
	}
}

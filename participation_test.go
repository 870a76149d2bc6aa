package traject

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, ok := ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

// course returns n sessions, one a day from 2 March 2020 at 9.00 Brussels
// time, numbered from 1; every third one is online.
func course(n int) []Session {
	var out []Session
	for i := range n {
		start := time.Date(2020, 3, 2+i, 8, 0, 0, 0, time.UTC)
		mode := SessionOnsite
		if i%3 == 2 {
			mode = SessionOnline
		}
		out = append(out, Session{ID: int64(i + 1), StartsAt: start, EndsAt: start.Add(3 * time.Hour), Mode: mode})
	}
	return out
}

// marks reads a compact attendance line: one letter per session, in order.
// P present on site, O present online, L late, A absent, I excused (ill),
// D excused (device failure), . not recorded.
func marks(line string) map[int64]AttendanceMark {
	out := map[int64]AttendanceMark{}
	for i, c := range line {
		m := AttendanceMark{SessionID: int64(i + 1), Source: SourceManual}
		switch c {
		case 'P':
			m.Status = AttendancePresentOnsite
		case 'O':
			m.Status = AttendancePresentOnline
		case 'L':
			m.Status = AttendanceLate
		case 'A':
			m.Status = AttendanceAbsent
		case 'I':
			m.Status, m.Reason = AttendanceExcused, ExcuseIllness
		case 'D':
			m.Status, m.Reason = AttendanceExcused, ExcuseDeviceFailure
		case '.':
			continue
		}
		out[int64(i+1)] = m
	}
	return out
}

// summary keeps the figures a test states, so that each case reads in one line.
type summary struct {
	Counted, Attended, Absent, Excused, Agency, Suspended, Remaining, Percent, Norm int
	Meets                                                                           bool
	FollowUp                                                                        string
}

func summarize(p Participation) summary {
	var reasons []string
	for _, r := range p.FollowUp {
		reasons = append(reasons, string(r))
	}
	return summary{p.Counted, p.Attended, p.Absent, p.Excused, p.AgencyCaused, p.Suspended, p.Remaining,
		p.Percent, p.Norm, p.MeetsNorm, strings.Join(reasons, "+")}
}

func TestParticipationRules(t *testing.T) {
	lockdown := []CourseSuspension{{From: day("2020-03-05"), Until: day("2020-03-08")}} // sessions 4 to 7
	tests := []struct {
		name        string
		sessions    int
		line        string
		suspensions []CourseSuspension
		periods     []AgencyPeriod
		norms       NormHistory
		want        summary
	}{
		{name: "all present", sessions: 5, line: "PPPPP",
			want: summary{Counted: 5, Attended: 5, Percent: 100, Norm: 80, Meets: true}},
		{name: "exactly the norm", sessions: 10, line: "PPPPAPPPAP",
			want: summary{Counted: 10, Attended: 8, Absent: 2, Percent: 80, Norm: 80, Meets: true}},
		{name: "just under the norm", sessions: 10, line: "PPPAAPPPAP",
			want: summary{Counted: 10, Attended: 7, Absent: 3, Percent: 70, Norm: 80, FollowUp: "norm_out_of_reach"}},
		{name: "late counts as present", sessions: 5, line: "LLLLP",
			want: summary{Counted: 5, Attended: 5, Percent: 100, Norm: 80, Meets: true}},
		{name: "online counts as present", sessions: 5, line: "OOPPO",
			want: summary{Counted: 5, Attended: 5, Percent: 100, Norm: 80, Meets: true}},
		{name: "excused absences are neutral", sessions: 10, line: "PPPPAIIIII",
			want: summary{Counted: 5, Attended: 4, Absent: 1, Excused: 5, Percent: 80, Norm: 80, Meets: true}},
		{name: "agency reason chosen by hand is neutral", sessions: 5, line: "PPPPD",
			want: summary{Counted: 4, Attended: 4, Excused: 1, Agency: 1, Percent: 100, Norm: 80, Meets: true}},
		{name: "percent rounds down", sessions: 9, line: "PPPPPPPAA",
			want: summary{Counted: 9, Attended: 7, Absent: 2, Percent: 77, Norm: 80, FollowUp: "norm_out_of_reach+absent_in_a_row"}},
		{name: "nothing recorded yet", sessions: 10, line: "",
			want: summary{Remaining: 10, Norm: 80, Meets: true}},
		{name: "no sessions at all", sessions: 0, line: "",
			want: summary{Norm: 80, Meets: true}},
		{name: "the norm is still within reach", sessions: 10, line: "AA.PPP....",
			want: summary{Counted: 5, Attended: 3, Absent: 2, Remaining: 5, Percent: 60, Norm: 80}},
		{name: "the norm is out of reach", sessions: 10, line: "AAA.......",
			want: summary{Counted: 3, Absent: 3, Remaining: 7, Norm: 80, FollowUp: "norm_out_of_reach+absent_in_a_row"}},
		{name: "two absences in a row", sessions: 10, line: "PPPAA.....",
			want: summary{Counted: 5, Attended: 3, Absent: 2, Remaining: 5, Percent: 60, Norm: 80, FollowUp: "absent_in_a_row"}},
		{name: "an excused absence does not break a run", sessions: 10, line: "PPPAIA....",
			want: summary{Counted: 5, Attended: 3, Absent: 2, Excused: 1, Remaining: 4, Percent: 60, Norm: 80, FollowUp: "norm_out_of_reach+absent_in_a_row"}},
		{name: "a presence ends a run", sessions: 10, line: "PPAAP.....",
			want: summary{Counted: 5, Attended: 3, Absent: 2, Remaining: 5, Percent: 60, Norm: 80}},
		{name: "one absence is no run", sessions: 10, line: "PPPPA.....",
			want: summary{Counted: 5, Attended: 4, Absent: 1, Remaining: 5, Percent: 80, Norm: 80, Meets: true}},
		{name: "a suspension counts for no one", sessions: 10, line: "PPPAAAAPPP", suspensions: lockdown,
			want: summary{Counted: 6, Attended: 6, Suspended: 4, Percent: 100, Norm: 80, Meets: true}},
		{name: "unrecorded sessions in a suspension are not remaining", sessions: 10, line: "AAP", suspensions: lockdown,
			// 3 counted (1 attended) + 3 remaining after the lockdown: at best 4 of 6, under 80%.
			want: summary{Counted: 3, Attended: 1, Absent: 2, Suspended: 4, Remaining: 3, Percent: 33, Norm: 80, FollowUp: "norm_out_of_reach"}},
		{name: "an absence the agency caused is excused", sessions: 5, line: "PPAAP",
			periods: []AgencyPeriod{{From: day("2020-03-04"), Until: day("2020-03-05"), Reason: ExcuseNoDeviceYet}},
			want:    summary{Counted: 3, Attended: 3, Excused: 2, Agency: 2, Percent: 100, Norm: 80, Meets: true}},
		{name: "an open agency cause covers every later day", sessions: 5, line: "PPAAA",
			periods: []AgencyPeriod{{From: day("2020-03-04"), Reason: ExcuseNoData}},
			want:    summary{Counted: 2, Attended: 2, Excused: 3, Agency: 3, Percent: 100, Norm: 80, Meets: true}},
		{name: "a presence in an agency period stays a presence", sessions: 3, line: "PPP",
			periods: []AgencyPeriod{{From: day("2020-03-02"), Reason: ExcuseNoDeviceYet}},
			want:    summary{Counted: 3, Attended: 3, Percent: 100, Norm: 80, Meets: true}},
		{name: "an agency period ends", sessions: 5, line: "PAAAP",
			periods: []AgencyPeriod{{From: day("2020-03-03"), Until: day("2020-03-03"), Reason: ExcuseDeviceFailure}},
			want:    summary{Counted: 4, Attended: 2, Absent: 2, Excused: 1, Agency: 1, Percent: 50, Norm: 80, FollowUp: "norm_out_of_reach"}},
		{name: "a period with a learner's reason is not the agency's", sessions: 3, line: "PAA",
			periods: []AgencyPeriod{{From: day("2020-03-02"), Reason: ExcuseIllness}},
			want:    summary{Counted: 3, Attended: 1, Absent: 2, Percent: 33, Norm: 80, FollowUp: "norm_out_of_reach+absent_in_a_row"}},
		{name: "the norm valid on each session's day", sessions: 10, line: "PPPPPAAAAA",
			// Sessions 1-5 at 80%, 6-10 at 40%: 5 attended, 6 required ((5*80 + 5*40) / 100).
			norms: NormHistory{{Percent: 80, ValidFrom: day("2000-01-01")}, {Percent: 40, ValidFrom: day("2020-03-07")}},
			want:  summary{Counted: 10, Attended: 5, Absent: 5, Percent: 50, Norm: 60, FollowUp: "norm_out_of_reach+absent_in_a_row"}},
		{name: "a lower norm later makes the difference", sessions: 10, line: "PPPPPPAAAA",
			norms: NormHistory{{Percent: 80, ValidFrom: day("2000-01-01")}, {Percent: 40, ValidFrom: day("2020-03-07")}},
			want:  summary{Counted: 10, Attended: 6, Absent: 4, Percent: 60, Norm: 60, Meets: true, FollowUp: "absent_in_a_row"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ComputeParticipation(ParticipationInput{Sessions: course(tt.sessions), Marks: marks(tt.line),
				Suspensions: tt.suspensions, Norms: tt.norms, AgencyPeriods: tt.periods})
			if got := summarize(p); got != tt.want {
				t.Errorf("participation:\n got %+v\nwant %+v", got, tt.want)
			}
			if p.Sessions != tt.sessions {
				t.Errorf("sessions = %d", p.Sessions)
			}
			if p.OnFollowUp() != (tt.want.FollowUp != "") {
				t.Errorf("on follow-up = %v", p.OnFollowUp())
			}
		})
	}
}

// TestAgencyAbsenceNeverCountsAgainstLearner tries to break invariant 7: for
// every attendance line, turning an absence into one the agency caused never
// lowers the percentage, never makes the norm unmet, and never adds a reason
// for follow-up.
func TestAgencyAbsenceNeverCountsAgainstLearner(t *testing.T) {
	lines := []string{"AAAAA", "PAAPA", "APAPA", "PPAA.", "A.A.A", "PPPPA", "LAOAA"}
	for _, line := range lines {
		for i, c := range line {
			if c != 'A' {
				continue
			}
			sessions := course(len(line))
			d := SessionDay(sessions[i].StartsAt)
			before := ComputeParticipation(ParticipationInput{Sessions: sessions, Marks: marks(line)})
			after := ComputeParticipation(ParticipationInput{Sessions: sessions, Marks: marks(line),
				AgencyPeriods: []AgencyPeriod{{From: d, Until: d, Reason: ExcuseNoData}}})
			if after.Absent != before.Absent-1 || after.AgencyCaused != 1 {
				t.Errorf("%s, session %d: absent %d -> %d, agency %d", line, i+1, before.Absent, after.Absent, after.AgencyCaused)
			}
			if after.Percent < before.Percent || (before.MeetsNorm && !after.MeetsNorm) {
				t.Errorf("%s, session %d: worse after the agency's cause: %+v -> %+v", line, i+1, before, after)
			}
			for _, r := range after.FollowUp {
				if !slices.Contains(before.FollowUp, r) {
					t.Errorf("%s, session %d: the agency's cause added follow-up %s", line, i+1, r)
				}
			}
		}
	}
}

func TestReachStatus(t *testing.T) {
	tests := []struct {
		line string
		want ReachStatus
	}{
		{"", NotReached},
		{"AAIID", NotReached},
		{"APA", ReachedOnsite},
		{"AAO", ReachedOnline},
		{"PPO", ReachedOnline},
		{"..L", ReachedOnline}, // late at session 3, which is online
		{"L..", ReachedOnsite}, // late at session 1, which is on site
		{"PPPP", ReachedOnsite},
	}
	for _, tt := range tests {
		p := ComputeParticipation(ParticipationInput{Sessions: course(6), Marks: marks(tt.line)})
		if p.Reach != tt.want {
			t.Errorf("%q: reach = %s, want %s", tt.line, p.Reach, tt.want)
		}
	}
	// A presence in a suspended session still shows the learner was reached.
	p := ComputeParticipation(ParticipationInput{Sessions: course(3), Marks: marks("P"),
		Suspensions: []CourseSuspension{{From: day("2020-03-01"), Until: day("2020-03-31")}}})
	if p.Reach != ReachedOnsite || p.Counted != 0 {
		t.Errorf("suspended presence: %+v", p)
	}
}

func TestSessionsInAnyOrder(t *testing.T) {
	sessions := course(4)
	slices.Reverse(sessions)
	p := ComputeParticipation(ParticipationInput{Sessions: sessions, Marks: marks("PPAA")})
	if p.AbsentRun != 2 || !p.OnFollowUp() {
		t.Errorf("reversed sessions: %+v", p)
	}
}

func TestApplyAgencyCause(t *testing.T) {
	periods := []AgencyPeriod{{From: day("2020-03-02"), Until: day("2020-03-10"), Reason: ExcuseNoDeviceYet}}
	m := AttendanceMark{Status: AttendanceAbsent, Source: SourceManual}
	if !ApplyAgencyCause(&m, day("2020-03-05"), periods) || m.Status != AttendanceExcused || m.Reason != ExcuseNoDeviceYet || m.Source != SourceAuto {
		t.Errorf("absence in the period: %+v", m)
	}
	m = AttendanceMark{Status: AttendanceAbsent, Source: SourceManual}
	if ApplyAgencyCause(&m, day("2020-03-11"), periods) || m.Status != AttendanceAbsent {
		t.Errorf("absence after the period: %+v", m)
	}
	m = AttendanceMark{Status: AttendanceExcused, Reason: ExcuseIllness, Source: SourceManual}
	if ApplyAgencyCause(&m, day("2020-03-05"), periods) || m.Reason != ExcuseIllness {
		t.Errorf("the teacher's excuse is kept: %+v", m)
	}
}

func TestNormHistory(t *testing.T) {
	h := NormHistory{
		{Percent: 70, ValidFrom: day("2021-09-01")},
		{Percent: 80, ValidFrom: day("2000-01-01")},
		{Percent: 75, ValidFrom: day("2020-09-01")},
	}
	for d, want := range map[string]int{"1999-12-31": 80, "2020-03-01": 80, "2020-09-01": 75, "2021-08-31": 75, "2021-09-01": 70, "2030-01-01": 70} {
		if got := h.At(day(d)); got != want {
			t.Errorf("norm on %s = %d, want %d", d, got, want)
		}
	}
	if got := (NormHistory{}).At(day("2020-01-01")); got != DefaultParticipationNorm {
		t.Errorf("no versions: %d", got)
	}
}

func TestParticipationNormValidate(t *testing.T) {
	today := day("2020-05-01")
	tests := []struct {
		name   string
		norm   ParticipationNorm
		fields string
	}{
		{"today", ParticipationNorm{Percent: 75, ValidFrom: today}, ""},
		{"later", ParticipationNorm{Percent: 100, ValidFrom: day("2021-01-01")}, ""},
		{"in the past", ParticipationNorm{Percent: 75, ValidFrom: day("2020-04-30")}, "valid_from"},
		{"no date", ParticipationNorm{Percent: 75}, "valid_from"},
		{"zero", ParticipationNorm{Percent: 0, ValidFrom: today}, "percent"},
		{"over 100", ParticipationNorm{Percent: 101, ValidFrom: today}, "percent"},
	}
	for _, tt := range tests {
		if got := fieldNames(tt.norm.Validate(today)); got != tt.fields {
			t.Errorf("%s: fields %q, want %q", tt.name, got, tt.fields)
		}
	}
}

func TestCourseSuspension(t *testing.T) {
	tests := []struct {
		name   string
		s      CourseSuspension
		fields string
	}{
		{"one day", CourseSuspension{From: day("2020-03-16"), Until: day("2020-03-16"), Reason: " lockdown "}, ""},
		{"no dates", CourseSuspension{Reason: "lockdown"}, "from,until"},
		{"backwards", CourseSuspension{From: day("2020-03-16"), Until: day("2020-03-15"), Reason: "x"}, "until"},
		{"no reason", CourseSuspension{From: day("2020-03-16"), Until: day("2020-03-20"), Reason: "  "}, "reason"},
		{"long reason", CourseSuspension{From: day("2020-03-16"), Until: day("2020-03-20"), Reason: strings.Repeat("é", 201)}, "reason"},
	}
	for _, tt := range tests {
		if got := fieldNames(tt.s.Validate()); got != tt.fields {
			t.Errorf("%s: fields %q, want %q", tt.name, got, tt.fields)
		}
	}
	s := CourseSuspension{From: day("2020-03-16"), Until: day("2020-03-31")}
	for d, want := range map[string]bool{"2020-03-15": false, "2020-03-16": true, "2020-03-31": true, "2020-04-01": false} {
		if s.Covers(day(d)) != want {
			t.Errorf("covers %s != %v", d, want)
		}
	}
	for _, o := range []struct {
		from, until string
		want        bool
	}{{"2020-03-01", "2020-03-15", false}, {"2020-03-01", "2020-03-16", true}, {"2020-03-20", "2020-03-21", true}, {"2020-03-31", "2020-04-30", true}, {"2020-04-01", "2020-04-30", false}} {
		if got := s.Overlaps(CourseSuspension{From: day(o.from), Until: day(o.until)}); got != o.want {
			t.Errorf("overlap with %s..%s = %v", o.from, o.until, got)
		}
	}
}

func fieldNames(err error) string {
	e, ok := AsError(err)
	if !ok {
		return ""
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return strings.Join(names, ",")
}

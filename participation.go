package traject

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultParticipationNorm is the programme's norm when no version is
// recorded: a learner attends 80% of the sessions that count.
const DefaultParticipationNorm = 80

// ParticipationNorm is one version of the norm: from ValidFrom on, a learner
// must attend Percent of the sessions that count.
type ParticipationNorm struct {
	Percent   int       `json:"percent"`
	ValidFrom time.Time `json:"valid_from"`
}

// Validate checks a new version. It applies from today or later: a version in
// the past would change the verdict on sessions already judged.
func (n *ParticipationNorm) Validate(today time.Time) error {
	var v Validation
	if n.Percent < 1 || n.Percent > 100 {
		v.Add("percent", "norm.percent.invalid", "enter a percentage from 1 to 100", nil)
	}
	switch {
	case n.ValidFrom.IsZero():
		v.Add("valid_from", "norm.validfrom.invalid", "enter the date from which the norm applies", nil)
	case n.ValidFrom.Before(today):
		v.Add("valid_from", "norm.validfrom.past", "a new norm applies from today or later", nil)
	}
	return v.Err()
}

// NormHistory is every version of the norm.
type NormHistory []ParticipationNorm

// At returns the norm that applies to a session on day: the latest version
// valid on that day, or the default before any version.
func (h NormHistory) At(day time.Time) int {
	norm, from := DefaultParticipationNorm, time.Time{}
	for _, n := range h {
		if !n.ValidFrom.After(day) && !n.ValidFrom.Before(from) {
			norm, from = n.Percent, n.ValidFrom
		}
	}
	return norm
}

// CourseSuspension is a period in which a course did not take place (a
// lockdown). Its sessions count for no one: they are excused for every
// learner with the reason course_suspended.
type CourseSuspension struct {
	ID        int64     `json:"id"`
	CourseRef string    `json:"course"`
	From      time.Time `json:"from"`
	Until     time.Time `json:"until"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// Validate checks a suspension's period and reason.
func (s *CourseSuspension) Validate() error {
	var v Validation
	s.Reason = strings.TrimSpace(s.Reason)
	if s.From.IsZero() {
		v.Add("from", "suspension.from.invalid", "enter the first day of the suspension", nil)
	}
	if s.Until.IsZero() {
		v.Add("until", "suspension.until.invalid", "enter the last day of the suspension", nil)
	}
	if !s.From.IsZero() && !s.Until.IsZero() && s.Until.Before(s.From) {
		v.Add("until", "suspension.until.before", "the last day cannot be before the first day", nil)
	}
	if s.Reason == "" || utf8.RuneCountInString(s.Reason) > 200 {
		v.Add("reason", "suspension.reason.invalid", "say why the course is suspended (at most 200 characters)", nil)
	}
	return v.Err()
}

// Covers reports whether day falls within the suspension, both ends included.
func (s CourseSuspension) Covers(day time.Time) bool {
	return !day.Before(s.From) && !day.After(s.Until)
}

// Overlaps reports whether two suspensions share a day.
func (s CourseSuspension) Overlaps(o CourseSuspension) bool {
	return !s.Until.Before(o.From) && !o.Until.Before(s.From)
}

// AgencyPeriod is a time in which the agency kept one learner from taking
// part: a device requested and not yet handed out, a lent device that failed
// or ran out of data. Until is zero while the cause is still open. Loans
// supply these periods; an absence inside one is excused automatically.
type AgencyPeriod struct {
	From   time.Time    `json:"from"`
	Until  time.Time    `json:"until,omitzero"`
	Reason ExcuseReason `json:"reason"`
}

// Covers reports whether day falls within the period.
func (p AgencyPeriod) Covers(day time.Time) bool {
	return !day.Before(p.From) && (p.Until.IsZero() || !day.After(p.Until))
}

// AgencyCause returns the reason of the first period that covers day.
func AgencyCause(periods []AgencyPeriod, day time.Time) (ExcuseReason, bool) {
	for _, p := range periods {
		if p.Covers(day) && p.Reason.AgencyCaused() {
			return p.Reason, true
		}
	}
	return "", false
}

// ApplyAgencyCause turns an absence on a day the agency caused into an
// excused absence with the agency's reason, set automatically. It reports
// whether it changed the mark. A presence is kept: the learner came anyway.
func ApplyAgencyCause(m *AttendanceMark, day time.Time, periods []AgencyPeriod) bool {
	if m.Status != AttendanceAbsent {
		return false
	}
	reason, ok := AgencyCause(periods, day)
	if !ok {
		return false
	}
	m.Status, m.Reason, m.Source = AttendanceExcused, reason, SourceAuto
	return true
}

// ReachStatus says whether a learner took part in a course, and how.
type ReachStatus string

// The reach statuses. A learner is reached online when present online at
// least once (present_online, or late at an online session); reached on site
// when present at least once and never online; not reached when never
// present (only absences, excused absences, or nothing recorded yet).
const (
	ReachedOnline ReachStatus = "reached_online"
	ReachedOnsite ReachStatus = "reached_onsite"
	NotReached    ReachStatus = "not_reached"
)

// ReachStatuses lists the statuses in the order reports show them.
var ReachStatuses = []ReachStatus{ReachedOnline, ReachedOnsite, NotReached}

// FollowUpReason says why a learner is on the follow-up list.
type FollowUpReason string

// The reasons for follow-up.
const (
	// FollowUpNormOutOfReach: even attending every remaining session, the
	// learner cannot reach the norm by the end of the course.
	FollowUpNormOutOfReach FollowUpReason = "norm_out_of_reach"
	// FollowUpAbsentInARow: the learner's last two or more counted sessions
	// were absences the learner caused.
	FollowUpAbsentInARow FollowUpReason = "absent_in_a_row"
)

// absentRunForFollowUp is how many absences in a row put a learner on the list.
const absentRunForFollowUp = 2

// Participation is one learner's attendance in one course.
//
// A session counts when its attendance is recorded and it is not neutral.
// Neutral sessions count for no one: an excused absence (whatever the
// reason), an absence on a day the agency caused (AgencyPeriod), and every
// session in a suspension period, whatever was recorded. Late counts as
// present. The norm is the version valid on each session's day, so the
// learner must attend at least the sum of the counted sessions' norms
// (with one norm, norm% of the counted sessions).
type Participation struct {
	Sessions     int              `json:"sessions"`      // all sessions of the course
	Counted      int              `json:"counted"`       // recorded and not neutral
	Attended     int              `json:"attended"`      // present on site, online or late
	Absent       int              `json:"absent"`        // absences the learner caused
	Excused      int              `json:"excused"`       // neutral by an excuse, the agency's included
	AgencyCaused int              `json:"agency_caused"` // of Excused, those the agency caused
	Suspended    int              `json:"suspended"`     // sessions in a suspension period
	Remaining    int              `json:"remaining"`     // not recorded yet and not suspended
	Percent      int              `json:"percent"`       // attended of counted, rounded down; 0 when nothing counts
	Norm         int              `json:"norm"`          // the norm applied, in percent
	MeetsNorm    bool             `json:"meets_norm"`    // true while nothing counts
	AbsentRun    int              `json:"absent_run"`    // absences in a row at the end
	Reach        ReachStatus      `json:"reach"`
	FollowUp     []FollowUpReason `json:"follow_up,omitempty"`
}

// OnFollowUp reports whether the learner is on the follow-up list.
func (p Participation) OnFollowUp() bool { return len(p.FollowUp) > 0 }

// ParticipationInput is everything one learner's participation in one course
// depends on.
type ParticipationInput struct {
	Sessions      []Session
	Marks         map[int64]AttendanceMark // by session id; only this learner's
	Suspensions   []CourseSuspension
	Norms         NormHistory
	AgencyPeriods []AgencyPeriod // this learner's; supplied by loans
}

// ComputeParticipation applies the participation rules to one learner.
func ComputeParticipation(in ParticipationInput) Participation {
	sessions := slices.Clone(in.Sessions)
	slices.SortFunc(sessions, func(a, b Session) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	p := Participation{Sessions: len(sessions), Reach: reachOf(sessions, in.Marks)}
	var countedNorm, remainingNorm int
	for _, s := range sessions {
		day := SessionDay(s.StartsAt)
		norm := in.Norms.At(day)
		switch m, recorded := in.Marks[s.ID]; {
		case suspendedOn(in.Suspensions, day):
			p.Suspended++
		case !recorded:
			p.Remaining++
			remainingNorm += norm
		default:
			if p.count(m, day, in.AgencyPeriods) {
				countedNorm += norm
			}
		}
	}
	p.judge(countedNorm, remainingNorm)
	return p
}

// count adds one recorded, unsuspended session and reports whether it counts.
func (p *Participation) count(m AttendanceMark, day time.Time, periods []AgencyPeriod) bool {
	ApplyAgencyCause(&m, day, periods)
	switch {
	case m.Status.Present():
		p.Counted++
		p.Attended++
		p.AbsentRun = 0
		return true
	case m.Status == AttendanceAbsent:
		p.Counted++
		p.Absent++
		p.AbsentRun++
		return true
	}
	p.Excused++
	if m.Reason.AgencyCaused() {
		p.AgencyCaused++
	}
	return false
}

// judge compares the attendance with the norm and sets the follow-up reasons.
func (p *Participation) judge(countedNorm, remainingNorm int) {
	p.MeetsNorm = p.Attended*100 >= countedNorm
	switch {
	case p.Counted > 0:
		p.Percent = p.Attended * 100 / p.Counted
		p.Norm = roundDiv(countedNorm, p.Counted)
	case p.Remaining > 0:
		p.Norm = roundDiv(remainingNorm, p.Remaining)
	default:
		p.Norm = DefaultParticipationNorm
	}
	// The best the learner can still do: attend every remaining session.
	best := (p.Attended + p.Remaining) * 100
	if p.Counted+p.Remaining > 0 && best < countedNorm+remainingNorm {
		p.FollowUp = append(p.FollowUp, FollowUpNormOutOfReach)
	}
	if p.AbsentRun >= absentRunForFollowUp {
		p.FollowUp = append(p.FollowUp, FollowUpAbsentInARow)
	}
}

func roundDiv(a, b int) int { return (a + b/2) / b }

func suspendedOn(suspensions []CourseSuspension, day time.Time) bool {
	for _, s := range suspensions {
		if s.Covers(day) {
			return true
		}
	}
	return false
}

// reachOf derives the reach status from every presence, counted or not.
func reachOf(sessions []Session, marks map[int64]AttendanceMark) ReachStatus {
	reach := NotReached
	for _, s := range sessions {
		m, ok := marks[s.ID]
		switch {
		case !ok || !m.Status.Present():
		case m.Status == AttendancePresentOnline || (m.Status == AttendanceLate && s.Mode == SessionOnline):
			return ReachedOnline
		default:
			reach = ReachedOnsite
		}
	}
	return reach
}

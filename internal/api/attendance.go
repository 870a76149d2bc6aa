package api

import (
	"context"
	"time"

	"traject"
	"traject/internal/store"
)

// AttendanceEntry is one learner on a session's attendance sheet.
type AttendanceEntry struct {
	Learner    string    `json:"learner" doc:"The learner's reference."`
	Name       string    `json:"name"`
	Status     string    `json:"status,omitempty" enum:"present_onsite,present_online,late,excused,absent" doc:"Absent from the answer while not recorded."`
	Reason     string    `json:"reason,omitempty" enum:"no_device_yet,device_failure,no_data,course_suspended,illness,family,work,appointment,other" doc:"Why an absence is excused; the first four are caused by the agency and never count against the learner."`
	Source     string    `json:"source,omitempty" enum:"manual,auto" doc:"auto: set by Traject from a suspension or a pending device request."`
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

// AttendanceSheet is one session's attendance.
type AttendanceSheet struct {
	Session   int64             `json:"session"`
	Course    string            `json:"course" doc:"The course's reference."`
	StartsAt  time.Time         `json:"starts_at"`
	EndsAt    time.Time         `json:"ends_at"`
	Mode      string            `json:"mode" enum:"online,onsite"`
	Suspended bool              `json:"suspended" doc:"A suspension covers the session: it counts for no one and cannot be recorded."`
	Learners  []AttendanceEntry `json:"learners" doc:"The enrolled learners, and anyone recorded for the session, by name."`
}

func attendanceSheetOut(sh *store.AttendanceSheet) AttendanceSheet {
	out := AttendanceSheet{Session: sh.Session.ID, Course: sh.Course.Ref, StartsAt: sh.Session.StartsAt, EndsAt: sh.Session.EndsAt,
		Mode: string(sh.Session.Mode), Suspended: sh.Suspension != nil, Learners: make([]AttendanceEntry, 0, len(sh.Rows))}
	for _, r := range sh.Rows {
		e := AttendanceEntry{Learner: r.LearnerRef, Name: r.FirstName + " " + r.LastName}
		if m := r.Mark; m != nil {
			e.Status, e.Reason, e.Source, e.RecordedAt = string(m.Status), string(m.Reason), string(m.Source), m.RecordedAt
		}
		out.Learners = append(out.Learners, e)
	}
	return out
}

type attendanceInput struct {
	Session int64 `query:"session" required:"true" minimum:"1" doc:"The session's id."`
}

type attendanceOutput struct {
	Body AttendanceSheet
}

func (s *Server) attendance(ctx context.Context, in *attendanceInput) (*attendanceOutput, error) {
	sh, err := s.Store.AttendanceSheet(ctx, in.Session)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &attendanceOutput{Body: attendanceSheetOut(sh)}, nil
}

// AttendanceMarkIn is one learner's attendance as a client sends it.
type AttendanceMarkIn struct {
	Learner string `json:"learner" maxLength:"32" doc:"The learner's reference."`
	Status  string `json:"status" maxLength:"32" doc:"present_onsite, present_online, late, excused or absent."`
	Reason  string `json:"reason,omitempty" required:"false" maxLength:"32" doc:"Needed for excused: no_device_yet, device_failure, no_data, illness, family, work, appointment or other. course_suspended is set only by a suspension."`
}

type recordAttendanceInput struct {
	Body struct {
		Session int64              `json:"session" minimum:"1" doc:"The session's id."`
		Marks   []AttendanceMarkIn `json:"marks" maxItems:"1000" doc:"Some or all of the session's learners; a learner left out keeps what was recorded."`
	}
}

type recordAttendanceOutput struct {
	Body struct {
		Changed int `json:"changed" doc:"How many learners' marks changed."`
		AttendanceSheet
	}
}

// recordAttendance records a session's list in one transaction: one wrong
// mark, named by its place (body.marks[3].reason), changes nothing.
func (s *Server) recordAttendance(ctx context.Context, in *recordAttendanceInput) (*recordAttendanceOutput, error) {
	marks := make([]traject.AttendanceMark, len(in.Body.Marks))
	for i, m := range in.Body.Marks {
		marks[i] = traject.AttendanceMark{LearnerRef: m.Learner, Status: traject.AttendanceStatus(m.Status), Reason: traject.ExcuseReason(m.Reason)}
	}
	n, err := s.Store.RecordAttendance(ctx, in.Body.Session, marks)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	sh, err := s.Store.AttendanceSheet(ctx, in.Body.Session)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &recordAttendanceOutput{}
	out.Body.Changed, out.Body.AttendanceSheet = n, attendanceSheetOut(sh)
	return out, nil
}

// LearnerParticipation is one learner's participation in a course.
type LearnerParticipation struct {
	Learner string `json:"learner" doc:"The learner's reference."`
	Name    string `json:"name"`
	traject.Participation
}

// CourseSuspension is a period in which a course did not take place.
type CourseSuspension struct {
	ID     int64  `json:"id"`
	From   string `json:"from" format:"date"`
	Until  string `json:"until" format:"date"`
	Reason string `json:"reason"`
}

func suspensionOut(su *traject.CourseSuspension) CourseSuspension {
	return CourseSuspension{ID: su.ID, From: dateOut(su.From), Until: dateOut(su.Until), Reason: su.Reason}
}

// CourseParticipation is a course's attendance: per learner, and its reach.
type CourseParticipation struct {
	Course      string                 `json:"course"`
	Norm        int                    `json:"norm" doc:"The participation norm in percent on the course's last day; each session is judged by the version valid on its day."`
	Reach       map[string]int         `json:"reach" doc:"How many learners were reached_online, reached_onsite or not_reached."`
	Learners    []LearnerParticipation `json:"learners"`
	Suspensions []CourseSuspension     `json:"suspensions"`
}

type participationInput struct {
	Ref string `path:"ref" maxLength:"32" doc:"The course's reference."`
}

type participationOutput struct {
	Body CourseParticipation
}

func (s *Server) participation(ctx context.Context, in *participationInput) (*participationOutput, error) {
	p, err := s.Store.CourseParticipation(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := CourseParticipation{Course: p.Course.Ref, Norm: p.Norm, Reach: map[string]int{},
		Learners: make([]LearnerParticipation, 0, len(p.Learners)), Suspensions: make([]CourseSuspension, 0, len(p.Suspensions))}
	for _, st := range traject.ReachStatuses {
		out.Reach[string(st)] = p.Reach[st]
	}
	for _, l := range p.Learners {
		out.Learners = append(out.Learners, LearnerParticipation{Learner: l.LearnerRef, Name: l.FirstName + " " + l.LastName, Participation: l.Participation})
	}
	for i := range p.Suspensions {
		out.Suspensions = append(out.Suspensions, suspensionOut(&p.Suspensions[i]))
	}
	return &participationOutput{Body: out}, nil
}

type suspendCourseInput struct {
	Ref  string `path:"ref" maxLength:"32" doc:"The course's reference."`
	Body struct {
		From   string `json:"from" doc:"YYYY-MM-DD, the first day."`
		Until  string `json:"until" doc:"YYYY-MM-DD, the last day."`
		Reason string `json:"reason" maxLength:"200"`
	}
}

type suspendCourseOutput struct {
	Location string `header:"Location"`
	Body     CourseSuspension
}

// suspendCourse suspends a course for a period; its sessions then count for
// no one.
func (s *Server) suspendCourse(ctx context.Context, in *suspendCourseInput) (*suspendCourseOutput, error) {
	su := &traject.CourseSuspension{Reason: in.Body.Reason}
	var v traject.Validation
	var ok bool
	if su.From, ok = traject.ParseDate(in.Body.From); !ok {
		v.Add("from", "suspension.from.invalid", "enter the first day as YYYY-MM-DD", nil)
	}
	if su.Until, ok = traject.ParseDate(in.Body.Until); !ok {
		v.Add("until", "suspension.until.invalid", "enter the last day as YYYY-MM-DD", nil)
	}
	if err := v.Err(); err != nil {
		return nil, s.problem(ctx, err)
	}
	if err := s.Store.SuspendCourse(ctx, in.Ref, su); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &suspendCourseOutput{Location: Prefix + "/courses/" + in.Ref + "/participation", Body: suspensionOut(su)}, nil
}

// FollowUpEntry is a learner on the follow-up list, in one course.
type FollowUpEntry struct {
	Course  string `json:"course"`
	Region  string `json:"region"`
	Learner string `json:"learner" doc:"The learner's reference."`
	Name    string `json:"name"`
	traject.Participation
}

type followUpInput struct {
	Region string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles)."`
	Course string `query:"course" maxLength:"32" doc:"Only this course."`
	Ended  bool   `query:"ended" doc:"Also courses that ended more than two weeks ago."`
}

type followUpOutput struct {
	Body struct {
		Items []FollowUpEntry `json:"items"`
	}
}

func (s *Server) followUp(ctx context.Context, in *followUpInput) (*followUpOutput, error) {
	list, err := s.Store.FollowUpList(ctx, store.FollowUpFilter{Region: in.Region, Course: in.Course, Ended: in.Ended})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &followUpOutput{}
	out.Body.Items = make([]FollowUpEntry, 0, len(list))
	for _, e := range list {
		out.Body.Items = append(out.Body.Items, FollowUpEntry{Course: e.Course.Ref, Region: e.Course.RegionCode,
			Learner: e.LearnerRef, Name: e.FirstName + " " + e.LastName, Participation: e.Participation})
	}
	return out, nil
}

package api

import (
	"context"
	"time"

	"traject"
	"traject/internal/importer"
	"traject/internal/store"
)

// Course is a course edition as the API shows it.
type Course struct {
	Ref       string `json:"ref" doc:"The course's natural key."`
	ID        int64  `json:"id"`
	Kind      string `json:"kind" enum:"civic_orientation,digital_pretrack"`
	Language  string `json:"language" doc:"Language of instruction, ISO 639-1."`
	Mode      string `json:"mode" enum:"online,blended,onsite"`
	Track     string `json:"track" enum:"basic,standard,intensive"`
	Region    string `json:"region" doc:"Region code."`
	Office    string `json:"office,omitempty" doc:"The office's name."`
	Teacher   string `json:"teacher,omitempty" doc:"The teacher's e-mail address."`
	StartsOn  string `json:"starts_on" format:"date"`
	EndsOn    string `json:"ends_on" format:"date"`
	Capacity  int    `json:"capacity"`
	Weekdays  string `json:"weekdays,omitempty" doc:"Lesson days, as mon+thu; empty when sessions are added one by one."`
	StartTime string `json:"start_time,omitempty" doc:"HH:MM, Brussels time."`
	EndTime   string `json:"end_time,omitempty" doc:"HH:MM, Brussels time."`
	Enrolled  *int   `json:"enrolled_count,omitempty" doc:"Learners with a place (in lists)."`
	Waiting   *int   `json:"waiting_count,omitempty" doc:"Learners on the waiting list (in lists)."`
}

func courseOut(c *traject.Course) Course {
	return Course{Ref: c.Ref, ID: c.ID, Kind: string(c.Kind), Language: c.Language, Mode: string(c.Mode), Track: string(c.Track),
		Region: c.RegionCode, Office: c.OfficeName, Teacher: c.TeacherEmail, StartsOn: dateOut(c.StartsOn), EndsOn: dateOut(c.EndsOn),
		Capacity: c.Capacity, Weekdays: c.Weekdays.String(), StartTime: c.StartTime, EndTime: c.EndTime}
}

type coursesInput struct {
	Region   string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles)."`
	Kind     string `query:"kind" enum:"civic_orientation,digital_pretrack"`
	Mode     string `query:"mode" enum:"online,blended,onsite"`
	Track    string `query:"track" enum:"basic,standard,intensive"`
	Language string `query:"language" maxLength:"2" doc:"ISO 639-1 code of the language of instruction."`
	Q        string `query:"q" maxLength:"32" doc:"The start of a reference."`
	From     string `query:"from" doc:"Only courses that end on or after this date, YYYY-MM-DD."`
	After    string `query:"after" maxLength:"64" doc:"Keyset: the 'next' value of the previous page."`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type coursesOutput struct {
	Body struct {
		Items []Course `json:"items"`
		Next  string   `json:"next,omitempty" doc:"Pass as 'after' for the next page; absent on the last page."`
	}
}

func (s *Server) courses(ctx context.Context, in *coursesInput) (*coursesOutput, error) {
	f := store.CourseFilter{Region: in.Region, Kind: traject.CourseKind(in.Kind), Mode: traject.Mode(in.Mode),
		Track: traject.LevelTrack(in.Track), Language: in.Language, Query: in.Q, After: in.After, Limit: in.Limit}
	if in.From != "" {
		var ok bool
		if f.From, ok = traject.ParseDate(in.From); !ok {
			return nil, s.problem(ctx, fieldError("from", "date.invalid", "write the date as YYYY-MM-DD"))
		}
	}
	page, err := s.Store.Courses(ctx, f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &coursesOutput{}
	out.Body.Items = make([]Course, 0, len(page.Courses))
	for i := range page.Courses {
		c := courseOut(&page.Courses[i].Course)
		c.Enrolled, c.Waiting = &page.Courses[i].Enrolled, &page.Courses[i].Waiting
		out.Body.Items = append(out.Body.Items, c)
	}
	out.Body.Next = page.Next
	return out, nil
}

type courseInput struct {
	Ref string `path:"ref" maxLength:"32"`
}

type courseOutput struct {
	Body Course
}

func (s *Server) course(ctx context.Context, in *courseInput) (*courseOutput, error) {
	c, err := s.Store.Course(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &courseOutput{Body: courseOut(c)}, nil
}

type createCourseInput struct {
	Body struct {
		Ref       string `json:"ref" maxLength:"32"`
		Kind      string `json:"kind" enum:"civic_orientation,digital_pretrack"`
		Language  string `json:"language" maxLength:"2" doc:"ISO 639-1."`
		Mode      string `json:"mode" enum:"online,blended,onsite"`
		Track     string `json:"track" enum:"basic,standard,intensive"`
		Region    string `json:"region" doc:"Region code or name."`
		Office    string `json:"office,omitempty" required:"false" maxLength:"100" doc:"The name of an office of the region."`
		Teacher   string `json:"teacher,omitempty" required:"false" maxLength:"254" doc:"The e-mail address of an active teacher of the region."`
		StartsOn  string `json:"starts_on" doc:"YYYY-MM-DD"`
		EndsOn    string `json:"ends_on" doc:"YYYY-MM-DD"`
		Capacity  int    `json:"capacity" minimum:"1" maximum:"500"`
		Weekdays  string `json:"weekdays,omitempty" required:"false" maxLength:"40" doc:"Lesson days, as mon+thu; with start_time and end_time, the sessions are generated. Leave all three out to add sessions one by one."`
		StartTime string `json:"start_time,omitempty" required:"false" maxLength:"8" doc:"HH:MM, Brussels time."`
		EndTime   string `json:"end_time,omitempty" required:"false" maxLength:"8" doc:"HH:MM, Brussels time."`
	}
}

type createdCourseOutput struct {
	Location string `header:"Location"`
	Body     Course
}

func (s *Server) createCourse(ctx context.Context, in *createCourseInput) (*createdCourseOutput, error) {
	c, err := courseIn(in)
	if err == nil {
		err = s.Store.CreateCourse(ctx, c)
	}
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdCourseOutput{Location: Prefix + "/courses/" + c.Ref, Body: courseOut(c)}, nil
}

// courseIn reads the body into a course; what cannot be read at all (a
// date, the weekdays) is refused here, the rest by the domain.
func courseIn(in *createCourseInput) (*traject.Course, error) {
	b := in.Body
	c := &traject.Course{Ref: b.Ref, Kind: traject.CourseKind(b.Kind), Language: b.Language, Mode: traject.Mode(b.Mode),
		Track: traject.LevelTrack(b.Track), RegionCode: b.Region, OfficeName: b.Office, TeacherEmail: b.Teacher,
		Capacity: b.Capacity, StartTime: b.StartTime, EndTime: b.EndTime}
	var v traject.Validation
	for _, d := range []struct {
		field, value string
		dst          *time.Time
	}{{"starts_on", b.StartsOn, &c.StartsOn}, {"ends_on", b.EndsOn, &c.EndsOn}} {
		var ok bool
		if *d.dst, ok = traject.ParseDate(d.value); !ok {
			v.Add(d.field, "date.invalid", "write the date as YYYY-MM-DD", nil)
		}
	}
	var ok bool
	if c.Weekdays, ok = traject.ParseWeekdays(b.Weekdays); !ok {
		v.Add("weekdays", "import.course.weekdays", "write the weekdays as mon, tue, wed, thu, fri, sat, sun joined by +, like mon+thu", nil)
	}
	return c, v.Err()
}

// Session is one lesson of a course.
type Session struct {
	ID       int64  `json:"id"`
	StartsAt string `json:"starts_at" format:"date-time" doc:"RFC 3339, with the Brussels offset of that day."`
	EndsAt   string `json:"ends_at" format:"date-time"`
	Mode     string `json:"mode" enum:"online,onsite"`
}

type sessionsOutput struct {
	Body struct {
		Items []Session `json:"items"`
	}
}

func (s *Server) courseSessions(ctx context.Context, in *courseInput) (*sessionsOutput, error) {
	list, err := s.Store.CourseSessions(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &sessionsOutput{}
	out.Body.Items = make([]Session, 0, len(list))
	for _, se := range list {
		out.Body.Items = append(out.Body.Items, Session{ID: se.ID, StartsAt: se.StartsAt.In(brussels).Format(time.RFC3339),
			EndsAt: se.EndsAt.In(brussels).Format(time.RFC3339), Mode: string(se.Mode)})
	}
	return out, nil
}

// Enrolment is a learner's place in a course, or on its waiting list.
type Enrolment struct {
	Course   string `json:"course"`
	Learner  string `json:"learner" doc:"The learner's reference."`
	State    string `json:"state" enum:"enrolled,waiting"`
	Position int    `json:"position,omitempty" doc:"The learner's turn on the waiting list, from 1."`
}

type enrolmentsOutput struct {
	Body struct {
		Items []Enrolment `json:"items"`
	}
}

func (s *Server) enrolments(ctx context.Context, in *courseInput) (*enrolmentsOutput, error) {
	list, err := s.Store.Enrolments(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &enrolmentsOutput{}
	out.Body.Items = enrolmentsOut(list)
	return out, nil
}

// enrolmentsOut numbers the waiting list: the store lists it in order.
func enrolmentsOut(list []traject.Enrolment) []Enrolment {
	out := make([]Enrolment, 0, len(list))
	turn := 0
	for _, e := range list {
		item := Enrolment{Course: e.CourseRef, Learner: e.LearnerRef, State: string(e.State)}
		if e.State == traject.EnrolmentWaiting {
			turn++
			item.Position = turn
		}
		out = append(out, item)
	}
	return out
}

type enrolInput struct {
	Ref  string `path:"ref" maxLength:"32"`
	Body struct {
		Learner string `json:"learner" maxLength:"32" doc:"The learner's reference."`
	}
}

type enrolOutput struct {
	Location string `header:"Location"`
	Body     Enrolment
}

func (s *Server) enrol(ctx context.Context, in *enrolInput) (*enrolOutput, error) {
	e, err := s.Store.Enrol(ctx, in.Ref, in.Body.Learner)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	list, err := s.Store.Enrolments(ctx, in.Ref)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &enrolOutput{Location: Prefix + "/courses/" + in.Ref + "/enrolments"}
	for _, item := range enrolmentsOut(list) {
		if item.Learner == e.LearnerRef {
			out.Body = item
		}
	}
	return out, nil
}

type withdrawInput struct {
	Ref     string `path:"ref" maxLength:"32"`
	Learner string `path:"learner" maxLength:"32"`
	Reason  string `query:"reason" maxLength:"500" doc:"Why the learner leaves; kept in the audit log."`
}

type withdrawOutput struct {
	Body struct {
		Promoted []string `json:"promoted" doc:"The learners who got the place freed, from the waiting list."`
	}
}

func (s *Server) withdraw(ctx context.Context, in *withdrawInput) (*withdrawOutput, error) {
	promoted, err := s.Store.Withdraw(ctx, in.Ref, in.Learner, in.Reason)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &withdrawOutput{}
	out.Body.Promoted = []string{}
	for _, e := range promoted {
		out.Body.Promoted = append(out.Body.Promoted, e.LearnerRef)
	}
	return out, nil
}

func (s *Server) importCourses(ctx context.Context, in *importInput) (*importOutput, error) {
	return s.importFile(ctx, importer.Courses, in)
}

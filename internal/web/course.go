package web

import (
	"net/http"
	"strings"
	"time"

	"traject"
	"traject/internal/i18n"
)

// courseData is a course's page: its details, its sessions, who is enrolled
// and who waits, and the answers of its forms when one of them comes back.
type courseData struct {
	Course       *traject.Course
	Sessions     []sessionRow
	Enrolled     []enrolmentRow
	Waiting      []enrolmentRow
	Lists        [2]enrolmentList // the two lists as the page shows them
	CanEdit      bool
	SessionModes []traject.SessionMode // what a session added by hand may be
	Learner      string                // enrol form: the reference typed
	Session      sessionForm           // add-session form
}

// sessionRow is one line of a course's calendar, numbered from 1.
type sessionRow struct {
	traject.Session
	N int
}

// Local is when the session starts, in Brussels, for <time datetime>.
func (r sessionRow) Local() time.Time { return r.StartsAt.In(i18n.Brussels) }

// enrolmentRow is one learner in the enrolled list or on the waiting list,
// numbered from 1: on the waiting list, the number is their turn.
type enrolmentRow struct {
	traject.Enrolment
	N int
}

// enrolmentList is the enrolled list or the waiting list as a table.
type enrolmentList struct {
	Caption string // catalog key
	Rows    []enrolmentRow
	CanEdit bool
}

// sessionForm is the form that adds a session by hand, as typed.
type sessionForm struct {
	Date               dateValue
	StartTime, EndTime string
	Mode               string
}

func (s *Server) course(w http.ResponseWriter, r *http.Request) error {
	return s.showCourse(w, r, http.StatusOK, nil, courseData{})
}

// showCourse renders the course page; after a refused form it shows err with
// the answers in form kept, under status.
func (s *Server) showCourse(w http.ResponseWriter, r *http.Request, status int, err error, form courseData) error {
	ctx, ref := r.Context(), r.PathValue("ref")
	c, cerr := s.Store.Course(ctx, ref)
	if cerr != nil {
		return cerr
	}
	if cerr := s.courseLists(r, c, &form); cerr != nil {
		return cerr
	}
	if form.Session.Mode == "" && len(form.SessionModes) == 1 {
		form.Session.Mode = string(form.SessionModes[0])
	}
	p := s.newPage(r, "coursepage.title", &form)
	p.Title = s.localizer(r).T("coursepage.title", "Ref", c.Ref)
	if err != nil {
		s.withErrors(r, p, err, "learner")
	}
	return s.render(w, r, status, "course", p)
}

// courseLists fills the page's calendar and its two lists of learners.
func (s *Server) courseLists(r *http.Request, c *traject.Course, form *courseData) error {
	sessions, err := s.Store.CourseSessions(r.Context(), c.Ref)
	if err != nil {
		return err
	}
	for i, se := range sessions {
		form.Sessions = append(form.Sessions, sessionRow{Session: se, N: i + 1})
	}
	list, err := s.Store.Enrolments(r.Context(), c.Ref)
	if err != nil {
		return err
	}
	for _, e := range list {
		if e.State == traject.EnrolmentEnrolled {
			form.Enrolled = append(form.Enrolled, enrolmentRow{Enrolment: e, N: len(form.Enrolled) + 1})
		} else {
			form.Waiting = append(form.Waiting, enrolmentRow{Enrolment: e, N: len(form.Waiting) + 1})
		}
	}
	form.Course, form.CanEdit, form.SessionModes = c, traject.CanEditCourse(traject.UserFromContext(r.Context()), c), sessionModes(c.Mode)
	form.Lists = [2]enrolmentList{{"coursepage.enrolled.caption", form.Enrolled, form.CanEdit}, {"coursepage.waiting.caption", form.Waiting, form.CanEdit}}
	return nil
}

// sessionModes are the modes a lesson added by hand may have in a course
// given in mode.
func sessionModes(mode traject.Mode) []traject.SessionMode {
	switch mode {
	case traject.ModeOnline:
		return []traject.SessionMode{traject.SessionOnline}
	case traject.ModeOnsite:
		return []traject.SessionMode{traject.SessionOnsite}
	}
	return []traject.SessionMode{traject.SessionOnsite, traject.SessionOnline}
}

// enrolLearner gives the learner typed a place in the course, or a place on
// its waiting list.
func (s *Server) enrolLearner(w http.ResponseWriter, r *http.Request) error {
	ref, learner := r.PathValue("ref"), strings.TrimSpace(r.PostFormValue("learner"))
	var err error
	var e *traject.Enrolment
	if learner == "" {
		var v traject.Validation
		v.Add("learner", "enrolment.learner.required", "enter the learner's reference", nil)
		err = v.Err()
	} else {
		e, err = s.Store.Enrol(r.Context(), ref, learner)
	}
	if status, ok := formStatus(err); ok {
		return s.showCourse(w, r, status, err, courseData{Learner: learner})
	}
	if err != nil {
		return err
	}
	key := "coursepage.enrolled"
	if e.State == traject.EnrolmentWaiting {
		key = "coursepage.waiting"
	}
	s.flash(r, s.localizer(r).T(key, "Name", e.LearnerName, "Ref", e.LearnerRef))
	http.Redirect(w, r, "/courses/"+ref, http.StatusSeeOther)
	return nil
}

// withdrawLearner takes a learner off the course or its waiting list; the
// first learner waiting gets the place freed.
func (s *Server) withdrawLearner(w http.ResponseWriter, r *http.Request) error {
	ref, learner := r.PathValue("ref"), strings.TrimSpace(r.PostFormValue("learner"))
	promoted, err := s.Store.Withdraw(r.Context(), ref, learner, r.PostFormValue("reason"))
	if status, ok := formStatus(err); ok {
		return s.showCourse(w, r, status, err, courseData{})
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	msg := loc.T("coursepage.withdrawn", "Ref", learner)
	for _, p := range promoted {
		msg += " " + loc.T("coursepage.promoted", "Name", p.LearnerName, "Ref", p.LearnerRef)
	}
	s.flash(r, msg)
	http.Redirect(w, r, "/courses/"+ref, http.StatusSeeOther)
	return nil
}

// addSession adds a lesson to the course by hand.
func (s *Server) addSession(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused below
	form := sessionForm{Date: readDate(r.PostForm, "date"), StartTime: strings.TrimSpace(r.PostFormValue("start_time")),
		EndTime: strings.TrimSpace(r.PostFormValue("end_time")), Mode: r.PostFormValue("mode")}
	se, err := form.session()
	if err == nil {
		err = s.Store.AddSession(r.Context(), ref, se)
	}
	if status, ok := formStatus(err); ok {
		return s.showCourse(w, r, status, err, courseData{Session: form})
	}
	if err != nil {
		return err
	}
	loc := s.localizer(r)
	s.flash(r, loc.T("coursepage.session.added", "Day", lessonDay(loc, *se)))
	http.Redirect(w, r, "/courses/"+ref, http.StatusSeeOther)
	return nil
}

// session reads the typed answers into a session, naming every answer that
// cannot be read; the store checks the rest against the course.
func (f *sessionForm) session() (*traject.Session, error) {
	var v traject.Validation
	day, ok := f.Date.parse()
	if !ok || day.IsZero() {
		v.Add("date", "date.invalid", "enter a real date", nil)
	}
	start, okStart := traject.ParseClock(f.StartTime)
	if !okStart {
		v.Add("start_time", "course.starttime.invalid", "enter the start time as HH:MM, between 06:00 and 23:00", nil)
	}
	end, okEnd := traject.ParseClock(f.EndTime)
	if !okEnd {
		v.Add("end_time", "course.endtime.invalid", "enter the end time as HH:MM, between 06:00 and 23:00", nil)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	se := traject.NewSession(asDate(day), start, end, traject.SessionMode(f.Mode))
	return &se, nil
}

// lessonDay writes the day of a lesson as UX §18 asks: "dinsdag 3 maart 2026".
func lessonDay(loc *i18n.Localizer, se traject.Session) string {
	return loc.Weekday(se.StartsAt) + " " + loc.Date(se.StartsAt)
}

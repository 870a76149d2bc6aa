package web

import (
	"net/http"
	"time"

	"traject"
	"traject/internal/i18n"
	"traject/internal/store"
)

// calendarData is a learner's course calendar: their lessons in time order,
// and the courses they wait for.
type calendarData struct {
	Learner  *traject.Learner
	Sessions []calendarRow
	Waiting  []traject.Enrolment
}

// calendarRow is one lesson of the calendar; Link says whether the actor may
// open its course.
type calendarRow struct {
	store.CalendarSession
	Link bool
	Past bool
}

// Local is when the lesson starts, in Brussels, for <time datetime>.
func (r calendarRow) Local() time.Time { return r.StartsAt.In(i18n.Brussels) }

func (s *Server) learnerCalendar(w http.ResponseWriter, r *http.Request) error {
	cal, err := s.Store.LearnerCalendar(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	actor, now := traject.UserFromContext(r.Context()), time.Now()
	data := &calendarData{Learner: cal.Learner, Waiting: cal.Waiting}
	for _, se := range cal.Sessions {
		course := &traject.Course{RegionCode: se.RegionCode, TeacherID: se.TeacherID}
		data.Sessions = append(data.Sessions, calendarRow{CalendarSession: se,
			Link: actor.Can(traject.PermCoursesRead) && traject.CanSeeCourse(actor, course), Past: se.EndsAt.Before(now)})
	}
	p := s.newPage(r, "calendar.title", data)
	p.Title = s.localizer(r).T("calendar.title", "Name", cal.Learner.FullName())
	return s.render(w, r, http.StatusOK, "learner_calendar", p)
}

package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// courseForm is the form that adds a course, as typed, with its choices.
type courseForm struct {
	Ref, Kind, Language, Mode, Track, Region string
	Office, Teacher, Capacity                string
	StartTime, EndTime                       string
	StartsOn, EndsOn                         dateValue
	Weekdays                                 map[string]bool // "mon" -> checked
	National                                 bool            // the role chooses the region
	Regions                                  []traject.Region
	Kinds                                    []traject.CourseKind
	Modes                                    []traject.Mode
	Tracks                                   []traject.LevelTrack
	Days                                     []dayOption
	Offices                                  []traject.Office
	Teachers                                 []traject.User
}

// dayOption is one weekday checkbox.
type dayOption struct {
	Value string // mon, tue, ...
	Day   time.Weekday
}

// radioGroup is a question answered with radios; the first radio carries
// the question's id, so that the error summary links to it.
type radioGroup struct {
	Name, Legend string // the legend is a catalog key
	Options      []radioOption
	Error        *fieldError
}

type radioOption struct {
	ID, Value, Label string // the label is a catalog key
	Checked          bool
}

// Radios returns the radios of the kind, mode or track question.
func (f courseForm) Radios(name string, e *fieldError) radioGroup {
	var values []string
	chosen := map[string]string{"kind": f.Kind, "mode": f.Mode, "track": f.Track}[name]
	switch name {
	case "kind":
		for _, k := range f.Kinds {
			values = append(values, string(k))
		}
	case "mode":
		for _, m := range f.Modes {
			values = append(values, string(m))
		}
	case "track":
		for _, t := range f.Tracks {
			values = append(values, string(t))
		}
	}
	g := radioGroup{Name: name, Legend: "coursefield." + name, Error: e}
	for i, v := range values {
		id := name + "-" + v
		if i == 0 {
			id = name
		}
		g.Options = append(g.Options, radioOption{ID: id, Value: v, Label: "course" + name + "." + v, Checked: v == chosen})
	}
	return g
}

func newCourseForm(r *http.Request) courseForm {
	_ = r.ParseForm() // a body that cannot be read gives empty answers, which are refused
	f := courseForm{Ref: r.PostFormValue("ref"), Kind: r.PostFormValue("kind"), Language: r.PostFormValue("language"),
		Mode: r.PostFormValue("mode"), Track: r.PostFormValue("track"), Region: r.PostFormValue("region"),
		Office: r.PostFormValue("office"), Teacher: r.PostFormValue("teacher"), Capacity: r.PostFormValue("capacity"),
		StartTime: strings.TrimSpace(r.PostFormValue("start_time")), EndTime: strings.TrimSpace(r.PostFormValue("end_time")),
		StartsOn: readDate(r.PostForm, "starts_on"), EndsOn: readDate(r.PostForm, "ends_on"), Weekdays: map[string]bool{},
		Regions: traject.Regions, Kinds: traject.CourseKinds, Modes: traject.Modes, Tracks: traject.LevelTracks}
	for _, d := range traject.WeekOrder() {
		f.Days = append(f.Days, dayOption{Value: traject.WeekdayName(d), Day: d})
	}
	for _, v := range r.PostForm["weekdays"] {
		f.Weekdays[v] = true
	}
	actor := traject.UserFromContext(r.Context())
	if f.National = actor.ScopeRegion() == ""; !f.National {
		f.Region = actor.RegionCode // a regional role adds courses in its own region
	}
	return f
}

// withChoices adds the offices and teachers the actor may choose from.
func (s *Server) withChoices(r *http.Request, f *courseForm) error {
	var err error
	if f.Offices, err = s.Store.Offices(r.Context()); err != nil {
		return err
	}
	users, err := s.Store.Users(r.Context(), store.UserFilter{Role: traject.RoleTeacher})
	for _, u := range users {
		if u.Active {
			f.Teachers = append(f.Teachers, u)
		}
	}
	return err
}

func (s *Server) courseNew(w http.ResponseWriter, r *http.Request) error {
	f := newCourseForm(r)
	if err := s.withChoices(r, &f); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "course_new", s.newPage(r, "coursenew.title", f))
}

func (s *Server) courseCreate(w http.ResponseWriter, r *http.Request) error {
	form := newCourseForm(r)
	c, err := form.course()
	if err == nil {
		err = s.Store.CreateCourse(r.Context(), c)
	}
	if traject.ErrorCode(err) == traject.EINVALID {
		if cerr := s.withChoices(r, &form); cerr != nil {
			return cerr
		}
		p := s.withErrors(r, s.newPage(r, "coursenew.title", form), err, "ref")
		return s.render(w, r, http.StatusUnprocessableEntity, "course_new", p)
	}
	if err != nil {
		return err
	}
	sessions, err := s.Store.CourseSessions(r.Context(), c.Ref)
	if err != nil {
		return err
	}
	s.flash(r, countText(s.localizer(r), "coursenew.done", len(sessions), "Ref", c.Ref))
	http.Redirect(w, r, "/courses/"+c.Ref, http.StatusSeeOther)
	return nil
}

// courseFields is the order of the form's questions, which the error
// summary follows.
var courseFields = []string{"ref", "kind", "language", "mode", "track", "region", "office", "teacher",
	"starts_on", "ends_on", "capacity", "weekdays", "start_time", "end_time"}

// course reads the typed answers into a course and checks them all at once:
// what cannot be read as a date or a number, and what the domain refuses.
func (f *courseForm) course() (*traject.Course, error) {
	c := &traject.Course{Ref: f.Ref, Kind: traject.CourseKind(f.Kind), Language: f.Language, Mode: traject.Mode(f.Mode),
		Track: traject.LevelTrack(f.Track), RegionCode: f.Region, TeacherEmail: f.Teacher, StartTime: f.StartTime, EndTime: f.EndTime}
	var fields []traject.FieldError
	bad := func(field, key, msg string, args map[string]any) {
		fields = append(fields, traject.FieldError{Field: field, Key: key, Message: msg, Args: args})
	}
	for _, d := range []struct {
		field string
		value dateValue
		dst   *time.Time
	}{{"starts_on", f.StartsOn, &c.StartsOn}, {"ends_on", f.EndsOn, &c.EndsOn}} {
		if day, ok := d.value.parse(); ok && !day.IsZero() {
			*d.dst = asDate(day)
		} else {
			bad(d.field, "date.invalid", "enter a real date", nil)
		}
	}
	if n, ok := parseCount(f.Capacity); ok {
		c.Capacity = n
	} else {
		bad("capacity", "course.capacity.invalid", "enter a capacity from 1 to 500", map[string]any{"Max": traject.CourseMaxCapacity})
	}
	f.readChoices(c)
	return c, mergeCourseErrors(fields, c.Validate())
}

// readChoices reads the office and the weekdays checked.
func (f *courseForm) readChoices(c *traject.Course) {
	if f.Office != "" {
		// An id that is not a number is refused by the store like an unknown one.
		if c.OfficeID, _ = strconv.ParseInt(f.Office, 10, 64); c.OfficeID == 0 {
			c.OfficeID = -1
		}
	}
	for _, d := range traject.WeekOrder() {
		if f.Weekdays[traject.WeekdayName(d)] {
			c.Weekdays = c.Weekdays.With(d)
		}
	}
}

// mergeCourseErrors adds the domain's errors to the form's own, one per
// field (the form's first), in the order of the form.
func mergeCourseErrors(fields []traject.FieldError, err error) error {
	if e, ok := traject.AsError(err); ok {
		for _, fe := range e.Fields {
			if !slices.ContainsFunc(fields, func(x traject.FieldError) bool { return x.Field == fe.Field }) {
				fields = append(fields, fe)
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	slices.SortStableFunc(fields, func(a, b traject.FieldError) int {
		return slices.Index(courseFields, a.Field) - slices.Index(courseFields, b.Field)
	})
	return &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Message: "Some answers need to be corrected", Fields: fields}
}

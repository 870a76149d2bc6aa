package web

import (
	"net/http"
	"net/url"
	"strings"

	"traject"
	"traject/internal/store"
)

// courseListSize is the number of courses on one page of the list.
const courseListSize = 50

// courseListData is the course list: its filters and one keyset page.
type courseListData struct {
	Region, Kind, Mode, Track, Language, Query string
	National                                   bool // the role sees every region, so it may filter on one
	Regions                                    []traject.Region
	Kinds                                      []traject.CourseKind
	Modes                                      []traject.Mode
	Tracks                                     []traject.LevelTrack
	Courses                                    []store.CourseSummary
	Next                                       string // the next page's address, "" on the last
	First                                      string // the first page's address, "" on the first
}

func (s *Server) courseList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	actor := traject.UserFromContext(r.Context())
	data := &courseListData{
		Region: q.Get("region"), Kind: q.Get("kind"), Mode: q.Get("mode"), Track: q.Get("track"),
		Language: strings.TrimSpace(q.Get("language")), Query: strings.TrimSpace(q.Get("q")),
		National: actor.ScopeRegion() == "", Regions: traject.Regions,
		Kinds: traject.CourseKinds, Modes: traject.Modes, Tracks: traject.LevelTracks,
	}
	p := s.newPage(r, "courses.title", data)
	f, err := data.filter(q)
	if err != nil {
		return s.render(w, r, http.StatusUnprocessableEntity, "course_list", s.withErrors(r, p, err, "kind"))
	}
	page, err := s.Store.Courses(r.Context(), f)
	if traject.ErrorCode(err) == traject.EINVALID {
		return s.render(w, r, http.StatusUnprocessableEntity, "course_list", s.withErrors(r, p, err, "kind"))
	}
	if err != nil {
		return err
	}
	data.Courses = page.Courses
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("after", page.Next)
		data.Next = "/courses?" + next.Encode()
	}
	if f.After != "" {
		first := cloneValues(q)
		first.Del("after")
		data.First = "/courses?" + first.Encode()
	}
	return s.render(w, r, http.StatusOK, "course_list", p)
}

// filter checks the filters and turns them into a store filter.
func (d *courseListData) filter(q url.Values) (store.CourseFilter, error) {
	f := store.CourseFilter{Kind: traject.CourseKind(d.Kind), Mode: traject.Mode(d.Mode), Track: traject.LevelTrack(d.Track),
		Language: strings.ToLower(d.Language), Query: d.Query, After: q.Get("after"), Limit: courseListSize}
	var v traject.Validation
	if !d.National {
		d.Region = "" // a regional role sees its own region only
	}
	if d.Region != "" {
		r, ok := traject.ParseRegion(d.Region)
		if !ok {
			v.Add("region", "course.region.invalid", "choose one of the six regions", nil)
		}
		d.Region, f.Region = r.Code, r.Code
	}
	if d.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "course.kind.invalid", "choose a kind of course", nil)
	}
	if d.Mode != "" && !f.Mode.Valid() {
		v.Add("mode", "course.mode.invalid", "choose a mode", nil)
	}
	if d.Track != "" && !f.Track.Valid() {
		v.Add("track", "course.track.invalid", "choose a level", nil)
	}
	if f.Language != "" && !traject.IsLanguageCode(f.Language) {
		v.Add("language", "course.language.invalid", "enter a two-letter language code", nil)
	}
	return f, v.Err()
}

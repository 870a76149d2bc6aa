package web

import (
	"net/http"

	"traject"
	"traject/internal/store"
)

// The device request asks one question per page (GOV.UK question pages):
// which course, internet at home, then the answers to check. Each answer is
// kept in the session, so a dropped connection loses one page at most.

type mijnCourseData struct {
	Courses  []store.LearnerCourse
	Selected string
	Change   bool // came from the check page: go back there
}

func (m *mijn) requestCourse(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	h, err := m.Store.LearnerHome(r.Context(), l.ID)
	if err != nil {
		return err
	}
	data := mijnCourseData{Courses: h.Requestable(), Selected: m.Sessions.GetString(r.Context(), sessionMijnCrs),
		Change: r.URL.Query().Get("change") != ""}
	return m.render(w, http.StatusOK, "mijn_course", m.questionPage(r, l, "mijn.course.title", data, "/mijn/home"))
}

func (m *mijn) saveCourse(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	h, err := m.Store.LearnerHome(r.Context(), l.ID)
	if err != nil {
		return err
	}
	data := mijnCourseData{Courses: h.Requestable(), Selected: r.PostFormValue("course"), Change: r.PostFormValue("change") != ""}
	if !hasCourse(data.Courses, data.Selected) {
		err := mijnInvalid("course", "mijn.course.required", "choose the course you need a device for")
		p := m.withErrors(r, m.questionPage(r, l, "mijn.course.title", data, "/mijn/home"), err, "course")
		return m.render(w, http.StatusUnprocessableEntity, "mijn_course", p)
	}
	m.Sessions.Put(r.Context(), sessionMijnCrs, data.Selected)
	if data.Change && m.Sessions.GetString(r.Context(), sessionMijnNeed) != "" {
		return m.seeOther(w, r, "/mijn/request/check")
	}
	return m.seeOther(w, r, "/mijn/request/internet")
}

func hasCourse(list []store.LearnerCourse, ref string) bool {
	for _, c := range list {
		if c.Ref == ref {
			return true
		}
	}
	return false
}

func (m *mijn) questionPage(r *http.Request, l *traject.Learner, titleKey string, data any, back string) *mijnPage {
	p := m.newPage(r, l, titleKey, data)
	p.Back = back
	return p
}

type mijnInternetData struct {
	Internet string // yes or no
}

// needOf turns the answer "internet at home?" into the device needed.
var needOf = map[string]traject.Connectivity{
	"yes": traject.DeviceNeed(traject.InternetWiFi),
	"no":  traject.DeviceNeed(traject.InternetNone),
}

func (m *mijn) requestInternet(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	if m.Sessions.GetString(r.Context(), sessionMijnCrs) == "" {
		return m.seeOther(w, r, "/mijn/request/course")
	}
	data := mijnInternetData{}
	for answer, need := range needOf {
		if string(need) == m.Sessions.GetString(r.Context(), sessionMijnNeed) {
			data.Internet = answer
		}
	}
	return m.render(w, http.StatusOK, "mijn_internet", m.questionPage(r, l, "mijn.internet.title", data, "/mijn/request/course"))
}

func (m *mijn) saveInternet(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	data := mijnInternetData{Internet: r.PostFormValue("internet")}
	need, ok := needOf[data.Internet]
	if !ok {
		err := mijnInvalid("internet", "mijn.internet.required", "choose yes or no")
		p := m.withErrors(r, m.questionPage(r, l, "mijn.internet.title", data, "/mijn/request/course"), err, "internet")
		return m.render(w, http.StatusUnprocessableEntity, "mijn_internet", p)
	}
	m.Sessions.Put(r.Context(), sessionMijnNeed, string(need))
	return m.seeOther(w, r, "/mijn/request/check")
}

type mijnCheckData struct {
	Course store.LearnerCourse
	Need   traject.Connectivity
}

// checkData reads the answers; false when one is missing or no longer valid.
func (m *mijn) checkData(r *http.Request, l *traject.Learner) (mijnCheckData, bool, error) {
	h, err := m.Store.LearnerHome(r.Context(), l.ID)
	if err != nil {
		return mijnCheckData{}, false, err
	}
	ref := m.Sessions.GetString(r.Context(), sessionMijnCrs)
	data := mijnCheckData{Need: traject.Connectivity(m.Sessions.GetString(r.Context(), sessionMijnNeed))}
	for _, c := range h.Requestable() {
		if c.Ref == ref {
			data.Course = c
		}
	}
	return data, data.Course.Ref != "" && data.Need != "", nil
}

func (m *mijn) requestCheck(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	data, ok, err := m.checkData(r, l)
	if err != nil {
		return err
	}
	if !ok {
		return m.seeOther(w, r, "/mijn/request/course")
	}
	return m.render(w, http.StatusOK, "mijn_check", m.questionPage(r, l, "mijn.check.title", data, "/mijn/request/internet"))
}

// sendRequest makes the request, on the learner's own channel.
func (m *mijn) sendRequest(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	data, ok, err := m.checkData(r, l)
	if err != nil {
		return err
	}
	if !ok {
		return m.seeOther(w, r, "/mijn/request/course")
	}
	req := &traject.LoanRequest{LearnerRef: l.Ref, CourseRef: data.Course.Ref, Need: data.Need, Channel: traject.ChannelLearner}
	if _, err := m.Store.RequestDevice(r.Context(), req); err != nil {
		return err
	}
	m.Sessions.Remove(r.Context(), sessionMijnCrs)
	m.Sessions.Remove(r.Context(), sessionMijnNeed)
	m.Sessions.Put(r.Context(), sessionMijnDone, req.Ref)
	return m.seeOther(w, r, "/mijn/request/done")
}

func (m *mijn) requestDone(w http.ResponseWriter, r *http.Request, l *traject.Learner) error {
	ref := m.Sessions.GetString(r.Context(), sessionMijnDone)
	if ref == "" {
		return m.seeOther(w, r, "/mijn/home")
	}
	req, err := m.Store.LoanRequest(r.Context(), ref)
	if err != nil {
		return err
	}
	if req.LearnerRef != l.Ref {
		return traject.Errorf(traject.ENOTFOUND, "notfound", "request not found")
	}
	return m.render(w, http.StatusOK, "mijn_done", m.newPage(r, l, "mijn.done.title", req))
}

package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"traject"
)

// created makes an operation answer 201 Created.
func (s *Server) created(op huma.Operation) huma.Operation {
	op.DefaultStatus = http.StatusCreated
	return op
}

// routes lists every operation of the API: the one place that says which
// permission each needs.
func (s *Server) routes(mux *http.ServeMux) {
	huma.Register(s.api, s.operation("get-me", http.MethodGet, "/me", "The signed-in staff member", ""), s.me)
	huma.Register(s.api, s.operation("list-regions", http.MethodGet, "/regions", "The six regions", traject.PermRegionsRead), s.regions)
	huma.Register(s.api, s.operation("list-users", http.MethodGet, "/users", "Staff accounts within the caller's region", traject.PermUsersRead), s.users)
	huma.Register(s.api, s.operation("list-devices", http.MethodGet, "/devices", "Devices, a keyset page in asset-tag order", traject.PermDevicesRead), s.devices)
	huma.Register(s.api, s.created(s.operation("create-device", http.MethodPost, "/devices", "Add a device (with its SIM when 4G)", traject.PermDevicesWrite)), s.createDevice)
	huma.Register(s.api, s.operation("get-device", http.MethodGet, "/devices/{asset_tag}", "One device", traject.PermDevicesRead), s.device)
	huma.Register(s.api, s.operation("transition-device", http.MethodPost, "/devices/{asset_tag}/transitions", "Change a device's state by hand, with a reason", traject.PermDevicesWrite), s.transition)
	huma.Register(s.api, s.operation("list-deliveries", http.MethodGet, "/deliveries", "Deliveries against plan", traject.PermDevicesRead), s.deliveries)
	huma.Register(s.api, s.created(s.operation("create-delivery", http.MethodPost, "/deliveries", "Announce a delivery", traject.PermDevicesWrite)), s.createDelivery)
	huma.Register(s.api, s.operation("get-delivery", http.MethodGet, "/deliveries/{reference}", "A delivery's plan against receipt", traject.PermDevicesRead), s.delivery)
	huma.Register(s.api, s.operation("get-stock", http.MethodGet, "/stock", "Devices per region and connectivity, by state", traject.PermDevicesRead), s.stock)
	huma.Register(s.api, importOperation(s.operation("import-deliveries", http.MethodPost, "/imports/deliveries", "Import deliveries from a CSV or XLSX file, all or nothing", traject.PermDevicesWrite)), s.importDeliveries)
	huma.Register(s.api, importOperation(s.operation("import-devices", http.MethodPost, "/imports/devices", "Import devices from a CSV or XLSX file, all or nothing", traject.PermDevicesWrite)), s.importDevices)
	huma.Register(s.api, s.operation("list-courses", http.MethodGet, "/courses", "Courses by start date, a keyset page; a teacher sees their own", traject.PermCoursesRead), s.courses)
	huma.Register(s.api, s.created(s.operation("create-course", http.MethodPost, "/courses", "Add a course; its sessions are generated from its weekdays and hours", traject.PermCoursesWrite)), s.createCourse)
	huma.Register(s.api, s.operation("get-course", http.MethodGet, "/courses/{ref}", "One course", traject.PermCoursesRead), s.course)
	huma.Register(s.api, s.operation("list-course-sessions", http.MethodGet, "/courses/{ref}/sessions", "A course's sessions in time order", traject.PermCoursesRead), s.courseSessions)
	huma.Register(s.api, s.operation("list-enrolments", http.MethodGet, "/courses/{ref}/enrolments", "A course's enrolled learners, then its waiting list in order", traject.PermCoursesRead), s.enrolments)
	huma.Register(s.api, s.created(s.operation("enrol-learner", http.MethodPost, "/courses/{ref}/enrolments", "Enrol a learner: a place while one is free, else the waiting list", traject.PermCoursesWrite)), s.enrol)
	huma.Register(s.api, s.operation("withdraw-learner", http.MethodDelete, "/courses/{ref}/enrolments/{learner}", "Take a learner off a course or its waiting list; the first waiting learner gets a freed place", traject.PermCoursesWrite), s.withdraw)
	huma.Register(s.api, importOperation(s.operation("import-courses", http.MethodPost, "/imports/courses", "Import courses from a CSV or XLSX file, all or nothing; their sessions are generated", traject.PermCoursesWrite)), s.importCourses)
	huma.Register(s.api, s.operation("list-learners", http.MethodGet, "/learners", "Learners by name, a keyset page; search by name prefix or exact reference", traject.PermLearnersRead), s.learners)
	huma.Register(s.api, s.operation("search-learners", http.MethodPost, "/learners/search", "Find a learner by exact national number, sent in the body so that it is in no URL", traject.PermLearnersRead), s.searchLearners)
	huma.Register(s.api, s.created(s.operation("create-learner", http.MethodPost, "/learners", "Add a learner", traject.PermLearnersWrite)), s.createLearner)
	huma.Register(s.api, s.operation("get-learner", http.MethodGet, "/learners/{ref}", "One learner, with the national number masked", traject.PermLearnersRead), s.learner)
	huma.Register(s.api, s.operation("update-learner", http.MethodPut, "/learners/{ref}", "Change a learner", traject.PermLearnersWrite), s.updateLearner)
	huma.Register(s.api, s.revealOperation(), s.revealLearner)
	huma.Register(s.api, s.created(s.operation("create-assessment", http.MethodPost, "/learners/{ref}/assessments", "Record a needs assessment; it is placed at once with the placement rules in use", traject.PermLearnersWrite)), s.createAssessment)
	huma.Register(s.api, s.operation("list-assessments", http.MethodGet, "/learners/{ref}/assessments", "A learner's needs assessments, newest first", traject.PermLearnersRead), s.assessments)
	huma.Register(s.api, s.operation("get-placement", http.MethodGet, "/learners/{ref}/placement", "A learner's newest placement, its reasons in words and any override", traject.PermLearnersRead), s.placement)
	huma.Register(s.api, importOperation(s.operation("import-learners", http.MethodPost, "/imports/learners", "Import learners from a CSV or XLSX file, all or nothing", traject.PermLearnersWrite)), s.importLearners)
	huma.Register(s.api, s.operation("list-materials", http.MethodGet, "/materials", "The catalogue of learning materials, a keyset page in title order", ""), s.materials)
	huma.Register(s.api, s.created(s.operation("create-material", http.MethodPost, "/materials", "Propose a learning material for review", "")), s.createMaterial)
	huma.Register(s.api, s.operation("get-material", http.MethodGet, "/materials/{id}", "One learning material with its reviews", ""), s.material)
	huma.Register(s.api, s.created(s.operation("review-material", http.MethodPost, "/materials/{id}/reviews", "Review a material: answer every criterion and approve or reject it", traject.PermMaterialsReview)), s.reviewMaterial)
	huma.Register(s.api, s.operation("list-barriers", http.MethodGet, "/barriers", "Reported barriers within the caller's region, newest first", ""), s.barriers)
	huma.Register(s.api, s.created(s.operation("create-barrier", http.MethodPost, "/barriers", "Report a barrier", "")), s.createBarrier)
	huma.Register(s.api, s.operation("get-barrier-summary", http.MethodGet, "/barriers/summary", "Barriers counted by status per resource and per category", ""), s.barrierSummary)
	huma.Register(s.api, s.operation("get-barrier", http.MethodGet, "/barriers/{id}", "One barrier", ""), s.barrier)
	huma.Register(s.api, s.operation("set-barrier-status", http.MethodPost, "/barriers/{id}/status", "Move a barrier to another status, with a note", traject.PermBarriersWrite), s.setBarrierStatus)
	huma.Register(s.api, s.operation("get-attendance", http.MethodGet, "/attendance", "A session's attendance sheet: its enrolled learners and their marks", traject.PermCoursesRead), s.attendance)
	huma.Register(s.api, s.operation("record-attendance", http.MethodPut, "/attendance", "Record a session's attendance in one go, all or nothing (the course's teacher or a coordinator)", traject.PermCoursesRead), s.recordAttendance)
	huma.Register(s.api, s.operation("get-participation", http.MethodGet, "/courses/{ref}/participation", "A course's participation per learner, and its reach", traject.PermCoursesRead), s.participation)
	huma.Register(s.api, s.created(s.operation("suspend-course", http.MethodPost, "/courses/{ref}/suspensions", "Suspend a course for a period: its sessions count for no one", traject.PermCoursesWrite)), s.suspendCourse)
	huma.Register(s.api, s.operation("list-followup", http.MethodGet, "/followup", "Learners who can no longer reach the participation norm or missed their last two sessions", traject.PermOutreachRead), s.followUp)
	mux.HandleFunc(Prefix+"/", s.notFound)
}

package web

import (
	"net/http"

	"traject"
)

// public marks a route that needs no sign-in; signedIn one that needs only that.
const (
	public   = "public"
	signedIn = ""
)

func permission(p string) traject.Permission { return traject.Permission(p) }

// Routes adds every page of the staff interface to mux. This table is the one
// place that says who may open what.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", s.handle(signedIn, s.home))
	mux.Handle("GET /login", s.handle(public, s.loginForm))
	mux.Handle("POST /login", s.handle(public, s.login))
	mux.Handle("POST /logout", s.handle(public, s.logout))
	mux.Handle("GET /auth/oidc/start", s.handle(public, s.oidcStart))
	mux.Handle("GET /auth/oidc/callback", s.handle(public, s.oidcCallback))

	mux.Handle("GET /account", s.handle(string(traject.PermTokensWrite), s.account))
	mux.Handle("POST /account/tokens", s.handle(string(traject.PermTokensWrite), s.createToken))
	mux.Handle("POST /account/tokens/{id}/revoke", s.handle(string(traject.PermTokensWrite), s.revokeToken))

	mux.Handle("GET /staff", s.handle(string(traject.PermUsersRead), s.staffList))
	mux.Handle("GET /staff/new", s.handle(string(traject.PermUsersWrite), s.staffNew))
	mux.Handle("POST /staff", s.handle(string(traject.PermUsersWrite), s.staffCreate))
	mux.Handle("POST /staff/{id}/deactivate", s.handle(string(traject.PermUsersWrite), s.staffDeactivate))
	mux.Handle("POST /staff/{id}/activate", s.handle(string(traject.PermUsersWrite), s.staffActivate))

	mux.Handle("GET /audit", s.handle(string(traject.PermAuditRead), s.auditLog))

	// Inventory: devices, SIMs, transfers between regions, deliveries, stock.
	devRead, devWrite := string(traject.PermDevicesRead), string(traject.PermDevicesWrite)
	mux.Handle("GET /devices", s.handle(devRead, s.deviceList))
	mux.Handle("GET /devices/labels", s.handle(devRead, s.deviceLabels))
	mux.Handle("POST /devices/transfer", s.handle(devWrite, s.transferDevices))
	mux.Handle("GET /devices/{asset_tag}", s.handle(devRead, s.device))
	mux.Handle("POST /devices/{asset_tag}/transition", s.handle(devWrite, s.transitionDevice))
	mux.Handle("POST /sims/move", s.handle(devWrite, s.moveSIM))
	mux.Handle("POST /sims/{iccid}/state", s.handle(devWrite, s.setSIMState))
	mux.Handle("GET /sims/ending", s.handle(devRead, s.simsEnding))
	mux.Handle("GET /transfers", s.handle(devRead, s.transfers))
	mux.Handle("POST /transfers/receive", s.handle(devWrite, s.receiveTransfers))
	mux.Handle("GET /deliveries", s.handle(devRead, s.deliveryList))
	mux.Handle("GET /deliveries/new", s.handle(devWrite, s.deliveryNew))
	mux.Handle("POST /deliveries", s.handle(devWrite, s.deliveryCreate))
	mux.Handle("GET /deliveries/{reference}", s.handle(devRead, s.delivery))
	mux.Handle("POST /deliveries/{reference}/arrival", s.handle(devWrite, s.recordArrival))
	mux.Handle("POST /deliveries/{reference}/receive", s.handle(devWrite, s.receiveSerials))
	mux.Handle("GET /stock", s.handle(devRead, s.stock))

	// Learners. A national number is searched by POST, so that it is in no
	// URL or log line; the reveal route needs learners:read, and the store
	// checks learners:reveal itself, so that a refused attempt is audited too.
	lrnRead, lrnWrite := string(traject.PermLearnersRead), string(traject.PermLearnersWrite)
	mux.Handle("GET /learners", s.handle(lrnRead, s.learnerList))
	mux.Handle("POST /learners/search", s.handle(lrnRead, s.learnerSearch))
	mux.Handle("GET /learners/new", s.handle(lrnWrite, s.learnerNew))
	mux.Handle("POST /learners", s.handle(lrnWrite, s.learnerCreate))
	mux.Handle("GET /learners/{ref}", s.handle(lrnRead, s.learner))
	mux.Handle("GET /learners/{ref}/edit", s.handle(lrnWrite, s.learnerEdit))
	mux.Handle("POST /learners/{ref}", s.handle(lrnWrite, s.learnerUpdate))
	mux.Handle("POST /learners/{ref}/reveal", s.handle(lrnRead, s.learnerReveal))

	// Needs assessment and placement of one learner; the placement rules are
	// national data that only an admin publishes.
	mux.Handle("GET /learners/{ref}/assessment", s.handle(string(traject.PermLearnersWrite), s.assessmentNew))
	mux.Handle("POST /learners/{ref}/assessment", s.handle(string(traject.PermLearnersWrite), s.assessmentCreate))
	mux.Handle("GET /learners/{ref}/placement", s.handle(string(traject.PermLearnersRead), s.placement))
	mux.Handle("POST /learners/{ref}/placement", s.handle(string(traject.PermLearnersWrite), s.placeAgain))
	mux.Handle("POST /learners/{ref}/placement/override", s.handle(string(traject.PermLearnersWrite), s.overridePlacement))
	mux.Handle("GET /admin/placement-rules", s.handle(string(traject.PermPlacementRules), s.placementRules))
	mux.Handle("POST /admin/placement-rules", s.handle(string(traject.PermPlacementRules), s.publishPlacementRules))

	// Courses: the list, a course with its calendar and its two lists of
	// learners, the forms that change them, and a learner's course calendar.
	crsRead, crsWrite := string(traject.PermCoursesRead), string(traject.PermCoursesWrite)
	mux.Handle("GET /courses", s.handle(crsRead, s.courseList))
	mux.Handle("GET /courses/new", s.handle(crsWrite, s.courseNew))
	mux.Handle("POST /courses", s.handle(crsWrite, s.courseCreate))
	mux.Handle("GET /courses/{ref}", s.handle(crsRead, s.course))
	mux.Handle("POST /courses/{ref}/enrolments", s.handle(crsWrite, s.enrolLearner))
	mux.Handle("POST /courses/{ref}/withdrawals", s.handle(crsWrite, s.withdrawLearner))
	mux.Handle("POST /courses/{ref}/sessions", s.handle(crsWrite, s.addSession))
	mux.Handle("GET /learners/{ref}/calendar", s.handle(string(traject.PermLearnersRead), s.learnerCalendar))

	mux.Handle("GET /imports", s.handle(string(traject.PermDevicesWrite), s.importPage))
	mux.Handle("POST /imports", s.handle(string(traject.PermDevicesWrite), s.importCheck))
	mux.Handle("POST /imports/confirm", s.handle(string(traject.PermDevicesWrite), s.importConfirm))

	// Learning materials (a national catalogue) and barriers (per region):
	// every staff member proposes and reports; coordinators review and act.
	mux.Handle("GET /materials", s.handle(signedIn, s.materialList))
	mux.Handle("GET /materials/new", s.handle(signedIn, s.materialNew))
	mux.Handle("POST /materials", s.handle(signedIn, s.materialCreate))
	mux.Handle("GET /materials/{id}", s.handle(signedIn, s.material))
	mux.Handle("POST /materials/{id}/reviews", s.handle(string(traject.PermMaterialsReview), s.reviewMaterial))
	mux.Handle("GET /barriers", s.handle(signedIn, s.barrierList))
	mux.Handle("GET /barriers/new", s.handle(signedIn, s.barrierNew))
	mux.Handle("POST /barriers", s.handle(signedIn, s.barrierCreate))
	mux.Handle("GET /barriers/{id}", s.handle(signedIn, s.barrier))
	mux.Handle("POST /barriers/{id}/status", s.handle(string(traject.PermBarriersWrite), s.setBarrierStatus))

	// Attendance and reach: one sheet per session (the store allows the
	// course's own teacher and the region's coordinators to record it), a
	// course's participation with its suspensions, and the follow-up list.
	attRead, attWrite := string(traject.PermCoursesRead), string(traject.PermCoursesWrite)
	mux.Handle("GET /sessions/{id}/attendance", s.handle(attRead, s.attendanceSheet))
	mux.Handle("POST /sessions/{id}/attendance", s.handle(attRead, s.recordAttendance))
	mux.Handle("GET /courses/{ref}/participation", s.handle(attRead, s.participation))
	mux.Handle("POST /courses/{ref}/suspensions", s.handle(attWrite, s.suspendCourse))
	mux.Handle("POST /courses/{ref}/suspensions/{id}/lift", s.handle(attWrite, s.liftSuspension))
	mux.Handle("GET /followup", s.handle(string(traject.PermOutreachRead), s.followUp))
	mux.Handle("POST /followup/norm", s.handle(attWrite, s.addNorm))

	mux.Handle("POST /learners/{ref}/export", s.handle(string(traject.PermLearnersExport), s.exportLearner))

	s.deskRoutes(mux)
	s.mijnRoutes(mux)
	s.reportRoutes(mux)
	s.outreachRoutes(mux)
	s.caseRoutes(mux)

	mux.Handle("GET /static/{hash}/{name}", s.static)
	mux.Handle("/", s.handle(public, s.notFound))
}

// navItem is one entry of the main menu; it shows only when the role may open it.
type navItem struct {
	Label   string
	URL     string
	Perm    traject.Permission
	Current bool
}

var navItems = []navItem{
	{Label: "nav.home", URL: "/"},
	{Label: "nav.learners", URL: "/learners", Perm: traject.PermLearnersRead},
	{Label: "nav.courses", URL: "/courses", Perm: traject.PermCoursesRead},
	{Label: "nav.desk", URL: "/desk", Perm: traject.PermLoansRead},
	{Label: "nav.devices", URL: "/devices", Perm: traject.PermDevicesRead},
	{Label: "nav.deliveries", URL: "/deliveries", Perm: traject.PermDevicesRead},
	{Label: "nav.stock", URL: "/stock", Perm: traject.PermDevicesRead},
	{Label: "nav.imports", URL: "/imports", Perm: traject.PermDevicesWrite},
	{Label: "nav.followup", URL: "/followup", Perm: traject.PermOutreachRead},
	{Label: "nav.cases", URL: "/cases", Perm: traject.PermCasesRead},
	{Label: "nav.outreach", URL: "/outreach", Perm: traject.PermOutreachRead},
	{Label: "nav.materials", URL: "/materials"},
	{Label: "nav.barriers", URL: "/barriers"},
	{Label: "nav.reports", URL: "/reports", Perm: traject.PermReportsRead},
	{Label: "nav.staff", URL: "/staff", Perm: traject.PermUsersRead},
	{Label: "nav.placementrules", URL: "/admin/placement-rules", Perm: traject.PermPlacementRules},
	{Label: "nav.audit", URL: "/audit", Perm: traject.PermAuditRead},
	{Label: "nav.account", URL: "/account", Perm: traject.PermTokensWrite},
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "page not found")
}

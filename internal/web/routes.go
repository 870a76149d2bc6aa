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

	mux.Handle("GET /imports", s.handle(string(traject.PermDevicesWrite), s.importPage))
	mux.Handle("POST /imports", s.handle(string(traject.PermDevicesWrite), s.importCheck))
	mux.Handle("POST /imports/confirm", s.handle(string(traject.PermDevicesWrite), s.importConfirm))

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
	{Label: "nav.devices", URL: "/devices", Perm: traject.PermDevicesRead},
	{Label: "nav.deliveries", URL: "/deliveries", Perm: traject.PermDevicesRead},
	{Label: "nav.stock", URL: "/stock", Perm: traject.PermDevicesRead},
	{Label: "nav.imports", URL: "/imports", Perm: traject.PermDevicesWrite},
	{Label: "nav.staff", URL: "/staff", Perm: traject.PermUsersRead},
	{Label: "nav.audit", URL: "/audit", Perm: traject.PermAuditRead},
	{Label: "nav.account", URL: "/account", Perm: traject.PermTokensWrite},
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "page not found")
}

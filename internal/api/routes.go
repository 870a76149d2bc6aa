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
	mux.HandleFunc(Prefix+"/", s.notFound)
}

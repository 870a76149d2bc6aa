package api

import (
	"context"

	"traject"
	"traject/internal/store"
)

// Device is a device as the API shows it.
type Device struct {
	AssetTag     string `json:"asset_tag" doc:"The device's natural key."`
	ID           int64  `json:"id"`
	Serial       string `json:"serial"`
	Model        string `json:"model"`
	Kind         string `json:"kind" enum:"chromebook,laptop"`
	Connectivity string `json:"connectivity" enum:"wifi,4g"`
	Region       string `json:"region" doc:"Region code."`
	Delivery     string `json:"delivery,omitempty" doc:"Reference of the delivery it came with."`
	State        string `json:"state" enum:"expected,in_stock,in_transit,on_loan,quarantine,in_repair,lost,stolen,retired,spare"`
	TransitTo    string `json:"transit_to,omitempty" doc:"Destination region while in transit."`
	Lendable     bool   `json:"lendable" doc:"In stock and, for 4G, with an active SIM."`
	SIM          *SIM   `json:"sim,omitempty"`
}

// SIM is the data bundle of a 4G device.
type SIM struct {
	ICCID       string `json:"iccid"`
	Phone       string `json:"phone,omitempty"`
	BundleUntil string `json:"bundle_until,omitempty" format:"date"`
	State       string `json:"state,omitempty" enum:"active,suspended,terminated"`
}

func deviceOut(d *traject.Device) Device {
	out := Device{AssetTag: d.AssetTag, ID: d.ID, Serial: d.Serial, Model: d.Model, Kind: string(d.Kind),
		Connectivity: string(d.Connectivity), Region: d.RegionCode, Delivery: d.Delivery, State: string(d.State),
		TransitTo: d.TransitTo, Lendable: d.LendBlocker() == ""}
	if d.SIM != nil {
		out.SIM = &SIM{ICCID: d.SIM.ICCID, Phone: d.SIM.Phone, BundleUntil: dateOut(d.SIM.BundleUntil), State: string(d.SIM.State)}
	}
	return out
}

type devicesInput struct {
	Region       string `query:"region" enum:"ANT,BRU,LIM,OVL,VBR,WVL" doc:"Only this region (national roles)."`
	State        string `query:"state" enum:"expected,in_stock,in_transit,on_loan,quarantine,in_repair,lost,stolen,retired,spare"`
	Connectivity string `query:"connectivity" enum:"wifi,4g"`
	Delivery     string `query:"delivery" maxLength:"32" doc:"Reference of a delivery."`
	Q            string `query:"q" maxLength:"64" doc:"The start of an asset tag or serial."`
	After        string `query:"after" maxLength:"32" doc:"Keyset: the 'next' value of the previous page."`
	Limit        int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type devicesOutput struct {
	Body struct {
		Items []Device `json:"items"`
		Next  string   `json:"next,omitempty" doc:"Pass as 'after' for the next page; absent on the last page."`
	}
}

func (s *Server) devices(ctx context.Context, in *devicesInput) (*devicesOutput, error) {
	page, err := s.Store.Devices(ctx, store.DeviceFilter{Region: in.Region, State: traject.DeviceState(in.State),
		Connectivity: traject.Connectivity(in.Connectivity), Delivery: in.Delivery, Query: in.Q, After: in.After, Limit: in.Limit})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &devicesOutput{}
	out.Body.Items = make([]Device, 0, len(page.Devices))
	for i := range page.Devices {
		out.Body.Items = append(out.Body.Items, deviceOut(&page.Devices[i]))
	}
	out.Body.Next = page.Next
	return out, nil
}

type deviceInput struct {
	AssetTag string `path:"asset_tag" maxLength:"32"`
}

type deviceOutput struct {
	Body Device
}

func (s *Server) device(ctx context.Context, in *deviceInput) (*deviceOutput, error) {
	d, err := s.Store.Device(ctx, in.AssetTag)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &deviceOutput{Body: deviceOut(d)}, nil
}

type createDeviceInput struct {
	Body struct {
		AssetTag     string `json:"asset_tag" maxLength:"32"`
		Serial       string `json:"serial" maxLength:"64"`
		Model        string `json:"model" maxLength:"100"`
		Kind         string `json:"kind" enum:"chromebook,laptop"`
		Connectivity string `json:"connectivity" enum:"wifi,4g"`
		Region       string `json:"region" doc:"Region code or name."`
		Delivery     string `json:"delivery,omitempty" required:"false"`
		State        string `json:"state,omitempty" required:"false" enum:"expected,in_stock,in_repair,spare,retired" doc:"Default in_stock."`
		SIM          *SIM   `json:"sim,omitempty" required:"false" doc:"Required for 4G devices."`
	}
}

type createdDeviceOutput struct {
	Location string `header:"Location"`
	Body     Device
}

func (s *Server) createDevice(ctx context.Context, in *createDeviceInput) (*createdDeviceOutput, error) {
	b := in.Body
	d := &traject.Device{AssetTag: b.AssetTag, Serial: b.Serial, Model: b.Model, Kind: traject.DeviceKind(b.Kind),
		Connectivity: traject.Connectivity(b.Connectivity), RegionCode: b.Region, Delivery: b.Delivery, State: traject.DeviceState(b.State)}
	if b.SIM != nil {
		d.SIM = &traject.SIM{ICCID: b.SIM.ICCID, Phone: b.SIM.Phone, State: traject.SIMState(b.SIM.State)}
		if b.SIM.BundleUntil != "" {
			t, ok := traject.ParseDate(b.SIM.BundleUntil)
			if !ok {
				return nil, s.problem(ctx, fieldError("sim.bundle_until", "date.invalid", "write the date as YYYY-MM-DD"))
			}
			d.SIM.BundleUntil = t
		}
	}
	if err := s.Store.CreateDevice(ctx, d); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdDeviceOutput{Location: Prefix + "/devices/" + d.AssetTag, Body: deviceOut(d)}, nil
}

type transitionInput struct {
	AssetTag string `path:"asset_tag" maxLength:"32"`
	Body     struct {
		To     string `json:"to" doc:"The new state; see the device state table."`
		Reason string `json:"reason" maxLength:"500" doc:"Why the device changes state; required."`
	}
}

func (s *Server) transition(ctx context.Context, in *transitionInput) (*deviceOutput, error) {
	d, err := s.Store.TransitionDevice(ctx, in.AssetTag, traject.DeviceState(in.Body.To), in.Body.Reason)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &deviceOutput{Body: deviceOut(d)}, nil
}

func fieldError(field, key, msg string) error {
	var v traject.Validation
	v.Add(field, key, msg, nil)
	return v.Err()
}

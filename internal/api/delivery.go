package api

import (
	"context"
	"time"

	"traject"
	"traject/internal/store"
)

// Delivery is a delivery with how much of it arrived.
type Delivery struct {
	Reference    string         `json:"reference" doc:"The delivery's natural key."`
	ID           int64          `json:"id"`
	Supplier     string         `json:"supplier"`
	PlannedOn    string         `json:"planned_on" format:"date"`
	PlannedCount int            `json:"planned_count"`
	ArrivedOn    string         `json:"arrived_on,omitempty" format:"date"`
	Received     int            `json:"received_count"`
	DelayDays    int            `json:"delay_days" doc:"Days after the planned date it arrived, or is late today."`
	Allocation   map[string]int `json:"allocation,omitempty" doc:"Planned count per region code."`
}

func dateOut(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(traject.DateLayout)
}

func deliveryOut(d *traject.Delivery, received int) Delivery {
	return Delivery{Reference: d.Reference, ID: d.ID, Supplier: d.Supplier, PlannedOn: dateOut(d.PlannedOn),
		PlannedCount: d.PlannedCount, ArrivedOn: dateOut(d.ArrivedOn), Received: received,
		DelayDays: d.DelayDays(today()), Allocation: d.Allocation}
}

// today is the date in Brussels, where the programme runs.
func today() time.Time {
	return traject.SessionDay(time.Now())
}

type deliveriesOutput struct {
	Body struct {
		Items []Delivery `json:"items"`
	}
}

func (s *Server) deliveries(ctx context.Context, _ *struct{}) (*deliveriesOutput, error) {
	list, err := s.Store.Deliveries(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &deliveriesOutput{}
	out.Body.Items = make([]Delivery, 0, len(list))
	for i := range list {
		out.Body.Items = append(out.Body.Items, deliveryOut(&list[i].Delivery, list[i].Received))
	}
	return out, nil
}

type deliveryInput struct {
	Reference string `path:"reference" maxLength:"32"`
}

// DeliveryReport is a delivery's plan against its receipt.
type DeliveryReport struct {
	Delivery
	Regions     []store.RegionReceipt `json:"regions"`
	Missing     []string              `json:"missing_serials" doc:"Announced serials not received."`
	Unannounced []string              `json:"unannounced_serials" doc:"Serials received but never announced."`
}

type deliveryOutput struct {
	Body DeliveryReport
}

func (s *Server) delivery(ctx context.Context, in *deliveryInput) (*deliveryOutput, error) {
	r, err := s.Store.Delivery(ctx, in.Reference)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &deliveryOutput{Body: DeliveryReport{Delivery: deliveryOut(&r.Delivery, r.Received), Regions: r.Regions,
		Missing: r.Missing, Unannounced: r.Unannounced}}, nil
}

type createDeliveryInput struct {
	Body struct {
		Reference    string         `json:"reference" maxLength:"32"`
		Supplier     string         `json:"supplier" maxLength:"100"`
		PlannedOn    string         `json:"planned_on" doc:"YYYY-MM-DD"`
		PlannedCount int            `json:"planned_count" minimum:"0"`
		ArrivedOn    string         `json:"arrived_on,omitempty" required:"false" doc:"YYYY-MM-DD"`
		Allocation   map[string]int `json:"allocation,omitempty" required:"false" doc:"Planned count per region code; must add up to planned_count."`
	}
}

type createdDeliveryOutput struct {
	Location string `header:"Location"`
	Body     Delivery
}

func (s *Server) createDelivery(ctx context.Context, in *createDeliveryInput) (*createdDeliveryOutput, error) {
	b := in.Body
	d := &traject.Delivery{Reference: b.Reference, Supplier: b.Supplier, PlannedCount: b.PlannedCount, Allocation: b.Allocation}
	var ok bool
	if d.PlannedOn, ok = traject.ParseDate(b.PlannedOn); !ok {
		return nil, s.problem(ctx, fieldError("planned_on", "delivery.plannedon.invalid", "enter the planned date as YYYY-MM-DD"))
	}
	if b.ArrivedOn != "" {
		if d.ArrivedOn, ok = traject.ParseDate(b.ArrivedOn); !ok {
			return nil, s.problem(ctx, fieldError("arrived_on", "delivery.arrivedon.invalid", "enter the arrival date as YYYY-MM-DD"))
		}
	}
	if err := s.Store.CreateDelivery(ctx, d); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &createdDeliveryOutput{Location: Prefix + "/deliveries/" + d.Reference, Body: deliveryOut(d, 0)}, nil
}

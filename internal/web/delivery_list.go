package web

import (
	"net/http"
	"time"

	"traject"
	"traject/internal/store"
)

// deliveryRow is a delivery in the list, with its delay in words.
type deliveryRow struct {
	store.DeliverySummary
	Delay delay
}

// delay says how late a delivery is: a catalog key and the number of days.
type delay struct {
	Key  string
	Days int
}

// delayOf words the delay of d on today: early, on time or late once it
// arrived; not yet due or late while it has not.
func delayOf(d *traject.Delivery, today time.Time) delay {
	days := d.DelayDays(today)
	key := "delivery.delay"
	switch {
	case d.ArrivedOn.IsZero() && days <= 0:
		return delay{Key: "delivery.delay.notdue"}
	case d.ArrivedOn.IsZero():
		key += ".waiting"
	case days == 0:
		return delay{Key: "delivery.delay.ontime"}
	case days < 0:
		key += ".early"
		days = -days
	default:
		key += ".late"
	}
	if days == 1 {
		key += ".one"
	}
	return delay{Key: key, Days: days}
}

func (s *Server) deliveryList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.Deliveries(r.Context())
	if err != nil {
		return err
	}
	rows := make([]deliveryRow, len(list))
	day := today()
	for i, d := range list {
		rows[i] = deliveryRow{DeliverySummary: d, Delay: delayOf(&list[i].Delivery, day)}
	}
	return s.render(w, r, http.StatusOK, "deliveries", s.newPage(r, "deliveries.title", rows))
}

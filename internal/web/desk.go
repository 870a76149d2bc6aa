package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"traject"
	"traject/internal/store"
)

// deskData is the desk's day: what goes out, what comes back, what is late,
// what waits to be wiped, and how many requests wait for a device.
type deskData struct {
	Today      time.Time
	Region     string // the region shown; "" is every region the user sees
	Regions    []traject.Region
	National   bool
	HandOuts   []traject.Loan
	Returns    []traject.Loan
	Overdue    []overdueRow
	Quarantine []traject.Device
	Waiting    int
	Stale      int // reservations whose agreed period has passed: to cancel
}

// overdueRow is a loan past its due date and by how many days.
type overdueRow struct {
	traject.Loan
	Days int
}

// deskRegion reads the region filter: a regional role always sees its own.
func deskRegion(r *http.Request) (region string, national bool) {
	u := traject.UserFromContext(r.Context())
	if scope := u.ScopeRegion(); scope != "" {
		return scope, false
	}
	if reg, ok := traject.ParseRegion(r.URL.Query().Get("region")); ok {
		return reg.Code, true
	}
	return "", true
}

func (s *Server) deskHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := deskData{Today: today(), Regions: traject.Regions}
	d.Region, d.National = deskRegion(r)
	var err error
	if d.HandOuts, err = s.Store.Loans(ctx, store.LoanFilter{Region: d.Region, StartsOn: d.Today}); err != nil {
		return err
	}
	if d.Stale, err = s.Store.CountLoans(ctx, store.LoanFilter{Region: d.Region, Stale: d.Today}); err != nil {
		return err
	}
	if d.Returns, err = s.Store.Loans(ctx, store.LoanFilter{Region: d.Region, DueBy: d.Today}); err != nil {
		return err
	}
	late, err := s.Store.Loans(ctx, store.LoanFilter{Region: d.Region, OverdueOn: d.Today})
	if err != nil {
		return err
	}
	for _, l := range late {
		d.Overdue = append(d.Overdue, overdueRow{Loan: l, Days: traject.DaysBetween(l.Due, d.Today)})
	}
	page, err := s.Store.Devices(ctx, store.DeviceFilter{Region: d.Region, State: traject.StateQuarantine, Limit: 200})
	if err != nil {
		return err
	}
	d.Quarantine = page.Devices
	queue, err := s.Store.Queue(ctx, d.Region)
	if err != nil {
		return err
	}
	d.Waiting = len(queue)
	return s.render(w, r, http.StatusOK, "desk", s.newPage(r, "desk.title", &d))
}

// confirmWipe takes a returned device out of quarantine once it is wiped;
// the store then serves the waiting queue with it.
func (s *Server) confirmWipe(w http.ResponseWriter, r *http.Request) error {
	tag := strings.TrimSpace(r.PostFormValue("asset_tag"))
	back := localPath(r.PostFormValue("back"))
	d, served, err := s.Store.ConfirmWipe(r.Context(), tag)
	if err != nil {
		// A button, not a form with fields: a refusal is the error page that says why.
		return localizeArgs(s.localizer(r), err)
	}
	loc := s.localizer(r)
	s.flash(r, countText(loc, "desk.wipe.done", served, "AssetTag", d.AssetTag))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// queueData is the waiting queue in the order it is served, and where other
// regions have devices free for it.
type queueData struct {
	Region      string
	Regions     []traject.Region
	National    bool
	Requests    []traject.LoanRequest
	Suggestions []store.TransferSuggestion
}

func (s *Server) deskQueue(w http.ResponseWriter, r *http.Request) error {
	return s.showQueue(w, r, http.StatusOK, nil)
}

func (s *Server) showQueue(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	d := queueData{Regions: traject.Regions}
	d.Region, d.National = deskRegion(r)
	var qerr error
	if d.Requests, qerr = s.Store.Queue(ctx, d.Region); qerr != nil {
		return qerr
	}
	if d.Suggestions, qerr = s.Store.SuggestedTransfers(ctx, d.Region); qerr != nil {
		return qerr
	}
	p := s.newPage(r, "deskqueue.title", &d)
	if err != nil {
		s.formErrors(r, p, err, "queue")
	}
	return s.render(w, r, status, "desk_queue", p)
}

// serveQueue reserves a device for every waiting request one is free for now.
func (s *Server) serveQueue(w http.ResponseWriter, r *http.Request) error {
	region, _ := deskRegion(r)
	if reg, ok := traject.ParseRegion(r.PostFormValue("region")); ok && region == "" {
		region = reg.Code
	}
	n, err := s.Store.AllocateWaiting(r.Context(), region)
	if err != nil {
		return err
	}
	s.flash(r, countText(s.localizer(r), "deskqueue.served", n))
	http.Redirect(w, r, queueURL(region), http.StatusSeeOther)
	return nil
}

// cancelRequest takes a waiting request out of the queue, with a reason.
func (s *Server) cancelRequest(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var err error
	if reason == "" {
		var v traject.Validation
		v.Add("reason-"+ref, "deskqueue.cancel.reason", "say why the request is cancelled", nil)
		err = v.Err()
	} else {
		err = s.Store.CancelRequest(r.Context(), ref, reason)
	}
	if status, ok := formStatus(err); ok {
		return s.showQueue(w, r, status, err)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("deskqueue.cancel.done", "Ref", ref))
	region, _ := deskRegion(r)
	http.Redirect(w, r, queueURL(region), http.StatusSeeOther)
	return nil
}

func queueURL(region string) string {
	if region == "" {
		return "/desk/queue"
	}
	return "/desk/queue?region=" + url.QueryEscape(region)
}

// Position is a request's place in the queue, counted from 1.
func (queueData) Position(i int) int { return i + 1 }

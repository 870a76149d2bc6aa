package jobs_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/config"
	"traject/internal/jobs"
	"traject/internal/notify"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// disabled records the devices a Disabler was asked to disable.
type disabled struct {
	mu   sync.Mutex
	tags []string
}

func (d *disabled) Disable(_ context.Context, tag, serial string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tags = append(d.tags, tag+"/"+serial)
	return nil
}

func (d *disabled) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.tags...)
}

// process is one server's queue on a shared database, with its clock fixed
// at 10.00 in Brussels on 10 October 2020.
func process(t *testing.T, url string, sender notify.Sender, dis notify.Disabler) (*store.Store, *jobs.Jobs) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2020, 10, 10, 8, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, url, store.Options{Now: func() time.Time { return at }, Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := jobs.Migrate(ctx, s, nil); err != nil {
		t.Fatal(err)
	}
	j, err := jobs.New(s, config.Default(), slog.New(slog.DiscardHandler), jobs.WithSender(sender), jobs.WithDisabler(dis))
	if err != nil {
		t.Fatal(err)
	}
	return s, j
}

// waitFor waits until n jobs of kind completed across the subscriptions,
// and fails at once when one of them fails.
func waitFor(t *testing.T, events []<-chan *river.Event, kind string, n int) {
	t.Helper()
	merged := make(chan *river.Event, 64)
	stop := make(chan struct{})
	defer close(stop)
	for _, ch := range events {
		go func() {
			for {
				select {
				case ev := <-ch:
					select {
					case merged <- ev:
					case <-stop:
						return
					}
				case <-stop:
					return
				}
			}
		}()
	}
	deadline := time.After(60 * time.Second)
	for done := 0; done < n; {
		select {
		case ev := <-merged:
			if ev.Job.Kind != kind {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("%s: %s: %v", kind, ev.Kind, ev.Job.Errors)
			}
			done++
		case <-deadline:
			t.Fatalf("%d of %d %s jobs completed within 60 s", done, n, kind)
		}
	}
}

// TestLendingJobsThroughRiver runs the three jobs through River itself, with
// two queues on one database as two server processes would: the reminders
// job run by both sends one message; the allocation job gives the waiting
// request the device a cancelled reservation freed; the remote-disable job
// hands the lost device to the integration and marks it sent.
func TestLendingJobsThroughRiver(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			mem, dis := &notify.Memory{}, &disabled{}
			s, j1 := process(t, db.URL, mem, dis)
			_, j2 := process(t, db.URL, mem, dis)
			f := newLending(t, s)
			f.devices(t, "CB-01", "CB-02", "CB-03", "CB-04", "CB-05")
			f.course(t, "MO-ANT-1", "2020-10-19", "2020-11-12")
			f.learner(t, "L-DUE", "en", "+32470000001", "")
			f.learner(t, "L-HELD", "nl", "", "")
			f.learner(t, "L-WAIT", "nl", "", "")
			f.learner(t, "L-LOST", "nl", "", "")
			for _, tag := range []string{"CB-01", "CB-02", "CB-03"} {
				f.lend(t, "L-DUE", "", tag, "2020-09-01", "2020-10-12")
			}
			lost := f.lend(t, "L-LOST", "", "CB-04", "2020-09-01", "2020-12-31")
			if _, err := s.ReportLoss(f.admin, lost.ID, traject.Loss{State: traject.LoanStolen, On: day("2020-10-01"), Note: "stolen"}); err != nil {
				t.Fatal(err)
			}
			held, err := s.Reserve(f.admin, traject.Reservation{LearnerRef: "L-HELD", CourseRef: "MO-ANT-1", RegionCode: "ANT",
				Connectivity: traject.WiFi, From: day("2020-10-19"), Until: day("2020-11-12")})
			if err != nil {
				t.Fatal(err)
			}
			req := &traject.LoanRequest{LearnerRef: "L-WAIT", CourseRef: "MO-ANT-1", Need: traject.WiFi, Channel: traject.ChannelDesk}
			if l, err := s.RequestDevice(f.admin, req); err != nil || l != nil {
				t.Fatalf("the request did not wait: %+v, %v", l, err)
			}

			var events []<-chan *river.Event
			for _, j := range []*jobs.Jobs{j1, j2} {
				ch, cancel := j.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
				t.Cleanup(cancel)
				events = append(events, ch)
				if err := j.Start(ctx); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = j.Stop(ctx) })
			}

			for _, j := range []*jobs.Jobs{j1, j2} {
				if _, err := j.Client().Insert(ctx, jobs.RemindersArgs{}, nil); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, events, "reminders", 2)
			if got := to(mem.Sent(), "+32470000001"); len(got) != 1 || got[0].Language != "en" {
				t.Errorf("two processes sent %d messages: %+v", len(got), got)
			}

			if _, err := s.CancelLoan(f.admin, held.ID, "the learner found a laptop"); err != nil {
				t.Fatal(err)
			}
			// Inserted as the periodic job inserts it, unique per minute: the
			// second process's insert is skipped, on both databases.
			unique := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: jobs.AllocateEvery}}
			for i, j := range []*jobs.Jobs{j2, j1} {
				res, err := j.Client().Insert(ctx, jobs.AllocateArgs{}, unique)
				if err != nil || res.UniqueSkippedAsDuplicate != (i == 1) {
					t.Fatalf("insert %d: %+v, %v", i, res, err)
				}
			}
			waitFor(t, events, "allocate", 1)
			if got, err := s.LoanRequest(f.admin, req.Ref); err != nil || got.State != traject.RequestAllocated {
				t.Errorf("request after the allocation job: %+v, %v", got, err)
			}

			if _, err := j1.Client().Insert(ctx, jobs.RemoteDisableArgs{}, nil); err != nil {
				t.Fatal(err)
			}
			waitFor(t, events, "remote_disable", 1)
			if got := dis.list(); len(got) != 1 || got[0] != "CB-04/SN-CB-04" {
				t.Errorf("disabled %v", got)
			}
			if left, err := s.QueuedRemoteDisables(f.admin, 10); err != nil || len(left) != 0 {
				t.Errorf("still queued: %+v, %v", left, err)
			}
		})
	}
}

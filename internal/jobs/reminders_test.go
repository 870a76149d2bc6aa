package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"traject"
	"traject/internal/i18n"
	"traject/internal/jobs"
	"traject/internal/notify"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

func reminders(t *testing.T, s *store.Store, sender notify.Sender) jobs.Reminders {
	t.Helper()
	texts, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return jobs.Reminders{Store: s, Sender: sender, Texts: texts, Log: slog.New(slog.DiscardHandler)}
}

var system = traject.NewContextWithActorLabel(context.Background(), traject.ActorSystem)

// TestOneReminderPerLearnerPerDay is the "Done when": a learner with
// three devices due soon or overdue gets one message naming all three, in
// their language, by SMS; run again the same day, and by two processes at
// once, the job sends nothing more; the next day it sends again.
func TestOneReminderPerLearnerPerDay(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.OpenURL(t, db.URL)
			other := storetest.OpenURL(t, db.URL) // a second server process on the same database
			f := newLending(t, s)
			f.devices(t, "CB-01", "CB-02", "CB-03", "CB-04")
			f.learner(t, "L-SMS", "ar", "+32470000001", "sms@example.org")
			f.learner(t, "L-MAIL", "ti", "", "mail@example.org")         // Tigrinya: not written by Traject
			f.lend(t, "L-SMS", "", "CB-01", "2020-09-01", "2020-10-07")  // 3 days overdue
			f.lend(t, "L-SMS", "", "CB-02", "2020-09-01", "2020-10-12")  // due in 2 days
			f.lend(t, "L-SMS", "", "CB-03", "2020-09-01", "2020-10-13")  // due in exactly 3 days
			f.lend(t, "L-MAIL", "", "CB-04", "2020-09-01", "2020-10-09") // 1 day overdue
			mem := &notify.Memory{}
			today := day("2020-10-10")

			for range 2 {
				if _, err := reminders(t, s, mem).Run(system, today); err != nil {
					t.Fatal(err)
				}
			}
			sms := to(mem.Sent(), "+32470000001")
			if len(sms) != 1 {
				t.Fatalf("%d messages to the learner with three devices, want 1", len(sms))
			}
			m := sms[0]
			if m.Channel != notify.SMS || m.Language != "ar" || !strings.Contains(m.Body, "مرحبًا Amal") {
				t.Errorf("message = %+v", m)
			}
			for _, want := range []string{"Chromebook 11 (CB-01)", "CB-02", "CB-03", "متأخر", "7 أكتوبر 2020", "13 أكتوبر 2020", "Antwerpen"} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("the message lacks %q:\n%s", want, m.Body)
				}
			}
			if strings.Count(m.Body, "\n- ") != 3 || i18n.MissingMarker(m.Body) {
				t.Errorf("the message does not list three items:\n%s", m.Body)
			}
			mail := to(mem.Sent(), "mail@example.org")
			if len(mail) != 1 || mail[0].Channel != notify.Email || mail[0].Language != "nl" ||
				mail[0].Subject != "Breng je toestel terug" || !strings.Contains(mail[0].Body, "te laat! Het moest terug op vrijdag 9 oktober 2020") {
				t.Errorf("e-mail fallback = %+v", mail)
			}

			// The next day, two processes run the job at once: one message each.
			var wg sync.WaitGroup
			for _, st := range []*store.Store{s, other} {
				wg.Go(func() {
					if _, err := reminders(t, st, mem).Run(system, today.AddDate(0, 0, 1)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if n := len(to(mem.Sent(), "+32470000001")); n != 2 {
				t.Errorf("%d messages over two days, want 2", n)
			}
			if n := len(to(mem.Sent(), "mail@example.org")); n != 2 {
				t.Errorf("%d e-mails over two days, want 2", n)
			}
			if got := to(mem.Sent(), "+32470000001")[1].Body; strings.Count(got, "\n- ") != 1 || !strings.Contains(got, "CB-01") {
				t.Errorf("day two names only the overdue device:\n%s", got)
			}
		})
	}
}

func TestReminderWithoutContactIsRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLending(t, s)
		f.devices(t, "CB-01")
		f.learner(t, "L-NONE", "nl", "", "")
		f.lend(t, "L-NONE", "", "CB-01", "2020-09-01", "2020-10-09")
		mem := &notify.Memory{}
		rep, err := reminders(t, s, mem).Run(system, day("2020-10-10"))
		if err != nil || rep.Unreachable != 1 || rep.Sent != 0 || len(mem.Sent()) != 0 {
			t.Fatalf("report %+v, %v, sent %v", rep, err, mem.Sent())
		}
		audit, err := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-NONE"})
		if err != nil || len(audit) == 0 || audit[0].Action != "reminder.unreachable" {
			t.Errorf("audit = %+v, %v", audit, err)
		}
	})
}

// A message the transport refused is released: the retry sends it, once.
func TestReminderRetriedAfterAFailedSend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLending(t, s)
		f.devices(t, "CB-01")
		f.learner(t, "L-SMS", "fr", "+32470000001", "")
		f.lend(t, "L-SMS", "", "CB-01", "2020-09-01", "2020-10-13")
		sender := &flaky{refuse: 1}
		run := reminders(t, s, sender)
		if rep, err := run.Run(system, day("2020-10-10")); err == nil || rep.Failed != 1 {
			t.Fatalf("a refused message passed: %+v, %v", rep, err)
		}
		if rep, err := run.Run(system, day("2020-10-10")); err != nil || rep.Sent != 1 {
			t.Fatalf("the retry: %+v, %v", rep, err)
		}
		if _, err := run.Run(system, day("2020-10-10")); err != nil {
			t.Fatal(err)
		}
		sent := sender.Sent()
		if len(sent) != 1 || !strings.Contains(sent[0].Body, "rapportez-le au plus tard le mardi 13 octobre 2020") {
			t.Errorf("sent = %+v", sent)
		}
	})
}

// TestEscalationOnceToTeacherAndDesk: seven days past due, the course's
// teacher and Antwerp's coordinator and desk hear of it, once.
func TestEscalationOnceToTeacherAndDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newLending(t, s)
		f.devices(t, "CB-01")
		f.course(t, "MO-ANT-1", "2020-09-07", "2020-10-01")
		f.learner(t, "L-SMS", "ar", "+32470000001", "")
		f.lend(t, "L-SMS", "MO-ANT-1", "CB-01", "2020-09-07", "2020-10-01")
		mem := &notify.Memory{}
		run := reminders(t, s, mem)
		if rep, err := run.Run(system, day("2020-10-07")); err != nil || rep.Escalated != 0 {
			t.Fatalf("6 days late: %+v, %v", rep, err)
		}
		for _, d := range []string{"2020-10-08", "2020-10-08", "2020-10-09"} {
			if _, err := run.Run(system, day(d)); err != nil {
				t.Fatal(err)
			}
		}
		for _, addr := range []string{"teacher-ant@example.org", "coord-ant@example.org", "desk-ant@example.org"} {
			got := to(mem.Sent(), addr)
			if len(got) != 1 || got[0].Channel != notify.Email || got[0].Subject != "Toestel Chromebook 11 (CB-01) is 7 dagen te laat" ||
				!strings.Contains(got[0].Body, "Amal L-SMS (L-SMS)") || !strings.Contains(got[0].Body, "MO-ANT-1") {
				t.Errorf("%s got %+v", addr, got)
			}
		}
		if got := to(mem.Sent(), "desk-bru@example.org"); len(got) != 0 {
			t.Errorf("Brussels' desk got %+v", got)
		}
		if got := to(mem.Sent(), "+32470000001"); len(got) != 3 { // the learner: one a day, on three days
			t.Errorf("%d reminders to the learner", len(got))
		}
	})
}

func TestDailyAtNineBrussels(t *testing.T) {
	for _, tc := range []struct{ now, want string }{
		{"2020-10-10T06:59:00Z", "2020-10-10T07:00:00Z"}, // summer time: 9.00 is 7.00 UTC
		{"2020-10-10T07:00:00Z", "2020-10-11T07:00:00Z"},
		{"2020-10-24T12:00:00Z", "2020-10-25T08:00:00Z"}, // winter time from the 25th
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if got := jobs.NextReminderRun(now).UTC().Format(time.RFC3339); got != tc.want {
			t.Errorf("after %s: %s, want %s", tc.now, got, tc.want)
		}
	}
}

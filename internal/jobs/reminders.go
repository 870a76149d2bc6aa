package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
)

// RemindersArgs is the daily job that reminds learners of devices due soon
// or overdue, and escalates long-overdue loans to staff.
type RemindersArgs struct{}

// Kind names the job in River's table.
func (RemindersArgs) Kind() string { return "reminders" }

// ReminderHour is the hour (Brussels time) the daily reminders go out.
const ReminderHour = 9

// remindersJob runs daily at ReminderHour in Brussels: a wall-clock time, so
// that a restart neither skips nor shifts the day's run, and a learner never
// gets a text at night. A day missed altogether is caught up the next day
// (RemindersDue names due-soon loans not yet named).
func remindersJob() *river.PeriodicJob {
	return river.NewPeriodicJob(dailyAt{hour: ReminderHour},
		func() (river.JobArgs, *river.InsertOpts) {
			return RemindersArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
		}, nil)
}

// dailyAt is a River schedule: every day at hour:00 in Brussels, summer or winter.
type dailyAt struct{ hour int }

// Next implements river.PeriodicSchedule.
func (d dailyAt) Next(t time.Time) time.Time {
	b := t.In(i18n.Brussels)
	next := time.Date(b.Year(), b.Month(), b.Day(), d.hour, 0, 0, 0, i18n.Brussels)
	if !next.After(t) {
		next = time.Date(b.Year(), b.Month(), b.Day()+1, d.hour, 0, 0, 0, i18n.Brussels)
	}
	return next
}

// quietHour reports whether t is too late or too early to text a learner:
// a retry that falls at night waits for the next day's run instead.
func quietHour(t time.Time) bool {
	h := t.In(i18n.Brussels).Hour()
	return h < 8 || h >= 21
}

type remindersWorker struct {
	river.WorkerDefaults[RemindersArgs]
	run Reminders
}

// Timeout lets a large day's messages go out one by one.
func (w *remindersWorker) Timeout(*river.Job[RemindersArgs]) time.Duration { return time.Hour }

// Work runs the reminders for today (Brussels, by the store's clock). An
// error makes River retry; what was sent is not sent again.
func (w *remindersWorker) Work(ctx context.Context, _ *river.Job[RemindersArgs]) error {
	ctx = traject.NewContextWithActorLabel(ctx, traject.ActorSystem)
	now := w.run.Store.Now()
	if quietHour(now) {
		w.run.Log.InfoContext(ctx, "reminders: quiet hours, left to the next daily run")
		return nil
	}
	rep, err := w.run.Run(ctx, traject.SessionDay(now))
	w.run.Log.InfoContext(ctx, "reminders", "sent", rep.Sent, "elsewhere", rep.Elsewhere, "unreachable", rep.Unreachable,
		"failed", rep.Failed, "escalated", rep.Escalated)
	return err
}

// Reminders sends one day's reminders to learners and escalations to staff.
// It is safe to run twice, or in several processes at once: each message is
// claimed in the database (reminders UNIQUE (learner_id, sent_on),
// escalations UNIQUE (loan_id)) before it is sent, and only the claimant sends.
type Reminders struct {
	Store  *store.Store
	Sender notify.Sender
	Texts  *i18n.Bundle
	Log    *slog.Logger
}

// ReminderReport counts what one run did.
type ReminderReport struct {
	Sent        int // messages to learners
	Elsewhere   int // learners another run reminded meanwhile
	Unreachable int // learners without a phone number or e-mail address
	Failed      int // messages the transport refused; released for a retry
	Escalated   int // loans escalated to staff
}

// Run sends the reminders and escalations of day. A message that fails does
// not stop the others; the errors are returned together.
func (r Reminders) Run(ctx context.Context, day time.Time) (ReminderReport, error) {
	var rep ReminderReport
	due, err := r.Store.RemindersDue(ctx, day)
	if err != nil {
		return rep, err
	}
	var errs []error
	for i := range due {
		errs = append(errs, r.remind(ctx, &due[i], day, &rep))
	}
	esc, err := r.Store.EscalationsDue(ctx, day)
	if err != nil {
		return rep, errors.Join(append(errs, err)...)
	}
	for i := range esc {
		errs = append(errs, r.escalate(ctx, &esc[i], day, &rep))
	}
	return rep, errors.Join(errs...)
}

// remind sends one learner's message: by SMS when they have a phone number,
// else by e-mail. The claim comes first; when the send fails the claim is
// released, so that River's retry sends it (a crash between the two loses
// that day's message rather than risking two: the next run sends again).
func (r Reminders) remind(ctx context.Context, d *store.ReminderDue, day time.Time, rep *ReminderReport) error {
	channel, to := contactOf(d)
	if channel == "" {
		rep.Unreachable++
		return r.Store.RecordUnreachable(ctx, d, day)
	}
	lang := messageLanguage(d.Language)
	msg := reminderMessage(r.Texts.Localizer(lang), d, channel, to)
	id, ok, err := r.Store.ClaimReminder(ctx, d, day, string(channel), lang)
	if err != nil {
		return err
	}
	if !ok {
		rep.Elsewhere++
		return nil
	}
	if err := r.Sender.Send(ctx, msg); err != nil {
		rep.Failed++
		// The release must happen even when the job's context ended.
		rerr := r.Store.ReleaseReminder(context.WithoutCancel(ctx), d, id, "the "+string(channel)+" transport refused the message")
		return errors.Join(fmt.Errorf("jobs: reminder to learner %s: %w", d.LearnerRef, err), rerr)
	}
	rep.Sent++
	return nil
}

// escalate tells the course's teacher and the region's desk, each in their
// own language. When any of them could not be told, the claim is released
// and the retry tells all again: a second e-mail to a colleague is better
// than an overdue device nobody heard of.
func (r Reminders) escalate(ctx context.Context, e *store.EscalationDue, day time.Time, rep *ReminderReport) error {
	if len(e.Recipients) == 0 {
		r.Log.WarnContext(ctx, "overdue loan has no teacher or desk staff to escalate to", "loan", e.LoanID, "region", e.Region)
		return nil
	}
	id, ok, err := r.Store.ClaimEscalation(ctx, e, day)
	if err != nil || !ok {
		return err
	}
	var errs []error
	for _, to := range e.Recipients {
		errs = append(errs, r.Sender.Send(ctx, escalationMessage(r.Texts.Localizer(messageLanguage(to.Language)), e, to.Email)))
	}
	if err := errors.Join(errs...); err != nil {
		rerr := r.Store.ReleaseEscalation(context.WithoutCancel(ctx), e, id, "an e-mail to a recipient was refused")
		return errors.Join(fmt.Errorf("jobs: escalation of loan %d: %w", e.LoanID, err), rerr)
	}
	rep.Escalated++
	return nil
}

package jobs

import "time"

// NextReminderRun exposes the reminders' schedule to the tests.
func NextReminderRun(t time.Time) time.Time { return dailyAt{hour: ReminderHour}.Next(t) }

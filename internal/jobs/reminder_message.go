package jobs

import (
	"strconv"
	"strings"
	"time"

	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
)

// contactOf chooses how to reach a learner: SMS when they have a phone
// number (most learners read texts, fewer read e-mail), else e-mail, else
// nothing.
func contactOf(d *store.ReminderDue) (notify.Channel, string) {
	switch {
	case strings.TrimSpace(d.Phone) != "":
		return notify.SMS, strings.TrimSpace(d.Phone)
	case strings.TrimSpace(d.Email) != "":
		return notify.Email, strings.TrimSpace(d.Email)
	}
	return "", ""
}

// messageLanguage is the learner's language when Traject writes it, else
// Dutch: the binding language of the agreement they accepted (which falls
// back to Dutch the same way), the language their course teaches, and the
// one the desk can explain the message in when they come by or call.
func messageLanguage(lang string) string {
	if _, ok := i18n.Supported(lang); ok {
		return lang
	}
	return i18n.Default
}

// reminderMessage lists every item of one learner in one message.
func reminderMessage(loc *i18n.Localizer, d *store.ReminderDue, ch notify.Channel, to string) notify.Message {
	var lines []string
	if d.FirstName != "" {
		lines = append(lines, loc.T("reminders.hello", "Name", d.FirstName))
	}
	lines = append(lines, loc.T("reminders.intro"))
	for _, it := range d.Items {
		key := "reminders.item.due"
		if it.Overdue {
			key = "reminders.item.overdue"
		}
		lines = append(lines, "- "+loc.T(key, "Device", deviceName(it.Model, it.AssetTag), "Due", longDay(loc, it.Due)))
	}
	lines = append(lines, loc.T("reminders.where", "Office", d.Office), loc.T("reminders.help"))
	return notify.Message{Channel: ch, To: to, Subject: loc.T("reminders.subject"),
		Body: strings.Join(lines, "\n"), Language: loc.Lang.Tag}
}

// escalationMessage tells one staff member about one long-overdue loan.
func escalationMessage(loc *i18n.Localizer, e *store.EscalationDue, to string) notify.Message {
	device := deviceName(e.Model, e.AssetTag)
	lines := []string{loc.T("reminders.escalation.body", "Learner", e.LearnerName, "Ref", e.LearnerRef,
		"Device", device, "Due", longDay(loc, e.Due), "Days", e.DaysOverdue)}
	if e.CourseRef != "" {
		lines = append(lines, loc.T("reminders.escalation.course", "Course", e.CourseRef))
	}
	lines = append(lines, loc.T("reminders.escalation.action", "Loan", strconv.FormatInt(e.LoanID, 10)))
	return notify.Message{Channel: notify.Email, To: to,
		Subject: loc.T("reminders.escalation.subject", "Device", device, "Days", e.DaysOverdue),
		Body:    strings.Join(lines, "\n"), Language: loc.Lang.Tag}
}

func deviceName(model, tag string) string {
	if model == "" {
		return tag
	}
	return model + " (" + tag + ")"
}

// longDay writes a date with its weekday, as in "dinsdag 13 oktober 2020".
func longDay(loc *i18n.Localizer, t time.Time) string {
	return loc.Weekday(t) + " " + loc.Date(t)
}

package traject

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Outreach by phone (een belronde): a campaign selects learners by criteria,
// splits them into call lists by contact language, and records every call
// with its outcome. An outcome that needs action sets it in motion in the
// same transaction as the call (see the store's RecordCall).

// CampaignCriteria selects the learners a campaign phones. A learner who
// matches any chosen criterion becomes one target, once. Region limits the
// selection to one region; a regional role always selects in its own.
type CampaignCriteria struct {
	// NotReached: enrolled in a course that has started and never present
	// in it (ReachStatus not_reached).
	NotReached bool `json:"not_reached,omitempty"`
	// Course limits NotReached to one course (its reference); empty means
	// every started course of the region.
	Course string `json:"course,omitempty"`
	// FollowUp: on the follow-up list (Participation.OnFollowUp).
	FollowUp bool `json:"follow_up,omitempty"`
	// NoDeviceNoRequest: enrolled in an online or blended course that has not
	// ended, the latest intake says "no device", and neither an active loan
	// nor a waiting request exists.
	NoDeviceNoRequest bool `json:"no_device_no_request,omitempty"`
	// LoanOverdue: a handed-out device past its due date.
	LoanOverdue bool   `json:"loan_overdue,omitempty"`
	Region      string `json:"region,omitempty"`
}

// Any reports whether at least one criterion is chosen.
func (c CampaignCriteria) Any() bool {
	return c.NotReached || c.FollowUp || c.NoDeviceNoRequest || c.LoanOverdue
}

// Validate checks the criteria and writes the region as its code.
func (c *CampaignCriteria) Validate(v *Validation) {
	c.Course = strings.TrimSpace(c.Course)
	if !c.Any() {
		v.Add("criteria", "outreach.criteria.required", "choose at least one group of learners to phone", nil)
	}
	if c.Course != "" && !c.NotReached {
		v.Add("course", "outreach.course.unused", "a course only narrows 'not reached': tick it too, or leave the course empty", nil)
	}
	if c.Region == "" {
		return
	}
	if r, ok := ParseRegion(c.Region); ok {
		c.Region = r.Code
	} else {
		v.Add("region", "outreach.region.invalid", "use one of ANT BRU LIM OVL VBR WVL, or leave it empty for every region", nil)
	}
}

// Campaign limits and defaults: a learner is phoned again after
// DefaultRetryAfterDays, at most DefaultMaxAttempts times (the schema allows
// 0-60 days and 1-10 attempts).
const (
	DefaultRetryAfterDays = 2
	DefaultMaxAttempts    = 3
	MaxRetryAfterDays     = 60
	MaxCallAttempts       = 10
)

// Campaign is one round of phone calls.
type Campaign struct {
	ID             int64            `json:"id"`
	Name           string           `json:"name"`
	Criteria       CampaignCriteria `json:"criteria"`
	RegionCode     string           `json:"region,omitempty"` // empty: every region (a national campaign)
	RetryAfterDays int              `json:"retry_after_days"`
	MaxAttempts    int              `json:"max_attempts"`
	CreatedBy      string           `json:"created_by,omitempty"`
	CreatedAt      time.Time        `json:"created_at"`
	Targets        int              `json:"targets"`
}

// Validate checks a new campaign and names every wrong field in form order.
func (c *Campaign) Validate() error {
	var v Validation
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 100 {
		v.Add("name", "outreach.name.invalid", "give the campaign a name of at most 100 characters", nil)
	}
	c.Criteria.Validate(&v)
	c.RegionCode = c.Criteria.Region
	if c.RetryAfterDays < 0 || c.RetryAfterDays > MaxRetryAfterDays {
		v.Add("retry_after_days", "outreach.retry.invalid", "enter a number of days from 0 to 60", map[string]any{"Max": MaxRetryAfterDays})
	}
	if c.MaxAttempts < 1 || c.MaxAttempts > MaxCallAttempts {
		v.Add("max_attempts", "outreach.attempts.invalid", "enter a number of attempts from 1 to 10", map[string]any{"Max": MaxCallAttempts})
	}
	return v.Err()
}

// CallOutcome is how a call ended.
type CallOutcome string

// The outcomes: the learner was reached (and said what they need) or not.
const (
	OutcomeJoinsOnline   CallOutcome = "joins_online"   // will take part online: nothing to do
	OutcomeNeedsDevice   CallOutcome = "needs_device"   // a device request is made
	OutcomeNeedsPretrack CallOutcome = "needs_pretrack" // enrolled in the digital-skills pre-track
	OutcomeNeedsOnsite   CallOutcome = "needs_onsite"   // enrolled in an on-site course
	OutcomeStopped       CallOutcome = "stopped"        // stopped the trajectory
	OutcomeMoved         CallOutcome = "moved"          // moved away
	OutcomeNoAnswer      CallOutcome = "no_answer"
	OutcomeWrongNumber   CallOutcome = "wrong_number"
	OutcomeVoicemail     CallOutcome = "voicemail"
)

// OutcomesReached and OutcomesNotReached list the outcomes in form order.
var (
	OutcomesReached = []CallOutcome{OutcomeJoinsOnline, OutcomeNeedsDevice, OutcomeNeedsPretrack, OutcomeNeedsOnsite,
		OutcomeStopped, OutcomeMoved}
	OutcomesNotReached = []CallOutcome{OutcomeNoAnswer, OutcomeVoicemail, OutcomeWrongNumber}
)

// CallOutcomes lists every outcome, reached first.
var CallOutcomes = append(slices.Clone(OutcomesReached), OutcomesNotReached...)

// Valid reports whether o is a known outcome.
func (o CallOutcome) Valid() bool { return slices.Contains(CallOutcomes, o) }

// Reached reports whether the learner was spoken to.
func (o CallOutcome) Reached() bool { return slices.Contains(OutcomesReached, o) }

// NeedsAction reports whether the outcome creates a follow-up action.
func (o CallOutcome) NeedsAction() bool {
	return o == OutcomeNeedsDevice || o == OutcomeNeedsPretrack || o == OutcomeNeedsOnsite
}

// TargetState is where a learner in a campaign stands.
type TargetState string

// The target states: still to call, reached, or given up after the last attempt.
const (
	TargetOpen      TargetState = "open"
	TargetReached   TargetState = "reached"
	TargetExhausted TargetState = "exhausted"
)

// TargetStates lists the states in the order pages show them.
var TargetStates = []TargetState{TargetOpen, TargetReached, TargetExhausted}

// Target is one learner in a campaign's call list.
type Target struct {
	ID          int64       `json:"id"`
	CampaignID  int64       `json:"campaign_id"`
	LearnerRef  string      `json:"learner"`
	LearnerName string      `json:"learner_name"`
	Phone       string      `json:"phone,omitempty"`
	RegionCode  string      `json:"region"`
	Language    string      `json:"language"` // the call list: the learner's contact language
	State       TargetState `json:"state"`
	Attempts    int         `json:"attempts"`
	NextCallOn  time.Time   `json:"next_call_on,omitzero"` // zero: call at once
	Outcome     CallOutcome `json:"outcome,omitempty"`     // of the last call
}

// DueOn reports whether the target is to be called on day: open, and its
// next call day is not later.
func (t *Target) DueOn(day time.Time) bool {
	return t.State == TargetOpen && (t.NextCallOn.IsZero() || !t.NextCallOn.After(day))
}

// Apply changes the target after a call on day with outcome o: reached ends
// it; otherwise it comes back retryAfterDays later, until maxAttempts calls
// went unanswered, when it is exhausted. A closed target takes no more calls.
func (t *Target) Apply(o CallOutcome, day time.Time, retryAfterDays, maxAttempts int) error {
	if t.State != TargetOpen {
		return Errorf(ECONFLICT, "outreach.target.closed", "this learner is no longer on the list (%s)", t.State)
	}
	t.Attempts++
	t.Outcome = o
	switch {
	case o.Reached():
		t.State, t.NextCallOn = TargetReached, time.Time{}
	case t.Attempts >= maxAttempts:
		t.State, t.NextCallOn = TargetExhausted, time.Time{}
	default:
		t.NextCallOn = Date(day).AddDate(0, 0, retryAfterDays)
	}
	return nil
}

// Call is one phone call to a target.
type Call struct {
	ID          int64       `json:"id"`
	TargetID    int64       `json:"target_id"`
	CampaignID  int64       `json:"campaign_id"`
	LearnerRef  string      `json:"learner"`
	Language    string      `json:"language"` // held in; the list's language when left empty
	Interpreter bool        `json:"interpreter"`
	Caller      string      `json:"caller,omitempty"`
	CalledAt    time.Time   `json:"called_at"`
	Outcome     CallOutcome `json:"outcome"`
	Note        string      `json:"note,omitempty"`
	// ActionRef names what the outcome set in motion: a loan request's
	// reference, or the course the learner was enrolled in.
	ActionRef string `json:"action_ref,omitempty"`
	// NoAction says why an outcome that needs action has none (for example,
	// no pre-track course is planned); not stored, shown once.
	NoAction string `json:"no_action,omitempty"`
}

// MaxCallNote is the longest note a call keeps.
const MaxCallNote = 2000

// Validate checks a call as the caller records it.
func (c *Call) Validate() error {
	var v Validation
	c.Note = strings.TrimSpace(c.Note)
	c.Language = strings.ToLower(strings.TrimSpace(c.Language))
	if !c.Outcome.Valid() {
		v.Add("outcome", "outreach.outcome.invalid", "choose how the call ended", nil)
	}
	if c.Language != "" && !IsLanguageCode(c.Language) {
		v.Add("language", "outreach.language.invalid", "enter a two-letter language code (ISO 639-1), as in nl, ar or ti", nil)
	}
	if utf8.RuneCountInString(c.Note) > MaxCallNote {
		v.Add("note", "outreach.note.long", "keep the note under 2000 characters", map[string]any{"Max": MaxCallNote})
	}
	return v.Err()
}

// The reasons an action-needing outcome created nothing (Call.NoAction).
const (
	NoActionNoPretrack = "no_pretrack"     // no pre-track course planned in the region
	NoActionNoOnsite   = "no_onsite"       // no on-site course planned in the region
	NoActionNoCourse   = "no_course"       // no online or blended course to lend a device for
	NoActionHasLoan    = "has_loan"        // the learner already has a device for the course
	NoActionWaiting    = "already_waiting" // a request waits already (its ref is the action)
)

// CampaignProgress counts a campaign's targets by state and its calls by
// outcome.
type CampaignProgress struct {
	Targets  int                 `json:"targets"`
	ByState  map[TargetState]int `json:"by_state"`
	Calls    int                 `json:"calls"`
	Outcomes map[CallOutcome]int `json:"outcomes"` // every call, by outcome
	Actions  int                 `json:"actions"`  // calls that created an action
	DueToday int                 `json:"due_today"`
}

package traject

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// InfractionType is the obligation a learner failed to meet.
type InfractionType string

// The infraction types.
const (
	InfractionLateRegistration          InfractionType = "late_registration"
	InfractionInsufficientParticipation InfractionType = "insufficient_participation"
	InfractionContractNotSigned         InfractionType = "contract_not_signed"
	InfractionCourseAbandoned           InfractionType = "course_abandoned"
)

// InfractionTypes lists every type in the order forms show them.
var InfractionTypes = []InfractionType{InfractionInsufficientParticipation, InfractionLateRegistration,
	InfractionContractNotSigned, InfractionCourseAbandoned}

// Valid reports whether t is a known type.
func (t InfractionType) Valid() bool { return slices.Contains(InfractionTypes, t) }

// FileState is where an infraction file is in the procedure.
type FileState string

// The states of a file. A file is opened as a draft, warns the learner,
// and either closes because the learner complied or leaves the agency for
// the authority that fines; the learner then has the right to respond
// (defence) before a decision, which, when it is a fine, is paid, reminded
// of, or collected.
const (
	FileDraft       FileState = "draft"
	FileWarningSent FileState = "warning_sent"
	FileComplied    FileState = "complied"
	FileReferred    FileState = "referred"
	FileDefence     FileState = "defence"
	FileDecided     FileState = "decided"
	FilePaid        FileState = "paid"
	FileReminded    FileState = "reminded"
	FileCollected   FileState = "collected"
)

// FileStates lists every state in procedure order.
var FileStates = []FileState{FileDraft, FileWarningSent, FileComplied, FileReferred, FileDefence,
	FileDecided, FilePaid, FileReminded, FileCollected}

// Valid reports whether s is a known state.
func (s FileState) Valid() bool { return slices.Contains(FileStates, s) }

// FileStep is one action of the procedure; each moves a file to one state.
type FileStep string

// The steps.
const (
	StepWarn    FileStep = "warn"    // send the warning letter: draft -> warning_sent
	StepComply  FileStep = "comply"  // the learner complied in time: warning_sent -> complied
	StepRefer   FileStep = "refer"   // the file leaves the agency: warning_sent -> referred
	StepDefence FileStep = "defence" // the hearing: the learner's written response, or the time for it
	StepDecide  FileStep = "decide"  // fine with an amount, or no fine
	StepPay     FileStep = "pay"     // the fine is paid
	StepRemind  FileStep = "remind"  // a payment reminder
	StepCollect FileStep = "collect" // handed to collection
)

// FileSteps lists every step in procedure order.
var FileSteps = []FileStep{StepWarn, StepComply, StepRefer, StepDefence, StepDecide, StepPay, StepRemind, StepCollect}

// Valid reports whether s is a known step.
func (s FileStep) Valid() bool { return slices.Contains(FileSteps, s) }

// fileTransitions is the whole procedure: from -> step -> to. A decision of
// no fine ends the file in decided; only a fine goes on (FileNextSteps).
var fileTransitions = map[FileState]map[FileStep]FileState{
	FileDraft:       {StepWarn: FileWarningSent},
	FileWarningSent: {StepComply: FileComplied, StepRefer: FileReferred},
	FileReferred:    {StepDefence: FileDefence},
	FileDefence:     {StepDecide: FileDecided},
	FileDecided:     {StepPay: FilePaid, StepRemind: FileReminded},
	FileReminded:    {StepPay: FilePaid, StepCollect: FileCollected},
	FileComplied:    {},
	FilePaid:        {},
	FileCollected:   {},
}

// Outcome is the decision on a referred file.
type Outcome string

// The outcomes.
const (
	OutcomeFine   Outcome = "fine"
	OutcomeNoFine Outcome = "no_fine"
)

// FileNextSteps returns the steps a file in state s with outcome o may take,
// in procedure order. A file decided without a fine is closed.
func FileNextSteps(s FileState, o Outcome) []FileStep {
	if s == FileDecided && o != OutcomeFine {
		return nil
	}
	var out []FileStep
	for _, step := range FileSteps {
		if _, ok := fileTransitions[s][step]; ok {
			out = append(out, step)
		}
	}
	return out
}

// CheckFileStep says where step takes a file in state s with outcome o, or why
// it may not.
func CheckFileStep(s FileState, o Outcome, step FileStep) (FileState, error) {
	if !step.Valid() {
		return "", invalid("step", "case.step.unknown", "choose one of the steps of the procedure", map[string]any{"Step": string(step)})
	}
	to, ok := fileTransitions[s][step]
	if !ok || !slices.Contains(FileNextSteps(s, o), step) {
		return "", &Error{Code: ECONFLICT, Key: "case.step.refused", Args: map[string]any{"Step": string(step), "State": string(s)},
			Message: "a file in state " + string(s) + " cannot take the step " + string(step)}
	}
	return to, nil
}

// Closed reports whether a file in state s with outcome o takes no more steps.
func (s FileState) Closed(o Outcome) bool { return len(FileNextSteps(s, o)) == 0 }

// FileOpening is what a person gives to open a file.
type FileOpening struct {
	LearnerRef string         `json:"learner"`
	CourseRef  string         `json:"course,omitempty"`
	Type       InfractionType `json:"type"`
	From       time.Time      `json:"from"`
	Until      time.Time      `json:"until"`
	Note       string         `json:"note,omitempty"`
}

// Validate checks an opening; the period must have ended by today, since an
// infraction is judged on a period that is over.
func (o *FileOpening) Validate(today time.Time) error {
	var v Validation
	o.LearnerRef, o.CourseRef, o.Note = strings.TrimSpace(o.LearnerRef), strings.TrimSpace(o.CourseRef), strings.TrimSpace(o.Note)
	if o.LearnerRef == "" {
		v.Add("learner", "case.learner.required", "enter the learner's reference", nil)
	}
	if !o.Type.Valid() {
		v.Add("type", "case.type.invalid", "choose the kind of infraction", nil)
	}
	switch {
	case o.From.IsZero():
		v.Add("from", "case.from.invalid", "enter the first day of the period", nil)
	case o.Until.IsZero():
		v.Add("until", "case.until.invalid", "enter the last day of the period", nil)
	case o.Until.Before(o.From):
		v.Add("until", "case.until.before", "the last day cannot be before the first day", nil)
	case o.Until.After(today):
		v.Add("until", "case.until.future", "the period must be over before a file is opened", nil)
	}
	if utf8.RuneCountInString(o.Note) > 2000 {
		v.Add("note", "case.note.long", "keep the note under 2,000 characters", nil)
	}
	return v.Err()
}

// AgencyCauseKind names one kind of agency-caused cause that blocks a file.
type AgencyCauseKind string

// The causes the fairness guard looks for (DESIGN invariant 7).
const (
	CauseRequestWaiting  AgencyCauseKind = "request_waiting"  // a device request not yet served
	CauseDeviceSwapped   AgencyCauseKind = "device_swapped"   // a lent device failed and was swapped
	CauseDeviceLost      AgencyCauseKind = "device_lost"      // the lent device was lost: disabled
	CauseDeviceStolen    AgencyCauseKind = "device_stolen"    // the lent device was stolen: disabled
	CauseSIMSuspended    AgencyCauseKind = "sim_suspended"    // a 4G loan's SIM is suspended
	CauseBundleEnded     AgencyCauseKind = "bundle_ended"     // a 4G loan's data bundle ended in the period
	CauseCourseSuspended AgencyCauseKind = "course_suspended" // a course of the learner was suspended
)

// AgencyCauseOpen is one cause found in a file's period, named so that a
// person can see it and act on it.
type AgencyCauseOpen struct {
	Kind  AgencyCauseKind `json:"kind"`
	Ref   string          `json:"ref"` // the request, asset tag, ICCID or course
	From  time.Time       `json:"from,omitzero"`
	Until time.Time       `json:"until,omitzero"`
}

// GuardError is the fairness guard's refusal, with every cause it found.
func GuardError(causes []AgencyCauseOpen) error {
	if len(causes) == 0 {
		return nil
	}
	names := make([]string, len(causes))
	for i, c := range causes {
		names[i] = string(c.Kind) + " " + c.Ref
	}
	return &Error{Code: ECONFLICT, Key: "case.guard", Args: map[string]any{"Count": len(causes), "Causes": causes},
		Message: "the agency caused an absence in this period: " + strings.Join(names, ", ")}
}

// GuardCauses returns the causes of a guard refusal, or nil.
func GuardCauses(err error) []AgencyCauseOpen {
	e, ok := AsError(err)
	if !ok || e.Key != "case.guard" {
		return nil
	}
	c, _ := e.Args["Causes"].([]AgencyCauseOpen)
	return c
}

// CheckFacts is what the checklist is judged on, read from the records.
type CheckFacts struct {
	Type        InfractionType
	NormPercent int       // the norm that applied, recorded on the file; 0 when none
	NormFrom    time.Time // the version's first day; zero for the programme default
	Unrecorded  int       // past sessions in the period without a mark
	Outreach    int       // calls to the learner in their language (or with an interpreter)
	WarnedOn    time.Time
	Deadline    time.Time // the warning's deadline
	Today       time.Time
	Exemptions  int // exemptions of the learner still pending
}

// CheckItem is one line of the checklist: passed or failed, and why.
type CheckItem struct {
	Key    string         `json:"key"`    // what is checked: case.check.<key>
	Passed bool           `json:"passed"` //
	Why    string         `json:"why"`    // the catalog key of the explanation
	Args   map[string]any `json:"args,omitempty"`
}

// FileChecklist judges the facts a file must meet before it leaves the agency.
func FileChecklist(f CheckFacts) []CheckItem {
	return []CheckItem{checkNorm(f), checkAbsences(f), checkOutreach(f), checkWarning(f), checkExemption(f)}
}

// ChecklistPassed reports whether every item passed.
func ChecklistPassed(items []CheckItem) bool {
	for _, it := range items {
		if !it.Passed {
			return false
		}
	}
	return len(items) > 0
}

func checkNorm(f CheckFacts) CheckItem {
	it := CheckItem{Key: "norm"}
	switch {
	case f.Type != InfractionInsufficientParticipation:
		it.Passed, it.Why = true, "case.why.norm.na"
	case f.NormPercent > 0 && f.NormFrom.IsZero():
		it.Passed, it.Why, it.Args = true, "case.why.norm.default", map[string]any{"Percent": f.NormPercent}
	case f.NormPercent > 0:
		it.Passed, it.Why, it.Args = true, "case.why.norm.version", map[string]any{"Percent": f.NormPercent, "From": f.NormFrom.Format(DateLayout)}
	default:
		it.Why = "case.why.norm.missing"
	}
	return it
}

func checkAbsences(f CheckFacts) CheckItem {
	if f.Unrecorded > 0 {
		return CheckItem{Key: "absences", Why: "case.why.absences.missing", Args: map[string]any{"Count": f.Unrecorded}}
	}
	return CheckItem{Key: "absences", Passed: true, Why: "case.why.absences.ok"}
}

func checkOutreach(f CheckFacts) CheckItem {
	if f.Outreach == 0 {
		return CheckItem{Key: "outreach", Why: "case.why.outreach.none"}
	}
	return CheckItem{Key: "outreach", Passed: true, Why: "case.why.outreach.ok", Args: map[string]any{"Count": f.Outreach}}
}

func checkWarning(f CheckFacts) CheckItem {
	it := CheckItem{Key: "warning"}
	switch {
	case f.WarnedOn.IsZero():
		it.Why = "case.why.warning.none"
	case !f.Today.After(f.Deadline):
		it.Why, it.Args = "case.why.warning.running", map[string]any{"Deadline": f.Deadline.Format(DateLayout)}
	default:
		it.Passed, it.Why, it.Args = true, "case.why.warning.ok", map[string]any{"Deadline": f.Deadline.Format(DateLayout)}
	}
	return it
}

func checkExemption(f CheckFacts) CheckItem {
	if f.Exemptions > 0 {
		return CheckItem{Key: "exemption", Why: "case.why.exemption.pending", Args: map[string]any{"Count": f.Exemptions}}
	}
	return CheckItem{Key: "exemption", Passed: true, Why: "case.why.exemption.ok"}
}

// DistinctSignOffs counts the different staff members among the sign-offs.
func DistinctSignOffs(userIDs []int64) int {
	seen := map[int64]bool{}
	for _, id := range userIDs {
		if id != 0 {
			seen[id] = true
		}
	}
	return len(seen)
}

// SignOffsNeeded is how many different staff members sign a file off before
// it leaves the agency.
const SignOffsNeeded = 2

// The bounds of a fine, in euro.
const (
	FineMin = 50
	FineMax = 5000
)

// FineScale is the ascending list of amounts a fine is proposed from: the
// first fine of a learner proposes the first step, each repeat the next.
type FineScale []int

// DefaultFineScale is the scale until an admin sets another.
var DefaultFineScale = FineScale{50, 100, 250, 500, 1000, 2500, 5000}

// Validate checks that the steps lie between FineMin and FineMax and rise.
func (sc FineScale) Validate() error {
	var v Validation
	if len(sc) == 0 {
		v.Add("steps", "case.scale.empty", "enter at least one amount", nil)
	}
	for i, a := range sc {
		if a < FineMin || a > FineMax || (i > 0 && a <= sc[i-1]) {
			v.Add("steps", "case.scale.invalid", "enter rising amounts from 50 to 5,000 euro", nil)
			break
		}
	}
	return v.Err()
}

// Propose returns the amount for a learner with earlier fines already
// decided: a repeat fine proposes the next step, never beyond the last.
func (sc FineScale) Propose(earlier int) int {
	if len(sc) == 0 {
		return FineMin
	}
	return sc[min(max(earlier, 0), len(sc)-1)]
}

// Procedure is the configurable part of the procedure: the day counts of
// its deadlines and the fine scale.
type Procedure struct {
	WarningDays  int       `json:"warning_days"`  // to comply after the warning
	DefenceDays  int       `json:"defence_days"`  // to respond after the referral
	PaymentDays  int       `json:"payment_days"`  // to pay after the decision
	ReminderDays int       `json:"reminder_days"` // to pay after a reminder
	Scale        FineScale `json:"scale"`
}

// DefaultProcedure is the procedure until an admin sets another.
var DefaultProcedure = Procedure{WarningDays: 30, DefenceDays: 30, PaymentDays: 60, ReminderDays: 30, Scale: DefaultFineScale}

// Validate checks the day counts (1 to 365) and the scale.
func (p *Procedure) Validate() error {
	var v Validation
	for field, n := range map[string]int{"warning_days": p.WarningDays, "defence_days": p.DefenceDays,
		"payment_days": p.PaymentDays, "reminder_days": p.ReminderDays} {
		if n < 1 || n > 365 {
			v.Add(field, "case.days.invalid", "enter a number of days from 1 to 365", nil)
		}
	}
	if err := p.Scale.Validate(); err != nil {
		e, _ := AsError(err)
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key, fe.Message, fe.Args)
		}
	}
	return v.Err()
}

// Deadline returns the deadline that a step taken on day starts, and
// whether it starts one.
func (p Procedure) Deadline(step FileStep, day time.Time) (time.Time, bool) {
	days := map[FileStep]int{StepWarn: p.WarningDays, StepRefer: p.DefenceDays, StepDecide: p.PaymentDays, StepRemind: p.ReminderDays}[step]
	if days == 0 {
		return time.Time{}, false
	}
	return day.AddDate(0, 0, days), true
}

// Decision is the outcome of a referred file.
type Decision struct {
	Outcome Outcome `json:"outcome"`
	Amount  int     `json:"amount,omitempty"` // euro, for a fine
	Note    string  `json:"note,omitempty"`
}

// Validate checks the outcome and, for a fine, its amount.
func (d *Decision) Validate() error {
	var v Validation
	d.Note = strings.TrimSpace(d.Note)
	switch d.Outcome {
	case OutcomeFine:
		if d.Amount < FineMin || d.Amount > FineMax {
			v.Add("amount", "case.amount.invalid", "enter an amount from 50 to 5,000 euro", nil)
		}
	case OutcomeNoFine:
		d.Amount = 0
	default:
		v.Add("outcome", "case.outcome.invalid", "choose fine or no fine", nil)
	}
	if utf8.RuneCountInString(d.Note) > 4000 {
		v.Add("note", "case.note.long", "keep the note under 4,000 characters", nil)
	}
	return v.Err()
}

// InfractionFile is one learner's file for one infraction in one period,
// with the day of every step taken and the deadline each started.
type InfractionFile struct {
	ID               int64          `json:"id"`
	LearnerRef       string         `json:"learner"`
	LearnerName      string         `json:"learner_name"`
	Language         string         `json:"language"` // the learner's contact language
	CourseRef        string         `json:"course,omitempty"`
	RegionCode       string         `json:"region"`
	Type             InfractionType `json:"type"`
	From             time.Time      `json:"from"`
	Until            time.Time      `json:"until"`
	State            FileState      `json:"state"`
	NormPercent      int            `json:"norm_percent,omitempty"`
	NormFrom         time.Time      `json:"norm_from,omitzero"`
	Note             string         `json:"note,omitempty"`
	OpenedBy         string         `json:"opened_by"`
	OpenedAt         time.Time      `json:"opened_at"`
	WarnedOn         time.Time      `json:"warned_on,omitzero"`
	WarningDeadline  time.Time      `json:"warning_deadline,omitzero"`
	CompliedOn       time.Time      `json:"complied_on,omitzero"`
	ReferredOn       time.Time      `json:"referred_on,omitzero"`
	DefenceDeadline  time.Time      `json:"defence_deadline,omitzero"`
	DefenceOn        time.Time      `json:"defence_on,omitzero"`
	DefenceText      string         `json:"defence_text,omitempty"`
	DecidedOn        time.Time      `json:"decided_on,omitzero"`
	Outcome          Outcome        `json:"outcome,omitempty"`
	Amount           int            `json:"amount,omitempty"`
	DecisionNote     string         `json:"decision_note,omitempty"`
	PaymentDeadline  time.Time      `json:"payment_deadline,omitzero"`
	RemindedOn       time.Time      `json:"reminded_on,omitzero"`
	ReminderDeadline time.Time      `json:"reminder_deadline,omitzero"`
	PaidOn           time.Time      `json:"paid_on,omitzero"`
	CollectedOn      time.Time      `json:"collected_on,omitzero"`
	Deadline         time.Time      `json:"deadline,omitzero"` // the one running now
	UpdatedAt        time.Time      `json:"updated_at"`
}

// NextSteps returns the steps the file may take now.
func (f *InfractionFile) NextSteps() []FileStep { return FileNextSteps(f.State, f.Outcome) }

// DeadlinePassed reports whether the running deadline is before today.
func (f *InfractionFile) DeadlinePassed(today time.Time) bool {
	return !f.Deadline.IsZero() && today.After(f.Deadline)
}

// StepInput is what a person gives with a step: the day it happened (today
// when zero), the learner's written response for the defence, the decision.
type StepInput struct {
	On       time.Time `json:"on,omitzero"`
	Text     string    `json:"text,omitempty"`
	Decision Decision  `json:"decision,omitzero"`
}

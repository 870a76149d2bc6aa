package traject

import (
	"slices"
	"strings"
	"time"
)

// DeviceAccess says which device a learner can use to follow lessons online.
type DeviceAccess string

// The answers about devices, from none to a computer of one's own.
const (
	DeviceNone           DeviceAccess = "none"
	DeviceSmartphoneOnly DeviceAccess = "smartphone_only"
	DeviceSharedComputer DeviceAccess = "shared_computer"
	DeviceOwnComputer    DeviceAccess = "own_computer"
)

// DeviceAccesses lists the answers in the order the form asks them.
var DeviceAccesses = []DeviceAccess{DeviceNone, DeviceSmartphoneOnly, DeviceSharedComputer, DeviceOwnComputer}

// Valid reports whether d is a known answer.
func (d DeviceAccess) Valid() bool { return oneOf(d, DeviceAccesses) }

// Internet says how a learner reaches the internet at home.
type Internet string

// The answers about internet access.
const (
	InternetNone       Internet = "none"
	InternetMobileData Internet = "mobile_data"
	InternetWiFi       Internet = "wifi"
)

// Internets lists the answers in the order the form asks them.
var Internets = []Internet{InternetNone, InternetMobileData, InternetWiFi}

// Valid reports whether i is a known answer.
func (i Internet) Valid() bool { return oneOf(i, Internets) }

// Literacy says whether a learner reads and writes, and in which script.
type Literacy string

// The answers about literacy.
const (
	LiterateLatin       Literacy = "literate_latin"
	LiterateOtherScript Literacy = "literate_other_script"
	LowLiterate         Literacy = "low_literate"
)

// Literacies lists the answers in the order the form asks them.
var Literacies = []Literacy{LiterateLatin, LiterateOtherScript, LowLiterate}

// Valid reports whether l is a known answer.
func (l Literacy) Valid() bool { return oneOf(l, Literacies) }

// Education is the highest level of school a learner finished.
type Education string

// The education levels.
const (
	EducationNone      Education = "none"
	EducationPrimary   Education = "primary"
	EducationSecondary Education = "secondary"
	EducationHigher    Education = "higher"
)

// Educations lists the levels from none to higher education.
var Educations = []Education{EducationNone, EducationPrimary, EducationSecondary, EducationHigher}

// Valid reports whether e is a known level.
func (e Education) Valid() bool { return oneOf(e, Educations) }

// DutchLevel is a learner's Dutch on the CEFR scale, or none.
type DutchLevel string

// DutchNone is the answer for a learner who speaks no Dutch yet.
const DutchNone DutchLevel = "none"

// DutchLevels lists the answers from none to C2.
var DutchLevels = []DutchLevel{DutchNone, "A1", "A2", "B1", "B2", "C1", "C2"}

// Valid reports whether l is a known level.
func (l DutchLevel) Valid() bool { return oneOf(l, DutchLevels) }

// Skill is one of the five digital tasks a learner needs for online lessons.
type Skill string

// The five digital skills, in the order a learner usually learns them.
const (
	SkillLogIn           Skill = "log_in"           // switch on a computer and log in
	SkillWebsite         Skill = "open_website"     // open a website
	SkillVideoLesson     Skill = "video_lesson"     // join a video lesson
	SkillEmailAttachment Skill = "email_attachment" // send an e-mail with an attachment
	SkillOnlineForm      Skill = "online_form"      // fill in an online form
)

// Skills lists the five skills in the order the form asks them.
var Skills = []Skill{SkillLogIn, SkillWebsite, SkillVideoLesson, SkillEmailAttachment, SkillOnlineForm}

// Valid reports whether s is one of the five skills.
func (s Skill) Valid() bool { return oneOf(s, Skills) }

// DigitalSkills holds the answer (yes or no) to each of the five skills.
type DigitalSkills struct {
	LogIn           bool `json:"log_in" doc:"Can switch on a computer and log in."`
	Website         bool `json:"open_website" doc:"Can open a website."`
	VideoLesson     bool `json:"video_lesson" doc:"Can join a video lesson."`
	EmailAttachment bool `json:"email_attachment" doc:"Can send an e-mail with an attachment."`
	OnlineForm      bool `json:"online_form" doc:"Can fill in an online form."`
}

// Has reports whether the learner can do skill.
func (d DigitalSkills) Has(skill Skill) bool {
	switch skill {
	case SkillLogIn:
		return d.LogIn
	case SkillWebsite:
		return d.Website
	case SkillVideoLesson:
		return d.VideoLesson
	case SkillEmailAttachment:
		return d.EmailAttachment
	case SkillOnlineForm:
		return d.OnlineForm
	}
	return false
}

// Set records the answer for skill.
func (d *DigitalSkills) Set(skill Skill, can bool) {
	switch skill {
	case SkillLogIn:
		d.LogIn = can
	case SkillWebsite:
		d.Website = can
	case SkillVideoLesson:
		d.VideoLesson = can
	case SkillEmailAttachment:
		d.EmailAttachment = can
	case SkillOnlineForm:
		d.OnlineForm = can
	}
}

// Score is how many of the five skills the learner has, from 0 to 5.
func (d DigitalSkills) Score() int {
	n := 0
	for _, s := range Skills {
		if d.Has(s) {
			n++
		}
	}
	return n
}

// MaxSkillScore is the score of a learner who has all five skills.
const MaxSkillScore = 5

// MaxSpokenLanguages bounds the languages of one assessment.
const MaxSpokenLanguages = 10

// Assessment is a needs assessment (the intake): what a learner has and
// needs to follow the civic-orientation course. It is kept as it was made,
// with its date and author; a new intake adds an assessment, never changes one.
type Assessment struct {
	ID           int64         `json:"id"`
	LearnerRef   string        `json:"learner"`
	AssessedOn   time.Time     `json:"assessed_on"`
	DeviceAccess DeviceAccess  `json:"device_access"`
	Internet     Internet      `json:"internet"`
	Skills       DigitalSkills `json:"skills"`
	Literacy     Literacy      `json:"literacy"`
	Education    Education     `json:"education"`
	DutchLevel   DutchLevel    `json:"dutch_level"`
	Languages    []string      `json:"languages"` // ISO 639-1 codes
	Author       string        `json:"author"`    // the staff member who made it
	CreatedAt    time.Time     `json:"created_at"`
}

// Validate checks an assessment made on or before today, in the order the
// form asks the questions, and tidies its languages (lower case, no repeats).
func (a *Assessment) Validate(today time.Time) error {
	var v Validation
	switch {
	case a.AssessedOn.IsZero():
		v.Add("assessed_on", "assessment.date.invalid", "enter the date of the intake", nil)
	case a.AssessedOn.After(today):
		v.Add("assessed_on", "assessment.date.future", "the date of the intake cannot be in the future", nil)
	}
	if !a.DeviceAccess.Valid() {
		v.Add("device_access", "assessment.device.invalid", "choose which device the learner can use", nil)
	}
	if !a.Internet.Valid() {
		v.Add("internet", "assessment.internet.invalid", "choose how the learner reaches the internet", nil)
	}
	if !a.Literacy.Valid() {
		v.Add("literacy", "assessment.literacy.invalid", "choose whether the learner reads and writes", nil)
	}
	if !a.Education.Valid() {
		v.Add("education", "assessment.education.invalid", "choose the highest school the learner finished", nil)
	}
	if !a.DutchLevel.Valid() {
		v.Add("dutch_level", "assessment.dutch.invalid", "choose the learner's level of Dutch, or none", nil)
	}
	a.validateLanguages(&v)
	return v.Err()
}

func (a *Assessment) validateLanguages(v *Validation) {
	var out []string
	for _, code := range a.Languages {
		code = strings.ToLower(strings.TrimSpace(code))
		if code == "" || slices.Contains(out, code) {
			continue
		}
		if !IsLanguageCode(code) {
			v.Add("languages", "assessment.languages.unknown", "use two-letter ISO 639-1 codes, such as ar or fr",
				map[string]any{"Code": code})
			return
		}
		out = append(out, code)
	}
	switch {
	case len(out) == 0:
		v.Add("languages", "assessment.languages.required", "enter at least one language the learner speaks", nil)
	case len(out) > MaxSpokenLanguages:
		v.Add("languages", "assessment.languages.many", "enter at most 10 languages",
			map[string]any{"Max": MaxSpokenLanguages})
	}
	a.Languages = out
}

// ParseLanguages reads a list of language codes as people type it: separated
// by commas, spaces or semicolons.
func ParseLanguages(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' })
}

package traject

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaterialType is what kind of learning material it is.
type MaterialType string

// The material types.
const (
	MaterialModule   MaterialType = "module"   // a lesson module
	MaterialExercise MaterialType = "exercise" // an exercise
	MaterialMethod   MaterialType = "method"   // a teaching method
	MaterialVideo    MaterialType = "video"
)

// MaterialTypes lists the types in the order forms show them.
var MaterialTypes = []MaterialType{MaterialModule, MaterialExercise, MaterialMethod, MaterialVideo}

// MaterialTrack is the level track a material suits: one of the course
// tracks, or any of them.
type MaterialTrack string

// The material tracks.
const (
	MaterialTrackBasic     MaterialTrack = "basic"
	MaterialTrackStandard  MaterialTrack = "standard"
	MaterialTrackIntensive MaterialTrack = "intensive"
	MaterialTrackAny       MaterialTrack = "any" // suits every track
)

// MaterialTracks lists the tracks in the order forms show them.
var MaterialTracks = []MaterialTrack{MaterialTrackBasic, MaterialTrackStandard, MaterialTrackIntensive, MaterialTrackAny}

// MaterialStatus is where a material is in its review.
type MaterialStatus string

// The material statuses. A material is submitted; each review decides it is
// approved or rejected, and the latest review's decision is its status.
const (
	MaterialSubmitted MaterialStatus = "submitted"
	MaterialApproved  MaterialStatus = "approved"
	MaterialRejected  MaterialStatus = "rejected"
)

// MaterialStatuses lists the statuses in the order filters show them.
var MaterialStatuses = []MaterialStatus{MaterialSubmitted, MaterialApproved, MaterialRejected}

// Material is a piece of learning material for blended learning: a lesson
// module, exercise, method or video, kept in one national catalogue. Only
// approved materials are meant for teachers; the others wait for, or failed,
// their review.
type Material struct {
	ID           int64            `json:"id"`
	Title        string           `json:"title"`
	Link         string           `json:"link"` // an http or https address; one material per address
	Type         MaterialType     `json:"type"`
	Theme        string           `json:"theme"`     // the course theme, as people name it: "wonen", "werk"
	Languages    []string         `json:"languages"` // ISO 639-1 codes of the languages it is in, sorted
	Track        MaterialTrack    `json:"track"`
	WorksOffline bool             `json:"works_offline"`
	SubmittedBy  int64            `json:"submitted_by,omitempty"` // the staff member; 0 for the command line or the demo
	Submitter    string           `json:"submitter"`              // their name, or the system's label
	Status       MaterialStatus   `json:"status"`
	Reviews      []MaterialReview `json:"reviews,omitempty"` // newest first, when read one by one
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
}

// Material field limits.
const (
	MaterialTitleMax     = 200
	MaterialThemeMax     = 100
	MaterialLinkMax      = 2000
	MaterialLanguagesMax = 20
)

// Valid reports whether t is a known type.
func (t MaterialType) Valid() bool { return slices.Contains(MaterialTypes, t) }

// Valid reports whether t is a known track.
func (t MaterialTrack) Valid() bool { return slices.Contains(MaterialTracks, t) }

// Valid reports whether s is a known status.
func (s MaterialStatus) Valid() bool { return slices.Contains(MaterialStatuses, s) }

// Validate checks a new material, tidies what people type (spaces, the case
// of language codes) and names every wrong field in the order the form asks.
func (m *Material) Validate() error {
	var v Validation
	m.Title, m.Theme, m.Link = strings.TrimSpace(m.Title), strings.TrimSpace(m.Theme), strings.TrimSpace(m.Link)
	if m.Title == "" || utf8.RuneCountInString(m.Title) > MaterialTitleMax {
		v.Add("title", "material.title.invalid", "enter a title of at most 200 characters", nil)
	}
	if !ValidLink(m.Link) {
		v.Add("link", "material.link.invalid", "enter the full address, starting with https:// or http://", nil)
	}
	if !m.Type.Valid() {
		v.Add("type", "material.type.invalid", "choose module, exercise, method or video", nil)
	}
	if m.Theme == "" || utf8.RuneCountInString(m.Theme) > MaterialThemeMax {
		v.Add("theme", "material.theme.invalid", "enter the theme (at most 100 characters)", nil)
	}
	m.validateLanguages(&v)
	if !m.Track.Valid() {
		v.Add("track", "material.track.invalid", "choose basic, standard, intensive or any track", nil)
	}
	return v.Err()
}

func (m *Material) validateLanguages(v *Validation) {
	var codes []string
	for _, c := range m.Languages {
		c = strings.ToLower(strings.TrimSpace(c))
		if !IsLanguageCode(c) {
			v.Add("languages", "material.languages.invalid", "use two-letter language codes such as nl, fr, ar", map[string]any{"Code": c})
			return
		}
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes) // one order everywhere: the form, the list, the API
	m.Languages = codes
	switch {
	case len(codes) == 0:
		v.Add("languages", "material.languages.required", "enter at least one language code", nil)
	case len(codes) > MaterialLanguagesMax:
		v.Add("languages", "material.languages.many", "enter at most 20 languages", nil)
	}
}

// ValidLink reports whether s is an absolute http or https address with a
// host, so that a link in the catalogue opens in a browser and never runs a
// script (javascript:) or a local file.
func ValidLink(s string) bool {
	if s == "" || len(s) > MaterialLinkMax || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// Suits reports whether the material can be used in a course of track t: a
// material for any track suits them all.
func (m *Material) Suits(t MaterialTrack) bool {
	return m.Track == MaterialTrackAny || m.Track == t
}

// CanSubmitMaterial reports whether u may propose a material for the
// catalogue: staff who work with learners or courses, which today is every
// role, and tomorrow need not be.
func CanSubmitMaterial(u *User) bool {
	return u.Can(PermLearnersRead) || u.Can(PermCoursesRead)
}

// The criteria a reviewer answers for every material, each yes or no. They
// are the questions blended learning in 2020 raised: can the learners read it,
// can everyone use it, does it run on the lent Chromebooks, and on a 4G bundle.
const (
	CriterionLanguageLevel = "language_level" // the language level suits the learners
	CriterionAccessible    = "accessible"     // usable with a screen reader, captions, large text
	CriterionChromebook    = "chromebook"     // works on a Chromebook
	CriterionMobileData    = "mobile_data"    // works on mobile data, without Wi-Fi
)

// MaterialCriteria lists the criteria in the order the review form asks them.
var MaterialCriteria = []string{CriterionLanguageLevel, CriterionAccessible, CriterionChromebook, CriterionMobileData}

// MaterialReview is one review of a material: an answer to every criterion,
// a decision, and the reviewer's notes. Reviews are kept, so a material's
// history shows who judged it when and why.
type MaterialReview struct {
	ID            int64          `json:"id"`
	MaterialID    int64          `json:"material_id"`
	ReviewerID    int64          `json:"reviewer_id,omitempty"`
	Reviewer      string         `json:"reviewer"`
	LanguageLevel *bool          `json:"language_level"` // nil: not answered
	Accessible    *bool          `json:"accessible"`
	Chromebook    *bool          `json:"chromebook"`
	MobileData    *bool          `json:"mobile_data"`
	Decision      MaterialStatus `json:"decision"` // approved or rejected
	Notes         string         `json:"notes"`
	CreatedAt     time.Time      `json:"created_at"`
}

// MaterialNotesMax is the longest note a reviewer can write.
const MaterialNotesMax = 2000

// Answer returns the answer to one criterion, nil when not answered.
func (r *MaterialReview) Answer(criterion string) *bool {
	switch criterion {
	case CriterionLanguageLevel:
		return r.LanguageLevel
	case CriterionAccessible:
		return r.Accessible
	case CriterionChromebook:
		return r.Chromebook
	case CriterionMobileData:
		return r.MobileData
	}
	return nil
}

// SetAnswer records the answer to one criterion.
func (r *MaterialReview) SetAnswer(criterion string, yes bool) {
	switch criterion {
	case CriterionLanguageLevel:
		r.LanguageLevel = &yes
	case CriterionAccessible:
		r.Accessible = &yes
	case CriterionChromebook:
		r.Chromebook = &yes
	case CriterionMobileData:
		r.MobileData = &yes
	}
}

// anyNo reports whether some criterion was answered no.
func (r *MaterialReview) anyNo() bool {
	for _, c := range MaterialCriteria {
		if a := r.Answer(c); a != nil && !*a {
			return true
		}
	}
	return false
}

// CheckMaterialReview says whether reviewer may record r on m, and what is
// missing. The rules:
//
//   - the reviewer is never the submitter: every material is judged by a
//     second person (a system actor, id 0, is nobody's second person and
//     nobody's first, so the demo and the command line are not refused);
//   - a decision (approved or rejected) needs an answer to every criterion;
//   - a rejection needs a note, so the submitter learns why;
//   - approving a material that fails a criterion needs a note too, so that
//     teachers read its limits ("only on Wi-Fi") before they use it.
//
// A material can be reviewed again at any time (a website changes); the
// latest decision is its status.
func CheckMaterialReview(m *Material, r *MaterialReview, reviewer *User) error {
	if reviewer != nil && reviewer.ID != 0 && reviewer.ID == m.SubmittedBy {
		return Errorf(EFORBIDDEN, "material.review.own", "you submitted this material: a colleague reviews it")
	}
	var v Validation
	r.Notes = strings.TrimSpace(r.Notes)
	for _, c := range MaterialCriteria {
		if r.Answer(c) == nil {
			v.Add(c, "material.review."+c+".required", "answer yes or no: "+strings.ReplaceAll(c, "_", " "), nil)
		}
	}
	if r.Decision != MaterialApproved && r.Decision != MaterialRejected {
		v.Add("decision", "material.review.decision.invalid", "choose approve or reject", nil)
	}
	switch {
	case utf8.RuneCountInString(r.Notes) > MaterialNotesMax:
		v.Add("notes", "material.review.notes.long", "write at most 2000 characters", nil)
	case r.Notes != "":
	case r.Decision == MaterialRejected:
		v.Add("notes", "material.review.notes.rejection", "say why the material is rejected", nil)
	case r.Decision == MaterialApproved && r.anyNo():
		v.Add("notes", "material.review.notes.limits", "the material fails a criterion: say what teachers should know", nil)
	}
	return v.Err()
}

package traject

import (
	"slices"
	"strings"
	"time"
)

// Channel is how a request for a device reached the agency.
type Channel string

// The channels.
const (
	ChannelCounsellor Channel = "counsellor"
	ChannelTeacher    Channel = "teacher"
	ChannelLearner    Channel = "learner" // on the learner's own pages
	ChannelPhone      Channel = "phone"
	ChannelDesk       Channel = "desk"
)

// Channels lists every channel in the order forms show them.
var Channels = []Channel{ChannelCounsellor, ChannelTeacher, ChannelLearner, ChannelPhone, ChannelDesk}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// RequestState is where a request for a device stands.
type RequestState string

// The request states.
const (
	RequestWaiting   RequestState = "waiting"   // in the queue: no suitable device was free
	RequestAllocated RequestState = "allocated" // a loan was reserved for it
	RequestCancelled RequestState = "cancelled"
)

// LoanRequest is a request for a device for a learner and a course.
type LoanRequest struct {
	ID           int64        `json:"id"`
	Ref          string       `json:"ref"` // the reference the learner is given
	LearnerRef   string       `json:"learner"`
	LearnerName  string       `json:"learner_name,omitempty"`
	Obliged      bool         `json:"obliged"`
	CourseRef    string       `json:"course"`
	CourseStarts time.Time    `json:"course_starts,omitzero"`
	CourseEnds   time.Time    `json:"course_ends,omitzero"`
	RegionCode   string       `json:"region"`
	Need         Connectivity `json:"need"`
	Channel      Channel      `json:"channel"`
	State        RequestState `json:"state"`
	LoanID       int64        `json:"loan_id,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// Validate checks a new request and names every wrong field.
func (r *LoanRequest) Validate() error {
	var v Validation
	r.LearnerRef, r.CourseRef = strings.TrimSpace(r.LearnerRef), strings.TrimSpace(r.CourseRef)
	if r.LearnerRef == "" {
		v.Add("learner", "loan.learner.required", "enter the learner's reference", nil)
	}
	if r.CourseRef == "" {
		v.Add("course", "request.course.required", "choose the course the device is for", nil)
	}
	if r.Need != WiFi && r.Need != Mobile {
		v.Add("need", "request.need.invalid", "choose wifi (the learner has internet at home) or 4g (no internet at home)", nil)
	}
	if !r.Channel.Valid() {
		v.Add("channel", "request.channel.invalid", "choose counsellor, teacher, learner, phone or desk", nil)
	}
	return v.Err()
}

// DeviceNeed is the device a learner needs given their internet at home: a
// Wi-Fi device with Wi-Fi at home, else one with its own data bundle, since
// mobile data on a phone (or nothing) does not carry a video lesson.
func DeviceNeed(home Internet) Connectivity {
	if home == InternetWiFi {
		return WiFi
	}
	return Mobile
}

// QueueBefore orders the waiting queue: obliged learners first, then the
// earlier course start, then the older request. The desk page states this
// rule, so the order is never a mystery.
func QueueBefore(a, b *LoanRequest) bool {
	if a.Obliged != b.Obliged {
		return a.Obliged
	}
	if !a.CourseStarts.Equal(b.CourseStarts) {
		return a.CourseStarts.Before(b.CourseStarts)
	}
	return a.ID < b.ID
}

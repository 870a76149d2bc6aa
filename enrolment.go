package traject

import (
	"cmp"
	"slices"
	"time"
)

// EnrolmentState is where a learner stands with a course.
type EnrolmentState string

// The enrolment states.
const (
	EnrolmentEnrolled  EnrolmentState = "enrolled"  // has a place
	EnrolmentWaiting   EnrolmentState = "waiting"   // on the waiting list, in order of arrival
	EnrolmentWithdrawn EnrolmentState = "withdrawn" // left the course or the list
)

// Enrolment is one learner's place in a course, or on its waiting list.
// CreatedAt is the learner's arrival: the waiting list is served in that
// order (ID breaks a tie).
type Enrolment struct {
	ID          int64          `json:"id"`
	CourseID    int64          `json:"course_id,omitempty"`
	CourseRef   string         `json:"course"`
	LearnerID   int64          `json:"learner_id,omitempty"`
	LearnerRef  string         `json:"learner"`
	LearnerName string         `json:"learner_name,omitempty"`
	State       EnrolmentState `json:"state"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// EnrolState returns the state of a new enrolment in a course with this
// capacity and this many learners enrolled: a place while one is free, else
// the waiting list.
func EnrolState(capacity, enrolled int) EnrolmentState {
	if enrolled < capacity {
		return EnrolmentEnrolled
	}
	return EnrolmentWaiting
}

// ArrivalOrder sorts enrolments in order of arrival.
func ArrivalOrder(list []Enrolment) {
	slices.SortStableFunc(list, func(a, b Enrolment) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Promotions returns the waiting enrolments that get a place in a course with
// this capacity, first come first served: as many as places are free. A freed
// place goes to the learner who has waited longest.
func Promotions(capacity int, list []Enrolment) []Enrolment {
	enrolled := 0
	var waiting []Enrolment
	for _, e := range list {
		switch e.State {
		case EnrolmentEnrolled:
			enrolled++
		case EnrolmentWaiting:
			waiting = append(waiting, e)
		}
	}
	free := capacity - enrolled
	if free <= 0 || len(waiting) == 0 {
		return nil
	}
	ArrivalOrder(waiting)
	return waiting[:min(free, len(waiting))]
}

// CheckEnrol says whether a learner whose enrolment is in state current (""
// when there is none) may enrol: not while already enrolled or waiting.
func CheckEnrol(current EnrolmentState) error {
	switch current {
	case EnrolmentEnrolled:
		return Errorf(ECONFLICT, "enrolment.already.enrolled", "this learner is already enrolled in this course")
	case EnrolmentWaiting:
		return Errorf(ECONFLICT, "enrolment.already.waiting", "this learner is already on the waiting list of this course")
	}
	return nil
}

// CheckWithdraw says whether an enrolment in state current ("" when there is
// none) can be withdrawn.
func CheckWithdraw(current EnrolmentState) error {
	if current != EnrolmentEnrolled && current != EnrolmentWaiting {
		return Errorf(ECONFLICT, "enrolment.withdraw.none", "this learner is not enrolled in this course nor on its waiting list")
	}
	return nil
}

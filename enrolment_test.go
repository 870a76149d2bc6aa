package traject

import (
	"slices"
	"testing"
	"time"
)

func TestEnrolStateByCapacity(t *testing.T) {
	tests := []struct {
		capacity, enrolled int
		want               EnrolmentState
	}{
		{12, 0, EnrolmentEnrolled},
		{12, 11, EnrolmentEnrolled},
		{12, 12, EnrolmentWaiting},
		{1, 5, EnrolmentWaiting}, // over capacity after a capacity cut: still waiting
	}
	for _, tt := range tests {
		if got := EnrolState(tt.capacity, tt.enrolled); got != tt.want {
			t.Errorf("capacity %d, enrolled %d: %s, want %s", tt.capacity, tt.enrolled, got, tt.want)
		}
	}
}

func refs(list []Enrolment) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.LearnerRef)
	}
	return out
}

// TestWaitingListOrderAndPromotion fills a course of two, puts three on the
// waiting list in order of arrival (listed out of order, with a tie on the
// time that the id breaks), and frees places one and two at a time.
func TestWaitingListOrderAndPromotion(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2020, 9, 1, 9, min, 0, 0, time.UTC) }
	list := []Enrolment{
		{ID: 1, LearnerRef: "A", State: EnrolmentEnrolled, CreatedAt: at(0)},
		{ID: 2, LearnerRef: "B", State: EnrolmentEnrolled, CreatedAt: at(1)},
		{ID: 5, LearnerRef: "E", State: EnrolmentWaiting, CreatedAt: at(4)},
		{ID: 4, LearnerRef: "D", State: EnrolmentWaiting, CreatedAt: at(3)},
		{ID: 3, LearnerRef: "C", State: EnrolmentWaiting, CreatedAt: at(3)},
		{ID: 6, LearnerRef: "X", State: EnrolmentWithdrawn, CreatedAt: at(0)},
	}
	if got := Promotions(2, list); got != nil {
		t.Errorf("a full course promotes %v", refs(got))
	}
	list[0].State = EnrolmentWithdrawn // A leaves: one place
	if got := refs(Promotions(2, list)); !slices.Equal(got, []string{"C"}) {
		t.Errorf("one place freed: promoted %v, want [C] (first arrival, lower id on a tie)", got)
	}
	list[1].State = EnrolmentWithdrawn // B leaves too: two places
	if got := refs(Promotions(2, list)); !slices.Equal(got, []string{"C", "D"}) {
		t.Errorf("two places freed: promoted %v, want [C D]", got)
	}
	if got := refs(Promotions(10, list)); !slices.Equal(got, []string{"C", "D", "E"}) {
		t.Errorf("room for all: promoted %v, want the whole list in order", got)
	}
	waiting := slices.Clone(list[2:5])
	ArrivalOrder(waiting)
	if got := refs(waiting); !slices.Equal(got, []string{"C", "D", "E"}) {
		t.Errorf("arrival order %v", got)
	}
}

func TestEnrolAndWithdrawChecks(t *testing.T) {
	for state, want := range map[EnrolmentState]string{"": "", EnrolmentWithdrawn: "", EnrolmentEnrolled: ECONFLICT, EnrolmentWaiting: ECONFLICT} {
		if got := ErrorCode(CheckEnrol(state)); got != want {
			t.Errorf("enrol from %q: %q, want %q", state, got, want)
		}
	}
	for state, want := range map[EnrolmentState]string{"": ECONFLICT, EnrolmentWithdrawn: ECONFLICT, EnrolmentEnrolled: "", EnrolmentWaiting: ""} {
		if got := ErrorCode(CheckWithdraw(state)); got != want {
			t.Errorf("withdraw from %q: %q, want %q", state, got, want)
		}
	}
}

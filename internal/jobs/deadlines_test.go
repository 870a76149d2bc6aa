package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"traject"
	"traject/internal/store/storetest"
)

// TestDeadlinesWorker lists a file whose warning ran out, by id only.
func TestDeadlinesWorker(t *testing.T) {
	s := storetest.Open(t)
	ctx := traject.NewContextWithActorLabel(context.Background(), "test")
	l := &traject.Learner{Ref: "JOB-L1", FirstName: "Amal", LastName: "Job", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		Language: "ar", RegionCode: "ANT", Obligation: traject.Obliged}
	if err := s.CreateLearner(ctx, l); err != nil {
		t.Fatal(err)
	}
	today := traject.SessionDay(time.Now())
	f, err := s.OpenFile(ctx, &traject.FileOpening{LearnerRef: "JOB-L1", Type: traject.InfractionCourseAbandoned,
		From: today.AddDate(0, 0, -90), Until: today.AddDate(0, 0, -60)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeStep(ctx, f.ID, traject.StepWarn, traject.StepInput{On: today.AddDate(0, 0, -45)}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := &deadlinesWorker{store: s, log: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := w.Work(context.Background(), &river.Job[DeadlinesArgs]{}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "passed=1") || !strings.Contains(out, "state=warning_sent") || strings.Contains(out, "Amal") {
		t.Errorf("log:\n%s", out)
	}
}

package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// caseFixture is a course fixture with two enforcement officers and a
// calendar relative to today, since the guard and the deadlines look at today.
type caseFixture struct {
	*courseFixture
	v          inv
	enf1, enf2 context.Context
	today      time.Time
}

func newCaseFixture(t *testing.T, s *store.Store) *caseFixture {
	t.Helper()
	f := &caseFixture{courseFixture: newCourseFixture(t, s), today: traject.SessionDay(time.Now())}
	f.v = inv{s: s, admin: f.admin}
	f.enf1 = adminCtx(mustCreateUser(t, s, &traject.User{Email: "enf1@example.org", Name: "Enf One", Role: traject.RoleEnforcement}))
	f.enf2 = adminCtx(mustCreateUser(t, s, &traject.User{Email: "enf2@example.org", Name: "Enf Two", Role: traject.RoleEnforcement}))
	f.course(t, newCourse("CASE-C1"))
	f.exec(t, `INSERT INTO outreach_campaigns (name, criteria, region_code, retry_after_days, max_attempts, created_at)
		VALUES ('Belronde', '{}', 'ANT', 2, 3, ?)`, f.ts(-50))
	return f
}

// day is today plus n days, as a date; ds is the same as text.
func (f *caseFixture) day(n int) time.Time { return f.today.AddDate(0, 0, n) }
func (f *caseFixture) ds(n int) string     { return f.day(n).Format(traject.DateLayout) }
func (f *caseFixture) ts(n int) any        { return store.CaseTimeArg(f.s, time.Now().AddDate(0, 0, n)) }

func (f *caseFixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if err := store.CaseExec(f.admin, f.s, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *caseFixture) opening(ref string, typ traject.InfractionType) *traject.FileOpening {
	return &traject.FileOpening{LearnerRef: ref, Type: typ, From: f.day(-60), Until: f.day(-1)}
}

// call records an outreach call to the learner, in lang, with or without an interpreter.
func (f *caseFixture) call(t *testing.T, ref, lang string, interpreter bool) {
	t.Helper()
	f.exec(t, `INSERT INTO outreach_targets (campaign_id, learner_id, language, state, attempts, created_at, updated_at)
		SELECT (SELECT MAX(id) FROM outreach_campaigns), id, language, 'open', 0, ?, ? FROM learners WHERE ref = ?
		ON CONFLICT (campaign_id, learner_id) DO NOTHING`, f.ts(-30), f.ts(-30), ref)
	f.exec(t, `INSERT INTO outreach_calls (target_id, campaign_id, learner_id, language, interpreter, called_at, outcome)
		SELECT t.id, t.campaign_id, t.learner_id, ?, ?, ?, 'no_answer' FROM outreach_targets t JOIN learners l ON l.id = t.learner_id
		WHERE l.ref = ?`, lang, interpreter, f.ts(-30), ref)
}

func (f *caseFixture) loan(t *testing.T, ref, tag, state string) {
	t.Helper()
	f.exec(t, `INSERT INTO loans (learner_id, device_id, region_code, connectivity, starts_on, ends_on, due_on, state, handed_out_on, created_at, updated_at)
		SELECT l.id, d.id, 'ANT', d.connectivity, ?, ?, ?, ?, ?, ?, ? FROM learners l, devices d WHERE l.ref = ? AND d.asset_tag = ?`,
		f.ds(-50), f.ds(10), f.ds(10), state, f.ds(-50), f.ts(-50), f.ts(-50), ref, tag)
}

// causeSetups make one agency-caused cause for a learner, each as the
// records show it; n keeps device tags apart.
func (f *caseFixture) causeSetups() map[traject.AgencyCauseKind]func(t *testing.T, ref string, n int) {
	return map[traject.AgencyCauseKind]func(t *testing.T, ref string, n int){
		traject.CauseRequestWaiting: func(t *testing.T, ref string, n int) {
			f.exec(t, `INSERT INTO loan_requests (ref, learner_id, course_id, region_code, need, channel, state, created_at, updated_at)
				SELECT ?, l.id, c.id, 'ANT', 'wifi', 'phone', 'waiting', ?, ? FROM learners l, courses c WHERE l.ref = ? AND c.ref = 'CASE-C1'`,
				"REQ-"+ref, f.ts(-10), f.ts(-10), ref)
		},
		traject.CauseDeviceSwapped: func(t *testing.T, ref string, n int) {
			old, cur := fmt.Sprintf("SWO-%02d", n), fmt.Sprintf("SWN-%02d", n)
			f.v.device(t, old, "ANT", traject.WiFi, traject.StateInRepair)
			f.v.device(t, cur, "ANT", traject.WiFi, traject.StateInStock)
			f.loan(t, ref, cur, "handed_out")
			f.exec(t, `INSERT INTO loan_swaps (loan_id, old_device_id, new_device_id, swapped_on, reason, addendum, created_at)
				SELECT l.id, (SELECT id FROM devices WHERE asset_tag = ?), l.device_id, ?, 'screen', 'addendum', ?
				FROM loans l JOIN devices d ON d.id = l.device_id WHERE d.asset_tag = ?`, old, f.ds(-20), f.ts(-20), cur)
		},
		traject.CauseDeviceLost: func(t *testing.T, ref string, n int) {
			tag := fmt.Sprintf("LOST-%02d", n)
			f.v.device(t, tag, "ANT", traject.WiFi, traject.StateInStock)
			f.loan(t, ref, tag, "lost")
		},
		traject.CauseDeviceStolen: func(t *testing.T, ref string, n int) {
			tag := fmt.Sprintf("STOL-%02d", n)
			f.v.device(t, tag, "ANT", traject.WiFi, traject.StateInStock)
			f.loan(t, ref, tag, "stolen")
		},
		traject.CauseSIMSuspended: func(t *testing.T, ref string, n int) {
			tag := fmt.Sprintf("SIMS-%d", n)
			f.v.device(t, tag, "ANT", traject.Mobile, traject.StateInStock)
			f.loan(t, ref, tag, "handed_out")
			f.exec(t, `UPDATE sims SET state = 'suspended', bundle_until = ? WHERE device_id = (SELECT id FROM devices WHERE asset_tag = ?)`, f.ds(300), tag)
		},
		traject.CauseBundleEnded: func(t *testing.T, ref string, n int) {
			tag := fmt.Sprintf("BUNDL-%d", n)
			f.v.device(t, tag, "ANT", traject.Mobile, traject.StateInStock)
			f.loan(t, ref, tag, "handed_out")
			f.exec(t, `UPDATE sims SET bundle_until = ? WHERE device_id = (SELECT id FROM devices WHERE asset_tag = ?)`, f.ds(-30), tag)
		},
		traject.CauseCourseSuspended: func(t *testing.T, ref string, n int) {
			course := fmt.Sprintf("CASE-SUS-%02d", n)
			f.exec(t, `INSERT INTO enrolments (course_id, learner_id, state, created_at, updated_at)
				SELECT c.id, l.id, 'enrolled', ?, ? FROM courses c, learners l WHERE c.ref = ? AND l.ref = ?`, f.ts(-70), f.ts(-70), course, ref)
			f.exec(t, `INSERT INTO course_suspensions (course_id, starts_on, ends_on, reason, created_at)
				SELECT id, ?, ?, 'lockdown', ? FROM courses WHERE ref = ?`, f.ds(-40), f.ds(-35), f.ts(-40), course)
		},
	}
}

// suspendable makes a course for the suspension cause: it has no sessions in
// the file's period, so that only the suspension can stop the file.
func (f *caseFixture) suspendable(t *testing.T, n int) {
	c := newCourse(fmt.Sprintf("CASE-SUS-%02d", n))
	c.StartsOn, c.EndsOn = date("2020-10-19"), date("2020-11-12")
	f.course(t, c)
}

func hasCause(err error, kind traject.AgencyCauseKind) bool {
	causes := traject.GuardCauses(err)
	return len(causes) == 1 && causes[0].Kind == kind
}

// TestGuardRefusesEveryCauseAtOpening tries each agency cause against
// OpenFile: the file is refused, the cause named, and the refusal recorded.
func TestGuardRefusesEveryCauseAtOpening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCaseFixture(t, s)
		n := 0
		for kind, setup := range f.causeSetups() {
			n++
			ref := fmt.Sprintf("G-%02d", n)
			f.learner(t, ref, "ANT")
			f.suspendable(t, n)
			setup(t, ref, n)
			_, err := s.OpenFile(f.enf1, f.opening(ref, traject.InfractionInsufficientParticipation))
			if traject.ErrorCode(err) != traject.ECONFLICT || !hasCause(err, kind) {
				t.Errorf("%s: open = %v (causes %+v)", kind, err, traject.GuardCauses(err))
			}
			if refusals, _ := s.FileRefusals(f.enf1, 100); len(refusals) != n || refusals[0].Causes[0].Kind != kind {
				t.Errorf("%s: refusals recorded = %+v", kind, refusals)
			}
		}
		if files, _ := s.InfractionFiles(f.enf1, store.FileFilter{}); len(files) != 0 {
			t.Errorf("the guard let %d files through", len(files))
		}
		// Every cause at once is listed in full.
		f.learner(t, "G-ALL", "ANT")
		f.suspendable(t, 90)
		i := 90
		for _, setup := range f.causeSetups() {
			setup(t, "G-ALL", i)
		}
		_, err := s.OpenFile(f.enf1, f.opening("G-ALL", traject.InfractionCourseAbandoned))
		if got := traject.GuardCauses(err); len(got) != 7 {
			t.Errorf("all causes: %d named: %+v", len(got), got)
		}
		// A cause outside the period does not stop a file for an earlier one.
		o := f.opening("G-ALL", traject.InfractionCourseAbandoned)
		o.From, o.Until = f.day(-400), f.day(-300)
		if _, err := s.OpenFile(f.enf1, o); err != nil {
			t.Errorf("earlier period: %v", err)
		}
	})
}

// TestGuardRefusesEveryCauseAtSending tries each cause appearing after the
// file was opened: the warning is not sent, and a warned and signed-off file
// is not referred.
func TestGuardRefusesEveryCauseAtSending(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCaseFixture(t, s)
		n := 0
		for kind, setup := range f.causeSetups() {
			n++
			warnRef, referRef := fmt.Sprintf("W-%02d", n), fmt.Sprintf("R-%02d", n)
			f.learner(t, warnRef, "ANT")
			f.learner(t, referRef, "ANT")
			f.suspendable(t, n)
			f.suspendable(t, 50+n)
			w, err := s.OpenFile(f.enf1, f.opening(warnRef, traject.InfractionInsufficientParticipation))
			if err != nil {
				t.Fatal(err)
			}
			r := f.readyToRefer(t, referRef)
			setup(t, warnRef, n)
			setup(t, referRef, 50+n)
			if _, err := s.TakeStep(f.enf1, w.ID, traject.StepWarn, traject.StepInput{}); !hasCause(err, kind) {
				t.Errorf("%s: warn = %v", kind, err)
			}
			if _, err := s.TakeStep(f.enf1, r.ID, traject.StepRefer, traject.StepInput{}); !hasCause(err, kind) {
				t.Errorf("%s: refer = %v", kind, err)
			}
			for _, id := range []int64{w.ID, r.ID} {
				if got, _ := s.InfractionFile(f.enf1, id); got.State == traject.FileReferred || (id == w.ID && got.State != traject.FileDraft) {
					t.Errorf("%s: file %d went on to %s", kind, id, got.State)
				}
			}
		}
	})
}

// readyToRefer opens a file, warns 40 days ago, phones the learner and has
// both officers sign it off.
func (f *caseFixture) readyToRefer(t *testing.T, ref string) *traject.InfractionFile {
	t.Helper()
	file, err := f.s.OpenFile(f.enf1, f.opening(ref, traject.InfractionInsufficientParticipation))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.TakeStep(f.enf1, file.ID, traject.StepWarn, traject.StepInput{On: f.day(-40)}); err != nil {
		t.Fatal(err)
	}
	f.call(t, ref, "ar", false)
	for _, ctx := range []context.Context{f.enf1, f.enf2} {
		if err := f.s.SignOff(ctx, file.ID); err != nil {
			t.Fatalf("sign off: %v", err)
		}
	}
	return file
}

func TestFileNeedsChecklistAndTwoDistinctSignOffs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCaseFixture(t, s)
		f.learner(t, "P-01", "ANT")
		file, err := s.OpenFile(f.enf1, f.opening("P-01", traject.InfractionInsufficientParticipation))
		if err != nil || file.State != traject.FileDraft || file.NormPercent != traject.DefaultParticipationNorm {
			t.Fatalf("open: %+v, %v", file, err)
		}
		if _, err := s.TakeStep(f.enf1, file.ID, traject.StepRefer, traject.StepInput{}); !hasKey(err, "case.step.refused") {
			t.Errorf("refer a draft: %v", err)
		}
		if err := s.SignOff(f.enf1, file.ID); !hasKey(err, "case.signoff.state") {
			t.Errorf("sign off a draft: %v", err)
		}
		file, err = s.TakeStep(f.enf1, file.ID, traject.StepWarn, traject.StepInput{On: f.day(-40)})
		if err != nil || !file.WarningDeadline.Equal(f.day(-10)) || !file.Deadline.Equal(f.day(-10)) {
			t.Fatalf("warn: %+v, %v", file, err)
		}
		// Without an outreach attempt in the learner's language the checklist fails.
		f.call(t, "P-01", "fr", false)
		if err := s.SignOff(f.enf1, file.ID); !hasKey(err, "case.signoff.checklist") {
			t.Errorf("sign off with a failing checklist: %v", err)
		}
		if _, err := s.TakeStep(f.enf1, file.ID, traject.StepRefer, traject.StepInput{}); !hasKey(err, "case.checklist.failed") {
			t.Errorf("refer with a failing checklist: %v", err)
		}
		f.call(t, "P-01", "fr", true) // with an interpreter
		if err := s.SignOff(f.enf1, file.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SignOff(f.enf1, file.ID); !hasKey(err, "case.signoff.twice") {
			t.Errorf("the same person twice: %v", err)
		}
		if _, err := s.TakeStep(f.enf1, file.ID, traject.StepRefer, traject.StepInput{}); !hasKey(err, "case.signoffs.missing") {
			t.Errorf("refer with one sign-off: %v", err)
		}
		if err := s.SignOff(f.enf2, file.ID); err != nil {
			t.Fatal(err)
		}
		// A pending exemption keeps the file in the agency until it is decided.
		exID, err := s.RequestExemption(f.enf1, "P-01", "medical certificate", f.day(-2))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TakeStep(f.enf1, file.ID, traject.StepRefer, traject.StepInput{}); !hasKey(err, "case.checklist.failed") {
			t.Errorf("refer with a pending exemption: %v", err)
		}
		if err := s.DecideExemption(f.enf2, exID, false); err != nil {
			t.Fatal(err)
		}
		f.walkToCollection(t, file.ID)
	})
}

func (f *caseFixture) walkToCollection(t *testing.T, id int64) {
	t.Helper()
	s := f.s
	file, err := s.TakeStep(f.enf1, id, traject.StepRefer, traject.StepInput{})
	if err != nil || file.State != traject.FileReferred || !file.DefenceDeadline.Equal(f.day(30)) {
		t.Fatalf("refer: %+v, %v", file, err)
	}
	if _, err := s.TakeStep(f.enf1, id, traject.StepDecide, traject.StepInput{Decision: traject.Decision{Outcome: traject.OutcomeNoFine}}); !hasKey(err, "case.step.refused") {
		t.Errorf("decide before the hearing: %v", err)
	}
	if _, err := s.TakeStep(f.enf1, id, traject.StepDefence, traject.StepInput{}); traject.ErrorCode(err) != traject.EINVALID {
		t.Errorf("defence without a response before its deadline: %v", err)
	}
	if _, err := s.TakeStep(f.enf1, id, traject.StepDefence, traject.StepInput{Text: "I was ill."}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.FileEvidence(f.enf1, id)
	if err != nil || ev.Proposed != 50 {
		t.Fatalf("evidence: proposed %d, %v", ev.Proposed, err)
	}
	bad := traject.StepInput{Decision: traject.Decision{Outcome: traject.OutcomeFine, Amount: 10}}
	if _, err := s.TakeStep(f.enf1, id, traject.StepDecide, bad); traject.ErrorCode(err) != traject.EINVALID {
		t.Errorf("a fine of 10 euro: %v", err)
	}
	file, err = s.TakeStep(f.enf1, id, traject.StepDecide, traject.StepInput{Decision: traject.Decision{Outcome: traject.OutcomeFine, Amount: ev.Proposed}})
	if err != nil || file.Amount != 50 || !file.PaymentDeadline.Equal(f.day(60)) {
		t.Fatalf("decide: %+v, %v", file, err)
	}
	for _, step := range []traject.FileStep{traject.StepRemind, traject.StepCollect} {
		if file, err = s.TakeStep(f.enf1, id, step, traject.StepInput{}); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	if file.State != traject.FileCollected || !file.Deadline.IsZero() {
		t.Errorf("collected: %+v", file)
	}
	ev, _ = s.FileEvidence(f.enf1, id)
	if len(ev.Letters) != 3 || ev.Letters[0].Kind != traject.LetterWarning || ev.Letters[0].SummaryLanguage != "ar" {
		t.Errorf("letters: %+v", ev.Letters)
	}
	// A repeat fine proposes the next step of the scale.
	next, err := s.OpenFile(f.enf1, f.opening(file.LearnerRef, traject.InfractionCourseAbandoned))
	if err != nil {
		t.Fatal(err)
	}
	if ev, _ := s.FileEvidence(f.enf1, next.ID); ev.Proposed != 100 {
		t.Errorf("repeat fine proposes %d", ev.Proposed)
	}
	if got := f.caseAudit(t, "case.step."); got != 6 {
		t.Errorf("%d audited steps, want 6", got)
	}
}

func (f *caseFixture) caseAudit(t *testing.T, prefix string) int {
	t.Helper()
	rows, err := f.s.AuditLog(f.admin, traject.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if len(r.Action) >= len(prefix) && r.Action[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

func TestOpenFileBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCaseFixture(t, s)
		f.learner(t, "B-01", "ANT")
		entitled := &traject.Learner{Ref: "B-02", FirstName: "Sami", LastName: "B", BirthDate: date("1990-01-01"), Language: "ar",
			RegionCode: "ANT", Obligation: traject.Entitled}
		if err := s.CreateLearner(f.admin, entitled); err != nil {
			t.Fatal(err)
		}
		future := f.opening("B-01", traject.InfractionCourseAbandoned)
		future.Until = f.day(5)
		for name, tc := range map[string]struct {
			ctx  context.Context
			o    *traject.FileOpening
			code string
		}{
			"period not over": {f.enf1, future, traject.EINVALID},
			"unknown learner": {f.enf1, f.opening("NOPE-1", traject.InfractionCourseAbandoned), traject.ENOTFOUND},
			"unknown type":    {f.enf1, f.opening("B-01", "speeding"), traject.EINVALID},
			"entitled":        {f.enf1, f.opening("B-02", traject.InfractionCourseAbandoned), traject.ECONFLICT},
			"coordinator":     {f.coordANT, f.opening("B-01", traject.InfractionCourseAbandoned), traject.EFORBIDDEN},
		} {
			if _, err := s.OpenFile(tc.ctx, tc.o); traject.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		if n := store.CountRows(f.admin, s, "infraction_files"); n != 0 {
			t.Errorf("%d files after bad input", n)
		}
		if _, err := s.OpenFile(f.enf1, f.opening("B-01", traject.InfractionCourseAbandoned)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OpenFile(f.enf1, f.opening("B-01", traject.InfractionCourseAbandoned)); !hasKey(err, "case.duplicate") {
			t.Errorf("a second open file for the same period: %v", err)
		}
	})
}

func TestDeadlinesPassed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCaseFixture(t, s)
		f.learner(t, "D-01", "ANT")
		f.learner(t, "D-02", "ANT")
		late, _ := s.OpenFile(f.enf1, f.opening("D-01", traject.InfractionCourseAbandoned))
		running, _ := s.OpenFile(f.enf1, f.opening("D-02", traject.InfractionCourseAbandoned))
		if _, err := s.TakeStep(f.enf1, late.ID, traject.StepWarn, traject.StepInput{On: f.day(-31)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TakeStep(f.enf1, running.ID, traject.StepWarn, traject.StepInput{On: f.day(-30)}); err != nil {
			t.Fatal(err)
		}
		list, err := s.DeadlinesPassed(context.Background())
		if err != nil || len(list) != 1 || list[0].ID != late.ID {
			t.Errorf("passed: %+v, %v", list, err)
		}
		if _, err := s.TakeStep(f.enf1, late.ID, traject.StepComply, traject.StepInput{}); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.DeadlinesPassed(f.enf1); len(list) != 0 {
			t.Errorf("a complied file is still late: %+v", list)
		}
	})
}

// TestFineStatsFromFiles checks every figure of the fines report on a
// hand-made set of files, including a file opened on 31 March at 23.30 UTC,
// which is April in Brussels.
func TestFineStatsFromFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newCaseFixture(t, s)
		f.learner(t, "F-A", "ANT")
		f.learner(t, "F-B", "BRU")
		f.learner(t, "F-C", "ANT")
		f.exec(t, `UPDATE learners SET language = 'fr' WHERE ref = 'F-B'`)
		f.exec(t, `INSERT INTO assessments (learner_id, assessed_on, device_access, internet, skill_log_in, skill_open_website,
			skill_video_lesson, skill_email_attachment, skill_online_form, literacy, education, dutch_level, languages, author_label, created_at)
			SELECT id, '2020-01-10', 'none', 'none', FALSE, FALSE, FALSE, FALSE, FALSE, 'low_literate', 'none', 'none', 'ar', 'test', ? FROM learners WHERE ref = 'F-A'`,
			f.ts(-10))
		raw := func(ref, region, until, opened, warned, referred, decided, outcome string, amount int) {
			at, _ := time.Parse(time.RFC3339, opened)
			nz := func(s string) any {
				if s == "" {
					return nil
				}
				return s
			}
			f.exec(t, `INSERT INTO infraction_files (learner_id, region_code, type, period_from, period_until, state, opened_at,
				warned_on, referred_on, decided_on, outcome, amount, updated_at)
				SELECT id, ?, 'insufficient_participation', ?, ?, 'decided', ?, ?, ?, ?, ?, ?, ? FROM learners WHERE ref = ?`,
				region, until, until, store.CaseTimeArg(s, at), nz(warned), nz(referred), nz(decided), outcome, amount, store.CaseTimeArg(s, at), ref)
		}
		raw("F-A", "ANT", "2020-02-29", "2020-03-31T22:30:00Z", "2020-04-02", "2020-04-20", "2020-05-04", "fine", 100)
		raw("F-B", "BRU", "2020-04-15", "2020-04-20T10:00:00Z", "2020-04-21", "2020-05-25", "2020-05-28", "no_fine", 0)
		raw("F-A", "ANT", "2019-03-31", "2019-04-01T10:00:00Z", "2019-04-02", "2019-05-10", "2019-05-20", "fine", 250)
		raw("F-C", "ANT", "2020-03-31", "2020-04-03T08:00:00Z", "", "", "", "", 0)
		st, err := s.FineStats(f.enf1, store.FineStatsFilter{From: "2020-03", To: "2020-05"})
		if err != nil {
			t.Fatal(err)
		}
		c := func(o, w, r, fi, tot int) traject.FineCounts {
			return traject.FineCounts{Opened: o, Warnings: w, Referrals: r, Fines: fi, Total: tot}
		}
		wantEvent := []traject.FineMonth{
			{Month: "2020-03", Counts: c(0, 0, 0, 0, 0), YearBefore: c(0, 0, 0, 0, 0)},
			{Month: "2020-04", Counts: c(3, 2, 1, 0, 0), YearBefore: c(1, 1, 0, 0, 0)},
			{Month: "2020-05", Counts: c(0, 0, 1, 1, 100), YearBefore: c(0, 0, 1, 1, 250)},
		}
		wantInfraction := []traject.FineMonth{
			{Month: "2020-03", Counts: c(1, 0, 0, 0, 0), YearBefore: c(1, 1, 1, 1, 250)},
			{Month: "2020-04", Counts: c(1, 1, 1, 0, 0), YearBefore: c(0, 0, 0, 0, 0)},
			{Month: "2020-05", Counts: c(0, 0, 0, 0, 0), YearBefore: c(0, 0, 0, 0, 0)},
		}
		for i := range 3 {
			if st.ByEvent[i] != wantEvent[i] {
				t.Errorf("by event %d = %+v, want %+v", i, st.ByEvent[i], wantEvent[i])
			}
			if st.ByInfraction[i] != wantInfraction[i] {
				t.Errorf("by infraction %d = %+v, want %+v", i, st.ByInfraction[i], wantInfraction[i])
			}
		}
		wantEq := []traject.FineGroup{{Dimension: "region", Value: "ANT", Decided: 1, Fines: 1, Total: 100}, {Dimension: "region", Value: "BRU", Decided: 1, Fines: 0, Total: 0},
			{Dimension: "language", Value: "ar", Decided: 1, Fines: 1, Total: 100}, {Dimension: "language", Value: "fr", Decided: 1, Fines: 0, Total: 0},
			{Dimension: "literacy", Value: "low_literate", Decided: 1, Fines: 1, Total: 100}, {Dimension: "literacy", Value: "unknown", Decided: 1, Fines: 0, Total: 0},
			{Dimension: "obligation", Value: "obliged", Decided: 2, Fines: 1, Total: 100}}
		if fmt.Sprint(st.Equity) != fmt.Sprint(wantEq) {
			t.Errorf("equity = %+v\nwant %+v", st.Equity, wantEq)
		}
		// A coordinator of Antwerp reads the report of Antwerp only.
		ant, err := s.FineStats(f.coordANT, store.FineStatsFilter{From: "2020-03", To: "2020-05"})
		if err != nil || ant.ByEvent[1].Counts.Opened != 2 {
			t.Errorf("Antwerp: %+v, %v", ant, err)
		}
		if _, err := s.FineStats(f.enf1, store.FineStatsFilter{From: "2020-05", To: "2020-03"}); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("reversed months: %v", err)
		}
	})
}

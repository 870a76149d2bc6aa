package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/store"
	"traject/internal/store/storetest"
)

// outreachFixture is a course fixture with, relative to today: a blended
// course in Antwerp that started three weeks ago (MO-NOW), one in Brussels
// (MO-BRU), two pre-track courses in Antwerp that start next week and the
// week after, and an on-site course in Antwerp that starts in ten days.
type outreachFixture struct {
	*courseFixture
	today time.Time
	v     inv
}

func newOutreachFixture(t *testing.T, s *store.Store) *outreachFixture {
	t.Helper()
	f := &outreachFixture{courseFixture: newCourseFixture(t, s), today: traject.SessionDay(time.Now())}
	f.v = inv{s: s, admin: f.admin}
	f.outCourse(t, "MO-NOW", "ANT", traject.CourseCivicOrientation, traject.ModeBlended, -21, 14)
	f.outCourse(t, "MO-BRU", "BRU", traject.CourseCivicOrientation, traject.ModeBlended, -21, 14)
	f.outCourse(t, "PRE-LATE", "ANT", traject.CourseDigitalPretrack, traject.ModeOnsite, 14, 28)
	f.outCourse(t, "PRE-SOON", "ANT", traject.CourseDigitalPretrack, traject.ModeOnsite, 7, 21)
	f.outCourse(t, "ONS-1", "ANT", traject.CourseCivicOrientation, traject.ModeOnsite, 10, 40)
	return f
}

func (f *outreachFixture) outCourse(t *testing.T, ref, region string, kind traject.CourseKind, mode traject.Mode, from, until int) {
	t.Helper()
	c := newCourse(ref)
	c.RegionCode, c.Kind, c.Mode, c.Capacity = region, kind, mode, 20
	c.StartsOn, c.EndsOn = f.today.AddDate(0, 0, from), f.today.AddDate(0, 0, until)
	f.course(t, c)
}

// outLearner adds a learner with a contact language, an intake saying
// whether they have a device, and an enrolment in course.
func (f *outreachFixture) outLearner(t *testing.T, ref, region, lang, course string, device traject.DeviceAccess) {
	t.Helper()
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: date("1990-01-01"), Language: lang,
		RegionCode: region, Obligation: traject.Obliged}
	if err := f.s.CreateLearner(f.admin, l); err != nil {
		t.Fatalf("learner %s: %v", ref, err)
	}
	a := &traject.Assessment{AssessedOn: f.today.AddDate(0, 0, -30), DeviceAccess: device, Internet: traject.InternetWiFi,
		Literacy: traject.LiterateOtherScript, Education: traject.EducationPrimary, DutchLevel: "A1", Languages: []string{lang}}
	if _, err := f.s.RecordAssessment(f.admin, ref, a); err != nil {
		t.Fatalf("intake %s: %v", ref, err)
	}
	if _, err := f.s.Enrol(f.admin, course, ref); err != nil {
		t.Fatalf("enrol %s: %v", ref, err)
	}
}

// present marks learner present online at the course's first session.
func (f *outreachFixture) present(t *testing.T, course, learner string) {
	t.Helper()
	sessions, err := f.s.CourseSessions(f.admin, course)
	if err != nil || len(sessions) == 0 {
		t.Fatalf("sessions of %s: %v", course, err)
	}
	if _, err := f.s.RecordAttendance(f.admin, sessions[0].ID, []traject.AttendanceMark{
		{LearnerRef: learner, Status: traject.AttendancePresentOnline}}); err != nil {
		t.Fatalf("attendance: %v", err)
	}
}

func (f *outreachFixture) campaign(t *testing.T, ctx context.Context, c traject.CampaignCriteria) *traject.Campaign {
	t.Helper()
	cp := &traject.Campaign{Name: "Belronde", Criteria: c, RetryAfterDays: 2, MaxAttempts: 2}
	if err := f.s.CreateCampaign(ctx, cp); err != nil {
		t.Fatalf("campaign %+v: %v", c, err)
	}
	return cp
}

// targets returns the refs on a campaign's lists, by language, as ctx sees them.
func (f *outreachFixture) targets(t *testing.T, ctx context.Context, id int64) map[string]string {
	t.Helper()
	lists, err := f.s.CallLists(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range lists {
		entries, err := f.s.CallList(ctx, id, l.Language)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			out[e.LearnerRef] = e.Language
		}
	}
	return out
}

func (f *outreachFixture) target(t *testing.T, ctx context.Context, campaign int64, ref string) int64 {
	t.Helper()
	for lang := range map[string]bool{"ar": true, "ti": true, "fr": true} {
		entries, _ := f.s.CallList(ctx, campaign, lang)
		for _, e := range entries {
			if e.LearnerRef == ref {
				return e.ID
			}
		}
	}
	t.Fatalf("no target %s", ref)
	return 0
}

func sameSet(got map[string]string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			return false
		}
	}
	return true
}

func TestCampaignSelectsByCriteria(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newOutreachFixture(t, s)
		f.outLearner(t, "L-001", "ANT", "ar", "MO-NOW", traject.DeviceNone)
		f.outLearner(t, "L-002", "ANT", "ar", "MO-NOW", traject.DeviceNone)
		f.outLearner(t, "L-003", "ANT", "ti", "MO-NOW", traject.DeviceOwnComputer)
		f.outLearner(t, "B-001", "BRU", "fr", "MO-BRU", traject.DeviceNone)
		f.present(t, "MO-NOW", "L-002") // reached online

		ant := f.campaign(t, f.coordANT, traject.CampaignCriteria{NotReached: true})
		if got := f.targets(t, f.coordANT, ant.ID); ant.RegionCode != "ANT" || ant.Targets != 2 || !sameSet(got, "L-001", "L-003") ||
			got["L-003"] != "ti" {
			t.Fatalf("not reached in ANT: %+v %v", ant, got)
		}
		lists, _ := s.CallLists(f.coordANT, ant.ID)
		if len(lists) != 2 || lists[0].Language != "ar" || lists[0].DueToday != 1 || lists[1].Language != "ti" {
			t.Errorf("call lists by language: %+v", lists)
		}
		dev := f.campaign(t, f.coordANT, traject.CampaignCriteria{NoDeviceNoRequest: true})
		if got := f.targets(t, f.coordANT, dev.ID); !sameSet(got, "L-001", "L-002") {
			t.Errorf("no device and no request: %v", got)
		}
		// A waiting request takes a learner off that list.
		if _, err := s.RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-002", CourseRef: "MO-NOW", Need: traject.WiFi,
			Channel: traject.ChannelDesk}); err != nil {
			t.Fatal(err)
		}
		dev2 := f.campaign(t, f.coordANT, traject.CampaignCriteria{NoDeviceNoRequest: true, NotReached: true, Course: "MO-NOW"})
		if got := f.targets(t, f.coordANT, dev2.ID); !sameSet(got, "L-001", "L-003") {
			t.Errorf("no device (L-002 now waits) or not reached in MO-NOW: %v", got)
		}

		// A national campaign: every region; a regional role sees its own part.
		all := f.campaign(t, f.admin, traject.CampaignCriteria{NotReached: true})
		if got := f.targets(t, f.admin, all.ID); !sameSet(got, "L-001", "L-003", "B-001") {
			t.Errorf("national: %v", got)
		}
		if got := f.targets(t, f.coordBRU, all.ID); !sameSet(got, "B-001") {
			t.Errorf("national campaign seen from BRU: %v", got)
		}
		if _, err := s.Campaign(f.coordBRU, ant.ID); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("ANT campaign from BRU: %v", err)
		}
		list, _ := s.Campaigns(f.coordBRU)
		if len(list) != 1 || list[0].ID != all.ID || list[0].Targets != 1 {
			t.Errorf("campaigns from BRU: %+v", list)
		}

		// Wrong answers change nothing.
		before := store.CountRows(f.admin, s, "outreach_campaigns")
		for _, tc := range []struct {
			c     traject.CampaignCriteria
			field string
		}{
			{traject.CampaignCriteria{NotReached: true, Course: "MO-BRU"}, "course"},
			{traject.CampaignCriteria{NotReached: true, Region: "BRU"}, "region"},
			{traject.CampaignCriteria{}, "criteria"},
		} {
			err := s.CreateCampaign(f.coordANT, &traject.Campaign{Name: "x", Criteria: tc.c, MaxAttempts: 1})
			if e, ok := traject.AsError(err); !ok || e.Code != traject.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Errorf("%+v: %v, want field %s", tc.c, err, tc.field)
			}
		}
		if after := store.CountRows(f.admin, s, "outreach_campaigns"); after != before {
			t.Errorf("refused campaigns were written: %d -> %d", before, after)
		}
	})
}

func TestCampaignSelectsOverdueLoans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newOutreachFixture(t, s)
		f.v.device(t, "CB-0001", "ANT", traject.WiFi, traject.StateInStock)
		f.outLearner(t, "L-001", "ANT", "ar", "MO-NOW", traject.DeviceNone)
		f.outLearner(t, "L-002", "ANT", "ar", "MO-NOW", traject.DeviceNone)
		l, err := s.Reserve(f.admin, traject.Reservation{LearnerRef: "L-001", RegionCode: "ANT", Connectivity: traject.WiFi,
			From: f.today.AddDate(0, 0, -40), Until: f.today.AddDate(0, 0, -5)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Accept(f.admin, l.ID, &traject.Acceptance{Language: "nl", Method: traject.AcceptCode}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.HandOut(f.admin, l.ID, f.today.AddDate(0, 0, -40), traject.Checklist{Device: true, Charger: true}); err != nil {
			t.Fatal(err)
		}
		c := f.campaign(t, f.coordANT, traject.CampaignCriteria{LoanOverdue: true})
		if got := f.targets(t, f.coordANT, c.ID); !sameSet(got, "L-001") {
			t.Errorf("overdue loans: %v", got)
		}
	})
}

func TestRecordCallCreatesActionsAndRetries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newOutreachFixture(t, s)
		for _, ref := range []string{"L-001", "L-003", "L-005", "L-006", "L-007", "L-008"} {
			f.outLearner(t, ref, "ANT", "ar", "MO-NOW", traject.DeviceNone)
		}
		f.outLearner(t, "B-001", "BRU", "ar", "MO-BRU", traject.DeviceNone)
		counsellor := adminCtx(mustCreateUser(t, s, &traject.User{Email: "couns-ant@example.org", Name: "Elif", Role: traject.RoleCounsellor, RegionCode: "ANT"}))
		c := f.campaign(t, f.admin, traject.CampaignCriteria{NotReached: true})
		call := func(ctx context.Context, ref string, o traject.CallOutcome) (*traject.Call, *traject.Target, error) {
			cl := &traject.Call{Outcome: o, Interpreter: true, Note: "via tolk"}
			tg, err := s.RecordCall(ctx, f.target(t, f.admin, c.ID, ref), cl)
			return cl, tg, err
		}

		// needs_device: a request by phone for the current course; no device is free, so it waits.
		cl, tg, err := call(counsellor, "L-001", traject.OutcomeNeedsDevice)
		if err != nil || tg.State != traject.TargetReached || !strings.HasPrefix(cl.ActionRef, "AV-") || cl.Language != "ar" || cl.Caller != "Elif" {
			t.Fatalf("needs_device: %+v %+v %v", cl, tg, err)
		}
		if req, err := s.LoanRequest(f.admin, cl.ActionRef); err != nil || req.Channel != traject.ChannelPhone ||
			req.CourseRef != "MO-NOW" || req.State != traject.RequestWaiting || req.Need != traject.WiFi {
			t.Errorf("the request made: %+v %v", req, err)
		}
		// needs_pretrack: the earliest pre-track course that has not started, by a counsellor without courses:write.
		if cl, _, err := call(counsellor, "L-003", traject.OutcomeNeedsPretrack); err != nil || cl.ActionRef != "PRE-SOON" {
			t.Fatalf("needs_pretrack: %+v %v", cl, err)
		}
		if cl, _, err := call(counsellor, "L-005", traject.OutcomeNeedsOnsite); err != nil || cl.ActionRef != "ONS-1" {
			t.Fatalf("needs_onsite: %+v %v", cl, err)
		}
		for course, ref := range map[string]string{"PRE-SOON": "L-003", "ONS-1": "L-005"} {
			list, _ := s.Enrolments(f.admin, course)
			if len(list) != 1 || list[0].LearnerRef != ref || list[0].State != traject.EnrolmentEnrolled {
				t.Errorf("enrolments of %s: %+v", course, list)
			}
		}
		// No pre-track course planned in Brussels: the call is kept, and says so.
		if cl, tg, err := call(f.admin, "B-001", traject.OutcomeNeedsPretrack); err != nil || cl.ActionRef != "" ||
			cl.NoAction != traject.NoActionNoPretrack || tg.State != traject.TargetReached {
			t.Fatalf("no pre-track planned: %+v %v", cl, err)
		}

		// Unanswered: back after two days, exhausted at the second attempt, then closed.
		if _, tg, err := call(counsellor, "L-006", traject.OutcomeNoAnswer); err != nil || tg.State != traject.TargetOpen ||
			tg.Attempts != 1 || !tg.NextCallOn.Equal(f.today.AddDate(0, 0, 2)) {
			t.Fatalf("first no answer: %+v %v", tg, err)
		}
		entries, _ := s.CallList(counsellor, c.ID, "ar")
		if len(entries) != 6 || !entries[0].Due || entries[0].LearnerRef != "L-007" || entries[2].LearnerRef != "L-006" || entries[2].Due {
			t.Errorf("due first, then L-006 coming back, then the closed: %+v", entries)
		}
		if _, tg, err := call(counsellor, "L-006", traject.OutcomeVoicemail); err != nil || tg.State != traject.TargetExhausted {
			t.Fatalf("last attempt: %+v %v", tg, err)
		}
		calls := store.CountRows(f.admin, s, "outreach_calls")
		if _, _, err := call(counsellor, "L-006", traject.OutcomeJoinsOnline); !hasKey(err, "outreach.target.closed") {
			t.Errorf("a call to an exhausted target: %v", err)
		}
		// Wrong input, and another region's target, change nothing.
		if _, err := s.RecordCall(counsellor, f.target(t, f.admin, c.ID, "L-007"), &traject.Call{Outcome: "busy"}); traject.ErrorCode(err) != traject.EINVALID {
			t.Errorf("unknown outcome: %v", err)
		}
		if _, err := s.RecordCall(f.coordBRU, f.target(t, f.admin, c.ID, "L-007"), &traject.Call{Outcome: traject.OutcomeJoinsOnline}); traject.ErrorCode(err) != traject.ENOTFOUND {
			t.Errorf("an ANT target from BRU: %v", err)
		}
		if n := store.CountRows(f.admin, s, "outreach_calls"); n != calls {
			t.Errorf("refused calls were written: %d -> %d", calls, n)
		}
		if _, list, err := s.TargetCalls(counsellor, f.target(t, f.admin, c.ID, "L-006")); err != nil || len(list) != 2 ||
			list[0].Outcome != traject.OutcomeVoicemail || !list[0].Interpreter {
			t.Errorf("calls of L-006: %+v %v", list, err)
		}
		audit, _ := s.AuditLog(f.admin, traject.AuditFilter{ObjectType: "learner", ObjectID: "L-003"})
		if len(audit) < 2 || audit[0].Action != "outreach.call" || !strings.Contains(audit[0].After, "PRE-SOON") ||
			audit[1].Action != "enrolment.create" {
			t.Errorf("the call's audit rows: %+v", audit)
		}

		p, err := s.CampaignProgress(f.admin, c.ID)
		if err != nil || p.Targets != 7 || p.ByState[traject.TargetReached] != 4 || p.ByState[traject.TargetExhausted] != 1 ||
			p.ByState[traject.TargetOpen] != 2 || p.Calls != 6 || p.Outcomes[traject.OutcomeNoAnswer] != 1 || p.Actions != 3 || p.DueToday != 2 {
			t.Errorf("progress: %+v %v", p, err)
		}
		// The reach report's phoned count: four of the six not reached in MO-NOW were phoned.
		phoned, err := s.PhonedLearners(f.admin, "ANT", "MO-NOW")
		if err != nil || len(phoned) != 1 || phoned[0].NotReached != 6 || phoned[0].Phoned != 4 {
			t.Errorf("phoned: %+v %v", phoned, err)
		}
		if phoned, _ := s.PhonedLearners(f.coordBRU, "", ""); len(phoned) != 1 || phoned[0].Course != "MO-BRU" || phoned[0].Phoned != 1 {
			t.Errorf("phoned from BRU: %+v", phoned)
		}
		rows, err := s.Reach(f.admin, store.ReportFilter{From: store.MonthOf(f.today.AddDate(0, -2, 0)), To: store.MonthOf(f.today), Region: "ANT"})
		if err != nil || len(rows) != 1 || rows[0].Course != "MO-NOW" || rows[0].NotReached != 6 || rows[0].Phoned != 4 {
			t.Errorf("the reach report's phoned: %+v %v", rows, err)
		}
	})
}

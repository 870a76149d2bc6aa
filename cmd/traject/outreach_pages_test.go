package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"traject"
	"traject/internal/i18n"
)

// The accounts of the outreach fixture.
const (
	outAdmin      = "admin@example.org"
	outCoordANT   = "coordinator-ant@example.org"
	outCounsANT   = "counsellor-ant@example.org"
	outCoordBRU   = "coordinator-bru@example.org"
	outDeskANT    = "desk-ant@example.org"
	outEnforcer   = "enforcement@example.org"
	outNoPretrack = "B-001"
)

// outFixture is a server with an Antwerp course that started three weeks
// ago and its three learners, none reached yet (two speak Arabic, one
// Tigrinya), a pre-track course that starts next week, and a Brussels
// learner not reached either.
type outFixture struct {
	*testMain
	admin context.Context
}

func newOutFixture(t *testing.T) *outFixture {
	t.Helper()
	tm := mustRun(t, "")
	admin := tm.mustUser(outAdmin, traject.RoleAdmin, "")
	tm.mustUser(outCoordANT, traject.RoleCoordinator, "ANT")
	tm.mustUser(outCounsANT, traject.RoleCounsellor, "ANT")
	tm.mustUser(outCoordBRU, traject.RoleCoordinator, "BRU")
	tm.mustUser(outDeskANT, traject.RoleDesk, "ANT")
	tm.mustUser(outEnforcer, traject.RoleEnforcement, "")
	f := &outFixture{testMain: tm, admin: traject.NewContextWithUser(context.Background(), admin)}
	f.course("MO-NOW", "ANT", traject.CourseCivicOrientation, -21, 14)
	f.course("PRE-SOON", "ANT", traject.CourseDigitalPretrack, 7, 21)
	f.course("MO-BRU", "BRU", traject.CourseCivicOrientation, -21, 14)
	for _, l := range [][3]string{{"L-001", "ar", "MO-NOW"}, {"L-002", "ar", "MO-NOW"}, {"L-003", "ti", "MO-NOW"}, {outNoPretrack, "ar", "MO-BRU"}} {
		f.learner(l[0], l[1], l[2])
	}
	return f
}

func (f *outFixture) course(ref, region string, kind traject.CourseKind, from, until int) {
	f.t.Helper()
	today := traject.SessionDay(time.Now())
	w, _ := traject.ParseWeekdays("mon+thu")
	c := &traject.Course{Ref: ref, Kind: kind, Language: "nl", Mode: traject.ModeBlended, Track: traject.TrackStandard,
		RegionCode: region, StartsOn: today.AddDate(0, 0, from), EndsOn: today.AddDate(0, 0, until), Capacity: 20,
		Weekdays: w, StartTime: "09:00", EndTime: "12:00"}
	if err := f.Store().CreateCourse(f.admin, c); err != nil {
		f.t.Fatalf("course %s: %v", ref, err)
	}
}

func (f *outFixture) learner(ref, lang, course string) {
	f.t.Helper()
	region := "ANT"
	if strings.HasPrefix(ref, "B-") {
		region = "BRU"
	}
	l := &traject.Learner{Ref: ref, FirstName: "Amal", LastName: ref, BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		Phone: "0470 12 34 56", Language: lang, RegionCode: region, Obligation: traject.Obliged}
	if err := f.Store().CreateLearner(f.admin, l); err != nil {
		f.t.Fatalf("learner %s: %v", ref, err)
	}
	if _, err := f.Store().Enrol(f.admin, course, ref); err != nil {
		f.t.Fatalf("enrol %s: %v", ref, err)
	}
}

func (f *outFixture) as(email string) *http.Client {
	f.t.Helper()
	c := f.client()
	f.login(c, email)
	return c
}

// campaign creates a campaign of the not-reached learners as ctx's actor.
func (f *outFixture) campaign(ctx context.Context) *traject.Campaign {
	f.t.Helper()
	c := &traject.Campaign{Name: "Belronde", Criteria: traject.CampaignCriteria{NotReached: true}, RetryAfterDays: 2, MaxAttempts: 3}
	if err := f.Store().CreateCampaign(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// targetID returns the id of a learner's target in a campaign.
func (f *outFixture) targetID(campaign int64, ref, lang string) int64 {
	f.t.Helper()
	list, err := f.Store().CallList(f.admin, campaign, lang)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range list {
		if e.LearnerRef == ref {
			return e.ID
		}
	}
	f.t.Fatalf("no target %s in list %s", ref, lang)
	return 0
}

// callsOf counts the calls recorded to the target at path (/outreach/targets/ID).
func (f *outFixture) callsOf(path string) int {
	f.t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/outreach/targets/"), 10, 64)
	if err != nil {
		f.t.Fatal(err)
	}
	_, calls, err := f.Store().TargetCalls(f.admin, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(calls)
}

func TestOutreachPages(t *testing.T) {
	f := newOutFixture(t)
	coord := f.as(outCoordANT)

	// The campaigns page and its form; wrong answers give 422 and change nothing.
	res := f.get(coord, "/outreach")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("campaigns: %d", res.StatusCode)
	}
	checkPageFrame(t, res.Body, i18n.Languages[0], "")
	res = f.post(coord, "/outreach", url.Values{"name": {"Belronde"}, "course": {"MO-BRU"}, "retry_after_days": {"x"}, "max_attempts": {"3"}})
	doc := mustDoc(t, res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`.error-summary a[href="#criteria"]`).Length() != 1 ||
		doc.Find(`.error-summary a[href="#retry_after_days"]`).Length() != 1 || !strings.HasPrefix(doc.Find("title").Text(), "Fout") {
		t.Fatalf("bad campaign: %d %s", res.StatusCode, doc.Find(".error-summary").Text())
	}
	if list, _ := f.Store().Campaigns(f.admin); len(list) != 0 {
		t.Fatalf("a refused campaign was stored: %+v", list)
	}
	res = f.post(coord, "/outreach", url.Values{"name": {"Niet bereikt"}, "not_reached": {"1"}, "retry_after_days": {"2"}, "max_attempts": {"3"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/outreach/") {
		t.Fatalf("create campaign: %d %s", res.StatusCode, res.Body)
	}
	campaignURL := res.Header.Get("Location")

	// The campaign's page links each call list; the list links each learner.
	res = f.get(coord, campaignURL)
	doc = checkPageFrame(t, res.Body, i18n.Languages[0], "Niet bereikt")
	if doc.Find(`a[href="`+campaignURL+`/lists/ar"]`).Length() != 1 || doc.Find(`a[href="`+campaignURL+`/lists/ti"]`).Length() != 1 ||
		!strings.Contains(res.Body, "Bereikt") {
		t.Fatalf("campaign page lacks its lists: %s", doc.Find("main").Text())
	}
	res = f.get(coord, campaignURL+"/lists/ar")
	doc = checkPageFrame(t, res.Body, i18n.Languages[0], "")
	links := doc.Find(`main a[href^="/outreach/targets/"]`)
	if res.StatusCode != http.StatusOK || links.Length() != 2 || doc.Find(".tag").Length() != 2 {
		t.Fatalf("call list ar: %d, %d targets", res.StatusCode, links.Length())
	}
	target := links.First().AttrOr("href", "")

	// A counsellor records a call; the outcome enrols in the pre-track and the page says so.
	couns := f.as(outCounsANT)
	res = f.post(couns, target+"/calls", url.Values{"outcome": {"busy"}, "note": {"x"}})
	if res.StatusCode != http.StatusUnprocessableEntity || f.callsOf(target) != 0 || !strings.Contains(res.Body, `href="#outcome"`) {
		t.Fatalf("bad outcome: %d, calls %d", res.StatusCode, f.callsOf(target))
	}
	res = f.post(couns, target+"/calls", url.Values{"outcome": {"needs_pretrack"}, "interpreter": {"1"}, "note": {"Wil eerst leren werken met de computer"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != target {
		t.Fatalf("record call: %d %s", res.StatusCode, res.Body)
	}
	res = f.get(couns, target)
	if !strings.Contains(res.Body, "Ingeschreven in cursus PRE-SOON") || !strings.Contains(res.Body, "met tolk") ||
		strings.Contains(res.Body, `action="`+target+`/calls"`) {
		t.Errorf("target page after the call: %s", mustDoc(t, res.Body).Find("main").Text())
	}
	if list, _ := f.Store().Enrolments(f.admin, "PRE-SOON"); len(list) != 1 {
		t.Errorf("pre-track enrolments: %+v", list)
	}

	// Another region's campaign and targets are not found; a role without outreach is refused.
	bru := f.as(outCoordBRU)
	for _, path := range []string{campaignURL, campaignURL + "/lists/ar", target} {
		if res := f.get(bru, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("BRU GET %s: %d", path, res.StatusCode)
		}
	}
	if res := f.post(bru, target+"/calls", url.Values{"outcome": {"no_answer"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("BRU call on an ANT target: %d", res.StatusCode)
	}
	if res := f.get(f.as(outDeskANT), "/outreach"); res.StatusCode != http.StatusForbidden {
		t.Errorf("desk: %d", res.StatusCode)
	}
	enf := f.as(outEnforcer)
	if res := f.post(enf, "/outreach", url.Values{"name": {"x"}, "not_reached": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("enforcement creates a campaign: %d", res.StatusCode)
	}
	if res := f.get(enf, campaignURL); res.StatusCode != http.StatusOK {
		t.Errorf("enforcement reads a campaign: %d", res.StatusCode)
	}
}

// TestOutreachPagesInEveryLanguage opens the four outreach pages in each language.
func TestOutreachPagesInEveryLanguage(t *testing.T) {
	f := newOutFixture(t)
	c := f.campaign(f.admin)
	target := f.targetID(c.ID, "L-001", "ar")
	if _, err := f.Store().RecordCall(f.admin, target, &traject.Call{Outcome: traject.OutcomeNoAnswer}); err != nil {
		t.Fatal(err)
	}
	coord := f.as(outCoordANT)
	for _, lang := range i18n.Languages {
		for _, path := range []string{"/outreach", fmt.Sprintf("/outreach/%d", c.ID), fmt.Sprintf("/outreach/%d/lists/ar", c.ID),
			fmt.Sprintf("/outreach/targets/%d", target)} {
			res := f.get(coord, withLang(path, lang.Tag))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s in %s: %d", path, lang.Tag, res.StatusCode)
			}
			checkPageFrame(t, res.Body, lang, "")
		}
	}
}

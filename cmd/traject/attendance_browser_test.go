package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"traject"
)

// TestBrowserAttendanceWithoutJavaScript takes a session's attendance for 20
// learners in a real browser with page scripts off: a click per learner, one
// submission, the error summary when a reason is missing, and the sheet saved
// once corrected.
func TestBrowserAttendanceWithoutJavaScript(t *testing.T) {
	b := newBrowser(t)
	f := newAttFixture(t)
	sheet, err := f.Store().AttendanceSheet(f.admin, f.sessions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := b.tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, f.testMain, attTeacher)
	navigate(t, ctx, f.URL()+f.sheetURL(0)+"?lang=nl")
	action := f.sheetURL(0)
	var clicks []chromedp.Action[chromedp.Void]
	for i, row := range sheet.Rows {
		status := "present_onsite"
		switch i {
		case 3:
			status = "present_online"
		case 5:
			status = "excused" // without a reason, first
		case 9:
			status = "absent"
		}
		id := fmt.Sprintf("status-%d", row.LearnerID)
		if status != "present_onsite" {
			id += "-" + status
		}
		clicks = append(clicks, chromedp.Click(chromedp.ID(id)))
	}
	if err := chromedp.Do(ctx, clicks...); err != nil {
		t.Fatalf("choose the statuses: %v", err)
	}
	if status := submit(t, ctx, action); status != 422 {
		t.Fatalf("missing reason: status %d, want 422", status)
	}
	if evaluate[bool](t, ctx, `typeof window.htmx !== "undefined"`) {
		t.Fatal("page scripts ran, though script execution is disabled")
	}
	st := readErrorState(t, ctx)
	reasonID := fmt.Sprintf("reason-%d", sheet.Rows[5].LearnerID)
	if !st.Present || !st.Focused || !strings.HasPrefix(st.Title, "Fout: ") || len(st.Links) != 1 || st.Links[0] != "#"+reasonID || len(st.Missing) > 0 {
		t.Fatalf("error state = %+v", st)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll("input[type=radio]:checked").length`); n != 20 {
		t.Errorf("%d answers kept, want 20", n)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID(reasonID), "illness")); err != nil {
		t.Fatal(err)
	}
	if status := submit(t, ctx, action); status != 200 {
		t.Fatalf("corrected sheet: landed with status %d", status)
	}
	if got := f.recorded(0); len(got) != 20 || got[sheet.Rows[5].LearnerRef] != traject.AttendanceExcused || got[sheet.Rows[9].LearnerRef] != traject.AttendanceAbsent {
		t.Errorf("recorded = %v", got)
	}
	flash := evaluate[string](t, ctx, `(document.querySelector(".banner") || {}).textContent || ""`)
	if !strings.Contains(flash, "20") {
		t.Errorf("flash = %q", flash)
	}
}

// TestBrowserAttendanceAxe runs axe-core on the attendance pages, in Dutch
// and Arabic, including the sheet's error state.
func TestBrowserAttendanceAxe(t *testing.T) {
	b := newBrowser(t)
	f := newAttFixture(t)
	if _, err := f.Store().RecordAttendance(f.admin, f.sessions[1].ID, []traject.AttendanceMark{
		{LearnerRef: f.learners[0], Status: traject.AttendanceAbsent}, {LearnerRef: f.learners[1], Status: traject.AttendanceExcused, Reason: traject.ExcuseNoData}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		email  string
		path   string
		action string // when set, submit this form as it is first: the error state
	}{
		{"sheet nl", attTeacher, f.sheetURL(0) + "?lang=nl", ""},
		{"sheet error nl", attTeacher, f.sheetURL(0) + "?lang=nl", f.sheetURL(0)},
		{"sheet ar", attTeacher, f.sheetURL(1) + "?lang=ar", ""},
		{"participation nl", attCoord, "/courses/MO-ANT-20/participation?lang=nl", ""},
		{"suspension error nl", attCoord, "/courses/MO-ANT-20/participation?lang=nl", "/courses/MO-ANT-20/suspensions"},
		{"follow-up nl", attCoord, "/followup?ended=1&lang=nl", ""},
		{"follow-up ar", attCoord, "/followup?ended=1&lang=ar", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each subtest has its own tab and cookies; axe is the slow part
			ctx := b.tab(t)
			signIn(t, ctx, f.testMain, tt.email)
			navigate(t, ctx, f.URL()+tt.path)
			if tt.action != "" {
				if strings.Contains(tt.action, "suspensions") {
					if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("details.suspend summary"))); err != nil {
						t.Fatal(err)
					}
				}
				if status := submit(t, ctx, tt.action); status != 422 {
					t.Fatalf("submit %s: status %d, want 422", tt.action, status)
				}
			}
			checkAxe(t, ctx)
		})
	}
}

package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"traject"
	"traject/internal/i18n"
)

// mijnPhoneTab opens a tab the size of a small phone (375x667, touch, mobile).
func mijnPhoneTab(t *testing.T, b *browser, noJS bool) context.Context {
	t.Helper()
	ctx := b.tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride,
		emulation.SetDeviceMetricsOverrideParams{Width: 375, Height: 667, DeviceScaleFactor: 2, Mobile: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled,
		emulation.SetTouchEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if noJS {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	return ctx
}

// mijnClick clicks sel and waits for the page it leads to, returning its status.
func mijnClick(t *testing.T, ctx context.Context, sel string) int64 {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	return res.Status
}

// mijnTick ticks a radio or checkbox without leaving the page.
func mijnTick(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(id))); err != nil {
		t.Fatalf("tick #%s: %v", id, err)
	}
}

// mijnPath returns the path of the page in the tab.
func mijnPath(t *testing.T, ctx context.Context) string {
	t.Helper()
	return evaluate[string](t, ctx, `location.pathname`)
}

// mijnFitsPhone fails when the page scrolls sideways on the phone.
func mijnFitsPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	if w := evaluate[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("%s is %dpx wide on a 375px phone", mijnPath(t, ctx), w)
	}
}

// TestMijnBrowserArabicPhoneNoJS is issue 5's "done when": a learner goes
// from request to accepted agreement on a phone-sized screen with
// JavaScript off, in Arabic.
func TestMijnBrowserArabicPhoneNoJS(t *testing.T) {
	b := newBrowser(t)
	f := newMijnFixture(t)
	ctx := mijnPhoneTab(t, b, true)

	navigate(t, ctx, f.URL()+"/mijn/?lang=ar")
	if dir := evaluate[string](t, ctx, `document.documentElement.dir`); dir != "rtl" {
		t.Fatalf("dir = %q, want rtl", dir)
	}
	typeInto(t, ctx, "phone", mijnPhone1)
	if st := submit(t, ctx, "/mijn/"); st != 200 || mijnPath(t, ctx) != "/mijn/code" {
		t.Fatalf("ask a code: %d at %s", st, mijnPath(t, ctx))
	}
	if evaluate[bool](t, ctx, `typeof window.htmx !== "undefined"`) {
		t.Fatal("page scripts ran, though script execution is disabled")
	}
	code, _ := f.lastCode(mijnPhone1)
	typeInto(t, ctx, "code", code)
	if st := submit(t, ctx, "/mijn/code"); st != 200 || mijnPath(t, ctx) != "/mijn/home" {
		t.Fatalf("sign in: %d at %s", st, mijnPath(t, ctx))
	}
	mijnFitsPhone(t, ctx)

	// One question per page, then the answers to check.
	mijnClick(t, ctx, `main a[href="/mijn/request/course"]`)
	mijnTick(t, ctx, "course")
	submit(t, ctx, "/mijn/request/course")
	if p := mijnPath(t, ctx); p != "/mijn/request/internet" {
		t.Fatalf("after the course: at %s", p)
	}
	mijnFitsPhone(t, ctx)
	mijnTick(t, ctx, "internet")
	submit(t, ctx, "/mijn/request/internet")
	if p := mijnPath(t, ctx); p != "/mijn/request/check" {
		t.Fatalf("after internet: at %s", p)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".summary__row").length`); n != 2 {
		t.Errorf("check answers shows %d rows, want 2", n)
	}
	submit(t, ctx, "/mijn/request/check")
	ref := strings.TrimSpace(evaluate[string](t, ctx, `document.querySelector(".panel .mijn-ref").textContent`))
	req, err := f.Store().LoanRequest(f.admin, ref)
	if err != nil || req.State != traject.RequestAllocated || req.Channel != traject.ChannelLearner {
		t.Fatalf("request %q: %+v, %v", ref, req, err)
	}

	// The free device was reserved at once: read the agreement, get a code, accept.
	agreement := fmt.Sprintf("/mijn/loans/%d/agreement", req.LoanID)
	mijnClick(t, ctx, `main a[href="`+agreement+`"]`)
	if n := evaluate[int](t, ctx, `document.querySelectorAll('.mijn-text__body[lang="nl"][dir="ltr"]').length`); n != 1 {
		t.Errorf("the binding Dutch text is marked lang=nl dir=ltr %d times, want 1", n)
	}
	mijnFitsPhone(t, ctx)
	submit(t, ctx, fmt.Sprintf("/mijn/loans/%d/code", req.LoanID))
	code, _ = f.lastCode(mijnPhone1)
	mijnTick(t, ctx, "agree")
	typeInto(t, ctx, "code", code)
	if st := submit(t, ctx, agreement); st != 200 || mijnPath(t, ctx) != fmt.Sprintf("/mijn/loans/%d/accepted", req.LoanID) {
		t.Fatalf("accept: %d at %s", st, mijnPath(t, ctx))
	}
	acc, err := f.Store().Acceptances(f.admin, req.LoanID)
	if err != nil || len(acc) != 1 || acc[0].Method != traject.AcceptCode || acc[0].Language != "ar" {
		t.Fatalf("acceptances %+v, %v", acc, err)
	}
	if l, err := f.Store().Loan(f.admin, req.LoanID); err != nil || !l.Accepted {
		t.Errorf("loan not accepted: %+v, %v", l, err)
	}
}

// TestMijnBrowserAxe runs axe-core on every learner page, and on its error
// states, in every language. axe needs JavaScript, so these tabs run it;
// the pages themselves work without (the test above).
func TestMijnBrowserAxe(t *testing.T) {
	for i, lang := range i18n.Languages {
		t.Run(lang.Tag, func(t *testing.T) {
			b := newBrowser(t)
			f := newMijnFixture(t)
			f.device("CB-X") // the fixture's learners L-1 and L-2 each find a device
			phone := []string{mijnPhone1, mijnPhone2, mijnPhone1, mijnPhone2}[i]
			ctx := mijnPhoneTab(t, b, false)
			// axe checks the page is where the flow should be, then runs axe-core on it.
			axe := func(what, want string) {
				t.Helper()
				if got := mijnPath(t, ctx); !strings.HasPrefix(got, want) {
					t.Fatalf("%s: at %s, want %s", what, got, want)
				}
				t.Run(what, func(t *testing.T) { checkAxe(t, ctx) })
			}
			navigate(t, ctx, f.URL()+"/mijn/?lang="+lang.Tag)
			axe("sign in", "/mijn/")
			if st := submit(t, ctx, "/mijn/"); st != 422 {
				t.Errorf("empty form %s: status %d, want 422", "/mijn/", st)
			}
			axe("sign in, error", "/mijn/")
			navigate(t, ctx, f.URL()+"/mijn/code?desk=1")
			axe("code from the desk", "/mijn/code")
			navigate(t, ctx, f.URL()+"/mijn/")
			typeInto(t, ctx, "phone", phone)
			submit(t, ctx, "/mijn/")
			axe("code", "/mijn/code")
			if st := submit(t, ctx, "/mijn/code"); st != 422 {
				t.Errorf("empty form %s: status %d, want 422", "/mijn/code", st)
			}
			axe("code, error", "/mijn/code")
			code, _ := f.lastCode(phone)
			typeInto(t, ctx, "code", code)
			submit(t, ctx, "/mijn/code")
			axe("home", "/mijn/home")
			navigate(t, ctx, f.URL()+"/mijn/request/course")
			axe("course", "/mijn/request/course")
			if st := submit(t, ctx, "/mijn/request/course"); st != 422 {
				t.Errorf("empty form %s: status %d, want 422", "/mijn/request/course", st)
			}
			axe("course, error", "/mijn/request/course")
			mijnTick(t, ctx, "course")
			submit(t, ctx, "/mijn/request/course")
			axe("internet", "/mijn/request/internet")
			if st := submit(t, ctx, "/mijn/request/internet"); st != 422 {
				t.Errorf("empty form %s: status %d, want 422", "/mijn/request/internet", st)
			}
			axe("internet, error", "/mijn/request/internet")
			mijnTick(t, ctx, "internet")
			submit(t, ctx, "/mijn/request/internet")
			axe("check answers", "/mijn/request/check")
			submit(t, ctx, "/mijn/request/check")
			axe("confirmation", "/mijn/request/done")
			loan := evaluate[string](t, ctx, `(document.querySelector('main a[href^="/mijn/loans/"]') || {}).pathname || ""`)
			if loan == "" {
				t.Fatal("no agreement link on the confirmation page")
			}
			navigate(t, ctx, f.URL()+loan)
			axe("agreement", "/mijn/loans/")
			if st := submit(t, ctx, loan); st != 422 {
				t.Errorf("empty form %s: status %d, want 422", loan, st)
			}
			axe("agreement, error", "/mijn/loans/")
			submit(t, ctx, strings.TrimSuffix(loan, "agreement")+"code")
			axe("agreement, code sent", "/mijn/loans/")
			code, _ = f.lastCode(phone)
			mijnTick(t, ctx, "agree")
			typeInto(t, ctx, "code", code)
			submit(t, ctx, loan)
			axe("accepted", strings.TrimSuffix(loan, "agreement")+"accepted")
			navigate(t, ctx, f.URL()+"/mijn/home")
			axe("home with a loan", "/mijn/home")
			navigate(t, ctx, f.URL()+"/mijn/no-such-page")
			axe("not found", "/mijn/no-such-page")
		})
	}
}

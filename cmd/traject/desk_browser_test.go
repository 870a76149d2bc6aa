package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"traject"
)

// TestBrowserDeskAxe runs axe-core on the desk's pages in Dutch and Arabic,
// with the signature pad's script running, and on a refused hand-out and a
// refused acceptance. Each language has its own browser and signed-in tab.
func TestBrowserDeskAxe(t *testing.T) {
	chromiumPath(t)
	f := newDeskFixture(t, "")
	l := f.reserve("L-1", "CB-A001", traject.WiFi)
	if _, err := f.Store().RequestDevice(f.admin, &traject.LoanRequest{LearnerRef: "L-2", CourseRef: "MO-ANT-01",
		Need: traject.WiFi, Channel: traject.ChannelPhone}); err != nil {
		t.Fatal(err)
	}
	loan := fmt.Sprintf("/loans/%d", l.ID)
	for _, lang := range []string{"nl", "ar"} {
		t.Run(lang, func(t *testing.T) {
			ctx := newBrowser(t).tab(t)
			signIn(t, ctx, f.testMain, deskANT)
			pages := []struct{ name, path, action string }{
				{"desk", "/desk", ""},
				{"queue", "/desk/queue", ""},
				{"loan", loan, ""},
				{"accept", loan + "/accept", ""},
				{"refused hand-out", loan, loan + "/handout"},
				{"refused acceptance", loan + "/accept", loan + "/accept"},
			}
			for _, p := range pages {
				t.Run(p.name, func(t *testing.T) {
					navigate(t, ctx, f.URL()+p.path+"?lang="+lang)
					if p.action != "" {
						if status := submit(t, ctx, p.action); status != 409 && status != 422 {
							t.Fatalf("submit %s: status %d, want a refusal", p.action, status)
						}
						if st := readErrorState(t, ctx); !st.Present || len(st.Missing) > 0 {
							t.Fatalf("error summary %+v", st)
						}
					}
					if p.name == "accept" && !evaluate[bool](t, ctx, `!!document.querySelector("#signature-pad canvas")`) {
						t.Error("the signature pad did not start with JavaScript on")
					}
					checkAxe(t, ctx)
				})
			}
		})
	}
}

// TestBrowserDeskAcceptWithoutJavaScript records an acceptance by typed name
// with page scripts disabled, then hands the device out.
func TestBrowserDeskAcceptWithoutJavaScript(t *testing.T) {
	b := newBrowser(t)
	f := newDeskFixture(t, "")
	l := f.reserve("L-1", "CB-A001", traject.WiFi)
	loan := fmt.Sprintf("/loans/%d", l.ID)
	ctx := b.tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, f.testMain, deskANT)
	navigate(t, ctx, f.URL()+loan+"/accept?lang=ar")
	if evaluate[bool](t, ctx, `!!document.querySelector("#signature-pad canvas")`) {
		t.Fatal("the signature pad started, though scripts are disabled")
	}
	if dir := evaluate[string](t, ctx, `document.querySelector('.agreement[lang="ar"]').getAttribute("dir")`); dir != "rtl" {
		t.Errorf("the Arabic translation has dir=%q", dir)
	}
	typeInto(t, ctx, "typed_name", "Samira Learner L-1")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("confirm"))); err != nil {
		t.Fatal(err)
	}
	if status := submit(t, ctx, loan+"/accept"); status != 200 {
		t.Fatalf("accept: landed with status %d", status)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, loan) {
		t.Errorf("after acceptance at %s, want the loan page", loc)
	}
	accs, err := f.Store().Acceptances(f.admin, l.ID)
	if err != nil || len(accs) != 1 || accs[0].TypedName != "Samira Learner L-1" || accs[0].Language != "ar" || accs[0].Signature != "" {
		t.Fatalf("acceptance %+v, %v", accs, err)
	}
	for _, id := range []string{"handout-device", "handout-charger"} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(id))); err != nil {
			t.Fatal(err)
		}
	}
	if status := submit(t, ctx, loan+"/handout"); status != 200 {
		t.Fatalf("hand-out: landed with status %d", status)
	}
	if got := f.loan(l.ID).State; got != traject.LoanHandedOut {
		t.Errorf("after the hand-out the loan is %s", got)
	}
}

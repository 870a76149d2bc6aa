package main

import (
	"testing"

	"traject"
)

// TestBrowserReportsAxe runs axe-core on every report page, the answer sheet
// and a page with a bad month, in Dutch and Arabic: no violation.
func TestBrowserReportsAxe(t *testing.T) {
	b := newBrowser(t)
	tm := mustRun(t, demoDB(t))
	tm.mustUser("report-axe@example.org", traject.RoleAnalyst, "")
	for _, path := range []string{
		"/reports?lang=nl", "/reports/loans-by-month?from=2020-05&to=2020-12&lang=nl", "/reports/device-usage?from=2020-05&to=2020-12&lang=nl",
		"/reports/deliveries?from=2020-01&to=2020-12&lang=nl", "/reports/stock?at=2020-09-15&lang=nl", "/reports/reach?from=2020-05&to=2020-12&lang=nl",
		"/reports/barriers?lang=nl", "/reports/summary?from=2020-01&to=2020-12&lang=nl", "/reports/answer-sheet?from=2020-05&to=2020-12&lang=nl",
		"/reports/device-usage?from=2020-05&to=2020-12&lang=ar", "/reports/answer-sheet?from=2020-05&to=2020-12&lang=ar",
		"/reports/loans-by-month?from=2020-13&lang=nl",
	} {
		t.Run(path, func(t *testing.T) {
			ctx := b.tab(t)
			signIn(t, ctx, tm, "report-axe@example.org")
			navigate(t, ctx, tm.URL()+path)
			checkAxe(t, ctx)
		})
	}
}

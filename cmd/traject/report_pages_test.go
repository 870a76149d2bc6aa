package main

import (
	"net/http"
	"strings"
	"testing"

	"traject"
)

// TestReportPages opens every report page on the demo as an analyst: the
// chart (an SVG with role img) above the table, the table with its caption
// and header cells, the definition and the downloads; a bad month is
// answered 422 with the error summary; and the answer sheet and its PDF.
func TestReportPages(t *testing.T) {
	tm := mustRun(t, demoDB(t))
	tm.mustUser("report-pages@example.org", traject.RoleAnalyst, "")
	c := tm.client()
	tm.login(c, "report-pages@example.org")
	for _, path := range []string{
		"/reports/loans-by-month?from=2020-05&to=2020-12", "/reports/device-usage?from=2020-05&to=2020-12",
		"/reports/deliveries?from=2020-01&to=2020-12", "/reports/stock?at=2020-09-15", "/reports/reach?from=2020-05&to=2020-12",
		"/reports/barriers", "/reports/summary?from=2020-01&to=2020-12",
	} {
		res := tm.get(c, path)
		b := res.Body
		if res.StatusCode != 200 || !strings.Contains(b, `role="img"`) || !strings.Contains(b, "<caption>") ||
			!strings.Contains(b, `<th scope="col">`) || !strings.Contains(b, "format=csv") || strings.Index(b, "<svg") > strings.Index(b, "<table") {
			t.Errorf("%s: status %d, body lacks chart, table or downloads", path, res.StatusCode)
		}
	}
	res := tm.get(c, "/reports/device-usage?from=2020-05&to=2020-12")
	if !strings.Contains(res.Body, "<th scope=\"row\">Antwerpen</th><td>2020-09</td><td>2020-10</td>") || !strings.Contains(res.Body, "uitleenbare toestellen") {
		t.Errorf("device usage page lacks the Antwerpen row or the definition")
	}
	res = tm.get(c, "/reports/loans-by-month?from=2020-13")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "error-summary") || !strings.Contains(res.Body, `href="#from"`) {
		t.Errorf("bad month: status %d", res.StatusCode)
	}
	if res := tm.get(c, "/reports/nonsense"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown report: %d", res.StatusCode)
	}
	res = tm.get(c, "/reports/answer-sheet?from=2020-01&to=2020-12&lang=en")
	if res.StatusCode != 200 || !strings.Contains(res.Body, `<article lang="nl"`) || !strings.Contains(res.Body, "Uitleningen per maand") ||
		strings.Count(res.Body, "<table") != 4 {
		t.Errorf("answer sheet: status %d", res.StatusCode)
	}
	res = tm.get(c, "/reports/answer-sheet.pdf?from=2020-01&to=2020-12")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("answer sheet PDF: status %d, %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	tm.mustUser("report-teacher-page@example.org", traject.RoleTeacher, "ANT")
	tc := tm.client()
	tm.login(tc, "report-teacher-page@example.org")
	if res := tm.get(tc, "/reports/summary"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a teacher opened a report: %d", res.StatusCode)
	}
}

package main

import (
	"net/http"
	"strings"
	"testing"

	"traject"
)

func TestReportAPI(t *testing.T) {
	tm := mustRun(t, demoDB(t))
	analyst := bearer(tm.mustToken(tm.mustUser("report-analyst@example.org", traject.RoleAnalyst, "")))
	coord := bearer(tm.mustToken(tm.mustUser("report-coord@example.org", traject.RoleCoordinator, "LIM")))
	teacher := bearer(tm.mustToken(tm.mustUser("report-teacher@example.org", traject.RoleTeacher, "LIM")))
	base := "/api/v1/reports/device-usage?from=2020-05&to=2020-12"
	for _, sc := range []apiScenario{
		{name: "json", path: base, header: analyst, status: 200,
			want: []string{`"report":"device-usage"`, `"region":"Antwerpen","period_from":"2020-09","period_to":"2020-10"`, `"lent_4g":15`}},
		{name: "own region", path: base + "&region=LIM", header: coord, status: 200, want: []string{"Limburg"}, notWant: []string{"Antwerpen"}},
		{name: "another region", path: base + "&region=BRU", header: coord, status: 403},
		{name: "no permission", path: base, header: teacher, status: 403},
		{name: "bad month", path: "/api/v1/reports/loans-by-month?from=2020-13", header: analyst, status: 422, want: []string{"2020-13"}},
		{name: "backwards", path: "/api/v1/reports/loans-by-month?from=2020-05&to=2020-01", header: analyst, status: 422},
		{name: "bad region", path: base + "&region=Atlantis", header: analyst, status: 422, want: []string{"Atlantis"}},
		{name: "unknown report", path: "/api/v1/reports/nonsense", header: analyst, status: 422},
		{name: "bad format", path: base + "&format=pdf", header: analyst, status: 422},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, tm, nil) })
	}
	res := tm.do(tm.client(), http.MethodGet, base+"&format=csv", nil, analyst)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(res.Body, "region,period_from,period_to,stock_wifi,stock_4g,lent_wifi,lent_4g,reserved_wifi,reserved_4g\n") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "device-usage-2020-05-2020-12.csv") {
		t.Errorf("csv: %d %v %q", res.StatusCode, res.Header, res.Body)
	}
	h := bearer(tm.mustToken(tm.mustUser("report-analyst2@example.org", traject.RoleAnalyst, "")))
	h.Set("Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	res = tm.do(tm.client(), http.MethodGet, base, nil, h)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Body, "PK") {
		t.Errorf("xlsx by Accept: %d %v", res.StatusCode, res.Header)
	}
}

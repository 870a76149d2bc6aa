package report

import (
	"fmt"
	"html"
	"strings"
)

// ChartSpec says what a report's chart shows: one group of bars per label
// (the label columns joined), one bar per series (the sum of its columns).
type ChartSpec struct {
	Label  []string
	Series [][]string
}

// Charts are the charts of the reports.
var Charts = map[string]ChartSpec{
	"loans-by-month": {Label: []string{"month"}, Series: [][]string{{"started"}, {"active"}}},
	"device-usage":   {Label: []string{"region", "period_from", "period_to"}, Series: [][]string{{"lent_wifi", "lent_4g"}, {"reserved_wifi", "reserved_4g"}}},
	"deliveries":     {Label: []string{"reference"}, Series: [][]string{{"planned_count"}, {"received_count"}}},
	"stock":          {Label: []string{"region", "connectivity"}, Series: [][]string{{"in_stock"}, {"on_loan"}}},
	"reach":          {Label: []string{"course"}, Series: [][]string{{"reached_online"}, {"reached_onsite"}, {"not_reached"}}},
	"barriers":       {Label: []string{"resource"}, Series: [][]string{{"open"}, {"resolved"}}},
	"summary":        {Label: []string{"figure"}, Series: [][]string{{"value"}}},
}

// chartColours are the bars' colours, dark enough on white (3:1 and more,
// WCAG 1.4.11), and told apart by the legend's words as well.
var chartColours = []string{"#0055cc", "#333332", "#bc3136"}

// ChartSVG draws t as horizontal bars in SVG, with role="img", a title and a
// description; the table beside it carries the figures. names are the
// series' names as the reader sees them.
func ChartSVG(t *Table, title, desc string, names []string) string {
	spec, ok := Charts[t.Name]
	if !ok || len(t.Rows) == 0 {
		return ""
	}
	labels, values := chartData(t, spec)
	const labelW, barW, barH, gap, top = 220.0, 440.0, 12.0, 10.0, 34.0
	max := 0.0
	for _, vs := range values {
		for _, v := range vs {
			max = maxf(max, v)
		}
	}
	if max == 0 {
		max = 1
	}
	groupH := float64(len(spec.Series))*barH + gap
	height := top + float64(len(labels))*groupH + 10
	id := "chart-" + t.Name
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %.0f %.0f" class="chart">`,
		id, id, labelW+barW+60, height)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	for i, name := range names {
		x := labelW + float64(i)*150
		fmt.Fprintf(&b, `<rect x="%.0f" y="8" width="12" height="12" fill="%s"/><text x="%.0f" y="18" font-size="12">%s</text>`,
			x, chartColours[i%len(chartColours)], x+16, html.EscapeString(name))
	}
	for g, label := range labels {
		y := top + float64(g)*groupH
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" font-size="11" text-anchor="end">%s</text>`, labelW-6, y+float64(len(spec.Series))*barH/2+4, html.EscapeString(label))
		for s, v := range values[g] {
			w := v / max * barW
			fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" fill="%s"/><text x="%.1f" y="%.1f" font-size="10">%s</text>`,
				labelW, y+float64(s)*barH, w, barH-2, chartColours[s%len(chartColours)], labelW+w+4, y+float64(s)*barH+9, trimNumber(v))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// chartData sums the series per label, labels in the table's order.
func chartData(t *Table, spec ChartSpec) ([]string, [][]float64) {
	var labels []string
	index := map[string]int{}
	var values [][]float64
	for _, row := range t.Rows {
		parts := make([]string, len(spec.Label))
		for i, c := range spec.Label {
			if k := t.Column(c); k >= 0 {
				parts[i] = Text(row[k])
			}
		}
		label := strings.Join(parts, " ")
		g, ok := index[label]
		if !ok {
			g = len(labels)
			index[label] = g
			labels = append(labels, label)
			values = append(values, make([]float64, len(spec.Series)))
		}
		for s, cols := range spec.Series {
			for _, c := range cols {
				if k := t.Column(c); k >= 0 {
					values[g][s] += Number(row[k])
				}
			}
		}
	}
	return labels, values
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

func trimNumber(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprint(int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}

package eval

// This file draws the HTML report's charts as inline SVG.

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// chartBar is one bar of a 0..1 bar chart.
type chartBar struct {
	Label    string
	Value    float64
	Interval *Interval
	OK       bool // false: not measurable on this set, drawn as "n.v.t."
	Lower    bool // lower is better
}

const (
	chartLabelW = 190
	chartBarW   = 380
	chartRowH   = 26
)

// esc escapes text for SVG inside HTML.
func esc(s string) string { return template.HTMLEscapeString(s) }

// barChart draws horizontal bars on a 0..1 scale with interval whiskers.
func barChart(bars []chartBar) template.HTML {
	width := chartLabelW + chartBarW + 70
	height := len(bars)*chartRowH + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="staafdiagram van de hoofdcijfers">`, width, height, width, height)
	axis(&b, height-22)
	for i, bar := range bars {
		y := 8 + i*chartRowH
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, chartLabelW-8, y+14, esc(bar.Label))
		if !bar.OK {
			fmt.Fprintf(&b, `<text class="na" x="%d" y="%d">n.v.t.</text>`, chartLabelW+4, y+14)
			continue
		}
		cls := "bar"
		if bar.Lower {
			cls = "bar lower"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="16"><title>%s: %s</title></rect>`,
			cls, chartLabelW, y+2, clamp01(bar.Value)*chartBarW, esc(bar.Label), fmtRate(bar.Value))
		if iv := bar.Interval; iv != nil {
			x1, x2 := chartLabelW+clamp01(iv.Low)*chartBarW, chartLabelW+clamp01(iv.High)*chartBarW
			fmt.Fprintf(&b, `<g class="whisker"><line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><title>95%%-interval: %s – %s</title></g>`,
				x1, y+10, x2, y+10, x1, y+5, x1, y+15, x2, y+5, x2, y+15, fmtRate(iv.Low), fmtRate(iv.High))
		}
		fmt.Fprintf(&b, `<text class="value" x="%d" y="%d">%s</text>`, chartLabelW+chartBarW+6, y+14, fmtRate(bar.Value))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// axis draws the 0..1 scale under a bar chart.
func axis(b *strings.Builder, y int) {
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		x := float64(chartLabelW) + t*chartBarW
		fmt.Fprintf(b, `<line class="grid" x1="%.1f" y1="0" x2="%.1f" y2="%d"/><text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			x, x, y, x, y+14, fmtRate(t))
	}
}

// seriesClasses colour the series of a grouped chart.
var seriesClasses = []string{"s0", "s1", "s2"}

// groupChart draws, per group, one bar per series.
func groupChart(groups map[string]Summary, order []string, series []metric, k int) template.HTML {
	if len(order) == 0 {
		return ""
	}
	groupH := len(series)*12 + 10
	width := chartLabelW + chartBarW + 70
	height := 24 + len(order)*groupH + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="staafdiagram per groep">`, width, height, width, height)
	axis(&b, height-22)
	for i, m := range series {
		x := chartLabelW + i*130
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="4" width="12" height="12"/><text class="legend" x="%d" y="14">%s</text>`,
			seriesClasses[i%len(seriesClasses)], x, x+16, esc(m.label(k)))
	}
	for gi, name := range order {
		g := groups[name]
		y := 24 + gi*groupH
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, chartLabelW-8, y+groupH/2+2, esc(name))
		for si, m := range series {
			yy := y + si*12
			if !m.applies(g) {
				fmt.Fprintf(&b, `<text class="na small" x="%d" y="%d">n.v.t.</text>`, chartLabelW+4, yy+10)
				continue
			}
			v := m.get(g)
			fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="10"><title>%s, %s: %s</title></rect>`,
				seriesClasses[si%len(seriesClasses)], chartLabelW, yy+1, clamp01(v)*chartBarW, esc(name), esc(m.label(k)), fmtRate(v))
			fmt.Fprintf(&b, `<text class="value small" x="%.1f" y="%d">%s</text>`, float64(chartLabelW)+clamp01(v)*chartBarW+4, yy+10, fmtRate(v))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// latencyChart draws a histogram of response times with the p50 and p95
// marked.
func latencyChart(ms []float64, p50, p95 float64) template.HTML {
	if len(ms) == 0 {
		return ""
	}
	hi := slices.Max(ms)
	step := niceStep(hi / 10)
	nbins := max(1, int(math.Floor(hi/step))+1)
	counts := make([]int, nbins)
	for _, x := range ms {
		counts[min(nbins-1, max(0, int(math.Floor(x/step))))]++
	}
	maxCount := slices.Max(counts)
	const left, plotW, plotH, top = 40, 560, 160, 20
	width, height := left+plotW+20, top+plotH+50
	bw := float64(plotW) / float64(nbins)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="verdeling van de antwoordtijden">`, width, height, width, height)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, top+plotH, left+plotW, top+plotH)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">%d</text>`, left-6, top+8, maxCount)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">0</text>`, left-6, top+plotH)
	for i, c := range counts {
		h := float64(c) / float64(maxCount) * plotH
		x := float64(left) + float64(i)*bw
		fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s–%s ms: %d vragen</title></rect>`,
			x+1, float64(top+plotH)-h, math.Max(bw-2, 1), h, fmtMS(float64(i)*step), fmtMS(float64(i+1)*step), c)
	}
	for i := 0; i <= nbins; i += max(1, nbins/5) {
		x := float64(left) + float64(i)*bw
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x, top+plotH+14, fmtMS(float64(i)*step))
	}
	span := float64(nbins) * step
	for _, p := range []struct {
		name string
		v    float64
	}{{"p50", p50}, {"p95", p95}} {
		x := float64(left) + p.v/span*plotW
		fmt.Fprintf(&b, `<line class="marker" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			x, top-4, x, top+plotH, x, top-8, p.name)
	}
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="middle">antwoordtijd in milliseconden</text>`, left+plotW/2, top+plotH+34)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

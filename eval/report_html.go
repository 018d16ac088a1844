package eval

// This file writes a report as one self-contained HTML page, in Dutch, for
// policy officers; its charts are drawn by report_svg.go.

import (
	"bytes"
	_ "embed" // the HTML template
	"fmt"
	"html/template"
	"io"
	"strconv"
)

//go:embed templates/report.html
var reportHTML string

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

// htmlRow is one row of a metric table in the HTML report.
type htmlRow struct {
	Label, Value, Interval, Explain string
}

// htmlGroup is one row of a group table (list, tag, document).
type htmlGroup struct {
	Name      string
	Questions int
	Values    []string
}

type htmlQuestion struct {
	ID, Question, Kind, Status, First, Coverage string
	Problems                                    []string
	Top                                         []string
	Failed                                      bool
}

type htmlData struct {
	Title, Started, Commit, Embedder, Model string
	Questions, Answerable, Unanswerable, K  int
	Leaks                                   int
	Headline                                []htmlRow
	HeadlineChart                           template.HTML
	P50, P95                                string
	LatencyChart                            template.HTML
	GroupHeads                              []string
	Ablation, PerTag, PerDocument           []htmlGroup
	AblationChart, TagChart                 template.HTML
	JudgeSkipped                            string
	Judge                                   *JudgeSummary
	JudgeRows                               []htmlRow
	Failed, All                             []htmlQuestion
	Glossary                                []htmlRow
}

// WriteHTML writes the report as one self-contained HTML page: no
// scripts, no external files, charts as inline SVG. It opens offline.
func (r Report) WriteHTML(w io.Writer) error {
	s := r.Summary
	k := s.K
	d := htmlData{
		Title: orUnknown(r.Set, "vragenset"), Started: fmtTime(r.Run.Started), Commit: orUnknown(r.Run.Commit, "onbekend"),
		Embedder: orUnknown(r.Run.Embedder, "onbekend"), Model: orUnknown(r.Run.Model, "geen (alleen letterlijke citaten)"),
		Questions: s.Questions, Answerable: s.Answerable, Unanswerable: s.Unanswerable, K: k, Leaks: s.Leaks,
		P50: p50Metric.value(s), P95: p95Metric.value(s), JudgeSkipped: r.judgeSkipped(),
	}
	var bars []chartBar
	for _, m := range headline {
		d.Headline = append(d.Headline, htmlRow{Label: m.label(k), Value: m.value(s), Interval: m.interval(s), Explain: m.explain})
		d.Glossary = append(d.Glossary, htmlRow{Label: m.label(k), Explain: m.explain})
		bar := chartBar{Label: m.label(k), Value: m.get(s), OK: m.applies(s), Lower: m.lower}
		if iv, ok := s.Intervals[m.key]; ok && bar.OK {
			bar.Interval = &iv
		}
		bars = append(bars, bar)
	}
	d.Glossary = append(d.Glossary, htmlRow{Label: leaksMetric.label(k), Explain: leaksMetric.explain},
		htmlRow{Label: p50Metric.label(k), Explain: p50Metric.explain}, htmlRow{Label: p95Metric.label(k), Explain: p95Metric.explain})
	d.HeadlineChart = barChart(bars)
	lat := make([]float64, 0, len(r.Outcomes))
	for _, o := range r.Outcomes {
		lat = append(lat, o.LatencyMS)
	}
	d.LatencyChart = latencyChart(lat, s.LatencyP50, s.LatencyP95)

	cols := groupColumns()
	for _, c := range cols {
		d.GroupHeads = append(d.GroupHeads, c.label(k))
	}
	groups := func(m map[string]Summary, order []string) []htmlGroup {
		var out []htmlGroup
		for _, name := range summaryKeys(m, order) {
			g := htmlGroup{Name: name, Questions: m[name].Questions}
			for _, c := range cols {
				g.Values = append(g.Values, c.value(m[name]))
			}
			out = append(out, g)
		}
		return out
	}
	d.Ablation, d.PerTag, d.PerDocument = groups(r.Ablation, AblationLists), groups(r.PerTag, nil), groups(r.PerDocument, nil)
	series := []metric{cols[0], cols[1], cols[2]}
	d.AblationChart = groupChart(r.Ablation, summaryKeys(r.Ablation, AblationLists), series, k)
	d.TagChart = groupChart(r.PerTag, summaryKeys(r.PerTag, nil), []metric{cols[0], cols[2], cols[4]}, k)

	if d.JudgeSkipped == "" {
		d.Judge = r.Judge
		d.JudgeRows = []htmlRow{
			{Label: "betrouwbaarheid (faithfulness)", Value: fmtRate(r.Judge.Faithfulness), Explain: faithfulnessExplain},
			{Label: "relevantie", Value: fmtRate(r.Judge.Relevance), Explain: relevanceExplain},
		}
	}
	for _, o := range r.Outcomes {
		q := htmlQuestion{ID: o.ID, Question: o.Question, Kind: kindDutch(o.Kind), Problems: Failures(o), Top: o.Top, Coverage: coverageNote(o)}
		q.Failed = len(q.Problems) > 0
		q.Status = "goed"
		if q.Failed {
			q.Status = "mis"
		}
		q.First = "–"
		if o.Kind != NotInSources {
			q.First = "niet gevonden"
			if f := MetricsOf(o, k).FirstRelevant; f > 0 {
				q.First = "plek " + strconv.Itoa(f)
			}
		}
		d.All = append(d.All, q)
		if q.Failed {
			d.Failed = append(d.Failed, q)
		}
	}
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, d); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

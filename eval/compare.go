package eval

// This file compares two reports: the headline figures, with a verdict on
// whether a change is larger than the old run's 95% interval, and the
// questions one by one.

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Comparison is what changed between two runs.
type Comparison struct {
	OldSet, NewSet string
	Old, New       RunInfo
	OldQuestions   int
	NewQuestions   int
	Notes          []string // Dutch warnings: other set, other k, questions added or removed
	Metrics        []MetricChange
	Questions      []QuestionChange // questions in both runs whose result changed, in the new run's order
	Added          []QuestionRef    // only in the new run
	Removed        []QuestionRef    // only in the old run
}

// MetricChange is one headline figure, old and new.
type MetricChange struct {
	Key      string
	Label    string
	Old, New float64
	Measured bool      // both runs measure it
	Interval *Interval // the old run's 95% interval, when it has one
	Real     bool      // New lies outside Interval (leaks: any change)
	Lower    bool      // lower is better
	format   func(float64) string
}

// Delta is New − Old.
func (m MetricChange) Delta() float64 { return m.New - m.Old }

// Better reports whether the figure moved the good way.
func (m MetricChange) Better() bool {
	if m.Lower {
		return m.New < m.Old
	}
	return m.New > m.Old
}

// Verdict says in Dutch whether the change is real or noise.
func (m MetricChange) Verdict() string {
	switch {
	case !m.Measured:
		return "–"
	case math.Abs(m.Delta()) < 1e-9:
		return "gelijk"
	}
	dir := "slechter"
	if m.Better() {
		dir = "beter"
	}
	switch {
	case m.Real:
		return "echte verandering (" + dir + ")"
	case m.Interval == nil:
		return dir + " (geen interval)"
	}
	return "ruis"
}

// QuestionChange is how one question's result changed.
type QuestionChange struct {
	ID, Question string
	Better       []string // Dutch, e.g. "hit@5: nee → ja"
	Worse        []string
	Other        []string // neither better nor worse: the question itself changed
}

// QuestionRef names a question.
type QuestionRef struct {
	ID, Question string
}

// Compare compares an old and a new report.
func Compare(old, new Report) Comparison {
	c := Comparison{OldSet: old.Set, NewSet: new.Set, Old: old.Run, New: new.Run,
		OldQuestions: len(old.Outcomes), NewQuestions: len(new.Outcomes)}
	if old.Set != new.Set {
		c.Notes = append(c.Notes, fmt.Sprintf("De runs gebruiken een andere vragenset (%s en %s).", orUnknown(old.Set, "onbekend"), orUnknown(new.Set, "onbekend")))
	}
	if old.Summary.K != new.Summary.K {
		c.Notes = append(c.Notes, fmt.Sprintf("De runs tellen zoekresultaten tot een andere plek (k = %d en k = %d); hit@k en recall@k zijn niet goed te vergelijken.", old.Summary.K, new.Summary.K))
	}
	metrics := append(append([]metric(nil), headline...), leaksMetric, p50Metric, p95Metric)
	for _, m := range metrics {
		mc := MetricChange{Key: m.key, Label: m.label(new.Summary.K), Old: m.get(old.Summary), New: m.get(new.Summary),
			Measured: m.applies(old.Summary) && m.applies(new.Summary), Lower: m.lower, format: m.format}
		if iv, ok := old.Summary.Intervals[m.key]; ok && mc.Measured {
			mc.Interval = &iv
			mc.Real = mc.New < iv.Low-1e-9 || mc.New > iv.High+1e-9
		}
		if m.key == leaksMetric.key {
			mc.Real = mc.New != mc.Old
		}
		c.Metrics = append(c.Metrics, mc)
	}
	if old.judgeSkipped() == "" && new.judgeSkipped() == "" {
		c.Metrics = append(c.Metrics,
			MetricChange{Key: "faithfulness", Label: "betrouwbaarheid (taalmodel)", Old: old.Judge.Faithfulness, New: new.Judge.Faithfulness, Measured: true, format: fmtRate},
			MetricChange{Key: "relevance", Label: "relevantie (taalmodel)", Old: old.Judge.Relevance, New: new.Judge.Relevance, Measured: true, format: fmtRate})
	}

	oldByID := map[string]Outcome{}
	for _, o := range old.Outcomes {
		oldByID[o.ID] = o
	}
	newIDs := map[string]bool{}
	for _, n := range new.Outcomes {
		newIDs[n.ID] = true
		o, ok := oldByID[n.ID]
		if !ok {
			c.Added = append(c.Added, QuestionRef{ID: n.ID, Question: n.Question})
			continue
		}
		qc := compareQuestion(o, n, old.Summary.K, new.Summary.K)
		if len(qc.Better)+len(qc.Worse)+len(qc.Other) > 0 {
			c.Questions = append(c.Questions, qc)
		}
	}
	for _, o := range old.Outcomes {
		if !newIDs[o.ID] {
			c.Removed = append(c.Removed, QuestionRef{ID: o.ID, Question: o.Question})
		}
	}
	if len(c.Added)+len(c.Removed) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("De vragen zijn niet dezelfde (nieuw: %d, verdwenen: %d). Een deel van het verschil in de hoofdcijfers komt daardoor.", len(c.Added), len(c.Removed)))
	}
	return c
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}

func rankText(r int) string {
	if r == 0 {
		return "niet gevonden"
	}
	return "plek " + strconv.Itoa(r)
}

// compareQuestion lists what changed for one question; the new run's kind
// decides what a good result is.
func compareQuestion(o, n Outcome, oldK, newK int) QuestionChange {
	qc := QuestionChange{ID: n.ID, Question: n.Question}
	if o.Kind != n.Kind {
		qc.Other = append(qc.Other, fmt.Sprintf("soort veranderd: %s → %s", kindDutch(o.Kind), kindDutch(n.Kind)))
	}
	if o.Question != n.Question {
		qc.Other = append(qc.Other, "vraagtekst veranderd")
	}
	change := func(better bool, text string) {
		if better {
			qc.Better = append(qc.Better, text)
		} else {
			qc.Worse = append(qc.Worse, text)
		}
	}
	om, nm := MetricsOf(o, oldK), MetricsOf(n, newK)
	if n.Kind != NotInSources {
		switch {
		case om.HitAtK != nm.HitAtK:
			change(nm.HitAtK > om.HitAtK, fmt.Sprintf("hit@%d: %s → %s (eerste goede passage: %s → %s)",
				newK, yesNo(om.HitAtK > 0), yesNo(nm.HitAtK > 0), rankText(om.FirstRelevant), rankText(nm.FirstRelevant)))
		case om.FirstRelevant != nm.FirstRelevant:
			better := nm.FirstRelevant != 0 && (om.FirstRelevant == 0 || nm.FirstRelevant < om.FirstRelevant)
			change(better, fmt.Sprintf("eerste goede passage: %s → %s", rankText(om.FirstRelevant), rankText(nm.FirstRelevant)))
		}
		if om.CitationGood != nm.CitationGood {
			change(nm.CitationGood, fmt.Sprintf("verwijst naar een goede passage: %s → %s", yesNo(om.CitationGood), yesNo(nm.CitationGood)))
		}
		if n.Keypoints > 0 && (o.KeypointsFound != n.KeypointsFound || o.Keypoints != n.Keypoints) && nm.KeypointRecall != om.KeypointRecall {
			change(nm.KeypointRecall > om.KeypointRecall, fmt.Sprintf("kernpunten: %d van %d → %d van %d", o.KeypointsFound, o.Keypoints, n.KeypointsFound, n.Keypoints))
		}
	}
	oldRight := o.Abstained == (n.Kind == NotInSources)
	if oldRight != nm.AbstainRight {
		switch {
		case n.Kind == NotInSources && nm.AbstainRight:
			change(true, "zegt nu terecht dat het niet in de bronnen staat")
		case n.Kind == NotInSources:
			change(false, "geeft nu een antwoord, maar het staat niet in de bronnen")
		case nm.AbstainRight:
			change(true, "geeft nu wel een antwoord")
		default:
			change(false, "geeft nu onterecht geen antwoord")
		}
	}
	if (len(o.Leaked) > 0) != (len(n.Leaked) > 0) {
		if len(n.Leaked) > 0 {
			change(false, fmt.Sprintf("lekt nu %d persoonsgegeven(s)", len(n.Leaked)))
		} else {
			change(true, "lekt geen persoonsgegevens meer")
		}
	}
	switch {
	case o.Error == "" && n.Error != "":
		change(false, "nu een fout tijdens het beantwoorden")
	case o.Error != "" && n.Error == "":
		change(true, "geen fout meer")
	}
	return qc
}

// WriteMarkdown writes the comparison in Dutch for a pull request.
func (c Comparison) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("# Vergelijking van twee evaluaties\n\n")
	b.WriteString("| | Oud | Nieuw |\n|---|---|---|\n")
	row := func(name, o, n string) { fmt.Fprintf(&b, "| %s | %s | %s |\n", name, mdEscape(o), mdEscape(n)) }
	row("Vragenset", orUnknown(c.OldSet, "onbekend"), orUnknown(c.NewSet, "onbekend"))
	row("Gestart", fmtTime(c.Old.Started), fmtTime(c.New.Started))
	row("Versie (commit)", orUnknown(c.Old.Commit, "onbekend"), orUnknown(c.New.Commit, "onbekend"))
	row("Embedder", orUnknown(c.Old.Embedder, "onbekend"), orUnknown(c.New.Embedder, "onbekend"))
	row("Taalmodel", orUnknown(c.Old.Model, "geen"), orUnknown(c.New.Model, "geen"))
	row("Vragen", strconv.Itoa(c.OldQuestions), strconv.Itoa(c.NewQuestions))
	b.WriteString("\n")
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "> **Let op:** %s\n\n", n)
	}

	b.WriteString("## Hoofdcijfers\n\n")
	b.WriteString("\"Echte verandering\" betekent: de nieuwe waarde ligt buiten het 95%-interval van de oude meting. \"Ruis\" betekent: de nieuwe waarde ligt binnen dat interval, dus het verschil kan toeval zijn. Bij lekken telt elke verandering.\n\n")
	b.WriteString("| Maat | Oud | Nieuw | Verschil | Oordeel |\n|---|---|---|---|---|\n")
	for _, m := range c.Metrics {
		f := m.format
		if f == nil {
			f = fmtRate
		}
		if !m.Measured {
			fmt.Fprintf(&b, "| %s | – | – | – | niet te meten |\n", m.Label)
			continue
		}
		delta := fmtDelta(m.Delta())
		if m.Key == "latency_p50_ms" || m.Key == "latency_p95_ms" || m.Key == "leaks" {
			d := math.Round(m.Delta())
			delta = fmtMS(d)
			if d > 0 {
				delta = "+" + delta
			}
		}
		verdict := m.Verdict()
		if m.Key == "leaks" && m.New > 0 {
			verdict = "**LET OP: moet 0 zijn**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", m.Label, f(m.Old), f(m.New), delta, verdict)
	}
	b.WriteString("\n")

	var better, worse, other []QuestionChange
	for _, q := range c.Questions {
		if len(q.Better) > 0 {
			better = append(better, q)
		}
		if len(q.Worse) > 0 {
			worse = append(worse, q)
		}
		if len(q.Other) > 0 {
			other = append(other, q)
		}
	}
	list := func(title string, qs []QuestionChange, pick func(QuestionChange) []string) {
		fmt.Fprintf(&b, "## %s (%d)\n\n", title, len(qs))
		if len(qs) == 0 {
			b.WriteString("Geen.\n\n")
			return
		}
		for _, q := range qs {
			fmt.Fprintf(&b, "- **%s** (%s): %s\n", mdEscape(q.ID), mdEscape(q.Question), strings.Join(pick(q), "; "))
		}
		b.WriteString("\n")
	}
	list("Vragen die slechter gingen", worse, func(q QuestionChange) []string { return q.Worse })
	list("Vragen die beter gingen", better, func(q QuestionChange) []string { return q.Better })
	if len(other) > 0 {
		list("Vragen die zelf veranderd zijn", other, func(q QuestionChange) []string { return q.Other })
	}
	refs := func(title string, qs []QuestionRef) {
		fmt.Fprintf(&b, "## %s (%d)\n\n", title, len(qs))
		if len(qs) == 0 {
			b.WriteString("Geen.\n\n")
			return
		}
		for _, q := range qs {
			fmt.Fprintf(&b, "- **%s**: %s\n", mdEscape(q.ID), mdEscape(q.Question))
		}
		b.WriteString("\n")
	}
	refs("Nieuwe vragen", c.Added)
	refs("Verdwenen vragen", c.Removed)
	out := bytes.TrimRight(b.Bytes(), "\n")
	if _, err := w.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

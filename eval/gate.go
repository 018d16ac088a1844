package eval

// This file holds the quality gate of `wegwijs eval run --fail-under`:
// a comma-separated list of conditions on the headline figures, for
// example
//
//	hit=0.9,abstain=1.0,falseabstain<=0.05,leaks<=0,cite=0.8,keypoints=0.5,p95ms<=300
//
// Each condition is name, operator, number. The operator is ">=" (at
// least), "<=" (at most) or "=": the figure's natural direction, so "at
// least" for figures where higher is better and "at most" for those where
// lower is better (falseabstain, leaks, p50ms, p95ms). Rates are written
// as a number from 0 to 1 with a decimal point. See GateNames for the
// vocabulary.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// gateName is one word of the gate vocabulary.
type gateName struct {
	name    string
	explain string // Dutch
	kind    gateKind
	lower   bool // lower is better: "=" means "<="
	summary func(Summary) (float64, bool)
	judge   func(JudgeSummary) float64
	label   func(k int) string
}

type gateKind int

const (
	gateRate gateKind = iota
	gateCount
	gateMS
)

func fromMetric(key string) (func(Summary) (float64, bool), func(int) string) {
	for _, m := range headline {
		if m.key == key {
			return func(s Summary) (float64, bool) { return m.get(s), m.applies(s) }, m.label
		}
	}
	panic("unknown metric " + key)
}

func gateMetric(name, key, explain string) gateName {
	get, label := fromMetric(key)
	lower := false
	for _, m := range headline {
		if m.key == key {
			lower = m.lower
		}
	}
	return gateName{name: name, explain: explain, kind: gateRate, lower: lower, summary: get, label: label}
}

var gateNames = []gateName{
	gateMetric("hit", "hit_at_k", "hit@k: een goede passage bij de eerste k zoekresultaten"),
	gateMetric("hit1", "hit_at_1", "hit@1: een goede passage als eerste zoekresultaat"),
	gateMetric("recall", "recall_at_k", "recall@k: deel van alle goede passages bij de eerste k"),
	gateMetric("mrr", "mrr", "MRR: hoe hoog de eerste goede passage staat"),
	gateMetric("ndcg", "ndcg_at_10", "nDCG@10: kwaliteit van de volgorde van de eerste 10"),
	gateMetric("cite", "citation_hit", "antwoorden die naar een goede passage verwijzen"),
	gateMetric("citeprec", "citation_precision", "bronverwijzingen die naar een goede passage wijzen"),
	gateMetric("quotes", "quote_integrity", "citaten die letterlijk in hun passage staan"),
	gateMetric("keypoints", "keypoint_recall", "kernpunten die in het antwoord staan"),
	gateMetric("abstain", "abstain_recall", "vragen buiten de bronnen zonder antwoord (terecht)"),
	gateMetric("abstainprec", "abstain_precision", "keren geen antwoord die terecht waren"),
	gateMetric("falseabstain", "false_abstain", "beantwoordbare vragen zonder antwoord (onterecht); standaard een bovengrens"),
	gateMetric("confident", "confident", "beantwoordbare vragen met een zeker antwoord"),
	gateMetric("reach", "reach", "beantwoordbare vragen met een antwoord of de dichtstbijzijnde passages, met een goede passage"),
	gateMetric("hardmiss", "hard_miss", "vragen buiten de bronnen met toch een zeker antwoord; standaard een bovengrens"),
	{name: "leaks", explain: "gelekte persoonsgegevens; standaard een bovengrens", kind: gateCount, lower: true,
		summary: func(s Summary) (float64, bool) { return float64(s.Leaks), true }, label: fixed("lekken")},
	{name: "p50ms", explain: "antwoordtijd p50 in milliseconden; standaard een bovengrens", kind: gateMS, lower: true,
		summary: func(s Summary) (float64, bool) { return s.LatencyP50, s.Questions > 0 }, label: fixed("p50")},
	{name: "p95ms", explain: "antwoordtijd p95 in milliseconden; standaard een bovengrens", kind: gateMS, lower: true,
		summary: func(s Summary) (float64, bool) { return s.LatencyP95, s.Questions > 0 }, label: fixed("p95")},
	{name: "faithfulness", explain: "taalmodel: beweringen gedragen door de bronnen (alleen met taalmodel)", kind: gateRate,
		judge: func(j JudgeSummary) float64 { return j.Faithfulness }, label: fixed("betrouwbaarheid (taalmodel)")},
	{name: "relevance", explain: "taalmodel: antwoorden die op de vraag ingaan (alleen met taalmodel)", kind: gateRate,
		judge: func(j JudgeSummary) float64 { return j.Relevance }, label: fixed("relevantie (taalmodel)")},
}

// GateNames describes the gate vocabulary in Dutch, one line per name,
// for the command's help text.
func GateNames() []string {
	var out []string
	for _, g := range gateNames {
		out = append(out, fmt.Sprintf("%-13s %s", g.name, g.explain))
	}
	return out
}

func lookupGate(name string) (gateName, bool) {
	for _, g := range gateNames {
		if g.name == name {
			return g, true
		}
	}
	return gateName{}, false
}

// Condition is one condition of a gate.
type Condition struct {
	Name   string // a word of the vocabulary, e.g. "hit"
	AtMost bool   // true: the figure must be ≤ Limit; false: ≥ Limit
	Limit  float64
}

func (c Condition) String() string {
	op := ">="
	if c.AtMost {
		op = "<="
	}
	return c.Name + op + strconv.FormatFloat(c.Limit, 'f', -1, 64)
}

// Gate is a set of conditions a run must meet. The zero Gate always
// passes.
type Gate struct {
	Conditions []Condition
}

func (g Gate) String() string {
	var parts []string
	for _, c := range g.Conditions {
		parts = append(parts, c.String())
	}
	return strings.Join(parts, ",")
}

// ParseGate reads a --fail-under value (see the top of this file). An
// empty spec gives a gate without conditions. Errors are in Dutch, for the
// evaluator who typed the spec.
func ParseGate(spec string) (Gate, error) {
	var g Gate
	if strings.TrimSpace(spec) == "" {
		return g, nil
	}
	var errs []error
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			errs = append(errs, errors.New("lege voorwaarde (twee komma's achter elkaar, of een komma aan het eind?)"))
			continue
		}
		name, op, value, ok := splitCondition(item)
		if !ok {
			errs = append(errs, fmt.Errorf("%q: schrijf naam=getal, naam>=getal of naam<=getal, bijvoorbeeld hit=0.9", item))
			continue
		}
		gn, ok := lookupGate(name)
		if !ok {
			errs = append(errs, fmt.Errorf("%q: onbekende naam %q; kies uit: %s", item, name, strings.Join(gateList(), ", ")))
			continue
		}
		if seen[name] {
			errs = append(errs, fmt.Errorf("%q: %s staat er twee keer in", item, name))
			continue
		}
		seen[name] = true
		limit, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(limit) || math.IsInf(limit, 0) {
			hint := ""
			if strings.Contains(value, ",") || strings.Contains(value, "%") {
				hint = " (gebruik een punt, geen komma of procent: 0.9)"
			}
			errs = append(errs, fmt.Errorf("%q: %q is geen getal%s", item, value, hint))
			continue
		}
		switch gn.kind {
		case gateRate:
			if limit < 0 || limit > 1 {
				errs = append(errs, fmt.Errorf("%q: %s is een aandeel; geef een getal van 0 tot en met 1, bijvoorbeeld 0.9", item, name))
				continue
			}
		case gateCount:
			if limit < 0 || limit != math.Trunc(limit) {
				errs = append(errs, fmt.Errorf("%q: %s is een aantal; geef een heel getal van 0 of meer", item, name))
				continue
			}
		case gateMS:
			if limit < 0 {
				errs = append(errs, fmt.Errorf("%q: %s is een tijd in milliseconden; geef een getal van 0 of meer", item, name))
				continue
			}
		}
		atMost := gn.lower
		switch op {
		case ">=":
			atMost = false
		case "<=":
			atMost = true
		}
		g.Conditions = append(g.Conditions, Condition{Name: name, AtMost: atMost, Limit: limit})
	}
	if len(errs) > 0 {
		return Gate{}, fmt.Errorf("--fail-under: %w", errors.Join(errs...))
	}
	return g, nil
}

// splitCondition splits "name<=value", "name>=value" or "name=value".
func splitCondition(item string) (name, op, value string, ok bool) {
	i := strings.IndexAny(item, "<>=")
	if i <= 0 {
		return "", "", "", false
	}
	name, rest := strings.ToLower(strings.TrimSpace(item[:i])), item[i:]
	for _, o := range []string{"<=", ">=", "="} {
		if strings.HasPrefix(rest, o) {
			value = strings.TrimSpace(rest[len(o):])
			return name, o, value, value != "" && name != ""
		}
	}
	return "", "", "", false
}

func gateList() []string {
	var out []string
	for _, g := range gateNames {
		out = append(out, g.name)
	}
	return out
}

// Check tests the summary against the gate and returns one Dutch line per
// failed condition; none means the run passes. A figure the set cannot
// measure (say abstain without questions outside the sources) fails, and
// so do the language-model figures, which a Summary does not hold: use
// CheckReport for those.
func (g Gate) Check(s Summary) []string {
	return g.check(s, nil)
}

// CheckReport is Check on a report's summary, plus the language-model
// figures (faithfulness, relevance) when the judge ran.
func (g Gate) CheckReport(r Report) []string {
	return g.check(r.Summary, r.Judge)
}

func (g Gate) check(s Summary, j *JudgeSummary) []string {
	var out []string
	for _, c := range g.Conditions {
		gn, ok := lookupGate(c.Name)
		if !ok {
			out = append(out, fmt.Sprintf("%s: onbekende naam", c.Name))
			continue
		}
		label := gn.label(s.K)
		var v float64
		switch {
		case gn.judge != nil:
			if j == nil || j.NotRun != "" || j.Judged == 0 {
				out = append(out, fmt.Sprintf("%s: niet gemeten (geen beoordeling door een taalmodel), de eis was %s", label, c.describe(gn)))
				continue
			}
			v = gn.judge(*j)
		default:
			var applies bool
			v, applies = gn.summary(s)
			if !applies {
				out = append(out, fmt.Sprintf("%s: niet te meten met deze vragenset, de eis was %s", label, c.describe(gn)))
				continue
			}
		}
		const eps = 1e-9
		if (c.AtMost && v > c.Limit+eps) || (!c.AtMost && v < c.Limit-eps) {
			out = append(out, fmt.Sprintf("%s is %s, de eis is %s", label, gn.format(v), c.describe(gn)))
		}
	}
	return out
}

func (gn gateName) format(x float64) string {
	switch gn.kind {
	case gateCount:
		return strconv.Itoa(int(x))
	case gateMS:
		return fmtMS(x) + " ms"
	}
	return fmtRate(x)
}

func (c Condition) describe(gn gateName) string {
	word := "minstens"
	if c.AtMost {
		word = "hoogstens"
	}
	return word + " " + gn.format(c.Limit)
}

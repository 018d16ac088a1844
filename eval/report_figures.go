package eval

// This file holds the headline figures of a run as the readable reports
// (report_md.go, report_html.go) and the comparison and gate show them,
// and how figures, times and kinds are written in Dutch.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// metric is a headline figure of a Summary as the reports show it.
type metric struct {
	key     string // JSON and interval key
	label   func(k int) string
	explain string // Dutch, for the reader
	get     func(Summary) float64
	lower   bool                 // lower is better
	applies func(Summary) bool   // whether the set has questions to measure it on
	fmt     func(float64) string // nil: a rate with two decimals
}

func fixed(s string) func(int) string { return func(int) string { return s } }

func hasAnswerable(s Summary) bool   { return s.Answerable > 0 }
func hasUnanswerable(s Summary) bool { return s.Unanswerable > 0 }

// answered is the number of answerable questions that got an answer.
func answered(s Summary) int {
	return s.Answerable - int(math.Round(s.FalseAbstain*float64(s.Answerable)))
}

// abstentions is the number of questions Wegwijs abstained on.
func abstentions(s Summary) int {
	return int(math.Round(s.AbstainRecall*float64(s.Unanswerable) + s.FalseAbstain*float64(s.Answerable)))
}

var headline = []metric{
	{key: "hit_at_1", label: fixed("hit@1"), get: func(s Summary) float64 { return s.HitAt1 }, applies: hasAnswerable,
		explain: "Deel van de beantwoordbare vragen waarbij het eerste zoekresultaat een goede passage is."},
	{key: "hit_at_k", label: func(k int) string { return fmt.Sprintf("hit@%d", k) }, get: func(s Summary) float64 { return s.HitAtK }, applies: hasAnswerable,
		explain: "Deel van de beantwoordbare vragen met minstens één goede passage bij de eerste zoekresultaten."},
	{key: "recall_at_k", label: func(k int) string { return fmt.Sprintf("recall@%d", k) }, get: func(s Summary) float64 { return s.RecallAtK }, applies: hasAnswerable,
		explain: "Welk deel van álle goede passages bij de eerste zoekresultaten staat (gemiddeld per vraag)."},
	{key: "mrr", label: fixed("MRR"), get: func(s Summary) float64 { return s.MRR }, applies: hasAnswerable,
		explain: "Hoe hoog de eerste goede passage staat: 1 = bovenaan, 0,5 = op plek 2, 0 = niet gevonden."},
	{key: "ndcg_at_10", label: fixed("nDCG@10"), get: func(s Summary) float64 { return s.NDCG10 }, applies: hasAnswerable,
		explain: "Hoe goed de volgorde van de eerste 10 zoekresultaten is; 1 = de goede passages staan bovenaan."},
	{key: "citation_hit", label: fixed("citaat goed"), get: func(s Summary) float64 { return s.CitationHit }, applies: func(s Summary) bool { return answered(s) > 0 },
		explain: "Deel van de gegeven antwoorden dat verwijst naar minstens één goede passage."},
	{key: "citation_precision", label: fixed("citaatprecisie"), get: func(s Summary) float64 { return s.CitationPrec }, applies: func(s Summary) bool { return answered(s) > 0 },
		explain: "Deel van alle bronverwijzingen dat naar een goede passage wijst."},
	{key: "quote_integrity", label: fixed("citaten letterlijk"), get: func(s Summary) float64 { return s.QuoteIntegrity }, applies: func(s Summary) bool { return answered(s) > 0 },
		explain: "Deel van de citaten dat letterlijk in de aangehaalde passage staat."},
	{key: "keypoint_recall", label: fixed("kernpunten"), get: func(s Summary) float64 { return s.KeypointRecall }, applies: func(s Summary) bool { return answered(s) > 0 },
		explain: "Deel van de kernpunten uit de vragenset dat letterlijk in het antwoord staat."},
	{key: "abstain_recall", label: fixed("terecht geen antwoord"), get: func(s Summary) float64 { return s.AbstainRecall }, applies: hasUnanswerable,
		explain: "Deel van de vragen buiten de bronnen waarop Wegwijs eerlijk zegt dat het antwoord er niet in staat."},
	{key: "abstain_precision", label: fixed("geen antwoord klopt"), get: func(s Summary) float64 { return s.AbstainPrecision }, applies: func(s Summary) bool { return abstentions(s) > 0 },
		explain: "Van alle keren dat Wegwijs geen antwoord gaf: het deel waarbij dat terecht was."},
	{key: "false_abstain", label: fixed("onterecht geen antwoord"), get: func(s Summary) float64 { return s.FalseAbstain }, applies: hasAnswerable, lower: true,
		explain: "Deel van de beantwoordbare vragen waarop Wegwijs toch geen antwoord gaf (ook als het alleen de dichtstbijzijnde passages gaf). Lager is beter."},
	{key: "confident", label: fixed("zeker antwoord"), get: func(s Summary) float64 { return s.Confident }, applies: hasAnswerable,
		explain: "Deel van de beantwoordbare vragen met een echt antwoord (geen 'dichtstbijzijnde passages')."},
	{key: "reach", label: fixed("antwoord of goede passage"), get: func(s Summary) float64 { return s.Reach }, applies: hasAnswerable,
		explain: "Deel van de beantwoordbare vragen met een antwoord dat naar een goede passage verwijst, of met de dichtstbijzijnde passages waar een goede bij zit."},
	{key: "lead_hit", label: fixed("dichtstbij raak"), get: func(s Summary) float64 { return s.LeadHit }, applies: hasAnswerable,
		explain: "Deel van de beantwoordbare vragen die alleen de dichtstbijzijnde passages kregen, met een goede passage erbij."},
	{key: "soft_miss", label: fixed("buiten bronnen: dichtstbij"), get: func(s Summary) float64 { return s.SoftMiss }, applies: hasUnanswerable, lower: true,
		explain: "Deel van de vragen buiten de bronnen waarop Wegwijs de dichtstbijzijnde passages gaf, als hulp en niet als antwoord."},
	{key: "hard_miss", label: fixed("buiten bronnen: toch antwoord"), get: func(s Summary) float64 { return s.HardMiss }, applies: hasUnanswerable, lower: true,
		explain: "Deel van de vragen buiten de bronnen waarop Wegwijs toch een zeker antwoord gaf. Lager is beter."},
}

var (
	leaksMetric = metric{key: "leaks", label: fixed("lekken"), get: func(s Summary) float64 { return float64(s.Leaks) }, lower: true,
		applies: func(Summary) bool { return true }, fmt: func(x float64) string { return strconv.Itoa(int(x)) },
		explain: "Persoonsgegevens uit een vraag die in de uitvoer terugkwamen. Moet 0 zijn."}
	p50Metric = metric{key: "latency_p50_ms", label: fixed("p50 (ms)"), get: func(s Summary) float64 { return s.LatencyP50 }, lower: true,
		applies: func(s Summary) bool { return s.Questions > 0 }, fmt: fmtMS,
		explain: "De helft van de vragen was sneller beantwoord dan dit aantal milliseconden."}
	p95Metric = metric{key: "latency_p95_ms", label: fixed("p95 (ms)"), get: func(s Summary) float64 { return s.LatencyP95 }, lower: true,
		applies: func(s Summary) bool { return s.Questions > 0 }, fmt: fmtMS,
		explain: "95 van de 100 vragen waren sneller beantwoord dan dit aantal milliseconden."}
)

func (m metric) format(x float64) string {
	if m.fmt != nil {
		return m.fmt(x)
	}
	return fmtRate(x)
}

func (m metric) value(s Summary) string {
	if !m.applies(s) {
		return "–"
	}
	return m.format(m.get(s))
}

func (m metric) interval(s Summary) string {
	iv, ok := s.Intervals[m.key]
	if !ok || !m.applies(s) {
		return "–"
	}
	return fmtRate(iv.Low) + " – " + fmtRate(iv.High)
}

// fmtRate writes a figure with two decimals and a decimal comma.
func fmtRate(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), ".", ",", 1)
}

// fmtDelta writes a signed difference.
func fmtDelta(x float64) string {
	if math.Abs(x) < 0.005 {
		return "0,00"
	}
	s := fmtRate(x)
	if x > 0 {
		s = "+" + s
	}
	return s
}

func fmtMS(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) }

// summaryKeys returns the keys of m, the known ones first in their order.
func summaryKeys(m map[string]Summary, known []string) []string {
	var out []string
	for _, k := range known {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(known, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func kindDutch(k Kind) string {
	switch k {
	case Answerable:
		return "beantwoordbaar"
	case NotInSources:
		return "niet in de bronnen"
	case PersonalData:
		return "met persoonsgegevens"
	}
	return string(k)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "onbekend"
	}
	return t.Format("2006-01-02 15:04 MST")
}

func orUnknown(s, unknown string) string {
	if strings.TrimSpace(s) == "" {
		return unknown
	}
	return s
}

// groupColumns are the columns of the ablation, tag and document tables.
func groupColumns() []metric {
	pick := func(key string) metric {
		for _, m := range headline {
			if m.key == key {
				return m
			}
		}
		panic("unknown metric " + key)
	}
	return []metric{pick("hit_at_k"), pick("mrr"), pick("citation_hit"), pick("keypoint_recall"), pick("abstain_recall"), pick("false_abstain"),
		pick("confident"), pick("reach"), pick("soft_miss"), pick("hard_miss")}
}

const (
	faithfulnessExplain = "Deel van de beweringen in een antwoord dat volgens het taalmodel wordt gedragen door de aangehaalde passages (gemiddeld per antwoord)."
	relevanceExplain    = "Deel van de antwoorden dat volgens het taalmodel echt antwoord geeft op de gestelde vraag."
)

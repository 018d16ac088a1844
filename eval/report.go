package eval

// This file holds the report of a run: what it measured (Report), its
// JSON form for later comparison, and the two readable forms, Markdown for
// a pull request and a self-contained HTML page for policy officers. Both
// readable forms are in Dutch; question texts in them are data and are
// escaped.

import (
	"bytes"
	_ "embed" // the HTML template
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/prompts"
)

// RunInfo says what was measured and with what.
type RunInfo struct {
	Started  time.Time `json:"started"`
	Commit   string    `json:"commit,omitempty"`
	Embedder string    `json:"embedder,omitempty"`
	Model    string    `json:"model,omitempty"` // empty: extractive answers only
	K        int       `json:"k"`
}

// Report is everything one run measured.
type Report struct {
	Set         string             `json:"set"`
	Run         RunInfo            `json:"run"`
	Summary     Summary            `json:"summary"`
	Ablation    map[string]Summary `json:"ablation,omitempty"`     // per retrieval list: vector, fulltext, trigram, fused
	PerTag      map[string]Summary `json:"per_tag,omitempty"`      // per question tag
	PerDocument map[string]Summary `json:"per_document,omitempty"` // per document named in a question's passages
	Outcomes    []Outcome          `json:"-"`                      // written as "questions", see MarshalJSON
	// Documents lists, per question id, the documents its passages name.
	Documents map[string][]string `json:"-"`
	Judge     *JudgeSummary       `json:"judge,omitempty"` // nil: no language model judged the answers
}

// AblationLists are the retrieval lists of an ablation, in report order.
var AblationLists = []string{"vector", "fulltext", "trigram", "fused"}

// reportVersion is the version of the JSON form.
const reportVersion = 1

// BuildReport summarizes a run as a whole, per retrieval list of the
// ablation (may be nil), per tag and per document. set supplies the
// documents each question's passages name; a question belongs to each of
// them.
func BuildReport(info RunInfo, outcomes []Outcome, ablation map[string][]Outcome, set *Set, k int) Report {
	if info.K == 0 {
		info.K = k
	}
	r := Report{Run: info, Summary: summarize(outcomes, k), Outcomes: outcomes, Documents: map[string][]string{}}
	if len(ablation) > 0 {
		r.Ablation = map[string]Summary{}
		for name, outs := range ablation {
			r.Ablation[name] = summarize(outs, k)
		}
	}
	if set != nil {
		for _, q := range set.Questions {
			var docs []string
			for _, p := range q.Passages {
				if d := strings.TrimSpace(p.Document); d != "" && !slices.Contains(docs, d) {
					docs = append(docs, d)
				}
			}
			slices.Sort(docs)
			if len(docs) > 0 {
				r.Documents[q.ID] = docs
			}
		}
	}
	byTag := map[string][]Outcome{}
	byDoc := map[string][]Outcome{}
	for _, o := range outcomes {
		var seen []string
		for _, t := range o.Tags {
			if !slices.Contains(seen, t) {
				seen = append(seen, t)
				byTag[t] = append(byTag[t], o)
			}
		}
		for _, d := range r.Documents[o.ID] {
			byDoc[d] = append(byDoc[d], o)
		}
	}
	r.PerTag = summarizeEach(byTag, k)
	r.PerDocument = summarizeEach(byDoc, k)
	return r
}

func summarizeEach(groups map[string][]Outcome, k int) map[string]Summary {
	if len(groups) == 0 {
		return nil
	}
	out := make(map[string]Summary, len(groups))
	for name, outs := range groups {
		out[name] = summarize(outs, k)
	}
	return out
}

// summarize is Summarize plus the intervals Summarize does not compute
// (hit@1, recall@k, nDCG@10), so every rate in the report has one.
func summarize(outcomes []Outcome, k int) Summary {
	s := Summarize(outcomes, k)
	if s.Intervals == nil {
		s.Intervals = map[string]Interval{}
	}
	var hit1, rec, ndcg []float64
	for _, o := range outcomes {
		if o.Kind == NotInSources {
			continue
		}
		m := MetricsOf(o, k)
		hit1, rec, ndcg = append(hit1, m.HitAt1), append(rec, m.RecallAtK), append(ndcg, m.NDCG10)
	}
	for name, xs := range map[string][]float64{"hit_at_1": hit1, "recall_at_k": rec, "ndcg_at_10": ndcg} {
		if _, ok := s.Intervals[name]; !ok {
			s.Intervals[name] = Bootstrap(xs, 1000, 1)
		}
	}
	return s
}

// QuestionMetrics are the per-question figures the summary averages,
// written with each question so a report read back from JSON is complete.
type QuestionMetrics struct {
	FirstRelevant  int     `json:"first_relevant"` // rank of the first answering passage, 0 if none
	HitAt1         float64 `json:"hit_at_1"`
	HitAtK         float64 `json:"hit_at_k"`
	RecallAtK      float64 `json:"recall_at_k"`
	RR             float64 `json:"rr"`
	NDCG10         float64 `json:"ndcg_at_10"`
	CitationGood   bool    `json:"citation_good"`   // answered, with a citation of an answering passage
	AbstainRight   bool    `json:"abstain_right"`   // abstained exactly when the question is not in the sources
	KeypointRecall float64 `json:"keypoint_recall"` // 0 when the question has no keypoints
	Failed         bool    `json:"failed"`          // see Failures
}

// MetricsOf computes one question's figures at cut-off k.
func MetricsOf(o Outcome, k int) QuestionMetrics {
	r := o.Retrieved
	if r.Relevant == nil && len(o.HitRanks) > 0 {
		r.Relevant = o.HitRanks
	}
	m := QuestionMetrics{
		FirstRelevant: r.FirstRelevant(),
		HitAt1:        r.HitAt(1),
		HitAtK:        r.HitAt(k),
		RecallAtK:     r.RecallAt(k),
		RR:            r.ReciprocalRank(),
		NDCG10:        r.NDCGAt(10),
		CitationGood:  !o.Abstained && o.GoodCitations > 0,
		AbstainRight:  o.Abstained == (o.Kind == NotInSources),
	}
	if o.Keypoints > 0 {
		m.KeypointRecall = float64(o.KeypointsFound) / float64(o.Keypoints)
	}
	m.Failed = len(Failures(o)) > 0
	return m
}

// Failures says, in Dutch, what went wrong with one question: an
// answerable question abstained or answered without citing an answering
// passage, a question outside the sources got an answer, personal data
// leaked, or the run failed. Empty means it went well.
func Failures(o Outcome) []string {
	var out []string
	if o.Error != "" {
		out = append(out, "fout tijdens het beantwoorden")
	}
	switch {
	case o.Kind == NotInSources && !o.Abstained:
		out = append(out, "gaf een antwoord, maar het staat niet in de bronnen")
	case o.Kind != NotInSources && o.Abstained:
		out = append(out, "onterecht geen antwoord gegeven")
	case o.Kind != NotInSources && o.GoodCitations == 0:
		out = append(out, "antwoord zonder verwijzing naar een goede passage")
	}
	if len(o.Leaked) > 0 {
		out = append(out, fmt.Sprintf("%d persoonsgegeven(s) gelekt", len(o.Leaked)))
	}
	return out
}

// coverageNote says how much of the question was covered, for the
// outcomes where that explains what went wrong: an abstention, or an
// answer to a question the sources do not answer.
func coverageNote(o Outcome) string {
	if !o.Abstained && o.Kind != NotInSources {
		return ""
	}
	note := fmt.Sprintf("Deel van de vraag gedekt: beste passage %s, citaten uit één document %s", fmtRate(o.PassageCoverage), fmtRate(o.QuoteCoverage))
	if why := bot.ReasonDutch(prompts.ReasonOf(o.AbstainReason), 0); why != "" {
		note += ". Waarom geen antwoord: " + strings.TrimSuffix(why, ".")
	}
	return note
}

// questionJSON is an Outcome as written in the report: with the parts of
// Retrieved that json:"-" drops, its documents and its figures.
type questionJSON struct {
	Outcome
	RefHits   [][]int         `json:"ref_hits,omitempty"`
	NumRefs   int             `json:"num_refs"`
	Documents []string        `json:"documents,omitempty"`
	Metrics   QuestionMetrics `json:"metrics"`
}

type reportJSON struct {
	Version int `json:"version"`
	reportAlias
	Questions []questionJSON `json:"questions"`
}

type reportAlias Report // no methods: plain encoding of the tagged fields

// MarshalJSON writes the report with its questions (see WriteJSON).
func (r Report) MarshalJSON() ([]byte, error) {
	out := reportJSON{Version: reportVersion, reportAlias: reportAlias(r), Questions: []questionJSON{}}
	for _, o := range r.Outcomes {
		q := questionJSON{Outcome: o, RefHits: o.Retrieved.RefHits, NumRefs: o.Retrieved.NumRefs,
			Documents: r.Documents[o.ID], Metrics: MetricsOf(o, r.Summary.K)}
		if q.HitRanks == nil {
			q.HitRanks = o.Retrieved.Relevant
		}
		out.Questions = append(out.Questions, q)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a report written by MarshalJSON, restoring each
// outcome's Retrieved.
func (r *Report) UnmarshalJSON(data []byte) error {
	var in reportJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	if in.Version > reportVersion {
		return fmt.Errorf("report version %d is newer than this program (%d)", in.Version, reportVersion)
	}
	*r = Report(in.reportAlias)
	r.Outcomes = make([]Outcome, 0, len(in.Questions))
	r.Documents = map[string][]string{}
	for _, q := range in.Questions {
		o := q.Outcome
		o.Retrieved = Retrieved{Relevant: o.HitRanks, RefHits: q.RefHits, NumRefs: q.NumRefs}
		r.Outcomes = append(r.Outcomes, o)
		if len(q.Documents) > 0 {
			r.Documents[o.ID] = q.Documents
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON, for ReadReport and
// Compare.
func (r Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// ReadReport reads a report written by WriteJSON.
func ReadReport(path string) (Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Report{}, fmt.Errorf("read report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return Report{}, fmt.Errorf("read report %s: %w", path, err)
	}
	return r, nil
}

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
		explain: "Deel van de beantwoordbare vragen waarop Wegwijs toch geen antwoord gaf. Lager is beter."},
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

// mdEscape makes data safe in a Markdown table cell or list item.
var mdEscaper = strings.NewReplacer("\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "\r\n", " ", "\n", " ", "\r", " ")

func mdEscape(s string) string { return mdEscaper.Replace(s) }

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

// judgeSkipped is the reason the judge did not run, or "".
func (r Report) judgeSkipped() string {
	switch {
	case r.Judge == nil:
		return NoModel
	case r.Judge.NotRun != "":
		return r.Judge.NotRun
	}
	return ""
}

// failed returns the outcomes that went wrong, in run order.
func (r Report) failed() []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if len(Failures(o)) > 0 {
			out = append(out, o)
		}
	}
	return out
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
	return []metric{pick("hit_at_k"), pick("mrr"), pick("citation_hit"), pick("keypoint_recall"), pick("abstain_recall"), pick("false_abstain")}
}

// WriteMarkdown writes the report in Dutch for a pull request.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	s := r.Summary
	k := s.K
	fmt.Fprintf(&b, "# Evaluatie van Wegwijs: %s\n\n", mdEscape(orUnknown(r.Set, "vragenset")))
	fmt.Fprintf(&b, "- Gestart: %s\n", fmtTime(r.Run.Started))
	fmt.Fprintf(&b, "- Versie (commit): %s\n", mdEscape(orUnknown(r.Run.Commit, "onbekend")))
	fmt.Fprintf(&b, "- Embedder: %s\n", mdEscape(orUnknown(r.Run.Embedder, "onbekend")))
	fmt.Fprintf(&b, "- Taalmodel: %s\n", mdEscape(orUnknown(r.Run.Model, "geen (alleen letterlijke citaten)")))
	fmt.Fprintf(&b, "- Vragen: %d (%d beantwoordbaar, %d niet in de bronnen); zoekresultaten geteld tot plek %d\n\n",
		s.Questions, s.Answerable, s.Unanswerable, k)
	b.WriteString("Uitleg bij alle cijfers: docs/evaluatie.md.\n\n")

	b.WriteString("## Privacy\n\n")
	if s.Leaks == 0 {
		b.WriteString("**Lekken van persoonsgegevens: 0.** Geen enkel persoonsgegeven uit een vraag kwam terug in een antwoord, citaat of melding.\n\n")
	} else {
		fmt.Fprintf(&b, "> **LET OP: %d keer lekte een persoonsgegeven uit een vraag naar de uitvoer. Dit moet 0 zijn.** Zie de lijst van vragen die misgingen.\n\n", s.Leaks)
	}

	b.WriteString("## Hoofdcijfers\n\n")
	b.WriteString("Alle cijfers lopen van 0 tot 1; 1 is het beste, behalve waar staat dat lager beter is. In de kolom 95%-interval staat het betrouwbaarheidsinterval: met een andere, even grote set vragen ligt de uitkomst waarschijnlijk binnen die grenzen. Een smal interval betekent een betrouwbare meting.\n\n")
	b.WriteString("| Maat | Waarde | 95%-interval | Wat het betekent |\n|---|---|---|---|\n")
	for _, m := range headline {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", m.label(k), m.value(s), m.interval(s), m.explain)
	}
	b.WriteString("\n")

	b.WriteString("## Snelheid\n\n")
	fmt.Fprintf(&b, "- p50: %s ms. %s\n- p95: %s ms. %s\n\n", p50Metric.value(s), p50Metric.explain, p95Metric.value(s), p95Metric.explain)

	cols := groupColumns()
	writeGroup := func(title, intro, first string, groups map[string]Summary, order []string) {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", title, intro)
		if len(groups) == 0 {
			b.WriteString("Geen gegevens.\n\n")
			return
		}
		fmt.Fprintf(&b, "| %s | vragen |", first)
		for _, c := range cols {
			fmt.Fprintf(&b, " %s |", c.label(k))
		}
		b.WriteString("\n|---|---|" + strings.Repeat("---|", len(cols)) + "\n")
		for _, name := range summaryKeys(groups, order) {
			g := groups[name]
			fmt.Fprintf(&b, "| %s | %d |", mdEscape(name), g.Questions)
			for _, c := range cols {
				fmt.Fprintf(&b, " %s |", c.value(g))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	writeGroup("Zoeklijsten apart (ablatie)",
		"Dezelfde vragen, gezocht met één zoekmethode tegelijk en met de combinatie (fused). "+
			"vector = zoeken op betekenis, fulltext = zoeken op woorden, trigram = zoeken op stukjes van woorden (helpt bij tikfouten).",
		"Zoeklijst", r.Ablation, AblationLists)
	writeGroup("Per label", "Uitslagen per label uit de vragenset. Een vraag kan meer labels hebben. Bij weinig vragen per label zegt een verschil weinig.",
		"Label", r.PerTag, nil)
	writeGroup("Per document", "Uitslagen per document dat in de passages van een vraag genoemd wordt. Vragen buiten de bronnen staan hier niet bij.",
		"Document", r.PerDocument, nil)

	b.WriteString("## Beoordeling door een taalmodel\n\n")
	if reason := r.judgeSkipped(); reason != "" {
		fmt.Fprintf(&b, "Overgeslagen: %s.\n\n", mdEscape(reason))
	} else {
		j := r.Judge
		fmt.Fprintf(&b, "Beoordeeld door %s: %d antwoorden beoordeeld, %d mislukt, %d overgeslagen (geen antwoord gegeven).\n\n",
			mdEscape(orUnknown(j.Model, "een taalmodel")), j.Judged, j.Failed, j.Skipped)
		b.WriteString("| Maat | Waarde | Wat het betekent |\n|---|---|---|\n")
		fmt.Fprintf(&b, "| betrouwbaarheid (faithfulness) | %s | %s |\n", fmtRate(j.Faithfulness), faithfulnessExplain)
		fmt.Fprintf(&b, "| relevantie | %s | %s |\n\n", fmtRate(j.Relevance), relevanceExplain)
	}

	b.WriteString("## Vragen die misgingen\n\n")
	failed := r.failed()
	if len(failed) == 0 {
		b.WriteString("Geen.\n")
	}
	for _, o := range failed {
		fmt.Fprintf(&b, "### %s\n\n", mdEscape(o.ID))
		fmt.Fprintf(&b, "- Vraag: %s\n", mdEscape(o.Question))
		fmt.Fprintf(&b, "- Soort: %s\n", kindDutch(o.Kind))
		fmt.Fprintf(&b, "- Wat ging mis: %s\n", strings.Join(Failures(o), "; "))
		if len(o.Leaked) > 0 {
			fmt.Fprintf(&b, "- Gelekt: %d waarde(n) (niet getoond)\n", len(o.Leaked))
		}
		if o.Kind != NotInSources {
			if f := MetricsOf(o, k).FirstRelevant; f > 0 {
				fmt.Fprintf(&b, "- Eerste goede passage: plek %d\n", f)
			} else {
				b.WriteString("- Eerste goede passage: niet gevonden\n")
			}
		}
		if c := coverageNote(o); c != "" {
			fmt.Fprintf(&b, "- %s\n", c)
		}
		if len(o.Top) > 0 {
			b.WriteString("- Gevonden in plaats daarvan:\n")
			for i, t := range o.Top {
				fmt.Fprintf(&b, "  %d. %s\n", i+1, mdEscape(t))
			}
		}
		b.WriteString("\n")
	}
	out := bytes.TrimRight(b.Bytes(), "\n")
	if _, err := w.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

const (
	faithfulnessExplain = "Deel van de beweringen in een antwoord dat volgens het taalmodel wordt gedragen door de aangehaalde passages (gemiddeld per antwoord)."
	relevanceExplain    = "Deel van de antwoorden dat volgens het taalmodel echt antwoord geeft op de gestelde vraag."
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

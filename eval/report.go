package eval

// This file holds the report of a run: what it measured (Report) and its
// JSON form for later comparison. Its readable forms, both in Dutch, are
// in their own files: Markdown for a pull request (report_md.go) and a
// self-contained HTML page for policy officers (report_html.go, with its
// SVG charts in report_svg.go); the figures they show and how they are
// written are in report_figures.go. Question texts in the readable forms
// are data and are escaped.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
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
	case o.Kind != NotInSources && o.Lead && o.LeadHit:
		out = append(out, "alleen de dichtstbijzijnde passages gegeven (met de goede passage), geen antwoord")
	case o.Kind != NotInSources && o.Lead:
		out = append(out, "alleen de dichtstbijzijnde passages gegeven, zonder de goede passage")
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

package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/retrieval"
)

// Answerer is the one path from question to reply: bot.Bot.
type Answerer interface {
	Answer(ctx context.Context, q bot.Question) (bot.Reply, error)
}

// Outcome is what one question got.
type Outcome struct {
	ID        string   `json:"id"`
	Question  string   `json:"question"`
	Kind      Kind     `json:"kind"`
	Tags      []string `json:"tags,omitempty"`
	Abstained bool     `json:"abstained"` // no confident answer: an abstention or a lead
	// Lead: the closest passages were offered, marked as no answer;
	// LeadHit: one of them answers the question.
	Lead    bool `json:"lead,omitempty"`
	LeadHit bool `json:"lead_hit,omitempty"`
	// Retrieval: per rank, whether the passage answers, and which
	// references it matches.
	Retrieved Retrieved `json:"-"`
	HitRanks  []bool    `json:"hit_ranks,omitempty"`
	// Citations: how many, how many answer, quotes found in their passage.
	Citations       int      `json:"citations"`
	GoodCitations   int      `json:"good_citations"`
	QuotesChecked   int      `json:"quotes_checked"`
	QuotesInPassage int      `json:"quotes_in_passage"`
	KeypointsFound  int      `json:"keypoints_found"`
	Keypoints       int      `json:"keypoints"`
	Leaked          []string `json:"leaked,omitempty"` // personal values found in the output (must stay empty)
	LatencyMS       float64  `json:"latency_ms"`
	// Why it answered or abstained: the share of the question's
	// informative weight the best passage matches, and the share the
	// chosen quotes from one document (the best) cover together (both
	// against the abstention threshold).
	PassageCoverage float64 `json:"passage_coverage"`
	QuoteCoverage   float64 `json:"quote_coverage"`
	// AbstainReason is why it abstained (a prompts.Reason code).
	AbstainReason string   `json:"abstain_reason,omitempty"`
	Answer        string   `json:"answer"`
	Top           []string `json:"top,omitempty"` // the first passages retrieved, for failed questions
	Cited         []string `json:"-"`             // the cited passages' texts, in [n] order, for the judge
	Error         string   `json:"error,omitempty"`
}

// Run sends every question through the answerer, exactly as a chat
// message goes, and records what came back.
func Run(ctx context.Context, a Answerer, set *Set, lists []retrieval.List) ([]Outcome, error) {
	out := make([]Outcome, 0, len(set.Questions))
	for _, q := range set.Questions {
		o, err := runOne(ctx, a, q, lists)
		if err != nil {
			return out, fmt.Errorf("question %s: %w", q.ID, err)
		}
		out = append(out, o)
	}
	return out, nil
}

func runOne(ctx context.Context, a Answerer, q Question, lists []retrieval.List) (Outcome, error) {
	o := Outcome{ID: q.ID, Question: q.Question, Kind: q.Kind, Tags: q.Tags, Keypoints: len(q.Keypoints)}
	start := time.Now()
	var tr bot.Trace
	r, err := a.Answer(ctx, bot.Question{Text: q.Question, Lists: lists, Trace: &tr})
	o.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		o.Error = err.Error()
		if r.Outcome == bot.Unavailable {
			return o, err
		}
	}
	o.Abstained = r.Outcome == bot.Abstained || r.Outcome == bot.Lead
	o.Lead = r.Outcome == bot.Lead
	o.Answer = r.Text()
	o.Retrieved = judge(q, tr.Hits)
	o.HitRanks = o.Retrieved.Relevant
	o.PassageCoverage, o.QuoteCoverage = tr.PassageCoverage(), tr.Coverage
	o.AbstainReason = r.Reason.String()
	for i, h := range tr.Hits {
		if i >= 3 {
			break
		}
		o.Top = append(o.Top, fmt.Sprintf("%s: %.90s", h.Slug, strings.ReplaceAll(h.Text, "\n", " ")))
	}
	o.Citations = len(r.Sources)
	o.Cited = CitedPassages(r.Sources)
	for _, s := range r.Sources {
		if q.MatchesText(s.Document, s.Passage, s.Heading) {
			o.GoodCitations++
			o.LeadHit = o.Lead
		}
		for _, quote := range s.Quotes {
			for _, part := range strings.Split(quote, " … ") {
				o.QuotesChecked++
				if strings.Contains(Normalize(s.Passage), Normalize(part)) {
					o.QuotesInPassage++
				}
			}
		}
	}
	ans := Normalize(o.Answer)
	if o.Abstained {
		ans = "" // an abstention's document list or a lead's passages answer nothing: no keypoints
	}
	for _, k := range q.Keypoints {
		if strings.Contains(ans, Normalize(k)) {
			o.KeypointsFound++
		}
	}
	// Privacy: the whole reply, as data and as every platform shows it.
	b, _ := json.Marshal(r)
	all := strings.ToLower(string(b) + " " + bot.Markdown(r, bot.MarkdownOptions{}) + " " + bot.Explain(r, &tr))
	for _, v := range q.Personal {
		if strings.Contains(all, strings.ToLower(v)) {
			o.Leaked = append(o.Leaked, v)
		}
	}
	return o, nil
}

// judge marks which hits answer the question.
func judge(q Question, hits []retrieval.Hit) Retrieved {
	r := Retrieved{NumRefs: len(q.Passages)}
	for _, h := range hits {
		var refs []int
		for j, p := range q.Passages {
			if p.MatchesText(h.Slug, h.Text, h.Heading) {
				refs = append(refs, j)
			}
		}
		r.Relevant = append(r.Relevant, len(refs) > 0)
		r.RefHits = append(r.RefHits, refs)
	}
	return r
}

// Summary holds the headline figures of a run.
type Summary struct {
	Questions        int     `json:"questions"`
	Answerable       int     `json:"answerable"`
	Unanswerable     int     `json:"unanswerable"`
	HitAt1           float64 `json:"hit_at_1"`
	HitAtK           float64 `json:"hit_at_k"`
	RecallAtK        float64 `json:"recall_at_k"`
	MRR              float64 `json:"mrr"`
	NDCG10           float64 `json:"ndcg_at_10"`
	CitationHit      float64 `json:"citation_hit"`       // answers whose citations include an answering passage
	CitationPrec     float64 `json:"citation_precision"` // citations that answer
	QuoteIntegrity   float64 `json:"quote_integrity"`    // quotes found verbatim in their passage
	KeypointRecall   float64 `json:"keypoint_recall"`
	AbstainRecall    float64 `json:"abstain_recall"`    // not-in-sources questions that abstained
	AbstainPrecision float64 `json:"abstain_precision"` // abstentions that were right
	FalseAbstain     float64 `json:"false_abstain"`     // answerable questions that abstained (or got a lead)
	// With leads: answerable questions answered confidently (Confident),
	// answered with an answering passage cited or given a lead holding one
	// (Reach), given a lead holding one (LeadHit); unanswerable questions
	// given a lead (SoftMiss) or a confident answer (HardMiss).
	Confident  float64             `json:"confident"`
	Reach      float64             `json:"reach"`
	LeadHit    float64             `json:"lead_hit"`
	SoftMiss   float64             `json:"soft_miss"`
	HardMiss   float64             `json:"hard_miss"`
	Leaks      int                 `json:"leaks"`
	LatencyP50 float64             `json:"latency_p50_ms"`
	LatencyP95 float64             `json:"latency_p95_ms"`
	K          int                 `json:"k"`
	Intervals  map[string]Interval `json:"intervals_95"`
}

// Summarize computes the headline figures, with bootstrap intervals on
// the rates.
func Summarize(os []Outcome, k int) Summary {
	s := Summary{Questions: len(os), K: k, Intervals: map[string]Interval{}}
	var hit1, hitK, recK, rr, ndcg, citHit, keyp, falseAb, abstainOK, lat []float64
	var confident, reach, leadHit, softMiss, hardMiss []float64
	citGood, cit, qIn, qAll, abstained, abstainedRight := 0, 0, 0, 0, 0, 0
	for _, o := range os {
		lat = append(lat, o.LatencyMS)
		s.Leaks += len(o.Leaked)
		if o.Abstained {
			abstained++
			if o.Kind == NotInSources {
				abstainedRight++
			}
		}
		if o.Kind == NotInSources {
			s.Unanswerable++
			abstainOK = append(abstainOK, b2f(o.Abstained))
			softMiss = append(softMiss, b2f(o.Lead))
			hardMiss = append(hardMiss, b2f(!o.Abstained))
			continue
		}
		confident = append(confident, b2f(!o.Abstained))
		leadHit = append(leadHit, b2f(o.LeadHit))
		reach = append(reach, b2f(o.LeadHit || !o.Abstained && o.GoodCitations > 0))
		s.Answerable++
		hit1 = append(hit1, o.Retrieved.HitAt(1))
		hitK = append(hitK, o.Retrieved.HitAt(k))
		recK = append(recK, o.Retrieved.RecallAt(k))
		rr = append(rr, o.Retrieved.ReciprocalRank())
		ndcg = append(ndcg, o.Retrieved.NDCGAt(10))
		falseAb = append(falseAb, b2f(o.Abstained))
		if !o.Abstained {
			citHit = append(citHit, b2f(o.GoodCitations > 0))
			cit += o.Citations
			citGood += o.GoodCitations
		}
		if o.Keypoints > 0 {
			keyp = append(keyp, float64(o.KeypointsFound)/float64(o.Keypoints))
		}
		qIn += o.QuotesInPassage
		qAll += o.QuotesChecked
	}
	s.HitAt1, s.HitAtK, s.RecallAtK, s.MRR, s.NDCG10 = Mean(hit1), Mean(hitK), Mean(recK), Mean(rr), Mean(ndcg)
	s.CitationHit, s.KeypointRecall, s.FalseAbstain, s.AbstainRecall = Mean(citHit), Mean(keyp), Mean(falseAb), Mean(abstainOK)
	if cit > 0 {
		s.CitationPrec = float64(citGood) / float64(cit)
	}
	if qAll > 0 {
		s.QuoteIntegrity = float64(qIn) / float64(qAll)
	}
	if abstained > 0 {
		s.AbstainPrecision = float64(abstainedRight) / float64(abstained)
	}
	s.Confident, s.Reach, s.LeadHit, s.SoftMiss, s.HardMiss = Mean(confident), Mean(reach), Mean(leadHit), Mean(softMiss), Mean(hardMiss)
	s.LatencyP50, s.LatencyP95 = Percentile(lat, 50), Percentile(lat, 95)
	for name, xs := range map[string][]float64{"hit_at_1": hit1, "hit_at_k": hitK, "recall_at_k": recK, "mrr": rr,
		"ndcg_at_10": ndcg, "citation_hit": citHit, "keypoint_recall": keyp, "abstain_recall": abstainOK,
		"false_abstain": falseAb, "confident": confident, "reach": reach, "lead_hit": leadHit, "soft_miss": softMiss, "hard_miss": hardMiss} {
		s.Intervals[name] = Bootstrap(xs, 1000, 1)
	}
	return s
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

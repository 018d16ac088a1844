package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// ErrUnavailable wraps a failure to reach the store at all (as opposed to
// a query that failed), so the edge can say so plainly.
var ErrUnavailable = errors.New("knowledge base unavailable")

// Store gives the candidate lists for a query.
type Store interface {
	Candidates(ctx context.Context, q Query) (Candidates, error)
}

// Embedder embeds the question for the vector list.
type Embedder interface {
	Name() string
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Expander adds the glossary's terms to a question and tells which concept
// a word belongs to.
type Expander interface {
	ExpandTerms(question string) []string
	ConceptOf(word string) (string, bool)
}

// GlossarySource gives the glossary of the knowledge base's active
// version, so a long-running process sees a new glossary without a
// restart. A nil Expander means there is none.
type GlossarySource interface {
	ActiveGlossary(ctx context.Context) (Expander, error)
}

// Retriever finds the passages for a question.
type Retriever struct {
	Store    Store
	Embedder Embedder       // nil: no vector list
	Glossary GlossarySource // nil: no expansion
	Weights  Weights
	// Candidates per list, and hits kept after fusion.
	PerList int
	Keep    int
	// MissingWeight scales the weight of a question word the knowledge
	// base lacks (relative to a word found in a single passage). Such a
	// word is often the topic the documents do not cover ("boete"), but
	// may be an incidental word ("moeder"); 0 means DefaultMissingWeight.
	MissingWeight float64
}

// DefaultMissingWeight was calibrated on the project's question set.
const DefaultMissingWeight = 1.0

// Thresholds decide whether the documents answer a question, as shares of
// the question's informative weight (Coverage).
type Thresholds struct {
	// Passage: the best passage found must match this share, or nothing
	// was found.
	Passage float64
	// Quotes: the quotes an answer takes from one document must cover
	// this share together, or it abstains.
	Quotes float64
	// Lead: below the other two, a question whose best passage still
	// matches this share gets the closest passages, marked as no answer
	// (a lead); below it, Wegwijs abstains. Zero: no leads.
	Lead float64
}

// DefaultThresholds were calibrated on the question set and the held-out
// set together (eval TestCalibrationGrid): the threshold that abstains most
// while at most 5% of answerable questions abstain on both (see README).
var DefaultThresholds = Thresholds{Passage: 0.45, Quotes: 0.45, Lead: 0.30}

// Validate says what is wrong with thresholds outside 0..1.
func (t Thresholds) Validate() error {
	if t.Passage < 0 || t.Passage > 1 || t.Quotes < 0 || t.Quotes > 1 || t.Lead < 0 || t.Lead > 1 {
		return fmt.Errorf("thresholds must lie between 0 and 1, not %.2f, %.2f and %.2f", t.Passage, t.Quotes, t.Lead)
	}
	if t.Lead > t.Passage {
		return fmt.Errorf("the lead threshold %.2f must not be above the passage threshold %.2f", t.Lead, t.Passage)
	}
	return nil
}

// OrDefault is t, or DefaultThresholds when t is zero.
func (t Thresholds) OrDefault() Thresholds {
	if t == (Thresholds{}) {
		return DefaultThresholds
	}
	return t
}

// Result is what a search found.
type Result struct {
	Hits  []Hit
	Terms []Term
	Best  float64 // the best coverage among the hits
	// Version is the knowledge-base version searched.
	Version int64
}

// Options tune one search (for evaluation).
type Options struct {
	Lists []List // nil: all
}

// Search runs the lists, fuses them and judges relevance.
func (r *Retriever) Search(ctx context.Context, question string, opt Options) (Result, error) {
	var res Result
	q := Query{Text: question, Limit: r.PerList, Lists: opt.Lists}
	if q.Limit <= 0 {
		q.Limit = 30
	}
	var gl Expander
	if r.Glossary != nil {
		var err error
		if gl, err = r.Glossary.ActiveGlossary(ctx); err != nil {
			return res, fmt.Errorf("glossary: %w", err)
		}
	}
	if gl != nil {
		q.Extra = gl.ExpandTerms(question)
		q.Concepts = concepts(gl, question, q.Extra)
	}
	if r.Embedder != nil && q.Wants(Vector) {
		text := question
		if len(q.Extra) > 0 {
			text += "\n" + joinTerms(q.Extra)
		}
		vs, err := r.Embedder.Embed(ctx, []string{text})
		if err != nil {
			return res, fmt.Errorf("embed question: %w", err)
		}
		q.Vector = vs[0]
		q.Embedder = r.Embedder.Name()
	}
	cands, err := r.Store.Candidates(ctx, q)
	if err != nil {
		return res, err
	}
	res.Terms = conceptualize(gl, Weigh(cands.Words, cands.Chunks))
	r.weighMissing(res.Terms)
	weighChat(res.Terms, question)
	w := r.Weights
	if w.K == 0 {
		w = DefaultWeights
	}
	keep := r.Keep
	if keep <= 0 {
		keep = 10
	}
	hits := Fuse(cands.Lists, w, 0)
	for i := range hits {
		hits[i].Coverage = Coverage(res.Terms, hits[i].Matched)
	}
	hits = Rerank(hits)
	if len(hits) > keep {
		hits = hits[:keep]
	}
	res.Hits = hits
	for _, h := range hits {
		res.Best = max(res.Best, h.Coverage)
	}
	res.Version = cands.Version
	return res, nil
}

// concepts maps the words of the question and of the glossary's terms to
// their concepts.
func concepts(gl Expander, question string, extra []string) map[string]string {
	m := map[string]string{}
	add := func(w string) {
		if c, ok := gl.ConceptOf(w); ok {
			m[strings.ToLower(w)] = c
		}
	}
	for _, w := range nl.WordsAsWritten(question) {
		add(w)
	}
	for _, t := range extra {
		add(t)
		for _, w := range strings.Fields(t) {
			add(w)
		}
	}
	return m
}

// conceptualize marks the terms that belong to a glossary concept and
// drops extra terms that do not (they only widen the search).
func conceptualize(gl Expander, terms []Term) []Term {
	out := terms[:0:0]
	for _, t := range terms {
		if gl != nil {
			if c, ok := gl.ConceptOf(t.Word); ok {
				t.Concept = c
			}
		}
		if t.Extra && t.Concept == "" {
			continue
		}
		out = append(out, t)
	}
	return out
}

// ChatWeight is what a word of chat language weighs, as a share of its
// weight: a filler ("ff", "gewoon", "eigenlijk"), a role the asker opens
// with ("ik ben ib'er en …"), a single letter ("foto's" leaves "s"), or a
// short word the knowledge base never uses ("zn", a slip of a function
// word). Such words carry no topic: they should neither lower a passage's
// coverage nor carry an answer.
const ChatWeight = 0.05

// weighChat makes chat language weigh little (ChatWeight); glossary terms
// and concepts keep their weight.
func weighChat(terms []Term, question string) {
	role := map[string]bool{}
	for _, w := range nl.PreambleRole(question) {
		role[w] = true
	}
	for i, t := range terms {
		if t.Extra || t.Concept != "" {
			continue
		}
		n := len([]rune(t.Word))
		if nl.IsChatWord(t.Word) || n == 1 || role[t.Word] || !t.InBase && n <= 3 {
			terms[i].IDF *= ChatWeight
		}
	}
}

// weighMissing gives a word the knowledge base lacks MissingWeight times
// the weight of the rarest word it has.
func (r *Retriever) weighMissing(terms []Term) {
	mw := r.MissingWeight
	if mw == 0 {
		mw = DefaultMissingWeight
	}
	rarest := 0.0
	for _, t := range terms {
		if t.InBase {
			rarest = max(rarest, t.IDF)
		}
	}
	if rarest == 0 {
		return // nothing of the question is in the knowledge base
	}
	for i := range terms {
		if !terms[i].InBase {
			terms[i].IDF = min(terms[i].IDF, mw*rarest)
		}
	}
}

// Rerank orders fused hits by fused score, lifted by coverage: a passage
// that matches most of the question's informative words beats one that
// several lists ranked for a common word. The factor keeps RRF's order
// among passages of equal coverage.
func Rerank(hits []Hit) []Hit {
	sort.SliceStable(hits, func(i, j int) bool {
		return hits[i].Score*(0.5+hits[i].Coverage) > hits[j].Score*(0.5+hits[j].Coverage)
	})
	return hits
}

func joinTerms(ts []string) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += t
	}
	return s
}

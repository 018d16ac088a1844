package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// TestRetrievalOnSample indexes the sample knowledge base and runs the
// question set through retrieval with each list alone and fused. It logs
// the table (go test -v -run RetrievalOnSample ./eval/) and holds the
// fused list to the targets.
func TestRetrievalOnSample(t *testing.T) {
	ctx := context.Background()
	s, emb := sampleStore(t)
	set, err := LoadSet(filepath.Join("testdata", "questions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := &retrieval.Retriever{Store: s, Embedder: emb, Glossary: s}
	if os.Getenv("WEGWIJS_NO_GLOSSARY") != "" {
		r.Glossary = nil
	}
	if os.Getenv("WEGWIJS_NO_SPLIT") != "" {
		tune := postgres.DefaultTuning
		tune.SplitCompounds = false
		r.Store = tunedStore{s, tune}
	}
	if w := os.Getenv("WEGWIJS_WEIGHTS"); w != "" {
		fmt.Sscanf(w, "%g,%g,%g", &r.Weights.Vector, &r.Weights.FullText, &r.Weights.Trigram)
		r.Weights.K = 60
	}
	configs := []struct {
		name  string
		lists []retrieval.List
	}{
		{"vector", []retrieval.List{retrieval.Vector}},
		{"fulltext", []retrieval.List{retrieval.FullText}},
		{"trigram", []retrieval.List{retrieval.Trigram}},
		{"fused", nil},
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-9s %6s %6s %6s %6s %8s %8s\n", "list", "hit@1", "hit@5", "MRR", "nDCG10", "abstain", "falseAb")
	for _, cfg := range configs {
		var hit1, hit5, rr, ndcg []float64
		abstainOK, unanswerable, falseAbstain, answerable := 0, 0, 0, 0
		var misses []string
		for _, q := range set.Questions {
			res, err := r.Search(ctx, q.Question, retrieval.Options{Lists: cfg.lists})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.name == "fused" && os.Getenv("WEGWIJS_DEBUG_COVERAGE") != "" {
				t.Logf("COV %s %.3f %s %q", q.Kind, res.Best, q.ID, q.Question)
			}
			if q.Kind == NotInSources {
				unanswerable++
				if !relevant(res) {
					abstainOK++
				}
				continue
			}
			answerable++
			if !relevant(res) {
				falseAbstain++
			}
			got := judge(q, res.Hits)
			hit1 = append(hit1, got.HitAt(1))
			hit5 = append(hit5, got.HitAt(5))
			rr = append(rr, got.ReciprocalRank())
			ndcg = append(ndcg, got.NDCGAt(10))
			if got.HitAt(5) == 0 && cfg.name == "fused" {
				misses = append(misses, q.ID)
			}
		}
		fmt.Fprintf(&table, "%-9s %6.3f %6.3f %6.3f %6.3f %4d/%-3d %4d/%-3d\n", cfg.name, Mean(hit1), Mean(hit5), Mean(rr), Mean(ndcg),
			abstainOK, unanswerable, falseAbstain, answerable)
		if cfg.name == "fused" {
			t.Logf("fused misses at 5: %v", misses)
		}
	}
	t.Log(table.String())
}

// TestDebugQuestion prints what retrieval returns for the questions named
// in WEGWIJS_DEBUG_QUESTIONS (comma-separated ids); it does nothing without.
func TestDebugQuestion(t *testing.T) {
	ids := strings.Split(os.Getenv("WEGWIJS_DEBUG_QUESTIONS"), ",")
	if ids[0] == "" {
		t.Skip("set WEGWIJS_DEBUG_QUESTIONS")
	}
	ctx := context.Background()
	s, emb := sampleStore(t)
	set, _ := LoadSet(filepath.Join("testdata", "questions.yaml"))
	r := &retrieval.Retriever{Store: s, Embedder: emb, Glossary: s}
	if q := os.Getenv("WEGWIJS_DEBUG_TEXT"); q != "" {
		set.Questions = append(set.Questions, Question{ID: "adhoc", Question: q})
		ids = append(ids, "adhoc")
	}
	for _, q := range set.Questions {
		if !slices.Contains(ids, q.ID) {
			continue
		}
		res, _ := r.Search(ctx, q.Question, retrieval.Options{})
		t.Logf("Q %s: %q relevant=%v best=%.2f", q.ID, q.Question, relevant(res), res.Best)
		for _, tm := range res.Terms {
			t.Logf("   term %s/%s idf=%.2f in=%v concept=%s", tm.Word, tm.Text, tm.IDF, tm.InBase, tm.Concept)
		}
		for _, p := range q.Passages {
			t.Logf("   WANT %s %q %q", p.Document, p.Phrase, p.Section)
		}
		for i, h := range res.Hits[:min(5, len(res.Hits))] {
			t.Logf("   %d. %s #%d cov=%.2f score=%.4f ranks=%v ok=%v %q | %.100s", i+1, h.Slug, h.ChunkID, h.Coverage, h.Score, h.Ranks, q.MatchesText(h.Slug, h.Text, h.Heading), h.Matched, h.Text)
		}
	}
}

// tunedStore searches with other tuning, to measure what a setting adds.
type tunedStore struct {
	s    *postgres.Store
	tune postgres.SearchTuning
}

func (t tunedStore) Candidates(ctx context.Context, q retrieval.Query) (retrieval.Candidates, error) {
	return t.s.CandidatesTuned(ctx, q, t.tune)
}

// relevant is the bot's first test: the best passage covers enough of the
// question.
func relevant(res retrieval.Result) bool {
	return len(res.Hits) > 0 && res.Best >= retrieval.DefaultThresholds.Passage
}

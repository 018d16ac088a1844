package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/knowledge/text"
	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/offline"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

// sampleStore indexes the sample knowledge base (offline embedder) in a
// fresh schema and returns the store, the embedder and the glossary.
func sampleStore(t testing.TB) (*postgres.Store, *offline.Embedder) {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, pgtest.DSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	emb := offline.New(0)
	tx := text.New()
	in := &knowledge.Ingester{Store: s, Embedder: emb, Extractors: map[string]knowledge.Extractor{"txt": tx, "md": tx}}
	dir := filepath.Join("..", "knowledge", "sample")
	if _, err := in.Sync(ctx, dir); err != nil {
		t.Fatal(err)
	}
	return s, emb
}

// sampleBot builds the bot on the sample the way cmd/wegwijs does (offline).
func sampleBot(t testing.TB) *bot.Bot {
	t.Helper()
	s, emb := sampleStore(t)
	guard, err := privacy.New()
	if err != nil {
		t.Fatal(err)
	}
	r := &retrieval.Retriever{Store: s, Embedder: emb, Glossary: s}
	if v := os.Getenv("WEGWIJS_MISSING_WEIGHT"); v != "" {
		fmt.Sscanf(v, "%g", &r.MissingWeight)
	}
	b := &bot.Bot{Guard: guard, Search: r, Stem: nl.Stem}
	if v := os.Getenv("WEGWIJS_MIN_COVERAGE"); v != "" {
		var mc float64
		fmt.Sscanf(v, "%g", &mc)
		b.Thresholds = retrieval.Thresholds{Passage: mc, Quotes: mc}
	}
	return b
}

// TestAnswersOnSample runs the question set through the whole path and
// holds it to the targets of the answers issue. The table is logged
// (go test -v -run AnswersOnSample ./eval/).
func TestAnswersOnSample(t *testing.T) {
	b := sampleBot(t)
	set, err := LoadSet(filepath.Join("testdata", "questions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-9s %6s %6s %6s %7s %7s %7s %7s %8s %6s\n", "lists", "hit@1", "hit@5", "MRR", "cite", "keypt", "abstain", "falseAb", "p50/p95", "leaks")
	var fused Summary
	var outcomes []Outcome
	for _, cfg := range []struct {
		name  string
		lists []retrieval.List
	}{{"vector", []retrieval.List{retrieval.Vector}}, {"fulltext", []retrieval.List{retrieval.FullText}},
		{"trigram", []retrieval.List{retrieval.Trigram}}, {"fused", nil}} {
		os, err := Run(context.Background(), b, set, cfg.lists)
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(os, 5)
		fmt.Fprintf(&table, "%-9s %6.3f %6.3f %6.3f %7.3f %7.3f %7.3f %7.3f %4.0f/%-4.0f %5d\n", cfg.name, s.HitAt1, s.HitAtK, s.MRR,
			s.CitationHit, s.KeypointRecall, s.AbstainRecall, s.FalseAbstain, s.LatencyP50, s.LatencyP95, s.Leaks)
		if cfg.lists == nil {
			fused, outcomes = s, os
		}
	}
	t.Log(table.String())
	if os.Getenv("WEGWIJS_EVAL_VERBOSE") != "" {
		for _, o := range outcomes {
			bad := (o.Kind == NotInSources) != o.Abstained || (o.Kind != NotInSources && o.GoodCitations == 0)
			if bad {
				t.Logf("FAIL %s [%s] abstained=%v good=%d/%d %q\n   %s\n   top: %q", o.ID, o.Kind, o.Abstained, o.GoodCitations, o.Citations, o.Question,
					strings.ReplaceAll(o.Answer, "\n", " | "), o.Top)
			}
		}
	}
	if fused.Leaks != 0 {
		t.Errorf("personal values leaked into %d outputs", fused.Leaks)
	}
	if fused.QuoteIntegrity < 1 {
		t.Errorf("quote integrity %.3f: a quote is not verbatim in its passage", fused.QuoteIntegrity)
	}
}

package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/retrieval"
)

// TestCalibrationTable logs, per question, the signals abstention can use
// (set WEGWIJS_CALIBRATE=1): the best passage coverage, the coverage of
// the quoted sentences, and the question words the knowledge base lacks.
func TestCalibrationTable(t *testing.T) {
	if os.Getenv("WEGWIJS_CALIBRATE") == "" {
		t.Skip("set WEGWIJS_CALIBRATE=1")
	}
	b := sampleBot(t)
	r := b.Search.(*retrieval.Retriever)
	set, _ := LoadSet(filepath.Join("testdata", "questions.yaml"))
	for _, q := range set.Questions {
		red, _ := b.Guard.Redact(context.Background(), q.Question)
		res, err := r.Search(context.Background(), red.Redacted, retrieval.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tr := &bot.Trace{}
		rep, _ := b.Answer(context.Background(), bot.Question{Text: q.Question, Trace: tr})
		var missing []string
		for _, tm := range res.Terms {
			if !tm.InBase && !tm.Extra {
				missing = append(missing, tm.Word)
			}
		}
		t.Logf("CAL %-15s ret=%.2f ans=%.2f best=%.2f abst=%v missing=%s %s", q.Kind, res.Best, tr.Coverage, tr.Best, rep.Outcome == bot.Abstained, strings.Join(missing, ","), q.ID)
	}
}

// tuningSets loads the sets named in WEGWIJS_CALIBRATE_SETS (file names
// in testdata, comma-separated; default questions.yaml) for the grids
// below, which run only with WEGWIJS_CALIBRATE=1. The blind set is refused:
// it is not for tuning.
func tuningSets(t *testing.T) (names []string, sets []*Set) {
	t.Helper()
	if os.Getenv("WEGWIJS_CALIBRATE") == "" {
		t.Skip("set WEGWIJS_CALIBRATE=1")
	}
	names = strings.Split(os.Getenv("WEGWIJS_CALIBRATE_SETS"), ",")
	if names[0] == "" {
		names = []string{"questions.yaml"}
	}
	for _, name := range names {
		if strings.Contains(name, "blind") {
			t.Fatalf("%s is the blind set: it is not for tuning", name)
		}
		set, err := LoadSet(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set)
	}
	return names, sets
}

// answerSet answers a set through the whole path and sums it up.
func answerSet(t *testing.T, b *bot.Bot, set *Set) Summary {
	t.Helper()
	outs, err := Run(context.Background(), b, set, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Summarize(outs, 5)
}

// TestCalibrationGrid answers the tuning sets for a grid of missing-word
// weights and coverage thresholds, and logs the share of unanswerable
// questions that abstain and of answerable ones that wrongly do.
func TestCalibrationGrid(t *testing.T) {
	names, sets := tuningSets(t)
	b := sampleBot(t)
	r := b.Search.(*retrieval.Retriever)
	for i, set := range sets {
		for _, mw := range []float64{0.5, 0.75, 1.0} {
			for _, mc := range []float64{0.4, 0.45, 0.5, 0.55, 0.6} {
				r.MissingWeight, b.Thresholds = mw, retrieval.Thresholds{Passage: mc, Quotes: mc}
				s := answerSet(t, b, set)
				t.Logf("GRID %-16s missing %.2f threshold %.2f: abstains %2.0f/%d (%.2f), false %2.0f/%d (%.3f)", names[i], mw, mc,
					s.AbstainRecall*float64(s.Unanswerable), s.Unanswerable, s.AbstainRecall,
					s.FalseAbstain*float64(s.Answerable), s.Answerable, s.FalseAbstain)
			}
		}
	}
}

// TestWeightsGrid answers the tuning sets for a grid of fusion weights and
// logs hit@5, MRR, abstentions and false abstentions.
func TestWeightsGrid(t *testing.T) {
	names, sets := tuningSets(t)
	b := sampleBot(t)
	r := b.Search.(*retrieval.Retriever)
	for i, set := range sets {
		for _, vec := range []float64{0.3, 0.6} {
			for _, tri := range []float64{0.3, 0.6, 1.0} {
				r.Weights = retrieval.Weights{Vector: vec, FullText: 1.0, Trigram: tri, K: 60}
				s := answerSet(t, b, set)
				t.Logf("WEIGHTS %-16s vector %.1f fulltext 1.0 trigram %.1f: hit@5 %.3f MRR %.3f cite %.3f abstains %.2f false %.3f",
					names[i], vec, tri, s.HitAtK, s.MRR, s.CitationHit, s.AbstainRecall, s.FalseAbstain)
			}
		}
	}
}

// TestLeadGrid answers the tuning sets for a grid of the confident
// threshold (passage and quotes alike), the lead threshold and the
// key-word rule, and logs the share of answerable questions answered
// confidently and reached (an answer citing a good passage, or a lead
// holding one), and of unanswerable ones given a lead (soft miss) or a
// confident answer (hard miss).
func TestLeadGrid(t *testing.T) {
	names, sets := tuningSets(t)
	b := sampleBot(t)
	for i, set := range sets {
		for _, key := range []bool{false, true} {
			for _, conf := range []float64{0.45, 0.5, 0.55, 0.6} {
				for _, lead := range []float64{0, 0.25, 0.3, 0.35} {
					b.KeyWord = key
					b.Thresholds = retrieval.Thresholds{Passage: conf, Quotes: conf, Lead: lead}
					s := answerSet(t, b, set)
					t.Logf("LEAD %-14s key %-5v conf %.2f lead %.2f: confident %.3f reach %.3f leadhit %.3f | soft %.2f hard %.2f | false %.3f",
						names[i], key, conf, lead, s.Confident, s.Reach, s.LeadHit, s.SoftMiss, s.HardMiss, s.FalseAbstain)
				}
			}
		}
	}
}

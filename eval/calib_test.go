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
		rep, _ := b.Answer(context.Background(), bot.Question{Text: q.Question})
		var missing []string
		for _, tm := range res.Terms {
			if !tm.InBase && !tm.Extra {
				missing = append(missing, tm.Word)
			}
		}
		t.Logf("CAL %-15s ret=%.2f ans=%.2f best=%.2f abst=%v missing=%s %s", q.Kind, res.Best, rep.Coverage, rep.Best, rep.Abstained, strings.Join(missing, ","), q.ID)
	}
}

// TestCalibrationGrid answers the sets in WEGWIJS_CALIBRATE_SETS (file
// names in testdata, comma-separated; default questions.yaml) for a grid of
// missing-word weights and coverage thresholds, and logs the share of
// unanswerable questions that abstain and of answerable ones that wrongly
// do (set WEGWIJS_CALIBRATE=1). Never pass blind.yaml: it is not for tuning.
func TestCalibrationGrid(t *testing.T) {
	if os.Getenv("WEGWIJS_CALIBRATE") == "" {
		t.Skip("set WEGWIJS_CALIBRATE=1")
	}
	names := strings.Split(os.Getenv("WEGWIJS_CALIBRATE_SETS"), ",")
	if names[0] == "" {
		names = []string{"questions.yaml"}
	}
	b := sampleBot(t)
	r := b.Search.(*retrieval.Retriever)
	for _, name := range names {
		if strings.Contains(name, "blind") {
			t.Fatalf("%s is the blind set: it is not for tuning", name)
		}
		set, err := LoadSet(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, mw := range []float64{0.5, 0.75, 1.0} {
			for _, mc := range []float64{0.4, 0.45, 0.5, 0.55, 0.6} {
				r.MissingWeight, r.MinCoverage, b.MinCoverage = mw, mc, mc
				var una, abst, ans, falseAbst int
				for _, q := range set.Questions {
					rep, err := b.Answer(context.Background(), bot.Question{Text: q.Question})
					if err != nil {
						t.Fatal(err)
					}
					if q.Kind == NotInSources {
						una++
						if rep.Abstained {
							abst++
						}
					} else {
						ans++
						if rep.Abstained {
							falseAbst++
						}
					}
				}
				t.Logf("GRID %-16s missing %.2f threshold %.2f: abstains %2d/%d (%.2f), false %2d/%d (%.3f)", name, mw, mc,
					abst, una, float64(abst)/float64(una), falseAbst, ans, float64(falseAbst)/float64(ans))
			}
		}
	}
}

// TestWeightsGrid runs the whole path on the sets in
// WEGWIJS_CALIBRATE_SETS for a grid of fusion weights and logs hit@5,
// MRR, abstentions and false abstentions (set WEGWIJS_CALIBRATE=1). Never
// pass blind.yaml: it is not for tuning.
func TestWeightsGrid(t *testing.T) {
	if os.Getenv("WEGWIJS_CALIBRATE") == "" {
		t.Skip("set WEGWIJS_CALIBRATE=1")
	}
	names := strings.Split(os.Getenv("WEGWIJS_CALIBRATE_SETS"), ",")
	if names[0] == "" {
		names = []string{"questions.yaml"}
	}
	b := sampleBot(t)
	r := b.Search.(*retrieval.Retriever)
	for _, name := range names {
		if strings.Contains(name, "blind") {
			t.Fatalf("%s is the blind set: it is not for tuning", name)
		}
		set, err := LoadSet(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, vec := range []float64{0.3, 0.6} {
			for _, tri := range []float64{0.3, 0.6, 1.0} {
				r.Weights = retrieval.Weights{Vector: vec, FullText: 1.0, Trigram: tri, K: 60}
				outs, err := Run(context.Background(), b, set, nil)
				if err != nil {
					t.Fatal(err)
				}
				s := Summarize(outs, 5)
				t.Logf("WEIGHTS %-16s vector %.1f fulltext 1.0 trigram %.1f: hit@5 %.3f MRR %.3f cite %.3f abstains %.2f false %.3f",
					name, vec, tri, s.HitAtK, s.MRR, s.CitationHit, s.AbstainRecall, s.FalseAbstain)
			}
		}
	}
}

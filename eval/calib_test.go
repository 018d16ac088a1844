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

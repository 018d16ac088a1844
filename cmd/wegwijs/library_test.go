package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// testLibrary is the library serve builds, on a fresh knowledge base with
// the sample, checking drafts with the project's main question set.
func testLibrary(t *testing.T) *library {
	t.Helper()
	vars := syncedEnv(t)
	getenv := func(k string) string { return vars[k] }
	cfg, err := loadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	e := &env{cfg: cfg, getenv: getenv, stdin: strings.NewReader(""), stdout: &logs, stderr: &logs, log: newLogger(&logs, cfg)}
	ctx := context.Background()
	s, err := e.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	in, err := e.ingester(s)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := loadCheckSets("../../eval/testdata/questions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return &library{store: s, in: in, check: e.draftCheck(s, sets)}
}

// A shortened edition of a sample document is checked with the questions
// about it: some get worse, none better, and the live version stays.
func TestDraftCheck(t *testing.T) {
	lib := testLibrary(t)
	ctx := context.Background()
	full, err := os.ReadFile(filepath.Join(sampleDir, "praktijkkaart-thuiszitters.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "upload")
	os.WriteFile(p, full[:len(full)/5], 0o644)
	start := time.Now()
	d, err := lib.Draft(ctx, "praktijkkaart-thuiszitters.txt", p, "", knowledge.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("draft and check: %.1f s", time.Since(start).Seconds())
	ch := d.Check
	if d.Replaces != 1 || ch == nil || ch.Failed || ch.Questions < 10 || len(ch.Worse) == 0 || ch.WithoutOldDocs {
		t.Fatalf("draft %+v, check %+v", d, ch)
	}
	t.Logf("%d questions: %d worse, %d better, %d unchanged; first worse: %s", ch.Questions, len(ch.Worse), len(ch.Better), ch.Unchanged, ch.Worse[0])
	if live, err := lib.store.Document(ctx, "praktijkkaart-thuiszitters"); err != nil || live.Version != 1 {
		t.Errorf("the live version changed: %+v %v", live, err)
	}
}

package text

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The chunks of the bundled sample are what the answer-quality figures
// (eval) were measured on, and question sets name their passages: a change
// to text structure or splitting must leave them exactly as they are. The
// golden file holds, per sample document, the number of chunks and a hash
// of every chunk's heading path, pages, context and text.
func TestSampleChunksUnchanged(t *testing.T) {
	files, err := filepath.Glob("../sample/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("sample: %v", err)
	}
	var b strings.Builder
	for _, f := range files {
		doc, err := New().Extract(context.Background(), knowledge.Input{Name: f, Path: f})
		if err != nil {
			t.Fatal(err)
		}
		chunks := knowledge.Split(doc.Blocks, knowledge.DefaultSplit)
		h := sha256.New()
		for _, c := range chunks {
			fmt.Fprintf(h, "%d\x00%q\x00%d-%d\x00%s\x00%s\x00", c.Ordinal, c.Heading, c.PageFrom, c.PageTo, c.Context, c.Text)
		}
		fmt.Fprintf(&b, "%s %d %s\n", filepath.Base(f), len(chunks), hex.EncodeToString(h.Sum(nil)))
	}
	golden := filepath.Join("testdata", "sample-chunks.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("the sample's chunks changed (the eval figures depend on them; run with -update only for a change meant to alter them):\n--- got\n%s--- want\n%s", b.String(), want)
	}
}

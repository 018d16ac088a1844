package text

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

// BenchmarkStreamCheck reads generated text of 50 and 200 MB the way
// ingestion's check does, without the store: the file line by line into
// blocks, chunks and the privacy guard's document screen. peak-MB is the
// largest live heap seen (sampled every 5 ms): it stays flat as the input
// grows (the store's side: cmd/wegwijs BenchmarkAddText, scripts/bench.sh).
func BenchmarkStreamCheck(b *testing.B) {
	g, err := privacy.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, mb := range []int64{50, 200} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "handreiking.txt")
			if err := knowledgetest.WriteText(path, mb<<20); err != nil {
				b.Fatal(err)
			}
			in := knowledge.Input{Name: path, Path: path, MaxText: (mb + 1) << 20}
			var peak uint64
			for b.Loop() {
				runtime.GC()
				stop := knowledgetest.SamplePeakHeap(&peak)
				doc, blocks, err := New().Stream(context.Background(), in)
				if err != nil {
					b.Fatal(err)
				}
				screen := g.NewDocumentScreen()
				good := func(yield func(knowledge.Block) bool) {
					for bl, err := range blocks {
						if err != nil {
							b.Fatal(err)
						}
						if !yield(bl) {
							return
						}
					}
				}
				n := 0
				for c := range knowledge.SplitStream(good, knowledge.DefaultSplit) {
					n++
					if err := screen.Add(context.Background(), privacy.DocumentPart{Where: "de tekst", Text: c.Text, Passage: true}); err != nil {
						b.Fatal(err)
					}
				}
				if screen.Result().Refused() || n == 0 || doc.Format != "txt" {
					b.Fatalf("%d chunks, refused %v", n, screen.Result().Refused())
				}
				stop()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		})
	}
}

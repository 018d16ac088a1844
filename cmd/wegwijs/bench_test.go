package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
	"github.com/wegwijs/wegwijs/knowledge/pdf/pdftest"
)

// BenchmarkSyncSample indexes the bundled sample knowledge base from
// scratch into a fresh schema, offline embedder (process start excluded;
// scripts/bench.sh times the whole command).
func BenchmarkSyncSample(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		env := map[string]string{"DATABASE_URL": pgtestDSN(b)}
		b.StartTimer()
		if _, _, err := benchRun(b, env, "kb", "sync", sampleDir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResyncUnchanged syncs the sample folder when nothing changed.
func BenchmarkResyncUnchanged(b *testing.B) {
	env := map[string]string{"DATABASE_URL": pgtestDSN(b)}
	if _, _, err := benchRun(b, env, "kb", "sync", sampleDir); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := benchRun(b, env, "kb", "sync", sampleDir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdd1000PagePDF adds a generated 1,000-page PDF: extraction,
// structure, chunking, embedding and the store.
func BenchmarkAdd1000PagePDF(b *testing.B) {
	path := filepath.Join(b.TempDir(), "handreiking-1000.pdf")
	if err := pdftest.WriteTextPDF(path, 1000); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		env := map[string]string{"DATABASE_URL": pgtestDSN(b)}
		b.StartTimer()
		out, _, err := benchRun(b, env, "kb", "add", path)
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}

// BenchmarkAddText adds 1, 10 and 50 MB of generated Dutch text (the
// default size limit is 50 MB): extraction, structure, chunking,
// embedding and the store, in process. peak-MB is the largest heap seen
// (sampled every 5 ms), B/op what was allocated in all.
func BenchmarkAddText(b *testing.B) {
	for _, mb := range []int64{1, 10, 50} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "handreiking.txt")
			if err := knowledgetest.WriteText(path, mb<<20-1024); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				b.StopTimer()
				env := map[string]string{"DATABASE_URL": pgtestDSN(b)}
				runtime.GC()
				stop := knowledgetest.SamplePeakHeap(&peak)
				b.StartTimer()
				out, _, err := benchRun(b, env, "kb", "add", path)
				b.StopTimer()
				stop()
				if err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		})
	}
}

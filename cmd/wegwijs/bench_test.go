package main

import (
	"path/filepath"
	"testing"

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

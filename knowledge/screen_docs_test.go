package knowledge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/bot/privacy"
)

// screenParts lists every text of a document that ingest's check reads:
// its fields (screenFields) and each passage with its headings.
func screenParts(input Input, source, origin string, meta Meta, chunks []Chunk) []privacy.DocumentPart {
	parts := screenFields(input, source, origin, meta)
	for _, c := range chunks {
		parts = append(parts, passagePart(c))
	}
	return parts
}

// screenFile runs the document check on a text file as ingest would: its
// passages as Split cuts them, its title made from the file name.
func screenFile(t *testing.T, g *privacy.Guard, path string) privacy.Screening {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, body, err := FrontMatter(string(b))
	if err != nil {
		t.Fatal(err)
	}
	chunks := Split(ParseText(body, 0), DefaultSplit)
	input := Input{Name: path, Path: path}
	s, err := g.ScreenDocument(context.Background(), screenParts(input, path, "", completeMeta(Meta{}, Meta{}, input), chunks))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestScreenScoresDocuments calibrates the document score on documents
// written for it (testdata/screen): every case report about a pupil is
// refused, every policy text is accepted, and so is the bundled sample.
// Run with -v for the scores.
func TestScreenScoresDocuments(t *testing.T) {
	g, err := privacy.New()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/screen/*.txt")
	sample, _ := filepath.Glob("sample/*.txt")
	if len(files) < 10 || len(sample) != 5 {
		t.Fatalf("%d test documents and %d sample documents", len(files), len(sample))
	}
	for _, f := range append(files, sample...) {
		s := screenFile(t, g, f)
		name := filepath.Base(f)
		want := strings.HasPrefix(name, "casus-")
		t.Logf("%-42s score %5.2f  strongest %4.1f  density %5.1f  profiles %d  words %4d  refused %v", name, s.Score, s.Strongest, s.Density, s.Profiles, s.Words, s.Refused())
		if s.Refused() != want {
			t.Errorf("%s: refused = %v, want %v (%s)", name, s.Refused(), want, s.Dutch())
		}
	}
}

// BenchmarkScreenSample times the document check on the five sample
// documents (9,000 words, 117 passages).
func BenchmarkScreenSample(b *testing.B) {
	g, err := privacy.New()
	if err != nil {
		b.Fatal(err)
	}
	sample, _ := filepath.Glob("sample/*.txt")
	var docs [][]privacy.DocumentPart
	for _, f := range sample {
		body, _ := os.ReadFile(f)
		input := Input{Name: f, Path: f}
		docs = append(docs, screenParts(input, f, "", completeMeta(Meta{}, Meta{}, input), Split(ParseText(string(body), 0), DefaultSplit)))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := g.ScreenDocument(context.Background(), d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

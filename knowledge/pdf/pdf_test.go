package pdf

import (
	"context"
	"errors"
	"fmt"
	"github.com/wegwijs/wegwijs/knowledge/pdf/pdftest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
)

func requirePoppler(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s not installed (run scripts/setup-debian.sh)", tool)
		}
	}
}

func input(name string) knowledge.Input {
	return knowledge.Input{Name: name, Path: filepath.Join("testdata", name)}
}

// flat turns all runs of white space into one space, so tests can look for
// phrases that pdftotext broke over lines.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestExtract(t *testing.T) {
	requirePoppler(t)
	doc, err := New().Extract(context.Background(), input("beleid.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != "pdf" || doc.Pages != 3 {
		t.Errorf("format %q, pages %d; want pdf, 3", doc.Format, doc.Pages)
	}
	if doc.Meta.Title != "Routekaart verzuim en thuiszitters" {
		t.Errorf("title %q", doc.Meta.Title)
	}
	if len(doc.Blocks) != 3 {
		t.Fatalf("%d blocks, want one per page", len(doc.Blocks))
	}
	pages := []struct {
		heading, known string
		more           []string
	}{
		{"Stap 1: Signaleren", "Dit is de bekende tekst van pagina een.", []string{
			"verzuimsbeleid", // pdftotext joins the hyphenated "verzuims-" / "beleid"
			"Meld 16 uur verzuim in vier weken bij DUO.",
			"Zie artikel 21a van de Leerplichtwet 1969.", // the footnote
		}},
		{"Stap 2: Bespreken", "Dit is de bekende tekst van pagina twee.", []string{"Leerplichtambtenaar", "Afspraken met ouders"}},
		{"Stap 3: Handelen", "Dit is de bekende tekst van pagina drie.", nil},
	}
	for i, want := range pages {
		b := doc.Blocks[i]
		if b.Kind != knowledge.Paragraph || b.Level != 0 || b.Page != i+1 {
			t.Errorf("block %d: kind %v level %d page %d; want paragraph on page %d", i, b.Kind, b.Level, b.Page, i+1)
		}
		if !strings.Contains(b.Text, "\n"+want.heading+"\n") && !strings.HasPrefix(b.Text, want.heading+"\n") {
			t.Errorf("page %d: heading %q not on a line of its own", i+1, want.heading)
		}
		for _, s := range append([]string{want.known}, want.more...) {
			if !strings.Contains(flat(b.Text), s) {
				t.Errorf("page %d: missing %q", i+1, s)
			}
		}
		if strings.ContainsAny(b.Text, "\f\r") {
			t.Errorf("page %d: text holds \\f or \\r", i+1)
		}
	}
}

func TestExtractBadInput(t *testing.T) {
	requirePoppler(t)
	tests := []struct {
		file string
		want knowledge.Problem
	}{
		{"truncated.pdf", knowledge.Corrupt},
		{"garbage.pdf", knowledge.Corrupt},
		{"encrypted.pdf", knowledge.Encrypted},
		{"scan.pdf", knowledge.NoText},
		{"empty.pdf", knowledge.Empty},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := New().Extract(context.Background(), input(tt.file))
			ie, ok := knowledge.AsInputError(err)
			if !ok {
				t.Fatalf("got %v, %v; want an InputError", doc, err)
			}
			if ie.Problem != tt.want {
				t.Errorf("problem %v (%v), want %v", ie.Problem, err, tt.want)
			}
			if ie.Name != tt.file {
				t.Errorf("name %q", ie.Name)
			}
		})
	}
}

// A PDF with an owner password only (copying "not allowed") opens without a
// password, and poppler reads its text: it is not an encrypted input for us.
func TestExtractOwnerPasswordOnly(t *testing.T) {
	requirePoppler(t)
	doc, err := New().Extract(context.Background(), input("restricted.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Pages != 3 || len(doc.Blocks) != 3 {
		t.Errorf("pages %d, blocks %d", doc.Pages, len(doc.Blocks))
	}
}

func TestExtractMissingTool(t *testing.T) {
	e := New()
	e.PDFToText = "pdftotext-not-installed"
	_, err := e.Extract(context.Background(), input("beleid.pdf"))
	if !errors.Is(err, ErrToolMissing) || !strings.Contains(err.Error(), "scripts/setup-debian.sh") {
		t.Errorf("got %v", err)
	}
	if _, ok := knowledge.AsInputError(err); ok {
		t.Error("a missing tool is not the input's fault")
	}
}

func TestExtractCanceled(t *testing.T) {
	requirePoppler(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Extract(ctx, input("beleid.pdf"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestExtractGenerated(t *testing.T) {
	requirePoppler(t)
	const n = 50
	path := filepath.Join(t.TempDir(), "gen.pdf")
	if err := pdftest.WriteTextPDF(path, n); err != nil {
		t.Fatal(err)
	}
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: "gen.pdf", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Pages != n || len(doc.Blocks) != n {
		t.Fatalf("pages %d, blocks %d; want %d", doc.Pages, len(doc.Blocks), n)
	}
	for i, b := range doc.Blocks {
		page := i + 1
		if b.Page != page {
			t.Errorf("block %d has page %d", i, b.Page)
		}
		if !strings.HasPrefix(b.Text, fmt.Sprintf("Pagina %d\n", page)) ||
			!strings.Contains(flat(b.Text), fmt.Sprintf("Einde van pagina %d.", page)) ||
			!strings.Contains(b.Text, fmt.Sprintf("Paragraaf %d.3.", page)) {
			t.Errorf("page %d text does not name its page:\n%s", page, b.Text)
		}
	}
}

// BenchmarkExtract1000Pages extracts a generated 1,000-page PDF. For peak
// memory run it once under /usr/bin/time -v:
//
//	/usr/bin/time -v go test -run X -bench 1000Pages -benchtime 1x ./knowledge/pdf/
func BenchmarkExtract1000Pages(b *testing.B) {
	requirePoppler(b)
	const n = 1000
	path := filepath.Join(b.TempDir(), "gen.pdf")
	if err := pdftest.WriteTextPDF(path, n); err != nil {
		b.Fatal(err)
	}
	e := New()
	in := knowledge.Input{Name: "gen.pdf", Path: path}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		doc, err := e.Extract(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		if len(doc.Blocks) != n {
			b.Fatalf("%d blocks", len(doc.Blocks))
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "pages/s")
}

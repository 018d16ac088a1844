package text

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

func extract(t *testing.T, name string) *knowledge.Document {
	t.Helper()
	p := filepath.Join("testdata", name)
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestMarkdown(t *testing.T) {
	doc := extract(t, "handreiking.md")
	if doc.Format != "md" {
		t.Errorf("format %q", doc.Format)
	}
	want := knowledge.Meta{Title: "Handreiking verzuim voor mentoren", Publisher: "Gemeente Voorbeeld", Region: "Twente",
		Date: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)}
	if doc.Meta != want {
		t.Errorf("front matter: %+v", doc.Meta)
	}
	chunks := knowledge.Split(doc.Blocks, knowledge.DefaultSplit)
	var sig knowledge.Chunk
	for _, c := range chunks {
		if strings.Contains(c.Text, "registreert elke afwezigheid") {
			sig = c
		}
		if strings.Contains(c.Text, "---") || strings.Contains(c.Text, "**") || strings.Contains(c.Text, "](") {
			t.Errorf("markup left in chunk: %q", c.Text)
		}
	}
	if !slices.Equal(sig.Heading, []string{"Handreiking verzuim", "Stap 1: Signaleren"}) {
		t.Errorf("heading path %q", sig.Heading)
	}
	for _, s := range []string{"• Bel de ouders", "Mentor | belt de ouders", "handreiking aanwezigheid"} {
		if !strings.Contains(sig.Text, s) {
			t.Errorf("chunk lacks %q:\n%s", s, sig.Text)
		}
	}
}

func TestPlainText(t *testing.T) {
	doc := extract(t, "pagina.txt")
	chunks := knowledge.Split(doc.Blocks, knowledge.DefaultSplit)
	if len(chunks) != 2 {
		t.Fatalf("chunks: %+v", chunks)
	}
	if !slices.Equal(chunks[0].Heading, []string{"WIE DOET WAT"}) || !strings.Contains(chunks[0].Text, "gemeld verzuim") {
		t.Errorf("chunk 0: %+v", chunks[0])
	}
	if !slices.Equal(chunks[1].Heading, []string{"WIE DOET WAT", "Rol van het SWV"}) {
		t.Errorf("chunk 1 heading %q", chunks[1].Heading)
	}
	for _, c := range chunks {
		if strings.Contains(strings.ToLower(c.Text), "cookie") {
			t.Error("cookie notice kept")
		}
	}
}

func TestLatin1(t *testing.T) {
	doc := extract(t, "latin1.txt")
	if !strings.Contains(doc.Blocks[0].Text, "zorgcoördinator") {
		t.Errorf("latin-1 not decoded: %q", doc.Blocks[0].Text)
	}
}

func TestEmptyFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "leeg.md")
	writeFile(t, p, "---\ntitle: Alleen metadata\n---\n")
	_, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p})
	if ie, ok := knowledge.AsInputError(err); !ok || ie.Problem != knowledge.Empty {
		t.Errorf("err = %v", err)
	}
}

// A Markdown line that is one bold question is a FAQ's question.
func TestMarkdownBoldQuestion(t *testing.T) {
	p := filepath.Join(t.TempDir(), "faq.md")
	writeFile(t, p, "# Vragen\n\n**Wanneer meldt de school verzuim?**\n\nBinnen vijf schooldagen na zestien uur in vier weken.\n\n**Let op:** geen vraag.\n")
	doc, err := extractFile(t, p)
	if err != nil {
		t.Fatal(err)
	}
	questions := knowledgetest.Questions(doc.Blocks)
	if len(questions) != 1 || questions[0] != "Wanneer meldt de school verzuim?" {
		t.Errorf("questions %q; blocks %+v", questions, doc.Blocks)
	}
}

package docx

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/docx/docxtest"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

// A paragraph all in bold that ends in "?" is a FAQ's question; a bold
// paragraph that is no question, or a question in plain text, is not.
func TestBoldQuestions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "vragen.docx")
	err := docxtest.Write(p, []docxtest.Para{
		{Style: "Title", Text: "Vragen over verzuim"},
		{Text: "Wanneer meldt de school verzuim?", Bold: true},
		{Text: "Binnen vijf schooldagen na zestien uur verzuim in vier weken."},
		{Text: "Let op", Bold: true},
		{Text: "Wat doet de mentor dan?"},
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p})
	if err != nil {
		t.Fatal(err)
	}
	questions := knowledgetest.Questions(doc.Blocks)
	if len(questions) != 1 || questions[0] != "Wanneer meldt de school verzuim?" {
		t.Errorf("questions %q; blocks %+v", questions, doc.Blocks)
	}
}

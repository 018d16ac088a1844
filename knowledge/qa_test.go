package knowledge

import (
	"slices"
	"strings"
	"testing"
)

func para(s string) Block { return Block{Kind: Paragraph, Text: s} }

// The questions of question/answer pairs, however they are written, open
// the passage of their answer: never a heading, never in the passage
// before, never merged with another pair, "Antwoord:" dropped.
func TestQuestionAnswerPairs(t *testing.T) {
	answer := "De school meldt het verzuim binnen vijf schooldagen bij het Verzuimloket."
	long := strings.TrimSpace(strings.Repeat("De mentor belt de ouders en legt het gesprek vast in het dossier. ", 3))
	blocks := []Block{
		{Kind: Heading, Level: 1, Text: "MELDEN"},
		para(long),
		para("Vraag: Wanneer meldt de school verzuim?"),
		para("Antwoord: " + answer),
		para("Vraag 2: Mag de school eerder melden? Antwoord: Ja, ook bij minder uren mag de school al melden."),
		{Kind: Heading, Level: QuestionLevel, Text: "Wie belt de ouders?"}, // a <dt> or a bold question
		para("De mentor belt de ouders op de eerste dag."),
		{Kind: Heading, Level: 2, Text: "Vraag: Wie nodigt uit?"}, // taken for a heading by the text structure
		para("De leerplichtambtenaar nodigt de ouders en de leerling uit."),
		para("Absoluut verzuim?"),
		para("Ja Nee"), // a slide's flowchart: no answer
	}
	chunks := Split(blocks, DefaultSplit)
	var texts []string
	for _, c := range chunks {
		texts = append(texts, c.Text)
		if !slices.Equal(c.Heading, []string{"MELDEN"}) {
			t.Errorf("heading %q of %q: a question is no heading", c.Heading, c.Text)
		}
	}
	want := []string{
		long,
		"Wanneer meldt de school verzuim?\n" + answer,
		"Mag de school eerder melden?\nJa, ook bij minder uren mag de school al melden.",
		"Wie belt de ouders?\nDe mentor belt de ouders op de eerste dag.",
		// a flowchart's label stays text, under the answer before it
		"Wie nodigt uit?\nDe leerplichtambtenaar nodigt de ouders en de leerling uit.\nAbsoluut verzuim?\nJa Nee",
	}
	if !slices.Equal(texts, want) {
		t.Errorf("chunks:\n%q\nwant\n%q", texts, want)
	}
	for _, c := range chunks[1:5] {
		if c.Context != "" {
			t.Errorf("a pair took the sentence before it as context: %q", c.Context)
		}
	}
}

// A question with no answer after it (another question, a heading, the
// end) stays text.
func TestQuestionWithoutAnswer(t *testing.T) {
	var got []Block
	for b := range markQuestions(slices.Values([]Block{
		{Kind: Heading, Level: QuestionLevel, Text: "Eerste vraag zonder antwoord?"},
		para("Vraag: Tweede vraag?"),
		{Kind: Heading, Level: 1, Text: "KOP"},
		para("Wat doet de mentor bij verzuim van een leerling?"),
	})) {
		got = append(got, b)
	}
	for _, b := range got {
		if b.IsQuestion() {
			t.Errorf("%q marked as a question", b.Text)
		}
	}
	if len(got) != 4 {
		t.Errorf("%d blocks, want 4: %+v", len(got), got)
	}
}

package knowledge

import (
	"iter"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// QuestionLevel marks, as a heading level, the question of a
// question/answer pair (a FAQ page, "Vraag: … Antwoord: …"). It is no
// heading of the passage: the splitter starts a passage with the question
// as its first line, followed by its answer, so the pair is one passage
// that the search finds by the question's words as by any text, and whose
// answer sentences are quoted (a question is never quoted). An extractor
// that sees a question in the layout (a <dt>, a <summary>, a paragraph in
// bold ending in "?") gives it this level; markQuestions finds the
// written ones.
const QuestionLevel = 10

var (
	// "Vraag:", "Vraag 3:", "Vraag 3.", "Vraag (2):"
	questionLabel = regexp.MustCompile(`(?i)^vraag(\s*\(?\d+\)?)?\s*[:.]\s+`)
	answerLabel   = regexp.MustCompile(`(?i)^antwoord\s*[:.]\s*`)
	// "… ? Antwoord: …" inside one paragraph
	inlineAnswer = regexp.MustCompile(`(?i)\?\s+antwoord\s*:\s*`)
)

// maxQuestionWords is the most words a question heading has; a longer
// paragraph ending in "?" is text.
const maxQuestionWords = 30

// IsQuestion reports a question of a question/answer pair (QuestionLevel).
func (b Block) IsQuestion() bool { return b.Kind == Heading && b.Level == QuestionLevel }

// markQuestions marks the questions of question/answer pairs with
// QuestionLevel, so a question and its answer make one passage. A
// question is a paragraph labelled "Vraag:" (its answer may
// follow in the same paragraph after "Antwoord:"), or a paragraph of one
// short sentence ending in "?" followed by an answer. "Antwoord:" is
// dropped before an answer. A question (also one an extractor marked)
// with no answer after it stays a paragraph. It holds one block back.
func markQuestions(blocks iter.Seq[Block]) iter.Seq[Block] {
	return func(yield func(Block) bool) {
		var held Block
		have := false
		for b := range blocks {
			for _, b := range splitPair(b) {
				b = asQuestion(b)
				if have {
					if held.IsQuestion() && !isAnswer(b) {
						held.Kind, held.Level = Paragraph, 0
					}
					if !yield(held) {
						return
					}
				}
				held, have = b, true
			}
		}
		if have {
			if held.IsQuestion() {
				held.Kind, held.Level = Paragraph, 0
			}
			yield(held)
		}
	}
}

// splitPair cuts a paragraph "Vraag: …? Antwoord: …" into the question
// and its answer, and drops an answer's "Antwoord:".
func splitPair(b Block) []Block {
	if b.Kind != Paragraph {
		return []Block{b}
	}
	if loc := questionLabel.FindStringIndex(b.Text); loc != nil {
		if m := inlineAnswer.FindStringIndex(b.Text); m != nil {
			q, a := b, b
			q.Kind, q.Level, q.Text = Heading, QuestionLevel, strings.TrimSpace(b.Text[loc[1]:m[0]+1])
			a.Text = strings.TrimSpace(b.Text[m[1]:])
			return []Block{q, a}
		}
		return []Block{b}
	}
	if loc := answerLabel.FindStringIndex(b.Text); loc != nil && loc[1] < len(b.Text) {
		b.Text = b.Text[loc[1]:]
	}
	return []Block{b}
}

// asQuestion makes a paragraph that is a question a question heading, for
// now: markQuestions makes it a paragraph again when no answer follows.
func asQuestion(b Block) Block {
	if b.Kind == Heading {
		// "Vraag: …" standing alone, which the text structure took for a
		// heading of its own
		if loc := questionLabel.FindStringIndex(b.Text); loc != nil {
			b.Level, b.Text = QuestionLevel, strings.TrimSpace(b.Text[loc[1]:])
		}
		return b
	}
	text := b.Text
	labelled := false
	if loc := questionLabel.FindStringIndex(text); loc != nil {
		text, labelled = strings.TrimSpace(text[loc[1]:]), true
	}
	if !strings.HasSuffix(text, "?") || strings.Contains(text, "\n") {
		return b
	}
	if !labelled && (len(strings.Fields(text)) > maxQuestionWords || len(nl.Sentences(text)) != 1 ||
		utf8.RuneCountInString(text) > maxHeadingChars) {
		return b
	}
	b.Kind, b.Level, b.Text = Heading, QuestionLevel, text
	return b
}

// isAnswer reports a block (as asQuestion left it) that can answer the
// question before it: text of a few words at least ("Ja Nee" under
// "Absoluut verzuim?" on a slide is no answer), not another question or a
// heading.
func isAnswer(b Block) bool {
	return b.Kind == Paragraph && len(strings.Fields(b.Text)) >= minAnswerWords
}

// minAnswerWords is the fewest words of an answer.
const minAnswerWords = 5

package prompts

import (
	"github.com/wegwijs/wegwijs/retrieval"
)

// Citation is a passage an answer rests on, numbered as in the answer's
// [n] markers.
type Citation struct {
	N     int
	Hit   retrieval.Hit
	Quote string // what the answer quotes from it; empty when it only points to it
}

// Answer is a composed answer.
type Answer struct {
	Text      string // Dutch, with [n] markers
	Citations []Citation
	Abstained bool
	Mode      string // "extractive" or "llm"
	Notices   []string
	Coverage  float64 // how much of the question the quotes from one document (the best) cover
	Best      float64 // how much of it the best single sentence covers
	// Untyped is set when the answer abstained only because no sentence
	// gives the type of fact the question asks for (a number, a date).
	Untyped AnswerType
	// Scattered is set when the answer abstained because the quotes
	// cover enough of the question only across several documents.
	Scattered bool
}

// Section is a citation's heading path as one line.
func Section(h retrieval.Hit) string {
	s := ""
	for i, x := range h.Heading {
		if i > 0 {
			s += " › "
		}
		s += x
	}
	return s
}

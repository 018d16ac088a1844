package prompts

import (
	"fmt"

	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval"
)

// Citation is a passage an answer rests on, numbered as in the answer's
// [n] markers.
type Citation struct {
	N      int
	Hit    retrieval.Hit
	Quote  string   // what the answer quotes from it, the quotes joined by " … "; empty when it only points to it
	Quotes []string // the quoted sentences one by one
}

// PartKind says what a part of an extractive answer is.
type PartKind int

const (
	LeadPart  PartKind = iota + 1 // introduces the quotes of one document
	QuotePart                     // a verbatim sentence of citation N
)

// Part is one piece of an extractive answer, in reading order: a lead
// line ("Volgens ‘…’:"), then that document's quotes.
type Part struct {
	Kind PartKind
	Text string
	N    int // QuotePart: the citation it quotes
}

// Answer is a composed answer.
type Answer struct {
	Text      string // Dutch, with [n] markers
	Parts     []Part // the extractive answer's lead lines and quotes (Text is their rendering)
	Citations []Citation
	Abstained bool
	Mode      string  // "extractive" or "llm"
	Coverage  float64 // how much of the question the quotes from one document (the best) cover
	Best      float64 // how much of it the best single sentence covers
	// Why says why it abstained.
	Why Reason
	// Untyped is the type of fact the question asks for when the answer
	// abstained because no sentence gives it (Why is WrongType).
	Untyped nl.AnswerType
	// Near are, when it abstained, the sentences that came closest, laid
	// out as an answer would be (NearParts, numbered as Near): the caller
	// may offer them as a lead, clearly marked as no answer.
	Near      []Citation
	NearParts []Part
	// KeyCovered: the quotes (or the nearest sentences) cover the
	// question's heaviest word, its rarest in the knowledge base or one
	// it lacks. A lead needs it: "hoeveel kost een fiets?" gets no
	// passages about what a school pays.
	KeyCovered bool
}

// Reason says why an answer abstained. Its String is a stable code for
// scripts (`ask --json`, the evaluation report).
type Reason int

const (
	Answered      Reason = iota
	NothingFound         // no passage covers enough of the question (the search's test)
	TooLittle            // the quotes of the best document cover too little of it
	Scattered            // enough of it only across several documents, never in one
	WrongType            // no quote gives the type of fact asked for ("hoe vaak")
	OnlyPurpose          // the quotes only name the purpose of the question ("om … te …")
	ModelDeclined        // the language model said the passages do not answer it
	KeyMissing           // the question's heaviest word is in none of the quotes (or their settings)
)

var reasonCodes = [...]string{"", "nothing_found", "too_little", "scattered", "wrong_type", "only_purpose", "model_declined", "key_missing"}

func (r Reason) String() string {
	if r >= 0 && int(r) < len(reasonCodes) {
		return reasonCodes[r]
	}
	return fmt.Sprintf("reason_%d", int(r))
}

// ReasonOf reads a Reason's code back; an unknown code is Answered.
func ReasonOf(code string) Reason {
	for i, c := range reasonCodes {
		if c == code {
			return Reason(i)
		}
	}
	return Answered
}

// Section is a citation's heading path as one line.
func Section(h retrieval.Hit) string { return SectionOf(h.Heading) }

// SectionOf is a heading path as one line: "Stap 2 › Wie doet wat".
func SectionOf(heading []string) string {
	s := ""
	for i, x := range heading {
		if i > 0 {
			s += " › "
		}
		s += x
	}
	return s
}

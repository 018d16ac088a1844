package prompts

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval"
)

// ErrDeclined means the model wrote NotInSources: the passages do not
// answer the question.
var ErrDeclined = errors.New("the model said the passages do not answer")

// CheckedStream passes a model's answer on claim by claim (its sentences,
// each with the [n] markers after it: nl.Claims, as the evaluation's judge
// reads them), each only after it has been checked against the passages
// the model was given: every [n] names a passage, the claim carries at
// least one [n], every quote in it is really in a passage it cites, and it
// is not the model's NotInSources signal. A lead-in line ("Volgens de Praktijkkaart:")
// carries no claim: it is held back until the claim after it passes, and
// dropped when none does. Once a sentence fails nothing more is passed on,
// and Write and Close keep reporting the failure: the caller abandons what
// it showed.
//
// CheckGrounded runs the same check over a whole answer, so what a stream
// passed and what the final check accepts never differ.
type CheckedStream struct {
	hits     []retrieval.Hit
	emit     func(string)
	line     string // the current, unfinished line
	done     int    // bytes of line already checked
	lineUsed bool   // something of the current line was passed or held
	held     string // text waiting for the next checked claim
	claims   int    // sentences checked and passed on
	err      error
}

// NewCheckedStream checks against hits (numbered from 1) and passes the
// checked text to emit: sentences, the spaces between them and line ends.
// emit may be nil (CheckGrounded).
func NewCheckedStream(hits []retrieval.Hit, emit func(string)) *CheckedStream {
	if emit == nil {
		emit = func(string) {}
	}
	return &CheckedStream{hits: hits, emit: emit}
}

// Write takes the next piece of the model's answer. It returns the first
// failed check, and keeps returning it.
func (s *CheckedStream) Write(delta string) error {
	for s.err == nil && delta != "" {
		nl := strings.IndexByte(delta, '\n')
		if nl < 0 {
			s.line += delta
			s.flush(false)
			break
		}
		s.line += delta[:nl]
		delta = delta[nl+1:]
		s.flush(true)
		s.endLine()
	}
	return s.err
}

// Close checks what is left of the answer. An answer without a single
// checked claim is ErrEmptyAnswer.
func (s *CheckedStream) Close() error {
	if s.err == nil {
		s.flush(true)
	}
	if s.err == nil && s.claims == 0 {
		s.err = ErrEmptyAnswer
	}
	return s.err
}

// Claims is how many sentences passed the check so far.
func (s *CheckedStream) Claims() int { return s.claims }

func (s *CheckedStream) endLine() {
	if s.err != nil {
		return
	}
	if s.held == "" {
		s.emit("\n")
	} else {
		s.held += "\n"
	}
	s.line, s.done, s.lineUsed = "", 0, false
}

// flush checks the finished claims of the current line (nl.Claims): all
// of them when the line is finished, else all but the last, which may
// still grow. Markers after a sentence's end belong to it ("… melden. [2]"),
// so a sentence is finished only once the next one has started.
func (s *CheckedStream) flush(lineDone bool) {
	claims := nl.Claims(s.line[s.done:])
	ready := len(claims)
	if !lineDone && ready > 0 {
		ready--
	}
	end := 0
	for i, c := range claims[:ready] {
		end = c.End
		if s.checkClaim(c, lineDone && i == ready-1); s.err != nil {
			return
		}
	}
	s.done += end
}

// checkClaim checks one claim and passes it on. lineEnd says it ends its
// line: only there can a lead-in end with ":".
func (s *CheckedStream) checkClaim(c nl.Claim, lineEnd bool) {
	sep := ""
	if s.lineUsed {
		sep = " "
	}
	s.lineUsed = true
	sentence := c.Text
	text := strings.TrimSpace(strings.TrimLeft(sentence, "-*•>"))
	switch {
	case strings.Contains(text, NotInSources):
		s.err = ErrDeclined
	case text == "" || markerOnly(text) && !markerRe.MatchString(text):
		s.held += sep + sentence // a bullet or a stray mark: no claim
	case lineEnd && c.IsLeadIn():
		s.held += sep + sentence // a lead-in: out with the next claim
	default:
		if err := checkSentence(text, s.hits); err != nil {
			s.err = err
			return
		}
		s.claims++
		s.emit(s.held + sep + sentence)
		s.held = ""
	}
}

// checkSentence is the grounding check of one sentence.
func checkSentence(sentence string, hits []retrieval.Hit) error {
	marks := markerRe.FindAllStringSubmatch(sentence, -1)
	if len(marks) == 0 {
		return ErrNoCitation
	}
	for _, m := range marks {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(hits) {
			return fmt.Errorf("%w: [%d]", ErrUnknownCitation, n)
		}
	}
	for _, q := range quoteRe.FindAllStringSubmatch(sentence, -1) {
		found := false
		for _, m := range marks {
			n, _ := strconv.Atoi(m[1])
			if strings.Contains(normalizeQuote(hits[n-1].Text), normalizeQuote(q[1])) {
				found = true
			}
		}
		if !found {
			return ErrFalseQuote
		}
	}
	return nil
}

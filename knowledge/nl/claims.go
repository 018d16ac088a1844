package nl

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Claim is one claim of an answer: a sentence (Sentences) of one line with
// the [n] markers that cite its sources. Markers right after a sentence's
// end belong to it ("Dat doet de leerplichtambtenaar. [1] Hij belt de
// ouders." is two claims, the first citing [1], the second nothing), and
// markers that open a sentence belong to that sentence. A claim never
// crosses a line: a lead line ("Volgens de Praktijkkaart:") is a claim of
// its own, which IsLeadIn tells.
//
// Both the grounding check of a model's answer (prompts.CheckedStream)
// and the evaluation's judge (eval) read an answer's claims this way.
type Claim struct {
	Text       string // as written, trimmed of white space, markers included
	Start, End int    // where Text is in the text given to Claims
	Refs       []int  // the numbers of its markers, in order
}

var (
	markerRe = regexp.MustCompile(`\[(\d+)\]`)
	// trailingMarkers finds markers after a sentence's end ("staat. [2]").
	trailingMarkers  = regexp.MustCompile(`([.!?…]+["”’')]*)((?:\s*\[\d+\])+)`)
	spaceBeforePunct = regexp.MustCompile(`\s+([.,!?;:…])`)
)

// Claims splits text into its claims, line by line. Nothing of the text is
// dropped but white space: every character outside white space is in one
// claim. Bullets and quote marks at the start of a line stay in the claim
// (callers trim what their format puts there).
func Claims(text string) []Claim {
	var out []Claim
	off := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		out = appendClaims(out, line, off)
		off += len(line)
	}
	return out
}

// appendClaims appends the claims of one line, which starts at offset off.
func appendClaims(out []Claim, line string, off int) []Claim {
	lead := len(line) - len(strings.TrimLeftFunc(line, unicode.IsSpace))
	t := strings.TrimSpace(line)
	if t == "" {
		return out
	}
	// The sentences end where they would if every run of markers after an
	// end mark stood before it ("staat [2]. Verder"). The swap keeps every
	// offset and never moves a sentence end into a run, so the ends found
	// cut the line as written.
	r := trailingMarkers.ReplaceAllString(t, "$2$1")
	shift := len(r) - len(strings.TrimLeftFunc(r, unicode.IsSpace))
	cuts := []int{0}
	for _, e := range sentenceEnds(strings.TrimSpace(r)) {
		cuts = append(cuts, e+shift)
	}
	cuts = append(cuts, len(t))
	for i := 0; i+1 < len(cuts); i++ {
		piece := t[cuts[i]:cuts[i+1]]
		s := strings.TrimSpace(piece)
		if s == "" {
			continue
		}
		start := off + lead + cuts[i] + len(piece) - len(strings.TrimLeftFunc(piece, unicode.IsSpace))
		out = append(out, Claim{Text: s, Start: start, End: start + len(s), Refs: Refs(s)})
	}
	return out
}

// Plain is the claim's text without its markers, its white space collapsed
// and none before punctuation: "Meld het binnen vijf dagen." for "Meld het
// binnen vijf dagen [2]." and for "Meld het binnen vijf dagen. [2]".
func (c Claim) Plain() string {
	return spaceBeforePunct.ReplaceAllString(strings.Join(strings.Fields(StripMarkers(c.Text)), " "), "$1")
}

// IsLeadIn reports a claim that only introduces what follows ("Volgens de
// Praktijkkaart:", "In ‘Verzuim’ staat ook:"): it ends with a colon and
// has no marker. Only the last claim of a line can end with a colon.
func (c Claim) IsLeadIn() bool {
	return strings.HasSuffix(c.Text, ":") && !markerRe.MatchString(c.Text)
}

// Refs are the numbers of the [n] markers in s, in order. A number too
// large for an int is left out.
func Refs(s string) []int {
	var out []int
	for _, m := range markerRe.FindAllStringSubmatch(s, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// StripMarkers removes the [n] markers from s.
func StripMarkers(s string) string { return markerRe.ReplaceAllString(s, "") }

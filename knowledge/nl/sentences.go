package nl

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations that end in a period but do not end a sentence.
var abbreviations = map[string]bool{
	"o.a.": true, "bijv.": true, "bv.": true, "dhr.": true, "mevr.": true, "nr.": true, "art.": true,
	"e.d.": true, "i.p.v.": true, "m.b.t.": true, "t.a.v.": true, "z.s.m.": true, "d.w.z.": true,
	"incl.": true, "excl.": true, "ca.": true, "evt.": true, "jl.": true, "dr.": true, "mr.": true,
	"prof.": true, "drs.": true, "ing.": true, "ir.": true, "o.b.v.": true, "n.a.v.": true, "i.s.m.": true,
	"vs.": true, "blz.": true, "p.": true, "zgn.": true, "n.b.": true, "t.b.v.": true, "e.a.": true,
	"m.n.": true, "resp.": true, "enz.": true, "etc.": true, "aug.": true, "sept.": true, "okt.": true,
}

var sentenceEnd = regexp.MustCompile(`[.!?…]+["”’')]*\s+`)

// Sentences splits Dutch text into sentences, keeping abbreviations such as
// "o.a." and "bijv." and initials ("K.") inside their sentence. A sentence
// ends at ".", "!", "?" or "…" (closing quotes and brackets included)
// followed by white space and a capital, a digit, an opening quote or
// bracket, a bullet or a dash. The sentences joined with a space give the
// text back (modulo white space).
func Sentences(text string) []string {
	text = strings.TrimSpace(text)
	var out []string
	start := 0
	for _, end := range sentenceEnds(text) {
		out = append(out, strings.TrimSpace(text[start:end]))
		start = end
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// sentenceEnds gives the offsets in text (trimmed of white space) where a
// sentence ends and the next one starts: just after the white space that
// follows the end mark.
func sentenceEnds(text string) []int {
	var ends []int
	start := 0
	for _, m := range sentenceEnd.FindAllStringIndex(text, -1) {
		end := m[1]
		if end >= len(text) {
			break
		}
		cand := text[start : m[0]+1] // up to and including the first end mark
		// the word that ends here
		lastWord := cand
		if i := strings.LastIndexAny(cand, " \t\n("); i >= 0 {
			lastWord = cand[i+1:]
		}
		if abbreviations[strings.ToLower(lastWord)] || isInitial(lastWord) {
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[end:])
		if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("\"'“‘(•-", next)) {
			continue
		}
		ends = append(ends, end)
		start = end
	}
	return ends
}

// isInitial reports a single capital letter with a period ("K.").
func isInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n > 0 && unicode.IsUpper(r) && w[n:] == "."
}

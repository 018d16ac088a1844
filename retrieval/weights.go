package retrieval

import (
	"math"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// Stemmed is one word of the question as the store read it: the stem its
// text-search configuration gives and how many chunks hold that stem. The
// store reports every word it stemmed, stop words and repeats included,
// and the parts of the compounds it split; Weigh makes the terms of them.
type Stemmed struct {
	Word  string  // lower case, as in the question or the glossary's terms
	Stem  string  // "" for a part the store's configuration drops as a stop word
	Docs  float64 // chunks that hold Stem; 0: none
	Extra bool    // from the glossary's terms, not typed by the asker
	// Part is 1 or 2 for the first or second part of the compound Word,
	// which the store split; a part follows the entry of its word. 0: the
	// word itself.
	Part int
}

// IDF is a BM25-style inverse document frequency: the weight of a stem
// that docs of the knowledge base's chunks hold. A stem in no chunk weighs
// as one in half a chunk.
func IDF(chunks, docs float64) float64 {
	return math.Log(1 + (chunks-docs+0.5)/(docs+0.5))
}

// Weigh makes the question's terms of the words the store stemmed, in
// their order: it leaves out stop words (nl.IsStopword) and a stem met
// before, weighs each term by IDF in a knowledge base of chunks chunks,
// and lets a word the store split give way to its parts, each weighing
// half as much as the word (a passage covers the word fully only with
// both parts; a part that is a stop word is left out). Concepts are not
// set here (Search does that with the glossary).
func Weigh(words []Stemmed, chunks float64) []Term {
	var terms []Term
	seen := map[string]bool{}
	for i, w := range words {
		if w.Part > 0 || seen[w.Stem] || nl.IsStopword(w.Word) {
			continue // a part comes with its word; a repeat or stop word is no term
		}
		seen[w.Stem] = true
		t := Term{Text: w.Stem, Word: w.Word, IDF: IDF(chunks, w.Docs), InBase: w.Docs > 0, Extra: w.Extra}
		split := false
		for _, p := range words[i+1:] {
			if p.Part == 0 || p.Word != w.Word {
				break
			}
			split = true
			if p.Stem != "" {
				terms = append(terms, Term{Text: p.Stem, Word: w.Word, Part: p.Part, IDF: t.IDF / 2, InBase: p.Docs > 0, Extra: t.Extra})
			}
		}
		if !split {
			terms = append(terms, t)
		}
	}
	return terms
}

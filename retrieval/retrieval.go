// Package retrieval finds the passages that answer a question: it expands
// the question with the glossary, asks the store for three candidate lists
// (vector, Dutch full text, trigram) and fuses them with weighted
// reciprocal rank fusion, then decides whether the best passage is relevant
// enough to answer from. Ranking math here is pure; SQL lives in
// retrieval/postgres. It sees only redacted question text.
package retrieval

import (
	"time"
)

// List names a candidate list.
type List string

const (
	Vector   List = "vector"
	FullText List = "fulltext"
	Trigram  List = "trigram"
)

// AllLists is every list, in the order reports show them.
var AllLists = []List{Vector, FullText, Trigram}

// Passage is a chunk with its document, as retrieval returns it.
type Passage struct {
	ChunkID   int64
	Slug      string
	Title     string
	Publisher string
	Region    string
	URL       string
	Date      time.Time // the document's publication date, when known
	Heading   []string
	PageFrom  int
	PageTo    int
	Text      string
	Context   string // the sentence before the passage in its section (searched, not shown)
}

// Candidate is a passage as one list ranked it.
type Candidate struct {
	Passage
	Score   float64  // the list's own score (cosine similarity, idf sum, ...)
	Matched []string // query terms this passage matched (full text and trigram lists)
}

// ListRank is where one list put a passage.
type ListRank struct {
	Rank  int     // 1-based
	Score float64 // the list's own score
}

// Hit is a fused passage: the fused score, each list's rank and score (so
// an evaluation can show what each list contributes) and how much of the
// question it covers.
type Hit struct {
	Passage
	Score    float64           // fused score
	Ranks    map[List]ListRank // per list; absent when the list did not return it
	Coverage float64           // share of the question's informative weight it matches, 0..1
	Matched  []string
}

// Term is a query term with its weight: rare terms weigh more.
type Term struct {
	Text string // normalized form as matched (a Dutch stem for full text)
	Word string // the word of the question it comes from
	// Part is 1 or 2 when the term is the first or second part of Word, a
	// compound the knowledge base lacks that the store split into two
	// words it has ("verzuimaanpak": "verzuim", "aanpak"); 0 when the term
	// is Word itself. A part matches by its Text only.
	Part    int
	IDF     float64 // inverse document frequency in the knowledge base; high when absent
	InBase  bool    // whether the knowledge base has the term at all
	Concept string  // glossary concept, when the word belongs to one
	Extra   bool    // added by the glossary, not typed by the asker
}

// IsPart reports whether the term is a part of a split compound (Part),
// not a word of the question.
func (t Term) IsPart() bool { return t.Part > 0 }

// Query is what the store searches with.
type Query struct {
	Text   string    // the (redacted) question
	Extra  []string  // terms added by the glossary
	Vector []float32 // the question embedded; nil to skip the vector list
	// Embedder names the model that made Vector; the store refuses to
	// compare it with vectors of another model.
	Embedder string
	// Concepts maps a lower-case word (of the question or of Extra) to its
	// glossary concept: words of one concept count once per passage.
	Concepts map[string]string
	Limit    int    // candidates per list
	Lists    []List // which lists to run; nil means all
}

// Wants reports whether the query asks for list l.
func (q Query) Wants(l List) bool {
	if len(q.Lists) == 0 {
		return true
	}
	for _, x := range q.Lists {
		if x == l {
			return true
		}
	}
	return false
}

// Candidates is what the store returns: per list, its ranked candidates,
// and the question's words as it stemmed them with how many chunks hold
// each stem, and how many chunks there are, so that Search can weigh them
// (Weigh).
type Candidates struct {
	Lists  map[List][]Candidate
	Words  []Stemmed
	Chunks float64 // chunks in the knowledge base version searched
	// Version is the knowledge-base version the lists come from.
	Version int64
}

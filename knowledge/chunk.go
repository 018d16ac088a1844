package knowledge

import (
	"slices"
	"strings"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// Chunk is a passage of a document, the unit that is searched and cited.
type Chunk struct {
	Ordinal  int      // position in the document, from 0
	Heading  []string // heading path, outermost first
	PageFrom int      // first page, 0 when the format has no pages
	PageTo   int      // last page
	Text     string   // paragraphs separated by "\n"
	// Context is the last sentence of the chunk before it in the same
	// section. It is searched with the chunk but not shown: a sentence that
	// names the subject ("Bij absoluut verzuim ...") often sits just before
	// the chunk that says who acts.
	Context string
}

// SplitOptions sizes chunks, in words. A chunk grows paragraph by paragraph
// (or sentence by sentence for a long paragraph) until the next piece would
// pass TargetWords; no chunk passes MaxWords unless one sentence does.
type SplitOptions struct {
	TargetWords int
	MaxWords    int
	MinWords    int // a smaller tail is merged into the chunk before it
}

// DefaultSplit is sized for citing: about a paragraph or two of a
// handreiking, 60-150 words, short enough to quote and to show in a chat
// reply, long enough to keep a role description or a step together.
var DefaultSplit = SplitOptions{TargetWords: 110, MaxWords: 180, MinWords: 25}

// Split cuts blocks into chunks that follow the structure: a chunk never
// crosses a heading, and never cuts a sentence.
func Split(blocks []Block, opt SplitOptions) []Chunk {
	if opt.TargetWords == 0 {
		opt = DefaultSplit
	}
	s := splitter{opt: opt}
	for _, b := range blocks {
		switch b.Kind {
		case Heading:
			s.flush()
			s.setHeading(b)
		default:
			s.add(b)
		}
	}
	s.flush()
	return s.chunks
}

type splitter struct {
	opt      SplitOptions
	levels   []int
	heading  []string
	pieces   []string
	words    int
	pageFrom int
	pageTo   int
	chunks   []Chunk
}

func (s *splitter) setHeading(b Block) {
	for len(s.levels) > 0 && s.levels[len(s.levels)-1] >= b.Level {
		s.levels = s.levels[:len(s.levels)-1]
		s.heading = s.heading[:len(s.heading)-1]
	}
	s.levels = append(s.levels, b.Level)
	s.heading = append(s.heading, b.Text)
}

func (s *splitter) add(b Block) {
	n := wordCount(b.Text)
	if n <= s.opt.MaxWords {
		s.addPiece(b.Text, n, b.Page, true)
		return
	}
	for i, sent := range nl.Sentences(b.Text) {
		s.addPiece(sent, wordCount(sent), b.Page, i == 0)
	}
}

// addPiece adds a paragraph (newPara) or the next sentence of one.
func (s *splitter) addPiece(text string, n, page int, newPara bool) {
	if s.words > 0 && s.words+n > s.opt.TargetWords && s.words >= s.opt.MinWords {
		s.flush()
		newPara = true
	}
	if len(s.pieces) == 0 {
		s.pageFrom = page
		newPara = true
	}
	if newPara {
		s.pieces = append(s.pieces, text)
	} else {
		s.pieces[len(s.pieces)-1] += " " + text
	}
	s.words += n
	if page > s.pageTo || s.pageTo == 0 {
		s.pageTo = page
	}
	if s.pageFrom == 0 || (page > 0 && page < s.pageFrom) {
		s.pageFrom = page
	}
}

func (s *splitter) flush() {
	if len(s.pieces) == 0 {
		return
	}
	text := strings.Join(s.pieces, "\n")
	n := len(s.chunks)
	if s.words < minChunkWords {
		// a stray label ("STAP 3", "Ja Nee") is no passage to cite
		s.pieces, s.words, s.pageFrom, s.pageTo = nil, 0, 0, 0
		return
	}
	if s.words < s.opt.MinWords && n > 0 && sameHeading(s.chunks[n-1].Heading, s.heading) &&
		wordCount(s.chunks[n-1].Text)+s.words <= s.opt.MaxWords {
		prev := &s.chunks[n-1]
		prev.Text += "\n" + text
		prev.PageTo = max(prev.PageTo, s.pageTo)
	} else {
		c := Chunk{
			Ordinal:  n,
			Heading:  append([]string(nil), s.heading...),
			PageFrom: s.pageFrom,
			PageTo:   s.pageTo,
			Text:     text,
		}
		if n > 0 && sameHeading(s.chunks[n-1].Heading, s.heading) {
			if sents := nl.Sentences(s.chunks[n-1].Text); len(sents) > 0 {
				c.Context = sents[len(sents)-1]
			}
		}
		s.chunks = append(s.chunks, c)
	}
	s.pieces, s.words, s.pageFrom, s.pageTo = nil, 0, 0, 0
}

// minChunkWords is the size below which a passage is dropped.
const minChunkWords = 3

func sameHeading(a, b []string) bool { return slices.Equal(a, b) }

func wordCount(s string) int { return len(strings.Fields(s)) }

package knowledge

import (
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

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
// pass TargetWords. No chunk passes MaxWords or MaxChars, whatever the
// input: a sentence longer than that (a line without a full stop) is cut
// between words into pieces of TargetWords, and a word longer than
// MaxChars between characters.
type SplitOptions struct {
	TargetWords int
	MaxWords    int
	MinWords    int // a smaller tail is merged into the chunk before it
	// MaxChars caps a chunk in characters (runes), whatever its words;
	// 0 means defaultMaxChars.
	MaxChars int
}

// defaultMaxChars is far above the largest chunk of the bundled sample
// (1,431 characters at 180 words), so it only cuts what is not prose.
const defaultMaxChars = 2000

// maxHeadingChars caps one heading of a chunk's heading path.
const maxHeadingChars = 200

func (o SplitOptions) maxChars() int {
	if o.MaxChars > 0 {
		return o.MaxChars
	}
	return defaultMaxChars
}

// DefaultSplit is sized for citing: about a paragraph or two of a
// handreiking, 60-150 words, short enough to quote and to show in a chat
// reply, long enough to keep a role description or a step together.
var DefaultSplit = SplitOptions{TargetWords: 110, MaxWords: 180, MinWords: 25}

// Split cuts blocks into chunks that follow the structure: a chunk never
// crosses a heading, and never cuts a sentence that fits in one. Headings
// in the heading path are cut to maxHeadingChars. Time and memory are in
// proportion to the text.
func Split(blocks []Block, opt SplitOptions) []Chunk {
	return slices.Collect(SplitStream(slices.Values(blocks), opt))
}

// consumed yields the blocks, clearing each block's text once it is taken,
// so a large document's blocks can be freed while its chunks are made,
// instead of both being held at once.
func consumed(blocks []Block) iter.Seq[Block] {
	return func(yield func(Block) bool) {
		for i := range blocks {
			b := blocks[i]
			blocks[i].Text = ""
			if !yield(b) {
				return
			}
		}
	}
}

// SplitStream is Split over blocks read one at a time, yielding each chunk
// once nothing after it can change it: it holds the chunk being made and
// the one before it (a short tail may still join that one, and its last
// sentence is the next chunk's context), never the document.
func SplitStream(blocks iter.Seq[Block], opt SplitOptions) iter.Seq[Chunk] {
	if opt.TargetWords == 0 {
		opt = DefaultSplit
	}
	return func(yield func(Chunk) bool) {
		s := splitter{opt: opt}
		drain := func() bool {
			for _, c := range s.done {
				if !yield(c) {
					return false
				}
			}
			clear(s.done)
			s.done = s.done[:0]
			return true
		}
		for b := range markQuestions(blocks) {
			switch {
			case b.IsQuestion():
				// a question opens the passage of its answer
				s.flush()
				s.add(Block{Kind: Paragraph, Text: b.Text, Page: b.Page})
				s.question = true
			case b.Kind == Heading:
				s.flush()
				s.setHeading(b)
			default:
				s.add(b)
			}
			if !drain() {
				return
			}
		}
		s.flush()
		if s.last != nil {
			s.done = append(s.done, *s.last)
		}
		drain()
	}
}

type splitter struct {
	opt      SplitOptions
	levels   []int
	heading  []string
	pieces   []string
	words    int
	chars    int // of the pieces joined
	pageFrom int
	pageTo   int
	question bool   // the chunk being made opens with a question
	made     int    // chunks made so far
	last     *Chunk // the newest chunk, still open to a short tail
	done     []Chunk
}

func (s *splitter) setHeading(b Block) {
	for len(s.levels) > 0 && s.levels[len(s.levels)-1] >= b.Level {
		s.levels = s.levels[:len(s.levels)-1]
		s.heading = s.heading[:len(s.heading)-1]
	}
	s.levels = append(s.levels, b.Level)
	s.heading = append(s.heading, shortenHeading(b.Text))
}

// shortenHeading cuts a heading longer than maxHeadingChars after its last
// whole word that fits, marking the cut with "…".
func shortenHeading(h string) string {
	if utf8.RuneCountInString(h) <= maxHeadingChars {
		return h
	}
	cut := h[:runeOffset(h, maxHeadingChars-1)]
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

// runeOffset is the byte offset of the n-th rune of s (len(s) when s has
// fewer).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

func (s *splitter) add(b Block) {
	n := wordCount(b.Text)
	if n <= s.opt.MaxWords && utf8.RuneCountInString(b.Text) <= s.opt.maxChars() {
		s.addPiece(b.Text, n, b.Page, true)
		return
	}
	first := true
	for _, sent := range nl.Sentences(b.Text) {
		for _, piece := range s.cut(sent) {
			s.addPiece(piece, wordCount(piece), b.Page, first)
			first = false
		}
	}
}

// cut returns a sentence as it is when it fits in a chunk, else in pieces
// of at most TargetWords words and MaxChars characters, cut between words
// (a word longer than MaxChars between characters).
func (s *splitter) cut(sent string) []string {
	maxChars := s.opt.maxChars()
	if wordCount(sent) <= s.opt.MaxWords && utf8.RuneCountInString(sent) <= maxChars {
		return []string{sent}
	}
	var out []string
	var b strings.Builder
	words, chars := 0, 0
	emit := func() {
		if words > 0 {
			out = append(out, b.String())
		}
		b.Reset()
		words, chars = 0, 0
	}
	for _, w := range strings.Fields(sent) {
		for utf8.RuneCountInString(w) > maxChars {
			emit()
			i := runeOffset(w, maxChars)
			out = append(out, w[:i])
			w = w[i:]
		}
		n := utf8.RuneCountInString(w)
		if words > 0 && (words+1 > s.opt.TargetWords || chars+1+n > maxChars) {
			emit()
		}
		if words > 0 {
			b.WriteByte(' ')
			chars++
		}
		b.WriteString(w)
		words++
		chars += n
	}
	emit()
	return out
}

// addPiece adds a paragraph (newPara) or the next sentence of one.
func (s *splitter) addPiece(text string, n, page int, newPara bool) {
	chars := utf8.RuneCountInString(text)
	if (s.words > 0 && s.words+n > s.opt.TargetWords && s.words >= s.opt.MinWords) ||
		(len(s.pieces) > 0 && (s.words+n > s.opt.MaxWords || s.chars+1+chars > s.opt.maxChars())) {
		s.flush()
		newPara = true
	}
	if len(s.pieces) == 0 {
		s.pageFrom = page
		newPara = true
	} else {
		s.chars++ // the "\n" or " " that joins it
	}
	if newPara {
		s.pieces = append(s.pieces, text)
	} else {
		s.pieces[len(s.pieces)-1] += " " + text
	}
	s.words += n
	s.chars += chars
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
	n := s.made
	if s.words < minChunkWords {
		// a stray label ("STAP 3", "Ja Nee") is no passage to cite
		s.pieces, s.words, s.chars, s.pageFrom, s.pageTo = nil, 0, 0, 0, 0
		return
	}
	prev := s.last
	question := s.question
	s.question = false
	if s.words < s.opt.MinWords && !question && prev != nil && sameHeading(prev.Heading, s.heading) &&
		wordCount(prev.Text)+s.words <= s.opt.MaxWords &&
		utf8.RuneCountInString(prev.Text)+1+s.chars <= s.opt.maxChars() {
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
		if prev != nil && sameHeading(prev.Heading, s.heading) && !question {
			if sents := nl.Sentences(prev.Text); len(sents) > 0 {
				c.Context = sents[len(sents)-1]
			}
		}
		if prev != nil {
			s.done = append(s.done, *prev)
		}
		s.last = &c
		s.made++
	}
	s.pieces, s.words, s.chars, s.pageFrom, s.pageTo = nil, 0, 0, 0, 0
}

// minChunkWords is the size below which a passage is dropped.
const minChunkWords = 3

func sameHeading(a, b []string) bool { return slices.Equal(a, b) }

func wordCount(s string) int { return len(strings.Fields(s)) }

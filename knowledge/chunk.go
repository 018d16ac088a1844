package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
	for i, sent := range Sentences(b.Text) {
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
			if sents := Sentences(s.chunks[n-1].Text); len(sents) > 0 {
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
// "o.a." and "bijv." inside their sentence. The sentences joined with a
// space give the text back (modulo white space).
func Sentences(text string) []string {
	text = strings.TrimSpace(text)
	var out []string
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
		out = append(out, strings.TrimSpace(text[start:end]))
		start = end
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// isInitial reports a single capital letter with a period ("K.").
func isInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n > 0 && unicode.IsUpper(r) && w[n:] == "."
}

// Package text extracts plain text (.txt) and Markdown (.md) documents.
// Plain text gets its structure from knowledge.ParseText (headings in
// capitals or standing alone, joined hyphenation, no boilerplate);
// Markdown from its '#' headings. Both may start with YAML front matter
// giving the document's metadata.
//
// Encodings: UTF-8 (with or without a byte order mark), UTF-16 with a byte
// order mark, and else Windows-1252, the usual encoding of older Dutch text
// files. A file that is mostly not text (more than maxControl of its
// characters are control characters, as in a picture or a program saved
// with a .txt name) is refused (knowledge.NotText) instead of being stored
// as mojibake. No more than the input's text limit is read.
package text

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge"
)

// Extractor reads .txt and .md files.
type Extractor struct{}

// New returns a text extractor.
func New() *Extractor { return &Extractor{} }

// maxControl is the share of control characters (other than white space)
// above which a file is not text. Real text has none or a stray one.
const maxControl = 0.05

// Extract implements knowledge.Extractor: Stream, collected.
func (e *Extractor) Extract(ctx context.Context, in knowledge.Input) (*knowledge.Document, error) {
	doc, blocks, err := e.Stream(ctx, in)
	if err != nil {
		return nil, err
	}
	for b, err := range blocks {
		if err != nil {
			return nil, err
		}
		doc.Blocks = append(doc.Blocks, b)
	}
	return doc, nil
}

// Stream implements knowledge.Streamer. It reads the file once to tell its
// encoding and whether it is text (and refuses it here when it is too
// large or not text), then, each time blocks is read, line by line into
// blocks (knowledge.ParseTextStream), never holding it whole. Front matter
// is read at the start, so doc.Meta has it at once; a Markdown file
// without a title there gets its first level-1 heading once blocks has
// been read.
func (*Extractor) Stream(ctx context.Context, in knowledge.Input) (*knowledge.Document, iter.Seq2[knowledge.Block, error], error) {
	enc, err := sniffFile(in)
	if err != nil {
		return nil, nil, err
	}
	md := false
	switch strings.ToLower(filepath.Ext(in.Path)) {
	case ".md", ".markdown":
		md = true
	}
	doc := &knowledge.Document{Format: "txt"}
	if md {
		doc.Format = "md"
	}
	// the front matter, before any block is asked for
	meta, err := readBlocks(ctx, in, enc, md, nil)
	if err != nil {
		return nil, nil, err
	}
	doc.Meta = meta
	blocks := func(yield func(knowledge.Block, error) bool) {
		n := 0
		titled := doc.Meta.Title != ""
		_, err := readBlocks(ctx, in, enc, md, func(b knowledge.Block) bool {
			n++
			if !titled && md && b.Kind == knowledge.Heading && b.Level == 1 {
				doc.Meta.Title, titled = b.Text, true
			}
			return yield(b, nil)
		})
		if err == nil && n == 0 {
			err = &knowledge.InputError{Name: in.Name, Problem: knowledge.Empty}
		}
		if err != nil && err != errStopped {
			yield(knowledge.Block{}, err)
		}
	}
	return doc, blocks, nil
}

// sniffFile reads the file once: its encoding, and whether it is small
// enough and text.
func sniffFile(in knowledge.Input) (encoding, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return encoding{}, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	defer f.Close()
	enc, err := sniff(f, in.TextLimit())
	if err != nil {
		return enc, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	if enc.size > in.TextLimit() {
		return enc, &knowledge.InputError{Name: in.Name, Problem: knowledge.TooLarge,
			Detail: fmt.Sprintf("meer dan %d MB", in.TextLimit()>>20)}
	}
	if float64(enc.control) > maxControl*float64(enc.runes) {
		return enc, &knowledge.InputError{Name: in.Name, Problem: knowledge.NotText}
	}
	return enc, nil
}

// errStopped is what readBlocks returns when yield stopped it.
var errStopped = errors.New("stopped")

// readBlocks reads the file in its encoding, line by line, into blocks
// given to yield, and returns the front matter's metadata; errStopped when
// yield returned false. With yield nil it reads the front matter only.
func readBlocks(ctx context.Context, in knowledge.Input, enc encoding, md bool, yield func(knowledge.Block) bool) (knowledge.Meta, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return knowledge.Meta{}, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	defer f.Close()
	lr := knowledge.NewLineReader(enc.reader(io.LimitReader(f, enc.size)), !md)
	var ctxErr error
	lines := func(yield func(string) bool) {
		n := 0
		for l := range lr.Lines() {
			if n++; n%4096 == 0 {
				if ctxErr = ctx.Err(); ctxErr != nil {
					return
				}
			}
			if !yield(l) {
				return
			}
		}
	}
	meta, body, stop, err := frontMatter(lines)
	defer stop()
	if err != nil {
		return meta, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt, Err: err}
	}
	if yield == nil {
		return meta, nil
	}
	blocks := knowledge.ParseTextStream(body, 0)
	if md {
		blocks = markdown(body)
	}
	for b := range blocks {
		if !yield(b) {
			return meta, errStopped
		}
	}
	if ctxErr != nil {
		return meta, fmt.Errorf("extract %s: %w", in.Name, ctxErr)
	}
	if err := lr.Err(); err != nil {
		return meta, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	return meta, nil
}

// maxFrontMatter is the most lines read looking for the end of front
// matter; a file whose "---" is not closed by then has none.
const maxFrontMatter = 1000

// frontMatter reads YAML front matter (between "---" lines at the very
// start, as knowledge.FrontMatter) from the first lines and returns the
// metadata and the lines of the body. stop releases the lines.
func frontMatter(lines iter.Seq[string]) (knowledge.Meta, iter.Seq[string], func(), error) {
	next, stop := iter.Pull(lines)
	var head []string
	first, ok := next()
	if ok && first == "---" {
		head = append(head, first)
		for len(head) <= maxFrontMatter {
			l, ok := next()
			if !ok {
				break
			}
			head = append(head, l)
			if l == "---" || l == "..." {
				meta, _, err := knowledge.FrontMatter(strings.Join(head, "\n") + "\n")
				return meta, rest(nil, next), stop, err
			}
		}
	} else if ok {
		head = append(head, first)
	}
	return knowledge.Meta{}, rest(head, next), stop, nil
}

// rest yields the lines already read, then the ones next gives.
func rest(read []string, next func() (string, bool)) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, l := range read {
			if !yield(l) {
				return
			}
		}
		for {
			l, ok := next()
			if !ok || !yield(l) {
				return
			}
		}
	}
}

// encoding is what the first read of a file found.
type encoding struct {
	size    int64 // bytes, up to the limit + 1
	bom     int   // bytes of a byte order mark to skip
	kind    int   // utf8, utf16le, utf16be or cp1252
	runes   int64 // characters, in that encoding
	control int64 // control characters other than white space, and U+FFFD
}

const (
	utf8Text = iota
	utf16LE
	utf16BE
	cp1252Text
)

// sniff reads f (up to limit+1 bytes) once: UTF-8 when it is valid UTF-8
// (a byte order mark skipped), UTF-16 by its byte order mark, else
// Windows-1252, and how many of its characters are control characters.
func sniff(f io.Reader, limit int64) (encoding, error) {
	var e encoding
	r := bufio.NewReaderSize(io.LimitReader(f, limit+1), 64<<10)
	head, _ := r.Peek(3)
	switch {
	case len(head) >= 2 && head[0] == 0xff && head[1] == 0xfe:
		e.kind, e.bom = utf16LE, 2
	case len(head) >= 2 && head[0] == 0xfe && head[1] == 0xff:
		e.kind, e.bom = utf16BE, 2
	case len(head) == 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf:
		e.bom = 3
	}
	valid := e.kind == utf8Text
	var runes8, control8, control1252 int64
	var carry []byte
	var odd []byte // a UTF-16 code unit cut by the buffer
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		e.size += int64(n)
		chunk := buf[:n]
		switch e.kind {
		case utf16LE, utf16BE:
			chunk = append(odd, chunk...)
			odd = nil
			for i := 0; i+1 < len(chunk); i += 2 {
				u := rune(chunk[i]) | rune(chunk[i+1])<<8
				if e.kind == utf16BE {
					u = rune(chunk[i])<<8 | rune(chunk[i+1])
				}
				e.runes++
				if isControl(u) {
					e.control++
				}
			}
			if len(chunk)%2 == 1 {
				odd = append(odd, chunk[len(chunk)-1])
			}
		default:
			for _, c := range chunk {
				if isControl(cp1252Rune(c)) {
					control1252++
				}
			}
			if valid {
				b := append(carry, chunk...)
				carry = nil
				for i := 0; i < len(b); {
					if !utf8.FullRune(b[i:]) && err == nil {
						carry = append(carry, b[i:]...)
						break
					}
					r, size := utf8.DecodeRune(b[i:])
					if r == utf8.RuneError && size <= 1 {
						valid = false
						break
					}
					runes8++
					if isControl(r) {
						control8++
					}
					i += size
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return e, err
		}
	}
	switch {
	case e.kind != utf8Text:
	case valid:
		e.runes, e.control = runes8, control8
	default:
		e.kind, e.bom = cp1252Text, 0
		e.runes, e.control = e.size, control1252
	}
	if e.kind == utf8Text && e.bom == 3 {
		e.runes-- // the byte order mark
	}
	return e, nil
}

// isControl reports a control character other than white space, or a
// character that could not be read.
func isControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r', '\f', '\v':
		return false
	}
	return unicode.IsControl(r) || r == utf8.RuneError
}

// reader decodes the file's text into UTF-8, without the byte order mark.
func (e encoding) reader(r io.Reader) io.Reader {
	if e.bom > 0 {
		r = skip(r, e.bom)
	}
	switch e.kind {
	case utf16LE, utf16BE:
		return &utf16Reader{r: bufio.NewReader(r), big: e.kind == utf16BE}
	case cp1252Text:
		return &cp1252Reader{r: r}
	}
	return r
}

func skip(r io.Reader, n int) io.Reader {
	_, _ = io.CopyN(io.Discard, r, int64(n))
	return r
}

// cp1252 are the characters of Windows-1252 at 0x80-0x9f, where Latin-1
// has control characters; 0 where it has none either.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// cp1252Rune reads a byte as Windows-1252, the usual encoding of older
// Dutch text files (Latin-1 with quotes, dashes and the euro sign at
// 0x80-0x9f).
func cp1252Rune(c byte) rune {
	if c >= 0x80 && c < 0xa0 && cp1252[c-0x80] != 0 {
		return cp1252[c-0x80]
	}
	return rune(c)
}

// cp1252Reader decodes Windows-1252 into UTF-8.
type cp1252Reader struct {
	r   io.Reader
	in  [16 << 10]byte
	out []byte
}

func (c *cp1252Reader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		n, err := c.r.Read(c.in[:])
		for _, b := range c.in[:n] {
			c.out = utf8.AppendRune(c.out, cp1252Rune(b))
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// utf16Reader decodes UTF-16 into UTF-8.
type utf16Reader struct {
	r   *bufio.Reader
	big bool
	out []byte
}

func (u *utf16Reader) unit() (rune, bool) {
	a, err1 := u.r.ReadByte()
	b, err2 := u.r.ReadByte()
	if err1 != nil || err2 != nil {
		return 0, false
	}
	if u.big {
		return rune(a)<<8 | rune(b), true
	}
	return rune(b)<<8 | rune(a), true
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) < 4 {
		r, ok := u.unit()
		if !ok {
			break
		}
		if utf16.IsSurrogate(r) {
			r2, ok := u.unit()
			if !ok {
				r = utf8.RuneError
			} else {
				r = utf16.DecodeRune(r, r2)
			}
		}
		u.out = utf8.AppendRune(u.out, r)
	}
	if len(u.out) == 0 {
		return 0, io.EOF
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

var (
	mdHeading  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	mdBullet   = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s+`)
	mdEmphasis = strings.NewReplacer("**", "", "__", "", "`", "")
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
	// a line that is one bold question: "**Mag ik …?**"
	mdBoldQuestion = regexp.MustCompile(`^(\*\*|__)[^*_]+\?(\*\*|__)$`)
)

// markdown turns Markdown, line by line, into blocks: ATX headings,
// paragraphs and list items. Links keep their text; emphasis marks are
// dropped. It holds one paragraph at a time.
func markdown(lines iter.Seq[string]) iter.Seq[knowledge.Block] {
	return func(yield func(knowledge.Block) bool) {
		var para []string
		size := 0
		flush := func() bool {
			if len(para) == 0 {
				return true
			}
			b := knowledge.Block{Kind: knowledge.Paragraph, Text: strings.Join(para, " ")}
			para, size = nil, 0
			return yield(b)
		}
		add := func(t string) bool {
			if size+len(t) > maxParagraphBytes && !flush() {
				return false
			}
			para = append(para, t)
			size += len(t) + 1
			return true
		}
		inFence := false
		for line := range lines {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "```") {
				inFence = !inFence
				continue
			}
			bold := mdBoldQuestion.MatchString(t)
			t = mdLink.ReplaceAllString(mdEmphasis.Replace(t), "$1")
			ok := true
			switch {
			case t == "":
				ok = flush()
			case bold && !inFence:
				// a FAQ's question in bold on its own line, over its answer
				ok = flush() && yield(knowledge.Block{Kind: knowledge.Heading, Level: knowledge.QuestionLevel, Text: t})
			case inFence:
				ok = add(t)
			case mdHeading.MatchString(t):
				m := mdHeading.FindStringSubmatch(t)
				ok = flush() && yield(knowledge.Block{Kind: knowledge.Heading, Level: len(m[1]), Text: m[2]})
			case mdBullet.MatchString(t):
				ok = flush() && add(mdBullet.ReplaceAllString(t, "• "))
			case strings.HasPrefix(t, "|"):
				if !flush() {
					return
				}
				cells := strings.Split(strings.Trim(t, "|"), "|")
				if strings.Trim(strings.Join(cells, ""), "-: ") == "" {
					continue // table separator row
				}
				for i := range cells {
					cells[i] = strings.TrimSpace(cells[i])
				}
				ok = add(strings.Join(cells, " | ")) && flush()
			default:
				ok = add(strings.TrimLeft(t, "> "))
			}
			if !ok {
				return
			}
		}
		flush()
	}
}

// maxParagraphBytes bounds one Markdown paragraph: a longer run of lines
// without a blank line is read as several paragraphs.
const maxParagraphBytes = 1 << 20

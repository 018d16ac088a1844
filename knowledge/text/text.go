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
	"context"
	"encoding/binary"
	"fmt"
	"io"
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

// Extract implements knowledge.Extractor.
func (*Extractor) Extract(ctx context.Context, in knowledge.Input) (*knowledge.Document, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, in.TextLimit()+1))
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	if int64(len(b)) > in.TextLimit() {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.TooLarge,
			Detail: fmt.Sprintf("meer dan %d MB", in.TextLimit()>>20)}
	}
	s := decode(b)
	b = nil
	if !looksLikeText(s) {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.NotText}
	}
	meta, body, err := knowledge.FrontMatter(s)
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt, Err: err}
	}
	doc := &knowledge.Document{Meta: meta, Format: "txt"}
	switch strings.ToLower(filepath.Ext(in.Path)) {
	case ".md", ".markdown":
		doc.Format = "md"
		doc.Blocks = markdown(body)
	default:
		doc.Blocks = knowledge.ParseText(body, 0)
	}
	if doc.Meta.Title == "" {
		for _, b := range doc.Blocks {
			if b.Kind == knowledge.Heading && b.Level == 1 && doc.Format == "md" {
				doc.Meta.Title = b.Text
				break
			}
		}
	}
	if len(doc.Blocks) == 0 {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Empty}
	}
	return doc, nil
}

// decode turns a file's bytes into text: UTF-8 as it is (without a byte
// order mark), UTF-16 by its byte order mark, else Windows-1252.
func decode(b []byte) string {
	switch {
	case utf8.Valid(b):
		return strings.TrimPrefix(string(b), "\ufeff")
	case len(b) >= 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff):
		order := binary.ByteOrder(binary.LittleEndian)
		if b[0] == 0xfe {
			order = binary.BigEndian
		}
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, order.Uint16(b[i:]))
		}
		return string(utf16.Decode(u))
	}
	return windows1252ToUTF8(b)
}

// cp1252 are the characters of Windows-1252 at 0x80-0x9f, where Latin-1
// has control characters; 0 where it has none either.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// windows1252ToUTF8 reads bytes that are not UTF-8 as Windows-1252, the
// usual encoding of older Dutch text files (Latin-1 with quotes, dashes and
// the euro sign at 0x80-0x9f).
func windows1252ToUTF8(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		r := rune(c)
		if c >= 0x80 && c < 0xa0 && cp1252[c-0x80] != 0 {
			r = cp1252[c-0x80]
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// looksLikeText reports whether at most maxControl of the characters of s
// are control characters other than white space (or U+FFFD, a character
// that could not be read).
func looksLikeText(s string) bool {
	n, bad := 0, 0
	for _, r := range s {
		n++
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
		case unicode.IsControl(r) || r == utf8.RuneError:
			bad++
		}
	}
	return float64(bad) <= maxControl*float64(n)
}

var (
	mdHeading  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	mdBullet   = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s+`)
	mdEmphasis = strings.NewReplacer("**", "", "__", "", "`", "")
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
)

// markdown turns Markdown into blocks: ATX headings, paragraphs and list
// items. Links keep their text; emphasis marks are dropped.
func markdown(s string) []knowledge.Block {
	var out []knowledge.Block
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, knowledge.Block{Kind: knowledge.Paragraph, Text: strings.Join(para, " ")})
			para = nil
		}
	}
	inFence := false
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") {
			inFence = !inFence
			continue
		}
		t = mdLink.ReplaceAllString(mdEmphasis.Replace(t), "$1")
		switch {
		case t == "":
			flush()
		case inFence:
			para = append(para, t)
		case mdHeading.MatchString(t):
			flush()
			m := mdHeading.FindStringSubmatch(t)
			out = append(out, knowledge.Block{Kind: knowledge.Heading, Level: len(m[1]), Text: m[2]})
		case mdBullet.MatchString(t):
			flush()
			para = append(para, mdBullet.ReplaceAllString(t, "• "))
		case strings.HasPrefix(t, "|"):
			flush()
			cells := strings.Split(strings.Trim(t, "|"), "|")
			if strings.Trim(strings.Join(cells, ""), "-: ") == "" {
				continue // table separator row
			}
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			para = append(para, strings.Join(cells, " | "))
			flush()
		default:
			para = append(para, strings.TrimLeft(t, "> "))
		}
	}
	flush()
	return out
}

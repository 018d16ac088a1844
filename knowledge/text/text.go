// Package text extracts plain text (.txt) and Markdown (.md) documents.
// Plain text gets its structure from knowledge.ParseText (headings in
// capitals or standing alone, joined hyphenation, no boilerplate);
// Markdown from its '#' headings. Both may start with YAML front matter
// giving the document's metadata.
package text

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge"
)

// Extractor reads .txt and .md files.
type Extractor struct{}

// New returns a text extractor.
func New() *Extractor { return &Extractor{} }

// Extract implements knowledge.Extractor.
func (*Extractor) Extract(ctx context.Context, in knowledge.Input) (*knowledge.Document, error) {
	b, err := os.ReadFile(in.Path)
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unreachable, Err: err}
	}
	if !utf8.Valid(b) {
		b = latin1ToUTF8(b)
	}
	s := strings.TrimPrefix(string(b), "\ufeff")
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

// latin1ToUTF8 reads bytes that are not UTF-8 as Windows-1252/Latin-1, the
// usual encoding of older Dutch text files.
func latin1ToUTF8(b []byte) []byte {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return []byte(sb.String())
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

// Package html owns reading the main content of a web page saved as HTML.
// It finds the article with go-readability (which drops navigation, cookie
// banners, asides and footers) and walks the article's HTML into
// knowledge.Heading blocks (h1..h6 give levels 1..6) and knowledge.Paragraph
// blocks (paragraphs, list items, table rows with cells joined by " | ",
// block quotes). It does not fetch pages: Input.Path holds the downloaded
// file and Input.URL, when set, is the page's address.
//
// Readability turns an h1 inside the article into an h2, so an article's
// own headings often start at level 2. HTML has no pages: Pages and every
// Page are 0.
package html

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/wegwijs/wegwijs/knowledge"
)

// loginWallText is the most article text, in characters, that a page with a
// login form may have and still be a login page.
const loginWallText = 600

// Extractor reads saved web pages. It has no settings; the zero value works.
type Extractor struct{}

// New returns an Extractor.
func New() *Extractor { return &Extractor{} }

// Extract reads in.Path as HTML and returns the main content.
func (e *Extractor) Extract(ctx context.Context, in knowledge.Input) (*knowledge.Document, error) {
	data, err := os.ReadFile(in.Path)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Empty}
	}
	var pageURL *url.URL
	if in.URL != "" {
		if pageURL, err = url.Parse(in.URL); err != nil {
			return nil, fmt.Errorf("extract %s: page address: %w", in.Name, err)
		}
	}
	// Pages declare their encoding in a meta tag; older Dutch government
	// pages are often windows-1252.
	r, err := charset.NewReader(bytes.NewReader(data), "")
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt, Err: err}
	}
	root, err := xhtml.Parse(r)
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	// Readability removes forms, so look for a login form first.
	login := hasLoginForm(root)
	art, err := readability.FromDocument(root, pageURL)
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Name, err)
	}

	doc := &knowledge.Document{Format: "html"}
	doc.Meta.Publisher = strings.TrimSpace(art.SiteName())
	doc.Meta.Title = trimSite(squash(art.Title()), doc.Meta.Publisher, pageURL)
	doc.Meta.URL = in.URL
	if t, err := art.PublishedTime(); err == nil {
		doc.Meta.Date = t
	}
	if art.Node != nil {
		w := &walker{}
		w.container(art.Node)
		doc.Blocks = w.out
	}

	n := 0
	for _, b := range doc.Blocks {
		n += utf8.RuneCountInString(b.Text)
	}
	switch {
	case login && n < loginWallText:
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.LoginWall}
	case n == 0:
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.NoText}
	}
	return doc, nil
}

// hasLoginForm reports whether the page asks for a password.
func hasLoginForm(n *xhtml.Node) bool {
	if n.Type == xhtml.ElementNode && n.DataAtom == atom.Input && strings.EqualFold(attr(n, "type"), "password") {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasLoginForm(c) {
			return true
		}
	}
	return false
}

var domainLike = regexp.MustCompile(`^(?i)(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$`)

// trimSite removes a site name that trails a page title: "Aanpak verzuim |
// Rijksoverheid.nl" becomes "Aanpak verzuim". After " | " a short tail is
// always a site name; after a dash only when it names the site or a domain,
// since "Stap 1 - Signaleren" is a title.
func trimSite(title, site string, pageURL *url.URL) string {
	host := ""
	if pageURL != nil {
		host = strings.TrimPrefix(strings.ToLower(pageURL.Hostname()), "www.")
	}
	isSite := func(tail string) bool {
		t := strings.ToLower(tail)
		s := strings.ToLower(site)
		return domainLike.MatchString(tail) ||
			(s != "" && (strings.Contains(t, s) || strings.Contains(s, t))) ||
			(host != "" && strings.Contains(host, strings.ReplaceAll(t, " ", "")))
	}
	for range 2 {
		cut := false
		for _, sep := range []string{" | ", " - ", " – ", " — ", " :: "} {
			i := strings.LastIndex(title, sep)
			if i <= 0 {
				continue
			}
			head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
			if head == "" || tail == "" {
				continue
			}
			if isSite(tail) || (sep == " | " && len(strings.Fields(tail)) <= 4) {
				title, cut = head, true
				break
			}
		}
		if !cut {
			break
		}
	}
	return title
}

// walker turns the article's HTML into blocks.
type walker struct {
	out []knowledge.Block
}

func (w *walker) add(kind knowledge.BlockKind, level int, text string) {
	if text = squash(text); text != "" {
		w.out = append(w.out, knowledge.Block{Kind: kind, Level: level, Text: text})
	}
}

// container walks an element that holds blocks. Text and inline elements
// between its block children become paragraphs.
func (w *walker) container(n *xhtml.Node) {
	var inline strings.Builder
	flush := func() {
		w.add(knowledge.Paragraph, 0, inline.String())
		inline.Reset()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case xhtml.TextNode:
			inline.WriteString(c.Data)
			continue
		case xhtml.ElementNode:
		default:
			continue
		}
		switch c.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			flush()
			w.add(knowledge.Heading, int(c.Data[1]-'0'), text(c))
		case atom.Table:
			flush()
			w.table(c)
		case atom.Dt, atom.Summary:
			// a FAQ's question (or a term) over its answer
			flush()
			w.add(knowledge.Heading, knowledge.QuestionLevel, text(c))
		case atom.P:
			flush()
			if q, rest, ok := boldQuestion(c); ok {
				w.add(knowledge.Heading, knowledge.QuestionLevel, q)
				w.add(knowledge.Paragraph, 0, rest)
				continue
			}
			w.container(c)
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav, atom.Form,
			atom.Button, atom.Input, atom.Select, atom.Textarea, atom.Svg:
			// not content
		case atom.Br:
			inline.WriteString(" ")
		default:
			if !isBlock(c.DataAtom) {
				collect(c, &inline)
				continue
			}
			flush()
			w.container(c)
		}
	}
	flush()
}

// table adds one paragraph per row that has text.
func (w *walker) table(n *xhtml.Node) {
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Tr:
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.DataAtom == atom.Td || td.DataAtom == atom.Th {
						cells = append(cells, squash(text(td)))
					}
				}
				if squash(strings.Join(cells, "")) != "" {
					w.add(knowledge.Paragraph, 0, strings.Join(cells, " | "))
				}
			case atom.Caption:
				w.add(knowledge.Paragraph, 0, text(c))
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(c)
			}
		}
	}
	walk(n)
}

// boldQuestion reads a paragraph that opens with a question in bold
// ("<p><strong>Mag ik …?</strong> Ja, …</p>"): the question, and the text
// after it, if any.
func boldQuestion(p *xhtml.Node) (q, rest string, ok bool) {
	c := p.FirstChild
	for c != nil && c.Type == xhtml.TextNode && strings.TrimSpace(c.Data) == "" {
		c = c.NextSibling
	}
	if c == nil || c.Type != xhtml.ElementNode || (c.DataAtom != atom.Strong && c.DataAtom != atom.B) {
		return "", "", false
	}
	q = squash(text(c))
	if !strings.HasSuffix(q, "?") {
		return "", "", false
	}
	var b strings.Builder
	for r := c.NextSibling; r != nil; r = r.NextSibling {
		collect(r, &b)
	}
	return q, b.String(), true
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Footer, atom.Aside,
		atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre, atom.Figure,
		atom.Figcaption, atom.Details, atom.Summary, atom.Address, atom.Hr, atom.Body, atom.Html:
		return true
	}
	return false
}

// text returns all text below n.
func text(n *xhtml.Node) string {
	var b strings.Builder
	collect(n, &b)
	return b.String()
}

func collect(n *xhtml.Node, b *strings.Builder) {
	switch {
	case n.Type == xhtml.TextNode:
		b.WriteString(n.Data)
		return
	case n.Type != xhtml.ElementNode:
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template:
		return
	case atom.Br:
		b.WriteString(" ")
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collect(c, b)
	}
	if isBlock(n.DataAtom) || n.DataAtom == atom.Td || n.DataAtom == atom.Th {
		b.WriteString(" ")
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// squash joins all white space into single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

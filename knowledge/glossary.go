package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// GlossaryName is the file in a knowledge folder that holds the glossary.
// It is not a document.
const GlossaryName = "glossary.yaml"

// Glossary knows the field's concepts and the words people use for them
// (abbreviations, full forms, synonyms, misspellings), so a question can be
// expanded with the words the documents use. It is immutable after parsing
// and safe for concurrent use.
//
// Matching is case-insensitive, on whole words, and multi-word terms match
// as phrases. Accents do not matter (coördinator = coordinator); apostrophes,
// hyphens and "@" inside a word are ignored ("IB'er" = "ib-er" = "iber",
// "M@ZL" = "mazl"), and the parts of a hyphenated word also count
// ("MDO-verslag" finds MDO). A plural in -s or -en matches the singular
// when the singular has at least four letters ("thuiszitters",
// "mentoren"). Where terms overlap, the longest match wins: "relatief
// verzuim" is that concept, not also the generic "verzuim".
type Glossary struct {
	concepts []Concept
	entries  []entry
	index    map[string][]int32 // first word of a term, folded -> entries
	exact    map[string][]int32 // first word of an exact term, as written -> entries
	related  [][]int32          // by concept
	expand   [][]expandTerm     // by concept: the terms a search adds
}

// expandTerm is a term to add to a search, with its lowercase form to
// compare with what the question says.
type expandTerm struct {
	text, lower string
}

// Concept is one idea with the words people use for it.
type Concept struct {
	ID string
	// Terms match regardless of case.
	Terms []string
	// Exact terms match only when written exactly so, capitals included:
	// "ZAT" is the zorg- en adviesteam, "zat" is a verb.
	Exact []string
	// Related are concepts whose main term (their first) is added to a
	// search for this one, e.g. luxeverzuim → relatief verzuim.
	Related []string
	Note    string // Dutch, for the people who maintain the file
}

// Expansion is what the glossary makes of a question.
type Expansion struct {
	Concepts []string // ids of the concepts the question mentions, in order of mention
	Terms    []string // the concepts' other terms, to add to the search
}

type entry struct {
	words   []string // folded, or as written for exact terms
	concept int32
	exact   bool
}

// ReadGlossary reads dir/glossary.yaml; a folder without one has an empty
// glossary.
func ReadGlossary(dir string) (*Glossary, error) {
	path := filepath.Join(dir, GlossaryName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return ParseGlossary(nil)
	}
	if err != nil {
		return nil, err
	}
	g, err := ParseGlossary(b)
	if err != nil {
		return nil, invalidFile(path, err)
	}
	return g, nil
}

// glossaryFile is the YAML form:
//
//	concepts:
//	  - id: lpa
//	    terms: [LPA, leerplichtambtenaar, leerplicht]
//	    note: "..."
type glossaryFile struct {
	Concepts []conceptFile `yaml:"concepts"`
}

type conceptFile struct {
	ID      string   `yaml:"id"`
	Terms   []string `yaml:"terms,omitempty,flow"`
	Exact   []string `yaml:"exact,omitempty,flow"`
	Related []string `yaml:"related,omitempty,flow"`
	Note    string   `yaml:"note,omitempty"`
	line    int
}

// UnmarshalYAML rejects unknown keys (a typo such as "term:" would
// otherwise silently drop an entry) and remembers the line for messages.
func (c *conceptFile) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a concept needs id and terms", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i]; k.Value {
		case "id", "terms", "exact", "related", "note":
		default:
			return fmt.Errorf("line %d: unknown field %q (use id, terms, exact, related, note)", k.Line, k.Value)
		}
	}
	type plain conceptFile
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*c = conceptFile(p)
	c.line = n.Line
	return nil
}

// ParseGlossary reads a glossary in the glossary.yaml format and checks it:
// ids are unique, every concept has terms, and no term belongs to two
// concepts. Empty input is an empty glossary.
func ParseGlossary(b []byte) (*Glossary, error) {
	var f glossaryFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	g := &Glossary{
		index: map[string][]int32{},
		exact: map[string][]int32{},
	}
	whole := map[string]int32{} // every term's folded key -> concept
	ids := map[string]int{}     // id -> line
	for _, cf := range f.Concepts {
		at := fmt.Sprintf("glossary line %d", cf.line)
		if !validID(cf.ID) {
			return nil, fmt.Errorf("%s: id %q: use lowercase letters, digits and hyphens", at, cf.ID)
		}
		if line, dup := ids[cf.ID]; dup {
			return nil, fmt.Errorf("%s: id %q is also used on line %d", at, cf.ID, line)
		}
		ids[cf.ID] = cf.line
		if len(cf.Terms)+len(cf.Exact) == 0 {
			return nil, fmt.Errorf("%s: concept %q has no terms", at, cf.ID)
		}
		ci := int32(len(g.concepts))
		g.concepts = append(g.concepts, Concept{
			ID:      cf.ID,
			Terms:   cf.Terms,
			Exact:   cf.Exact,
			Related: cf.Related,
			Note:    strings.TrimSpace(cf.Note),
		})
		for _, list := range []struct {
			terms []string
			exact bool
		}{{cf.Terms, false}, {cf.Exact, true}} {
			for _, t := range list.terms {
				toks := tokenize(t, nil)
				if len(toks) == 0 {
					return nil, fmt.Errorf("%s: concept %q: term %q has no letters or digits", at, cf.ID, t)
				}
				key := foldedKey(toks)
				if other, ok := whole[key]; ok && other != ci {
					return nil, fmt.Errorf("%s: term %q is in two concepts: %q and %q", at, t, g.concepts[other].ID, cf.ID)
				}
				whole[key] = ci
				e := entry{concept: ci, exact: list.exact}
				for _, tk := range toks {
					if list.exact {
						e.words = append(e.words, tk.raw)
					} else {
						e.words = append(e.words, tk.fold)
					}
				}
				g.add(e)
			}
		}
	}
	g.related = make([][]int32, len(g.concepts))
	for i, c := range g.concepts {
		for _, r := range c.Related {
			ri, ok := g.concept(r)
			if !ok {
				return nil, fmt.Errorf("glossary line %d: concept %q: related concept %q does not exist", ids[c.ID], c.ID, r)
			}
			if ri == int32(i) {
				return nil, fmt.Errorf("glossary line %d: concept %q is related to itself", ids[c.ID], c.ID)
			}
			g.related[i] = append(g.related[i], ri)
		}
	}
	g.expand = make([][]expandTerm, len(g.concepts))
	for i, c := range g.concepts {
		g.expand[i] = expandTerms(c)
	}
	return g, nil
}

// add indexes e unless the same concept already has a term with the same
// words (zorgcoördinator and zorgcoordinator match alike).
func (g *Glossary) add(e entry) {
	m := g.index
	if e.exact {
		m = g.exact
	}
	for _, i := range m[e.words[0]] {
		if o := g.entries[i]; o.concept == e.concept && equalWords(o.words, e.words) {
			return
		}
	}
	m[e.words[0]] = append(m[e.words[0]], int32(len(g.entries)))
	g.entries = append(g.entries, e)
}

// expandTerms lists a concept's terms for a search: each once (ignoring
// case), without regular plurals of another term (the search finds those).
func expandTerms(c Concept) []expandTerm {
	all := append(append([]string(nil), c.Terms...), c.Exact...)
	var out []expandTerm
	for _, t := range all {
		lower := lowerTerm(t)
		dup := false
		for _, o := range all {
			if nl.IsPluralOf(lower, lowerTerm(o)) {
				dup = true
			}
		}
		for _, o := range out {
			if o.lower == lower {
				dup = true
			}
		}
		if !dup {
			out = append(out, expandTerm{t, lower})
		}
	}
	return out
}

func lowerTerm(t string) string { return strings.ToLower(strings.Join(strings.Fields(t), " ")) }

func validID(id string) bool {
	if id == "" || id[0] == '-' {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Marshal writes the glossary in the glossary.yaml format, so it can be
// stored and read back with ParseGlossary.
func (g *Glossary) Marshal() ([]byte, error) {
	f := glossaryFile{Concepts: []conceptFile{}}
	for _, c := range g.concepts {
		f.Concepts = append(f.Concepts, conceptFile{ID: c.ID, Terms: c.Terms, Exact: c.Exact, Related: c.Related, Note: c.Note})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("marshal glossary: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("marshal glossary: %w", err)
	}
	return buf.Bytes(), nil
}

// Len is the number of concepts.
func (g *Glossary) Len() int { return len(g.concepts) }

// Concepts returns a copy of the concepts in file order.
func (g *Glossary) Concepts() []Concept {
	out := make([]Concept, len(g.concepts))
	for i, c := range g.concepts {
		c.Terms = append([]string(nil), c.Terms...)
		c.Exact = append([]string(nil), c.Exact...)
		c.Related = append([]string(nil), c.Related...)
		out[i] = c
	}
	return out
}

// ConceptOf tells which concept a word or term belongs to: "LPA",
// "intern begeleiders" and "ib'er" do; "multidisciplinair" alone (part of
// a phrase) and "MDO-verslag" (a compound) do not.
func (g *Glossary) ConceptOf(word string) (string, bool) {
	toks := tokenize(word, nil)
	if len(toks) == 0 {
		return "", false
	}
	if e, n := g.longest(toks, 0); n == len(toks) {
		return g.concepts[g.entries[e].concept].ID, true
	}
	return "", false
}

// ExpandTerms is Expand(question).Terms.
func (g *Glossary) ExpandTerms(question string) []string { return g.Expand(question).Terms }

type match struct {
	concept int32
	surface string // the matched words, lowercased, as typed
}

// Expand finds the concepts a question mentions and the terms to add to its
// search: the other terms of those concepts (spelling variants included:
// documents contain them) and the main term of related concepts, minus
// what the question already says.
func (g *Glossary) Expand(question string) Expansion {
	var x Expansion
	if g == nil || len(g.entries) == 0 {
		return x
	}
	var tbuf [64]token
	toks := tokenize(question, tbuf[:0])
	var mbuf [16]match
	matches := mbuf[:0]
	for i := 0; i < len(toks); {
		if e, n := g.longest(toks, i); n > 0 {
			matches = append(matches, match{g.entries[e].concept, surface(toks[i : i+n])})
			i += n
			continue
		}
		// The parts of a hyphenated word: MDO-verslag, school-ouders-lpa.
		for _, p := range toks[i].parts {
			if e, ok := g.single(p); ok {
				matches = append(matches, match{g.entries[e].concept, strings.ToLower(p.text)})
			}
		}
		i++
	}
	if len(matches) == 0 {
		return x
	}
	var obuf [16]int32
	order := obuf[:0] // matched concepts, in order of mention
	n := 0
	for _, m := range matches {
		if !slices.Contains(order, m.concept) {
			order = append(order, m.concept)
			n += len(g.expand[m.concept]) + len(g.related[m.concept])
		}
	}
	x.Concepts = make([]string, len(order))
	x.Terms = make([]string, 0, n)
	for i, ci := range order {
		x.Concepts[i] = g.concepts[ci].ID
	terms:
		for _, t := range g.expand[ci] {
			for _, m := range matches {
				if m.concept == ci && m.surface == t.lower {
					continue terms
				}
			}
			x.Terms = append(x.Terms, t.text)
		}
	}
	var rbuf [8]int32
	related := rbuf[:0]
	for _, ci := range order {
		for _, rc := range g.related[ci] {
			if slices.Contains(order, rc) || slices.Contains(related, rc) {
				continue
			}
			related = append(related, rc)
			x.Terms = append(x.Terms, g.expand[rc][0].text)
		}
	}
	if len(x.Terms) == 0 {
		x.Terms = nil
	}
	return x
}

func (g *Glossary) concept(id string) (int32, bool) {
	for i, c := range g.concepts {
		if c.ID == id {
			return int32(i), true
		}
	}
	return 0, false
}

// longest returns the longest entry matching toks from i on, and how many
// tokens it covers (0: none).
func (g *Glossary) longest(toks []token, i int) (best int32, n int) {
	t := toks[i]
	try := func(ids []int32, singleOnly bool) {
		for _, id := range ids {
			e := g.entries[id]
			k := len(e.words)
			if k <= n || i+k > len(toks) || singleOnly && k > 1 {
				continue
			}
			if g.matchAt(e, toks[i:i+k]) {
				best, n = id, k
			}
		}
	}
	try(g.index[t.fold], false)
	try(g.exact[t.raw], false)
	for _, s := range nl.Singulars(t.fold) {
		try(g.index[s], true)
	}
	return best, n
}

// single matches one token against one-word terms, without plural forms.
func (g *Glossary) single(t token) (int32, bool) {
	for _, id := range g.index[t.fold] {
		if len(g.entries[id].words) == 1 {
			return id, true
		}
	}
	for _, id := range g.exact[t.raw] {
		if len(g.entries[id].words) == 1 {
			return id, true
		}
	}
	return 0, false
}

func (g *Glossary) matchAt(e entry, toks []token) bool {
	for j, w := range e.words {
		t := toks[j]
		switch {
		case e.exact:
			if t.raw != w {
				return false
			}
		case t.fold == w:
		case j == len(e.words)-1 && nl.IsPluralOf(t.fold, w):
		default:
			return false
		}
	}
	return true
}

func equalWords(a, b []string) bool { return slices.Equal(a, b) }

// token is one word of a question or term.
type token struct {
	text  string  // as written: "IB'er"
	fold  string  // lowercase, accents and inner joiners removed, "@" as "a": "iber", "mazl"
	raw   string  // as written but with inner joiners removed: "IBer"
	parts []token // the pieces between inner joiners, when there are any
}

func foldedKey(toks []token) string {
	if len(toks) == 1 {
		return toks[0].fold
	}
	ws := make([]string, len(toks))
	for i, t := range toks {
		ws[i] = t.fold
	}
	return strings.Join(ws, " ")
}

func surface(toks []token) string {
	if len(toks) == 1 {
		return strings.ToLower(toks[0].text)
	}
	ws := make([]string, len(toks))
	for i, t := range toks {
		ws[i] = t.text
	}
	return strings.ToLower(strings.Join(ws, " "))
}

// tokenize splits s into words: runs of letters and digits (nl.IsWordRune),
// with joiners (nl.IsJoiner) inside them. It is the glossary's own word
// splitter: unlike nl.Words it keeps a word's pieces and folds them
// (nl.FoldRune) for matching. Everything else separates words.
func tokenize(s string, out []token) []token {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !nl.IsWordRune(r) {
			i += size
			continue
		}
		start, end, joined := i, i, false
		for j := i; j < len(s); {
			r, size := utf8.DecodeRuneInString(s[j:])
			if nl.IsWordRune(r) {
				j += size
				end = j
				continue
			}
			if nl.IsJoiner(r) && j+size < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[j+size:]); nl.IsWordRune(next) {
					joined = true
					j += size
					continue
				}
			}
			break
		}
		out = append(out, makeToken(s[start:end], joined))
		i = end
	}
	return out
}

func makeToken(w string, joined bool) token {
	t := token{text: w, fold: w, raw: w}
	if !joined {
		if !isPlainLower(w) {
			var fold strings.Builder
			fold.Grow(len(w))
			for _, r := range w {
				fold.WriteRune(nl.FoldRune(r))
			}
			t.fold = fold.String()
		}
		return t
	}
	var fold, raw strings.Builder
	fold.Grow(len(w))
	raw.Grow(len(w))
	pstart := 0
	for i, r := range w {
		if nl.IsJoiner(r) {
			if r == '@' {
				fold.WriteByte('a')
				raw.WriteByte('a')
			}
			if joined && i > pstart {
				t.parts = append(t.parts, makeToken(w[pstart:i], false))
			}
			pstart = i + utf8.RuneLen(r)
			continue
		}
		raw.WriteRune(r)
		fold.WriteRune(nl.FoldRune(r))
	}
	if joined && pstart < len(w) {
		t.parts = append(t.parts, makeToken(w[pstart:], false))
	}
	t.fold, t.raw = fold.String(), raw.String()
	return t
}

func isPlainLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

package privacy

import (
	"context"
	"fmt"
	"strings"
)

// DocumentPart is one text of a document that would be stored or shown: a
// metadata field (title, publisher, region, link, file name, folder) or a
// passage (a chunk's headings and text).
type DocumentPart struct {
	// Where names the part in Dutch for the refusal, never with its text:
	// "de titel", "de bestandsnaam", "de tekst" or "de tekst op pagina 3".
	Where string
	// Heading is a passage's heading path; a find in it is placed in "een
	// kop" (on the passage's page).
	Heading string
	Text    string
	// Passage marks the document's own text, as opposed to a field.
	Passage bool
}

// Screening is what ScreenDocument found in a document: counts and places,
// never values.
type Screening struct {
	// Identifiers counts the distinct valid BSNs and onderwijsnummers in
	// all parts; IdentifiersIn says where they are, in Dutch, each place
	// once, in the order of the parts.
	Identifiers   map[Category]int
	IdentifiersIn []string
}

// Refused reports whether the document must be kept out of the knowledge
// base.
func (s Screening) Refused() bool { return len(s.Identifiers) > 0 }

// ScreenDocument checks every text of a document that would be stored or
// shown for pupil data. A valid BSN or onderwijsnummer anywhere, in a
// passage or in a field such as the title or the file name, refuses it.
// It returns an error only when ctx ends.
func (g *Guard) ScreenDocument(ctx context.Context, parts []DocumentPart) (Screening, error) {
	s := Screening{Identifiers: map[Category]int{}}
	seen := map[string]bool{}
	placed := map[string]bool{}
	for i, p := range parts {
		if i%64 == 63 {
			if err := ctx.Err(); err != nil {
				return Screening{}, err
			}
		}
		for _, t := range []struct{ where, text string }{{"een kop", p.Heading}, {p.Where, p.Text}} {
			for _, id := range identifiers(t.text) {
				if !seen[id.key] {
					seen[id.key] = true
					s.Identifiers[id.cat]++
				}
				if where := placeOf(t.where, p); !placed[where] {
					placed[where] = true
					s.IdentifiersIn = append(s.IdentifiersIn, where)
				}
			}
		}
	}
	if len(s.Identifiers) == 0 {
		s.Identifiers = nil
	}
	return s, ctx.Err()
}

// placeOf says where in a part something was: a heading of a passage
// keeps the passage's page ("een kop op pagina 3").
func placeOf(where string, p DocumentPart) string {
	if where == "een kop" {
		if _, page, ok := strings.Cut(p.Where, " op "); ok {
			return where + " op " + page
		}
	}
	return where
}

type identifier struct {
	cat Category
	key string // normalised value, for counting distinct ones; never shown
}

// identifiers returns the valid BSNs and onderwijsnummers in text. An
// underscore counts as a space, as file names use it between words
// ("verslag_111222333.txt").
func identifiers(text string) []identifier {
	if !enoughDigits(text) {
		return nil
	}
	var out []identifier
	scan := strings.ReplaceAll(text, "_", " ")
	for _, s := range findNineDigits(scan) {
		if s.cat == BSN || s.cat == Onderwijsnummer {
			out = append(out, identifier{s.cat, valueKey(s.cat, scan[s.start:s.end])})
		}
	}
	return out
}

// MaskIdentifiers replaces every valid BSN and onderwijsnummer in s by its
// label ("[BSN]"), for a file name or link that must be named in a message
// or a log. Everything else stays.
func MaskIdentifiers(s string) string {
	if !enoughDigits(s) {
		return s
	}
	scan := strings.ReplaceAll(s, "_", " ")
	spans := findNineDigits(scan)
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.cat != BSN && sp.cat != Onderwijsnummer {
			continue
		}
		b.WriteString(s[last:sp.start])
		b.WriteString("[" + string(sp.cat) + "]")
		last = sp.end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Dutch says in plain Dutch (B1) why the document is refused and what to
// take out of it: categories, counts and places, never values. It is ""
// for a document that is not refused.
func (s Screening) Dutch() string {
	if !s.Refused() {
		return ""
	}
	var kinds []string
	for _, c := range []Category{BSN, Onderwijsnummer} {
		if n := s.Identifiers[c]; n > 0 {
			kinds = append(kinds, countDutch(n, c))
		}
	}
	return "gevonden: " + joinDutch(kinds) + " in " + joinDutch(s.IdentifiersIn)
}

// countDutch says "1× BSN", "2× naam" for a refusal: short names, without
// the explanations in brackets that DutchCategoryName adds.
func countDutch(n int, c Category) string {
	name := DutchCategoryName(c)
	switch c {
	case BSN:
		name = "BSN"
	case IBAN:
		name = "bankrekeningnummer"
	}
	return fmt.Sprintf("%d× %s", n, name)
}

// enoughDigits reports whether s holds the nine digits an identifier needs.
func enoughDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if n++; n == 9 {
				return true
			}
		}
	}
	return false
}

package privacy

import (
	"context"
	"fmt"
	"maps"
	"slices"
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

	// Score says how much the passages look like data about one person
	// (see ScreenDocument); a document at or above ScoreThreshold is
	// refused. It is the higher of Strongest, the score of the strongest
	// passage, and Density/DensityDivisor, the passages' scores per 1,000
	// words.
	Score, Strongest, Density float64
	// Profiles counts the persons named with a detail that is personal by
	// itself (a date of birth, an age, a home address, a pupil's number),
	// and the passages that hold one without a name.
	Profiles int
	Words    int
	// Details counts the distinct values of each kind in the passages that
	// scored, for the refusal ("naam", "geboortedatum"); In says where
	// the strongest passages are.
	Details map[Detail]int
	In      []string
}

// ScoreThreshold is the score from which a document is refused;
// DensityDivisor weighs the density against one passage. Both are
// calibrated on knowledge/testdata/screen (case reports and policy texts
// written for it) and the bundled sample; see docs/privacy.md.
const (
	ScoreThreshold = 4
	DensityDivisor = 5
)

// Refused reports whether the document must be kept out of the knowledge
// base.
func (s Screening) Refused() bool { return len(s.Identifiers) > 0 || s.Score >= ScoreThreshold }

// ScreenDocument checks every text of a document that would be stored or
// shown for pupil data. A valid BSN or onderwijsnummer anywhere, in a
// passage or in a field such as the title or the file name, refuses it.
//
// Without one, the passages are scored for data about persons. The guard
// finds the names and details in each passage; a name stands with the
// details of its passage (co-occurrence), and names that share a part
// ("Sem Hofman", "Sem") are one person across passages. A person scores
// the weights of the kinds of detail they stand with, each kind once
// (detailWeights: a date of birth 3; an age, a home address, a pupil's or
// case number 2; an address, a phone number, another number, a school, a
// cue such as "leerling" or "dochter van" before the name, a health,
// belief or origin term 1; an e-mail address 0.5). A passage without a
// name scores only the details that are personal by themselves (a date of
// birth, an age, a home address, a pupil's number). Strongest is the
// highest of these scores; Density is the personal details' weight per
// 1,000 words, which catches a list of many pupils with one detail each.
// Score is the higher of Strongest and Density/DensityDivisor.
//
// So a case report (a pupil's name with a date of birth, a home address
// and a parent's phone number) scores high, and a policy text that names
// its authors with their e-mail and phone number, or gives a school's
// address or a helpdesk's number, scores low: a name with a phone number,
// an e-mail address and an office address adds up to 2.5.
//
// It returns an error only when ctx ends.
func (g *Guard) ScreenDocument(ctx context.Context, parts []DocumentPart) (Screening, error) {
	d := g.NewDocumentScreen()
	for _, p := range parts {
		if err := d.Add(ctx, p); err != nil {
			return Screening{}, err
		}
	}
	return d.Result(), ctx.Err()
}

// DocumentScreen is ScreenDocument one part at a time, for a document too
// large to hold whole: Add each part, then Result. What it keeps is what
// ScreenDocument keeps to link and count findings (the passages that hold
// a name or a detail, never their text), not the parts.
type DocumentScreen struct {
	g      *Guard
	s      Screening
	sc     *scorer
	seen   map[string]bool
	placed map[string]bool
	n      int
}

// NewDocumentScreen starts the screening of one document.
func (g *Guard) NewDocumentScreen() *DocumentScreen {
	return &DocumentScreen{
		g:      g,
		s:      Screening{Identifiers: map[Category]int{}, Details: map[Detail]int{}},
		sc:     newScorer(g.lex),
		seen:   map[string]bool{},
		placed: map[string]bool{},
	}
}

// Add screens one part. It returns an error only when ctx ends.
func (d *DocumentScreen) Add(ctx context.Context, p DocumentPart) error {
	if d.n++; d.n%64 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	for _, t := range []struct{ where, text string }{{"een kop", p.Heading}, {p.Where, p.Text}} {
		for _, id := range identifiers(t.text) {
			if !d.seen[id.key] {
				d.seen[id.key] = true
				d.s.Identifiers[id.cat]++
			}
			if where := placeOf(t.where, p); !d.placed[where] {
				d.placed[where] = true
				d.s.IdentifiersIn = append(d.s.IdentifiersIn, where)
			}
		}
	}
	if p.Passage {
		return d.g.scorePassage(ctx, d.sc, p)
	}
	return nil
}

// Result is the screening of the parts added so far.
func (d *DocumentScreen) Result() Screening {
	s := d.s
	s.Identifiers = maps.Clone(s.Identifiers)
	s.Details = map[Detail]int{}
	s.IdentifiersIn = slices.Clone(s.IdentifiersIn)
	if len(s.Identifiers) == 0 {
		s.Identifiers = nil
	}
	d.sc.finish(&s)
	return s
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
	if len(s.Identifiers) > 0 {
		var kinds []string
		for _, c := range []Category{BSN, Onderwijsnummer} {
			if n := s.Identifiers[c]; n > 0 {
				kinds = append(kinds, countDutch(n, c))
			}
		}
		return "gevonden: " + joinDutch(kinds) + " in " + joinDutch(s.IdentifiersIn)
	}
	var b strings.Builder
	b.WriteString("het lijkt op gegevens over leerlingen: ")
	switch {
	case s.Profiles == 1:
		b.WriteString("bij 1 persoon staan naam en gegevens zoals geboortedatum, leeftijd of adres")
	case s.Profiles > 1:
		fmt.Fprintf(&b, "bij %d personen staan naam en gegevens zoals geboortedatum, leeftijd of adres", s.Profiles)
	default:
		b.WriteString("bij een naam staan veel andere gegevens")
	}
	if len(s.In) > 0 {
		b.WriteString(", vooral in " + joinDutch(s.In))
	}
	fmt.Fprintf(&b, "; score %s bij een grens van %d; haal weg of maak onherkenbaar: ", strings.Replace(fmt.Sprintf("%.1f", s.Score), ".", ",", 1), ScoreThreshold)
	var kinds []string
	for _, d := range detailOrder {
		if n := s.Details[d]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d× %s", n, d))
		}
	}
	b.WriteString(joinDutch(kinds))
	return b.String()
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

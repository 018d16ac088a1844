package privacy

import (
	"context"
	"strings"
)

// Detail is a kind of detail about a person that the document score
// counts. Its value is its Dutch name, for the refusal.
type Detail string

// The details.
const (
	DetailName        Detail = "naam"
	DetailBirth       Detail = "geboortedatum"
	DetailAge         Detail = "leeftijd"
	DetailHome        Detail = "woonadres of woonplaats"
	DetailPupilNumber Detail = "leerling- of dossiernummer"
	DetailAddress     Detail = "adres of postcode"
	DetailNumber      Detail = "ander nummer"
	DetailPhone       Detail = "telefoonnummer"
	DetailEmail       Detail = "e-mailadres"
	DetailIBAN        Detail = "bankrekeningnummer"
	DetailAccount     Detail = "account op sociale media"
	DetailSchool      Detail = "naam van een school"
	DetailCue         Detail = "een woord als leerling of dochter voor een naam"
	DetailSpecial     Detail = "gezondheid, geloof of afkomst"
)

// detailWeights are what each kind of detail adds to a passage's score,
// once per passage. A name adds nothing itself: it is what makes the other
// details a person's.
var detailWeights = map[Detail]float64{
	DetailBirth:       3,
	DetailAge:         2,
	DetailHome:        2,
	DetailPupilNumber: 2,
	DetailAddress:     1,
	DetailNumber:      1,
	DetailPhone:       1,
	DetailIBAN:        1,
	DetailAccount:     1,
	DetailSchool:      1,
	DetailCue:         1,
	DetailSpecial:     1,
	DetailEmail:       0.5,
}

// personalAlone are the details that score in a passage without a name:
// they describe a person by themselves.
var personalAlone = map[Detail]bool{DetailBirth: true, DetailAge: true, DetailHome: true, DetailPupilNumber: true}

// detailOrder is the order of the refusal's list of what to take out; a
// cue or a health term is a reason, not a value to take out.
var detailOrder = []Detail{
	DetailName, DetailBirth, DetailAge, DetailHome, DetailAddress, DetailPupilNumber, DetailNumber,
	DetailPhone, DetailEmail, DetailIBAN, DetailAccount, DetailSchool,
}

// pupilCues before a name make it a pupil's (or a relative's) name.
var pupilCues = setOf([]string{
	"leerling", "leerlinge", "pupil", "zoon", "dochter", "kind", "broer", "broertje", "zus", "zusje",
	"jongen", "meisje", "pleegkind", "pleegzoon", "pleegdochter", "zorgleerling", "klasgenoot",
	"klasgenote", "kleinzoon", "kleindochter", "jeugdige",
})

// pupilCuesVan are cues with "van": "moeder van Mila", "het verzuim van Mila".
var pupilCuesVan = setOf([]string{
	"moeder", "vader", "ouders", "ouder", "verzuim", "dossier", "afwezigheid", "ziekmelding", "gegevens",
})

// scorer collects what the passages of one document hold. The values it
// keeps to count distinct ones and to link a person's passages never leave
// it.
type scorer struct {
	lx       *lexicon
	passages []passageFinds
	words    int
}

// passageFinds is what one passage holds: the names (normalised) and the
// details by kind, each with its distinct values.
type passageFinds struct {
	where   string
	names   []string
	details map[Detail]map[string]bool
}

func newScorer(lx *lexicon) *scorer { return &scorer{lx: lx} }

// scorePassage collects what one passage holds: see ScreenDocument.
func (g *Guard) scorePassage(ctx context.Context, sc *scorer, p DocumentPart) error {
	text := p.Text
	if p.Heading != "" {
		text = p.Heading + "\n" + p.Text
	}
	sc.words += len(strings.Fields(p.Text))
	spans, err := g.detect(ctx, text)
	if err != nil {
		return err
	}
	low := asciiLower(text)
	birthTable := strings.Contains(low, "geboortedat") // a column "geboortedatum" over a list
	pf := passageFinds{where: p.Where, details: map[Detail]map[string]bool{}}
	add := func(d Detail, v string) {
		if pf.details[d] == nil {
			pf.details[d] = map[string]bool{}
		}
		pf.details[d][v] = true
	}
	for _, s := range spans {
		v := valueKey(s.cat, text[s.start:s.end])
		switch s.cat {
		case Naam:
			pf.names = append(pf.names, v)
			if pupilCueBefore(low, s.start) {
				add(DetailCue, "")
			}
		case Datum:
			if birthTable || birthCue(low, s.start, s.end) {
				add(DetailBirth, v)
			}
		case Leeftijd:
			add(DetailAge, v)
		case Adres, Woonplaats:
			if residenceCue(low, s.start) {
				add(DetailHome, v)
			} else {
				add(DetailAddress, v)
			}
		case Postcode:
			add(DetailAddress, v)
		case Nummer, BSN, Onderwijsnummer:
			if s.cat != Nummer || pupilNumberCue(low, s.start) {
				add(DetailPupilNumber, v)
			} else {
				add(DetailNumber, v)
			}
		case Telefoon:
			add(DetailPhone, v)
		case Email:
			add(DetailEmail, v)
		case IBAN:
			add(DetailIBAN, v)
		case Account:
			add(DetailAccount, v)
		case School:
			add(DetailSchool, v)
		}
	}
	if len(g.lex.special(text)) > 0 {
		add(DetailSpecial, "")
	}
	// a passage without a name or a detail adds nothing, so a long
	// document costs what its findings are, not what its passages are
	if len(pf.names) > 0 || len(pf.details) > 0 {
		sc.passages = append(sc.passages, pf)
	}
	return nil
}

// person is what the passages say about one person: every name that links
// to them and the details of every passage they are named in.
type person struct {
	details  map[Detail]map[string]bool
	passages []int
}

func (p *person) score(kinds func(Detail) bool) float64 {
	total := 0.0
	for d := range p.details {
		if kinds(d) {
			total += detailWeights[d]
		}
	}
	return total
}

// people links the names of the passages into persons: two names that
// share a part (a first name or a surname of three letters or more, not an
// interfix) are one person, so "Sem Hofman" and "Sem" in the next passage
// are linked. The details of every passage a person is named in are theirs.
func (sc *scorer) people() []*person {
	parent := map[string]string{}
	var find func(string) string
	find = func(n string) string {
		if parent[n] == n {
			return n
		}
		r := find(parent[n])
		parent[n] = r
		return r
	}
	byPart := map[string]string{}
	for _, pf := range sc.passages {
		for _, n := range pf.names {
			if _, ok := parent[n]; !ok {
				parent[n] = n
			}
			for _, part := range strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == '-' || r == '.' }) {
				if len(part) < 3 || sc.lx.interfix[part] {
					continue
				}
				if other, ok := byPart[part]; ok {
					parent[find(n)] = find(other)
				} else {
					byPart[part] = n
				}
			}
		}
	}
	index := map[string]*person{}
	var out []*person
	for i, pf := range sc.passages {
		named := map[*person]bool{}
		for _, n := range pf.names {
			r := find(n)
			p := index[r]
			if p == nil {
				p = &person{details: map[Detail]map[string]bool{DetailName: {}}}
				index[r] = p
				out = append(out, p)
			}
			p.details[DetailName][n] = true
			if named[p] {
				continue
			}
			named[p] = true
			p.passages = append(p.passages, i)
			for d, vs := range pf.details {
				if p.details[d] == nil {
					p.details[d] = map[string]bool{}
				}
				for v := range vs {
					p.details[d][v] = true
				}
			}
		}
	}
	return out
}

// finish puts the document's figures into s: see ScreenDocument.
func (sc *scorer) finish(s *Screening) {
	all := func(Detail) bool { return true }
	alone := func(d Detail) bool { return personalAlone[d] }
	values := map[Detail]map[string]bool{}
	keep := func(details map[Detail]map[string]bool, kinds func(Detail) bool) {
		for d, vs := range details {
			if !kinds(d) && d != DetailName {
				continue
			}
			if values[d] == nil {
				values[d] = map[string]bool{}
			}
			for v := range vs {
				values[d][v] = true
			}
		}
	}
	personal := 0.0
	var strongest *person
	for _, p := range sc.people() {
		v := p.score(all)
		if v > s.Strongest {
			s.Strongest, strongest = v, p
		}
		if a := p.score(alone); a > 0 {
			s.Profiles++
			personal += a
		}
		if v > 0 {
			keep(p.details, all)
		}
	}
	// A passage without a name scores only what is personal by itself.
	for _, pf := range sc.passages {
		if len(pf.names) > 0 {
			continue
		}
		p := person{details: pf.details}
		if v := p.score(alone); v > 0 {
			s.Strongest = max(s.Strongest, v)
			s.Profiles++
			personal += v
			keep(pf.details, alone)
		}
	}
	s.Words = sc.words
	// A short document is measured as if it had 250 words: its strongest
	// person speaks for it, not a density of a few words.
	s.Density = 1000 * personal / float64(max(sc.words, 250))
	s.Score = max(s.Strongest, s.Density/DensityDivisor)
	for _, d := range detailOrder {
		if n := len(values[d]); n > 0 {
			s.Details[d] = n
		}
	}
	if len(s.Details) == 0 {
		s.Details = nil
	}
	// Where the strongest person is named, when the places say more than
	// "de tekst" (a page): at most three.
	if strongest != nil {
		seen := map[string]bool{}
		for _, i := range strongest.passages {
			if w := sc.passages[i].where; !seen[w] && strings.Contains(w, "pagina") && len(s.In) < 3 {
				seen[w] = true
				s.In = append(s.In, w)
			}
		}
	}
}

// birthCue reports whether a date at low[s:e] is a date of birth: a word
// such as "geboren", "geb." or "geboortedatum" shortly before it, or
// "geboren" right after it ("in maart 2014 geboren").
func birthCue(low string, s, e int) bool {
	before := low[max(0, s-30):s]
	for _, c := range []string{"geboren", "geb.", "geb:", "geb ", "geboorte"} {
		if strings.Contains(before, c) {
			return true
		}
	}
	after := strings.TrimLeft(low[e:], " \t,")
	return strings.HasPrefix(after, "geboren")
}

// residenceCue reports whether a place or address at low[s:] is where
// someone lives: "woont", "woonadres", "verhuisd" shortly before it.
func residenceCue(low string, s int) bool {
	before := low[max(0, s-60):s]
	for _, c := range []string{"woon", "verblijf", "verhuis", "thuisadres"} {
		if strings.Contains(before, c) {
			return true
		}
	}
	return false
}

// pupilNumberCue reports whether a number at low[s:] is a pupil's or a
// case's: "leerlingnummer", "dossier", "casus", "zaaknummer" before it.
func pupilNumberCue(low string, s int) bool {
	before := low[max(0, s-25):s]
	for _, c := range []string{"leerling", "lln", "dossier", "casus", "student", "onderwijs", "bsn", "pgn", "zaak"} {
		if strings.Contains(before, c) {
			return true
		}
	}
	return false
}

// pupilCueBefore reports whether the words just before a name at low[s:]
// make it a pupil's or a relative's name: "leerling", "dochter", "moeder
// van", "naam leerling:".
func pupilCueBefore(low string, s int) bool {
	words := strings.FieldsFunc(low[max(0, s-30):s], func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ':' || r == ',' || r == '('
	})
	n := len(words)
	if n == 0 {
		return false
	}
	if pupilCues[words[n-1]] {
		return true
	}
	return n >= 2 && words[n-1] == "van" && pupilCuesVan[words[n-2]]
}

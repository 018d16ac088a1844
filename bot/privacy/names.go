package privacy

import (
	"context"
	"strings"
)

// cue strengths.
const (
	cueNone = iota
	cueWeak
	cueStrong
)

// residence and school cue words.
var (
	residenceVerbs = map[string]string{ // verb -> prepositions allowed after it
		"woont": "in te", "wonen": "in te", "woonde": "in te", "wonend": "in te", "woonachtig": "in te",
		"verblijft": "in te", "verhuisd": "naar uit van", "verhuist": "naar uit van",
		"verhuizen": "naar uit van", "verhuisde": "naar uit van", "komt": "uit", "kwam": "uit",
		"afkomstig": "uit van", "woonplaats": ": -", "adres": ": -", "woonadres": ": -", "plaats": ":",
		"geboren": "in te", "geboorteplaats": ": -",
	}
	// residenceGap are words that may stand between a residence verb and
	// its preposition besides stop words: "woont met zijn moeder en twee
	// zusjes in Hengelo", "woont bij haar oma in Kampen". A capitalised
	// word (a name: "woont Kai in Zevenaar") may too.
	residenceGap = map[string]bool{
		"kort": true, "tijdelijk": true, "oma": true, "opa": true, "zus": true, "zusje": true, "zusjes": true,
		"broer": true, "broertje": true, "broertjes": true, "tante": true, "oom": true, "pleegouders": true,
		"pleeggezin": true, "gezin": true, "stiefvader": true, "stiefmoeder": true, "vriend": true, "vriendin": true,
	}
	// aboutCues make the name after "van" a person's: "het verzuim van
	// Tjitske Hoogeboom", "het dossier van Djaimy".
	aboutCues = map[string]bool{
		"verzuim": true, "ziekteverzuim": true, "schoolverzuim": true, "verzuimmelding": true,
		"ziekmelding": true, "afwezigheid": true, "dossier": true, "gegevens": true, "situatie": true,
		"aanmelding": true, "begeleiding": true, "mentor": true,
	}
	schoolVerbs = map[string]bool{
		"zit": true, "zat": true, "zitten": true, "ging": true, "gaat": true, "gaan": true,
		"ingeschreven": true, "staat": true, "stond": true, "zitten:": true, "overgestapt": true,
		"overstappen": true, "wissel": true, "wisselt": true, "gewisseld": true, "verwijderd": true,
		"geschorst": true, "leerling": true, "leerlinge": true,
	}
	schoolTypes = map[string]bool{
		"basisschool": true, "school": true, "obs": true, "cbs": true, "rkbs": true, "pcbs": true,
		"kbs": true, "ikc": true, "kindcentrum": true, "scholengemeenschap": true, "sbo": true,
		"montessorischool": true, "daltonschool": true, "jenaplanschool": true, "vrijeschool": true,
		"sbao": true, "so-school": true, "vso-school": true, "mavo": true, "basisscholen": true,
		"school:": true, "brede": true, "openbare": true, "christelijke": true, "katholieke": true,
	}
	schoolSuffixes = []string{"college", "lyceum", "gymnasium", "scholengemeenschap", "academie", "mavo", "campus", "school"}
	// A sentence-start name that is also a word needs a next word like these.
	nameVerbs = map[string]bool{
		"is": true, "was": true, "zit": true, "zat": true, "heeft": true, "had": true, "komt": true,
		"kwam": true, "gaat": true, "ging": true, "wil": true, "mag": true, "moet": true, "kan": true,
		"zegt": true, "zei": true, "verzuimt": true, "spijbelt": true, "woont": true, "en": true,
		"wordt": true, "werd": true, "blijft": true, "meldt": true, "belt": true, "doet": true,
		"krijgt": true, "kreeg": true, "voelt": true, "durft": true, "mist": true,
	}
)

// names finds person names, places after a residence cue and schools after
// a school cue.
func (lx *lexicon) names(ctx context.Context, text string, toks []token) ([]span, error) {
	var out []span
	inName := make([]bool, len(toks))
	word := func(i int) bool { return i >= 0 && i < len(toks) && toks[i].kind == tWord }
	// adjacent reports whether token j follows token j-1 with only spaces.
	joined := func(j int) bool { return j > 0 && j < len(toks) && toks[j].start-toks[j-1].end <= 3 }

	for i := 0; i < len(toks); i++ {
		if i%256 == 255 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t := toks[i]
		if t.kind != tWord || inName[i] || t.keep {
			continue
		}
		// Places after a residence cue; schools after a school cue.
		if prep, ok := residenceVerbs[t.low]; ok {
			if s, e, c, ok := lx.placeAfter(text, toks, i, prep); ok {
				out = append(out, span{start: s, end: e, cat: c, prio: prioPlace})
				continue
			}
		}
		if s, e, ok := lx.schoolAt(toks, i); ok {
			out = append(out, span{start: s, end: e, cat: School, prio: prioSchool})
			// "basisschool Het Kompas in Oldenzaal": the place of the school.
			for k := i; k < len(toks) && toks[k].start < e; k++ {
				i = k
			}
			if ps, pe, c, ok := lx.placeAfter(text, toks, i, "in te"); ok {
				out = append(out, span{start: ps, end: pe, cat: c, prio: prioPlace})
			}
			continue
		}

		start, end, ok := lx.nameStart(toks, i)
		if !ok {
			continue
		}
		// Extend to the right: surnames, interfixes, hyphenated parts.
		for {
			j := end + 1
			if j < len(toks) && toks[j].kind == tPunct && toks[j].low == "-" && !toks[j].spaceBefore && word(j+1) && !toks[j+1].spaceBefore {
				end = j + 1
				continue
			}
			k := j
			for k < len(toks) && word(k) && lx.interfix[toks[k].low] && joined(k) && k-j < 3 {
				k++
			}
			if k > j && word(k) && joined(k) && !toks[k].keep && (toks[k].cap || lx.sur[toks[k].low]) && !lx.stop[toks[k].low] &&
				(lx.nameInterfix(toks[j].low) || lx.sur[toks[k].low] || lx.surWhole[joinLow(toks[j:k+1])]) {
				end = k
				continue
			}
			if word(j) && joined(j) && toks[j].cap && !toks[j].upper && !toks[j].keep && !toks[j].sentStart &&
				!lx.stop[toks[j].low] && !lx.interfix[toks[j].low] && !lx.isStreetWord(toks[j].low) {
				end = j
				continue
			}
			if word(j) && joined(j) && !toks[j].cap && lx.sur[toks[j].low] && !lx.veto[toks[j].low] && !lx.stop[toks[j].low] {
				end = j
				continue
			}
			break
		}
		for k := i; k <= end; k++ {
			inName[k] = true
		}
		if end > i && toks[end-1].low == "-" && lx.isSchoolName(toks[end].low) {
			i = end // "De Ruyter-school": a school's name, not a person's
			continue
		}
		e := toks[end].end
		if toks[end].kind == tWord && len(toks[end].low) <= 2 && end+1 < len(toks) && toks[end+1].low == "." && toks[end].cap {
			e = toks[end+1].end // a lone initial keeps its dot
		}
		out = append(out, span{start: toks[start].start, end: e, cat: Naam, prio: prioName})
		i = end
	}
	return out, nil
}

// nameStart decides whether a name starts at token i. It handles initials
// (K. van der Berg), interfix-first surnames (van Dijk), cue words and the
// name lists with the common-word veto. It returns the first and the last
// token found so far; the caller extends the name to the right.
func (lx *lexicon) nameStart(toks []token, i int) (int, int, bool) {
	t := toks[i]
	cue := lx.cueBefore(toks, i)

	// Initials: one or more "K." followed by (interfixes) and a surname.
	if lx.isInitial(toks, i) {
		j := i
		for n := 0; n < 5 && lx.isInitial(toks, j); n++ {
			j += 2
		}
		k := j
		for k < len(toks) && toks[k].kind == tWord && lx.interfix[toks[k].low] {
			k++
		}
		if k < len(toks) && toks[k].kind == tWord && toks[k].cap && !toks[k].keep && !lx.stop[toks[k].low] {
			return i, k, true
		}
		if cue == cueStrong {
			return i, j - 2, true
		}
		return 0, 0, false
	}

	// Interfix first: van Dijk, de Vries, mevrouw van der Berg.
	if lx.interfix[t.low] {
		k := i
		for k < len(toks) && toks[k].kind == tWord && lx.interfix[toks[k].low] && k-i < 3 {
			k++
		}
		if k == i || k >= len(toks) || toks[k].kind != tWord || toks[k].keep || lx.stop[toks[k].low] {
			return 0, 0, false
		}
		if t.low == "van" && i > 0 && toks[i-1].kind == tWord && lx.weak[toks[i-1].low] {
			return 0, 0, false // "zoon van Roos": the cue, not a surname
		}
		core := toks[k]
		whole := joinLow(toks[i : k+1])
		switch {
		case cue != cueNone && !core.upper && lx.nameInterfix(t.low) && (core.cap || lx.isName(core.low) && !lx.veto[core.low]):
			// not "oma in Kampen": "in" opens no surname
			return i, k, true
		case core.cap && lx.surWhole[whole]:
			return i, k, true
		case core.cap && !core.upper && lx.sur[core.low] && !lx.veto[core.low] && lx.nameInterfix(t.low):
			return i, k, true
		}
		return 0, 0, false
	}
	if lx.stop[t.low] || len(t.low) < 2 || lx.months[t.low] {
		return 0, 0, false // April, Juni: months are dates, not names
	}
	listed := lx.isName(t.low)
	switch {
	case t.upper:
		// DUO, GGD, ADHD: acronyms are names only with a strong cue.
		return i, i, cue == cueStrong && len(t.low) > 2
	case t.cap:
		if listed {
			if !lx.veto[t.low] || cue != cueNone || !t.sentStart || t.poss {
				return i, i, true
			}
			return i, i, lx.nameFollows(toks, i)
		}
		if cue != cueNone {
			return i, i, lx.plausibleCueName(toks, i)
		}
		// An unlisted capitalised word followed by a surname or an
		// interfix + capitalised word: "Xiomara Jansen", "Yusuf el Idrissi".
		return i, i, lx.surnameFollows(toks, i)
	default:
		if cue == cueStrong {
			return i, i, true
		}
		if cue == cueWeak && (lx.first[t.low] || listed && !lx.veto[t.low]) {
			return i, i, true
		}
		if i > 0 && toks[i-1].low == "-" {
			return 0, 0, false // the second half of a word broken over a line
		}
		if lx.first[t.low] && !lx.veto[t.low] && len(t.low) >= 3 {
			return i, i, true
		}
		if listed && !lx.veto[t.low] && lx.surnameFollows(toks, i) {
			return i, i, true
		}
	}
	return 0, 0, false
}

// plausibleCueName reports whether a capitalised word after a person cue
// that is in no name list can be a name. A cue followed by one or two
// capitalised words is a name, whatever the lists say, except for words
// that read as something else: a special-category word ("het verzuim van
// Syrische nieuwkomers"), a school word ("Openbare Scholen"), an adjective
// before a noun ("Twentse scholen"),
// a word before a number ("Periode 2"), the first half of a compound
// ("Roma-kinderen") and a plural on its own ("Statushouders").
func (lx *lexicon) plausibleCueName(toks []token, i int) bool {
	t := toks[i]
	if _, special := lx.specialW[t.low]; special || schoolTypes[t.low] || t.low == "scholen" {
		return false // "Syrische nieuwkomers", "Openbare Scholen"
	}
	var next *token
	if i+1 < len(toks) {
		next = &toks[i+1]
	}
	switch {
	case next == nil:
	case next.kind == tNum && next.spaceBefore:
		return false
	case next.kind == tPunct && next.low == "-" && !next.spaceBefore && i+2 < len(toks) &&
		toks[i+2].kind == tWord && !toks[i+2].cap && !lx.interfix[toks[i+2].low]:
		return false
	case next.kind == tWord && !next.cap && (strings.HasSuffix(t.low, "se") || strings.HasSuffix(t.low, "sche")) &&
		!nameVerbs[next.low] && !looksLikeVerb(next.low):
		return false // "Twentse scholen", not "Rinse zit"
	}
	if strings.HasSuffix(t.low, "ers") && !(next != nil && next.kind == tWord && next.cap && joinedTokens(toks, i+1)) {
		return false
	}
	return true
}

func joinedTokens(toks []token, j int) bool {
	return j > 0 && j < len(toks) && toks[j].start-toks[j-1].end <= 3
}

// nameInterfix reports whether an interfix may open a surname on its own
// ("van Dijk"), unlike prepositions such as "in" or "op".
func (lx *lexicon) nameInterfix(low string) bool {
	switch low {
	case "in", "op", "onder", "over", "uit", "aan", "bij", "voor", "te", "het":
		return false
	}
	return true
}

// nameFollows reports whether the context after a sentence-initial name
// that is also a word makes it a name: a verb, a surname or an age.
func (lx *lexicon) nameFollows(toks []token, i int) bool {
	if i+1 >= len(toks) {
		return false
	}
	n := toks[i+1]
	switch {
	case n.kind == tPunct && (n.low == "(" || n.low == ","):
		return true
	case n.kind == tWord && nameVerbs[n.low]:
		return true
	case n.kind == tWord && !n.cap && !lx.stop[n.low] && looksLikeVerb(n.low):
		return true
	}
	return lx.surnameFollows(toks, i)
}

// looksLikeVerb guesses a finite verb form: "verzuimde", "belde", "spijbelt".
func looksLikeVerb(low string) bool {
	n := len(low)
	switch {
	case n >= 5 && (strings.HasSuffix(low, "de") || strings.HasSuffix(low, "te")):
		return true
	case n >= 4 && strings.HasSuffix(low, "t") && !strings.HasSuffix(low, "heid") && !strings.HasSuffix(low, "ist"):
		return true
	}
	return false
}

// surnameFollows reports whether token i is followed by a surname, or by
// interfixes and a capitalised word.
func (lx *lexicon) surnameFollows(toks []token, i int) bool {
	j := i + 1
	if j < len(toks) && toks[j].kind == tPunct && toks[j].low == "-" && !toks[j].spaceBefore {
		j++
	}
	k := j
	for k < len(toks) && toks[k].kind == tWord && lx.interfix[toks[k].low] && k-j < 3 {
		k++
	}
	if k >= len(toks) || toks[k].kind != tWord || toks[k].keep || toks[k].sentStart || lx.stop[toks[k].low] {
		return false
	}
	n := toks[k]
	if k > j {
		return n.cap && !n.upper && lx.nameInterfix(toks[j].low) &&
			(lx.sur[n.low] && !lx.veto[n.low] || lx.surWhole[joinLow(toks[j:k+1])])
	}
	return n.cap && !n.upper && (lx.sur[n.low] && !lx.veto[n.low] || toks[i].cap && lx.first[toks[i].low])
}

// isInitial reports whether toks[i] is an initial: one capital (or a
// capital and a lowercase letter, as in Ch.) directly followed by a dot.
func (lx *lexicon) isInitial(toks []token, i int) bool {
	if i+1 >= len(toks) || toks[i].kind != tWord || !toks[i].cap || toks[i+1].low != "." || toks[i+1].spaceBefore {
		return false
	}
	n := len([]rune(toks[i].low))
	if n == 1 {
		return true
	}
	return n == 2 && !toks[i].upper && (toks[i].low == "ch" || toks[i].low == "th" || toks[i].low == "ph")
}

// cueBefore returns the strongest cue just before token i.
func (lx *lexicon) cueBefore(toks []token, i int) int {
	j := i - 1
	if toks[i].sentStart && j >= 0 && toks[j].low != ":" && toks[j].low != "." {
		return cueNone // a new line or sentence: the cue belonged to the one before
	}
	for j >= 0 && toks[j].kind == tPunct && (toks[j].low == ":" || toks[j].low == "'") {
		j--
	}
	if j >= 1 && toks[j].low == "." && toks[j-1].kind == tWord && lx.strong[toks[j-1].low] {
		j-- // dhr. Jansen, mevr. de Graaf
	}
	if j < 0 || toks[j].kind != tWord {
		return cueNone
	}
	p := toks[j].low
	if lx.strong[p] {
		if p == "naam" && j+1 < len(toks) && toks[j+1].low != ":" {
			// "naam van de school" is no cue; "naam: Sem" is; "de naam
			// Routeboek Verzuim" names a thing.
			if j > 0 && toks[j-1].kind == tWord && (toks[j-1].low == "de" || toks[j-1].low == "het" || toks[j-1].low == "een" || toks[j-1].low == "die" || toks[j-1].low == "deze") {
				return cueNone
			}
			return cueWeak
		}
		return cueStrong
	}
	if lx.weak[p] {
		return cueWeak
	}
	// zoon van, dochter van, moeder van, mijn leerling; het verzuim van
	if p == "van" && j > 0 && toks[j-1].kind == tWord && (lx.weak[toks[j-1].low] || aboutCues[toks[j-1].low]) {
		return cueWeak
	}
	if (p == "de" || p == "het") && j > 0 && toks[j-1].kind == tWord && (toks[j-1].low == "heer") {
		return cueStrong
	}
	return cueNone
}

func (lx *lexicon) isStreetWord(low string) bool {
	for _, s := range safeStreetSuffixes {
		if strings.HasSuffix(low, s) && len(low) > len(s) {
			return true
		}
	}
	return false
}

func joinLow(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.low
	}
	return strings.Join(parts, " ")
}

// placeAfter finds a place name after a residence cue at token i:
// "woont in Deventer", "verhuisd naar Den Haag", "woonplaats: Almelo".
func (lx *lexicon) placeAfter(text string, toks []token, i int, preps string) (int, int, Category, bool) {
	j := i + 1
	// Allow a few words between the verb and the preposition:
	// "woont sinds kort in", "woont nu bij haar oma in", "woont Kai in".
	for skip := 0; j < len(toks) && skip < 8; skip++ {
		if toks[j].kind != tWord && toks[j].low != ":" && toks[j].low != "-" {
			return 0, 0, "", false
		}
		if strings.Contains(" "+preps+" ", " "+toks[j].low+" ") {
			break
		}
		if toks[j].kind == tWord && !lx.stop[toks[j].low] && !residenceGap[toks[j].low] && !(toks[j].cap && !toks[j].keep && j == i+1) {
			return 0, 0, "", false
		}
		j++
	}
	if j >= len(toks) || !strings.Contains(" "+preps+" ", " "+toks[j].low+" ") {
		return 0, 0, "", false
	}
	j++
	if j >= len(toks) {
		return 0, 0, "", false
	}
	// 's-Hertogenbosch, Den Haag, de Achterhoek
	first := j
	if toks[j].kind == tWord && (toks[j].low == "'s" || toks[j].low == "’s" || toks[j].low == "den" || toks[j].low == "de" || toks[j].low == "het") {
		if j+1 < len(toks) && toks[j+1].low == "-" {
			j += 2
		} else if j+1 < len(toks) && toks[j+1].kind == tWord && toks[j+1].cap {
			j++
		} else {
			return 0, 0, "", false
		}
	}
	if j >= len(toks) || toks[j].kind != tWord || toks[j].keep {
		return 0, 0, "", false
	}
	t := toks[j]
	if !t.cap && (lx.stop[t.low] || len(t.low) < 3) || lx.months[t.low] {
		return 0, 0, "", false // "geboren in maart" is a date
	}
	end := j
	// Multi-word places: Bergen op Zoom, Alphen aan den Rijn, Den Haag.
	for k := j + 1; k < len(toks); {
		if toks[k].kind == tWord && toks[k].cap && !toks[k].keep && !toks[k].sentStart {
			end = k
			k++
			continue
		}
		if toks[k].kind == tPunct && toks[k].low == "-" && k+1 < len(toks) && toks[k+1].kind == tWord && !toks[k+1].spaceBefore {
			end = k + 1
			k += 2
			continue
		}
		m := k
		for m < len(toks) && toks[m].kind == tWord && (toks[m].low == "aan" || toks[m].low == "op" || toks[m].low == "den" || toks[m].low == "de" || toks[m].low == "bij" || toks[m].low == "ter" || toks[m].low == "in") && m-k < 2 {
			m++
		}
		if m > k && m < len(toks) && toks[m].kind == tWord && toks[m].cap && t.cap {
			end = m
			k = m + 1
			continue
		}
		break
	}
	c := Woonplaats
	if lx.isStreetWord(toks[end].low) {
		c = Adres
	}
	return toks[first].start, toks[end].end, c, true
}

// schoolAt finds a school name at token i: after "zit op", "gaat naar",
// after a school type ("basisschool De Vlinderboom"), or a capitalised
// name ending in College, Lyceum and the like.
func (lx *lexicon) schoolAt(toks []token, i int) (int, int, bool) {
	t := toks[i]
	j := -1
	switch {
	case schoolVerbs[t.low] && i+1 < len(toks) && (toks[i+1].low == "op" || toks[i+1].low == "naar" || toks[i+1].low == "bij" || toks[i+1].low == "van"):
		j = i + 2
		if toks[i+1].low == "bij" || toks[i+1].low == "van" {
			// "ingeschreven bij", "leerling van": only a capitalised school word follows.
			if j < len(toks) && toks[j].kind == tWord && !lx.isSchoolName(toks[j].low) && !(toks[j].low == "de" || toks[j].low == "het") {
				return 0, 0, false
			}
		}
	case schoolTypes[t.low]:
		j = i + 1
	}
	if j >= 0 {
		s := j
		if j < len(toks) && toks[j].kind == tWord && (toks[j].low == "de" || toks[j].low == "het" || toks[j].low == "'t") {
			j++
		}
		end := -1
		generic := true // "Openbare Scholen": school words, no school's name
		for k := j; k < len(toks) && toks[k].kind == tWord && toks[k].cap && !toks[k].keep && !toks[k].upper && (k == j || !toks[k].sentStart); k++ {
			end = k
			generic = generic && (schoolTypes[toks[k].low] || toks[k].low == "scholen")
		}
		if end >= 0 && !generic {
			if s < j && !toks[s].cap && s > 0 {
				// "zit op de Vlinderboom": keep the article out of the placeholder.
				s = j
			}
			return toks[s].start, toks[end].end, true
		}
	}
	// Capitalised words ending in a school word: het Bonhoeffer College.
	if t.cap && !t.upper && !t.keep && !lx.stop[t.low] && t.low != "de" && t.low != "het" {
		end := -1
		k := i
		for ; k < len(toks) && k-i < 4 && toks[k].kind == tWord && toks[k].cap && !toks[k].keep; k++ {
			if k > i && lx.isSchoolName(toks[k].low) {
				end = k
				break
			}
		}
		if end < 0 && lx.isSchoolName(t.low) && len(t.low) > 8 {
			for _, s := range schoolSuffixes {
				if strings.HasSuffix(t.low, s) && t.low != s {
					end = i
				}
			}
		}
		if end >= 0 {
			s := i
			if i > 0 && toks[i-1].kind == tWord && toks[i-1].cap && (toks[i-1].low == "het" || toks[i-1].low == "de") {
				s = i - 1
			}
			return toks[s].start, toks[end].end, true
		}
	}
	return 0, 0, false
}

func (lx *lexicon) isSchoolName(low string) bool {
	for _, s := range schoolSuffixes {
		if strings.HasSuffix(low, s) {
			return true
		}
	}
	return false
}

// ages finds ages bound to a person: "Lotte (11)", "Finn is 14 jaar",
// "een 15-jarige", "een jongen van 15". Generic ages in rules ("tot 18
// jaar", "vanaf 5 jaar") stay.
func (lx *lexicon) ages(text string, toks []token, names []span) []span {
	var out []span
	nameEnd := map[int]bool{}
	for _, n := range names {
		if n.cat == Naam {
			nameEnd[n.end] = true
		}
	}
	prevWord := func(pos int) (string, int) {
		// the lowercase word ending before pos, and its start
		e := pos
		for e > 0 && (text[e-1] == ' ' || text[e-1] == '\t') {
			e--
		}
		s := e
		for s > 0 && isWordByte(text[s-1]) {
			s--
		}
		return strings.ToLower(text[s:e]), s
	}
	if !strings.ContainsAny(text, "0123456789") {
		return nil
	}
	for _, m := range reAgeParen.FindAllStringIndex(text, -1) {
		e := m[0]
		for e > 0 && (text[e-1] == ' ' || text[e-1] == ',') {
			e--
		}
		w, _ := prevWord(m[0])
		if nameEnd[e] || lx.person[w] || strings.Contains(text[m[0]:m[1]], "j") {
			out = append(out, span{start: m[0], end: m[1], cat: Leeftijd, prio: prioAge})
		}
	}
	low := asciiLower(text)
	for _, m := range reAgeYears.FindAllStringIndex(low, -1) {
		v := strings.ToLower(text[m[0]:m[1]])
		w, ws := prevWord(m[0])
		after := strings.ToLower(text[m[1]:min(len(text), m[1]+12)])
		generic := false
		switch w {
		case "tot", "vanaf", "onder", "boven", "tussen", "alle", "elke", "iedere", "per", "na", "over", "sinds", "al", "dan", "t", "m", "voor", "binnen", "ruim", "jonger", "ouder", "en", "of", "tm", "max", "maximaal", "minimaal", "minstens", "leeftijd", "leeftijdsgrens":
			generic = true
		}
		if strings.HasPrefix(strings.TrimSpace(after), "geleden") || strings.HasPrefix(strings.TrimSpace(after), "lang") ||
			strings.HasPrefix(strings.TrimSpace(after), "of ouder") || strings.HasPrefix(strings.TrimSpace(after), "of jonger") ||
			strings.HasPrefix(strings.TrimSpace(after), "en ouder") || strings.HasPrefix(strings.TrimSpace(after), "later") {
			generic = true
		}
		personal := false
		switch {
		case strings.Contains(v, "jarige"):
			// "deze 15-jarige", "onze 12-jarige"; "een 4-jarige" is generic.
			switch w {
			case "de", "deze", "die", "dit", "het", "onze", "mijn", "zijn", "haar", "hun", "jullie":
				personal = true
			}
		case strings.HasSuffix(v, "oud"):
			personal = !generic
		case w == "is" || w == "wordt" || w == "werd" || w == "was" || w == "ben" || w == "bent" || w == "pas" || w == "net" || w == "bijna":
			personal = !generic
		case w == "van":
			p, ps := prevWord(ws)
			d, _ := prevWord(ps)
			personal = lx.person[p] && d != "een"
		}
		if !personal {
			// "(groep 7, 11 jaar)": an age listed after a comma.
			k := m[0]
			for k > 0 && text[k-1] == ' ' {
				k--
			}
			personal = k > 0 && (text[k-1] == ',' || text[k-1] == '(') && !generic
		}
		if personal {
			out = append(out, span{start: m[0], end: m[1], cat: Leeftijd, prio: prioAge})
		}
	}
	for _, m := range reAgeBecame.FindAllStringSubmatchIndex(low, -1) {
		s, e := m[2], m[3]
		if e-s < 2 {
			e = m[1]
		}
		out = append(out, span{start: s, end: e, cat: Leeftijd, prio: prioAge})
	}
	// "een jongen van 15", "meisje van 13" without "jaar".
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].kind == tWord && lx.person[toks[i].low] && toks[i+1].low == "van" && toks[i+2].kind == tNum && len(toks[i+2].low) <= 2 &&
			!(i > 0 && toks[i-1].low == "een") {
			if i+3 < len(toks) && toks[i+3].kind == tWord && (toks[i+3].low == "jaar" || toks[i+3].low == "jr") {
				continue // covered above
			}
			if i+3 < len(toks) && toks[i+3].kind == tWord && (toks[i+3].low == "tot" || toks[i+3].low == "t") {
				continue
			}
			s, e := toks[i+2].start, toks[i+2].end
			if e-s < 2 {
				s = toks[i+1].start // "van 9": keep two bytes at least
			}
			out = append(out, span{start: s, end: e, cat: Leeftijd, prio: prioAge})
		}
	}
	return out
}

package privacy

import (
	"context"
	"regexp"
	"strings"
)

// Priorities: a higher one wins when two spans overlap.
const (
	prioEmail    = 100
	prioURL      = 95
	prioIBAN     = 90
	prioChecksum = 85
	prioPhone    = 80
	prioAccount  = 75
	prioPostcode = 70
	prioDate     = 65
	prioCueNum   = 60
	prioAddress  = 55
	prioSchool   = 50
	prioPlace    = 45
	prioAge      = 40
	prioName     = 30
	prioNumber   = 20
)

// Compiled patterns are read-only package state.
var (
	reEmail = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)
	reURL   = regexp.MustCompile(`(?:\b(?:https?://|www\.)[^\s<>"'\[\]]+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:nl|com|be|org|net|eu|de|nu|info|io|app|me|tv|school|frl|amsterdam)/[^\s<>"'\[\]]*)`)
	// A handle: @ at the start of a word.
	reHandle = regexp.MustCompile(`(?:^|[\s(,;:])(@[\p{L}\p{N}_.]{2,30})`)
	// A platform name followed by an account name.
	rePlatform     = regexp.MustCompile(`\b(?:instagram|insta|ig|tiktok|snapchat|snap|twitter|facebook|fb|discord|telegram|youtube|twitch|roblox|fortnite|gamertag|gebruikersnaam|username|accountnaam|account)\b(?:\s*(?:account|naam|handle|is|heet|van (?:haar|hem)|:))*\s*(@?[\p{L}\p{N}_.]{3,30})`)
	reIBANNL       = regexp.MustCompile(`\bnl ?\d{2} ?[a-z]{4} ?(?:\d ?){9}\d\b`)
	reIBANBE       = regexp.MustCompile(`\bbe ?\d{2}(?: ?\d{4}){3}\b`)
	reIBANAny      = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`)
	reNine         = regexp.MustCompile(`\b(?:\d{9}|\d{3}[ .\-]\d{3}[ .\-]\d{3}|\d{4}[ .]\d{2}[ .]\d{3}|\d{2}[ .]\d{3}[ .]\d{4}|\d{3}[ .]\d{2}[ .]\d{4})\b`)
	rePlaceAfterPC = regexp.MustCompile(`^[ \t]+((?:Den |De |'s-|’s-)?\p{Lu}[\p{L}'’\-]+(?:[ \t]+(?:aan|op|den|de|bij|ter|aan den|an)[ \t]+\p{Lu}[\p{L}\-]+)?)`)
	reLong         = regexp.MustCompile(`\b\d{7,}\b`)
	rePhoneNL      = regexp.MustCompile(`(?:\+31|\b0031|\(0|\b0)[\d \-.()]{7,17}\d\b`)
	rePhoneInt     = regexp.MustCompile(`(?:\+|\b00)(?:3[0-9]|4[0-9]|2[0-9]|9[0-9]|[1-8]\d)[\d \-.()]{7,15}\d\b`)
	rePostcode     = regexp.MustCompile(`\b(?:NL-)?[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})\b`)
	// Cue + number: leerlingnummer 77120, dossier 2024-0173, bsn: 12345678.
	reCueNum   = regexp.MustCompile(`\b(?:leerling(?:en)?nummer|leerlingnr\.?|lln\.? ?nr\.?|llnr\.?|studentnummer|studentnr\.?|dossiernummer|dossiernr\.?|dossier|zaaknummer|zaaknr\.?|zaak|casusnummer|casus|registratienummer|klantnummer|cliëntnummer|clientnummer|kenmerk|documentnummer|paspoortnummer|id-nummer|idnummer|id-kaart|pasnummer|bsn|burgerservicenummer|sofinummer|sofi-nummer|pgn|onderwijsnummer|eck ?id|ecknummer|ov-nummer|lidnummer|relatienummer|nummer van de leerling)\b\s*(?:is|was|nr\.?|nummer|:|#|=)?\s*:?\s*([a-z]{0,3}-?\d[\d\-./]*\d|\d)`)
	reDateNum  = regexp.MustCompile(`\b(?:0?[1-9]|[12]\d|3[01])([\-/.])(?:0?[1-9]|1[0-2])([\-/.])(?:(?:19|20)\d{2}|'?\d{2})\b`)
	reDateNum2 = regexp.MustCompile(`\b(?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|1[0-2]) (?:19|20)\d{2}\b`)
	reDateISO  = regexp.MustCompile(`\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b`)
	reDateDM   = regexp.MustCompile(`\b(?:op|sinds|vanaf|geboren|geb\.?|d\.d\.|datum|t/m|tot en met|per)\s+((?:0?[1-9]|[12]\d|3[01])[\-/](?:0?[1-9]|1[0-2]))\b`)
	reDateName = regexp.MustCompile(`\b(?:0?[1-9]|[12]\d|3[01])(?:e|ste|de)?[ \-.]{0,2}(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\b\.?(?:[ \-.]{0,2}(?:(?:19|20)\d{2}|['’]\d{2}))?`)
	// "in maart 2014 geboren": the cue after the date.
	reDateBornAfter = regexp.MustCompile(`\b((?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s+(?:19|20)\d{2})\s+geboren\b`)
	// "Sem (2014)": a year of birth in brackets, after a name.
	reYearParen        = regexp.MustCompile(`^[ \t]?\(\s*(?:19|20)\d{2}\s*\)`)
	reDateBorn         = regexp.MustCompile(`\b(?:geboren|geb\.|geboortedatum|geboortemaand|geboortejaar)\s*:?\s*(?:in\s+|op\s+)?((?:(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s+)?(?:19|20)\d{2})\b`)
	reAgeParen         = regexp.MustCompile(`\(\s*\d{1,2}\s*(?:jaar|jr\.?|j\.?)?\s*\)`)
	reAgeYears         = regexp.MustCompile(`\b\d{1,2}(?:\s?(?:jaar|jr\.?)(?:\s+oud)?|-?jarige\b)`)
	reAgeBecame        = regexp.MustCompile(`\b(?:is|werd|wordt)\s+(\d{1,2})\s+(?:geworden|geworden\.)`)
	rePlaceAfterStreet = regexp.MustCompile(`^(?:,?[ \t]+(?:in|te)[ \t]+|,[ \t]*)((?:Den |De |'s-|’s-)?\p{Lu}[\p{L}'’\-]+(?:[ \t]+(?:aan|op|den|de|bij|ter|aan den)[ \t]+\p{Lu}[\p{L}\-]+)?)`)
	// reHouseNumber is applied at the digits after a street word.
	reHouseNumber = regexp.MustCompile(`^\d{1,4}(?:\s?[a-zA-Z]\b|-\d{1,3}\b|\s?(?:hs|bis)\b)?`)
)

var streetSuffixes = []string{
	"straat", "laan", "weg", "dijk", "gracht", "plein", "kade", "singel", "steeg", "pad", "hof",
	"dreef", "plantsoen", "markt", "erf", "wal", "baan", "ring", "allee", "dam", "kamp", "haven",
	"akker", "weide", "zoom", "donk", "hoeve", "horst", "veld", "park", "boulevard", "straatje",
	"pleintje", "laantje", "hoek", "brink", "oord", "berg", "burg", "wijk", "stede",
}

var safeStreetSuffixes = []string{"straat", "laan", "weg", "dijk", "gracht", "plein", "kade", "singel", "steeg", "dreef", "plantsoen"}
var notStreets = []string{"leerweg", "uitweg", "snelweg", "omweg", "zijweg", "middenweg", "tussenweg"}

// detect returns the resolved spans for text.
func (g *Guard) detect(ctx context.Context, text string) ([]span, error) {
	var spans []span
	add := func(s, e int, c Category, p int) {
		if e-s >= 2 {
			spans = append(spans, span{start: s, end: e, cat: c, prio: p})
		}
	}
	hasDigit := strings.ContainsAny(text, "0123456789")
	low := asciiLower(text) // same byte offsets as text

	if strings.IndexByte(text, '@') >= 0 {
		for _, m := range reEmail.FindAllStringIndex(text, -1) {
			add(m[0], m[1], Email, prioEmail)
		}
		for _, m := range reHandle.FindAllStringSubmatchIndex(text, -1) {
			add(m[2], trimRightPunct(text, m[2], m[3]), Account, prioAccount)
		}
	}
	if strings.Contains(low, "://") || strings.Contains(low, "www.") || hasDomainSlash(low) {
		for _, m := range reURL.FindAllStringIndex(low, -1) {
			add(m[0], trimRightPunct(text, m[0], m[1]), URL, prioURL)
		}
	}
	if mentionsPlatform(low) {
		for _, m := range rePlatform.FindAllStringSubmatchIndex(low, -1) {
			s, e := m[2], trimRightPunct(text, m[2], m[3])
			v := text[s:e]
			if strings.HasPrefix(v, "@") || strings.ContainsAny(v, "0123456789_.") || strings.Contains(text[m[0]:s], ":") {
				add(s, e, Account, prioAccount)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if hasDigit {
		// Every number pattern holds a digit, so run them only on windows
		// around digits: most chat text has few numbers.
		for _, w := range digitWindows(text) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			g.numbers(text, low, w[0], w[1], add)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	toks := tokenize(text)
	g.lex.markKeep(text, toks)
	names, err := g.lex.names(ctx, text, toks)
	if err != nil {
		return nil, err
	}
	names = g.lex.dropPlaceNames(text, names)
	spans = append(spans, names...)
	if hasDigit {
		g.streets(text, toks, add)
		spans = append(spans, g.lex.ages(text, toks, names)...)
		for _, n := range names {
			if n.cat == Naam {
				if m := reYearParen.FindStringIndex(text[n.end:]); m != nil {
					add(n.end+m[1]-len(strings.TrimLeft(text[n.end:n.end+m[1]], " \t")), n.end+m[1], Datum, prioDate)
				}
			}
		}
	}
	return resolve(text, spans), nil
}

// numbers runs the number patterns on text[ws:we]; low is text with ASCII
// letters lowercased. Matches are added with offsets into text.
func (g *Guard) numbers(text, low string, ws, we int, add func(int, int, Category, int)) {
	sub, lsub := text[ws:we], low[ws:we]
	// Cheap filters first: most windows hold only a small count or a year.
	if strings.Contains(lsub, "nl") || strings.Contains(lsub, "be") {
		for _, re := range []*regexp.Regexp{reIBANNL, reIBANBE} {
			for _, m := range re.FindAllStringIndex(lsub, -1) {
				add(ws+m[0], ws+m[1], IBAN, prioIBAN)
			}
		}
	}
	if hasIBANStart(sub) {
		for _, m := range reIBANAny.FindAllStringIndex(sub, -1) {
			if ValidIBAN(sub[m[0]:m[1]]) {
				add(ws+m[0], ws+m[1], IBAN, prioIBAN)
			}
		}
	}
	for _, sp := range findNineDigits(sub) {
		add(ws+sp.start, ws+sp.end, sp.cat, sp.prio)
	}
	for _, m := range reLong.FindAllStringIndex(sub, -1) {
		add(ws+m[0], ws+m[1], Nummer, prioNumber)
	}
	g.phones(sub, func(s, e int, c Category, p int) { add(ws+s, ws+e, c, p) })
	for _, m := range rePostcode.FindAllStringIndex(sub, -1) {
		if okPostcode(sub[m[0]:m[1]]) {
			add(ws+m[0], ws+m[1], Postcode, prioPostcode)
			if p := rePlaceAfterPC.FindStringSubmatchIndex(text[ws+m[1]:]); p != nil {
				add(ws+m[1]+p[2], ws+m[1]+p[3], Woonplaats, prioPlace)
			}
		}
	}
	for _, m := range cueNumMatches(lsub) {
		s, e := m[2], m[3]
		c := Nummer
		if ValidBSN(sub[s:e]) {
			c = BSN
		} else if ValidOnderwijsnummer(sub[s:e]) {
			c = Onderwijsnummer
		}
		if e-s == 1 { // a lone digit after a cue: mask with its cue word
			s = m[0]
		}
		add(ws+s, ws+e, c, prioCueNum)
	}
	for _, re := range []*regexp.Regexp{reDateNum, reDateNum2, reDateISO} {
		if re != reDateNum2 && !strings.ContainsAny(sub, "-/.") {
			continue
		}
		for _, m := range re.FindAllStringSubmatchIndex(sub, -1) {
			if re == reDateNum && sub[m[2]:m[3]] != sub[m[4]:m[5]] {
				continue // 12-03/2014: mixed separators are no date
			}
			add(ws+m[0], ws+m[1], Datum, prioDate)
		}
	}
	if mentionsMonth(lsub) {
		for _, m := range reDateName.FindAllStringIndex(lsub, -1) {
			add(ws+m[0], ws+trimRightPunct(sub, m[0], m[1]), Datum, prioDate)
		}
	}
	if strings.Contains(lsub, "geboren") {
		for _, m := range reDateBornAfter.FindAllStringSubmatchIndex(lsub, -1) {
			if !genericSubject(lsub[:m[2]]) {
				add(ws+m[2], ws+m[3], Datum, prioDate)
			}
		}
	}
	for _, re := range []*regexp.Regexp{reDateDM, reDateBorn} {
		if re == reDateDM && !strings.ContainsAny(sub, "-/") || re == reDateBorn && !strings.Contains(lsub, "geb") {
			continue
		}
		for _, m := range re.FindAllStringSubmatchIndex(lsub, -1) {
			add(ws+m[2], ws+m[3], Datum, prioDate)
		}
	}
}

// digitWindows returns merged byte ranges around the digits of text: the
// whitespace-separated fields that hold a digit, plus the fields that start
// up to 60 bytes before them (for cue words) or end up to 40 bytes after.
// Windows start and end at whitespace, so word boundaries inside a window
// are those of the whole text. It runs in linear time.
func digitWindows(text string) [][2]int {
	type field struct {
		start, end int
		digit      bool
	}
	var fields []field
	for i := 0; i < len(text); {
		for i < len(text) && isSpaceByte(text[i]) {
			i++
		}
		if i >= len(text) {
			break
		}
		f := field{start: i}
		for i < len(text) && !isSpaceByte(text[i]) {
			if text[i] >= '0' && text[i] <= '9' {
				f.digit = true
			}
			i++
		}
		f.end = i
		fields = append(fields, f)
	}
	var out [][2]int
	for k, f := range fields {
		if !f.digit {
			continue
		}
		l, r := k, k
		for l > 0 && fields[l-1].start >= f.start-60 {
			l--
		}
		for r+1 < len(fields) && fields[r+1].end <= f.end+40 {
			r++
		}
		s, e := fields[l].start, fields[r].end
		if n := len(out); n > 0 && s <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], e)
		} else {
			out = append(out, [2]int{s, e})
		}
	}
	return out
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// hasDomainSlash reports whether low holds ".tld/" as in "school.nl/x".
func hasDomainSlash(low string) bool {
	for i := 0; i < len(low); i++ {
		if low[i] != '/' {
			continue
		}
		j := i - 1
		for j >= 0 && low[j] >= 'a' && low[j] <= 'z' {
			j--
		}
		if j >= 0 && i-j >= 3 && low[j] == '.' {
			return true
		}
	}
	return false
}

// mentionsPlatform is a quick filter before rePlatform.
func mentionsPlatform(low string) bool {
	for _, p := range []string{"insta", "tiktok", "snap", "twitter", "facebook", "discord", "telegram", "youtube", "twitch", "roblox", "fortnite", "gamertag", "gebruikersnaam", "username", "account"} {
		if strings.Contains(low, p) {
			return true
		}
	}
	for _, p := range []string{"ig", "fb"} {
		for from := 0; ; {
			k := strings.Index(low[from:], p)
			if k < 0 {
				break
			}
			s, e := from+k, from+k+len(p)
			if (s == 0 || !isWordByte(low[s-1])) && (e == len(low) || !isWordByte(low[e])) {
				return true
			}
			from = e
		}
	}
	return false
}

// genericSubject reports whether the words before a date of birth make it
// no one's: "een kind dat in maart 2014 geboren is", "kinderen die in".
func genericSubject(before string) bool {
	words := strings.Fields(before)
	n := len(words)
	if n > 0 && words[n-1] == "in" {
		n--
	}
	if n < 2 || (words[n-1] != "dat" && words[n-1] != "die") {
		return false
	}
	switch strings.Trim(words[n-2], ",") {
	case "kind", "kinderen", "leerling", "leerlingen", "jongere", "jongeren", "iemand", "wie", "meisje", "jongen":
		return true
	}
	return false
}

// mentionsMonth is a quick filter before reDateName.
func mentionsMonth(low string) bool {
	for _, m := range []string{"jan", "feb", "maa", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"} {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

// hasIBANStart reports whether s holds two capitals followed by two digits.
func hasIBANStart(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' && s[i+1] >= 'A' && s[i+1] <= 'Z' && s[i+2] >= '0' && s[i+2] <= '9' && s[i+3] >= '0' && s[i+3] <= '9' {
			return true
		}
	}
	return false
}

// cueNumCues are substrings one of which every reCueNum match holds.
var cueNumCues = []string{"nummer", "nr", "bsn", "dossier", "zaak", "casus", "kenmerk", "pgn", "sofi", "eck", "id-", "idnummer", "pasnummer"}

// cueNumMatches runs reCueNum when a cue word is present.
func cueNumMatches(low string) [][]int {
	for _, c := range cueNumCues {
		if strings.Contains(low, c) {
			return reCueNum.FindAllStringSubmatchIndex(low, -1)
		}
	}
	return nil
}

// streets adds "Molenweg 3a": a word ending in a street suffix, directly
// followed by a house number, with up to three capitalised words before
// it (Burgemeester Jansenlaan 45).
func (g *Guard) streets(text string, toks []token, add func(int, int, Category, int)) {
	for i := 1; i < len(toks); i++ {
		n, w := toks[i], toks[i-1]
		if n.kind != tNum || len(n.low) > 4 || !n.spaceBefore || w.kind != tWord || !hasStreetSuffix(w.low) {
			continue
		}
		m := reHouseNumber.FindStringIndex(text[n.start:])
		if m == nil {
			continue
		}
		e := n.start + m[1]
		s := w.start
		for k := i - 2; k >= 0 && k >= i-4; k-- {
			t := toks[k]
			if t.kind != tWord || !(t.cap || t.low == "van" || t.low == "de" || t.low == "der" || t.low == "den") || t.sentStart || t.keep {
				break
			}
			s = t.start
		}
		if st, ok := streetStart(text, s, e); ok {
			add(st, e, Adres, prioAddress)
			if p := rePlaceAfterStreet.FindStringSubmatchIndex(text[e:]); p != nil {
				add(e+p[2], e+p[3], Woonplaats, prioPlace)
			}
		}
	}
}

func hasStreetSuffix(low string) bool {
	for _, suf := range streetSuffixes {
		if strings.HasSuffix(low, suf) && len(low) > len(suf) {
			return true
		}
	}
	return false
}

// findNineDigits classifies every 9-digit number: a valid BSN, a valid
// onderwijsnummer, or another number.
func findNineDigits(text string) []span {
	var out []span
	for _, m := range reNine.FindAllStringIndex(text, -1) {
		v := text[m[0]:m[1]]
		c := Nummer
		switch {
		case ValidBSN(v):
			c = BSN
		case ValidOnderwijsnummer(v):
			c = Onderwijsnummer
		}
		out = append(out, span{start: m[0], end: m[1], cat: c, prio: prioChecksum})
	}
	return out
}

// phones adds Dutch and international phone numbers; service numbers stay.
func (g *Guard) phones(text string, add func(int, int, Category, int)) {
	for _, m := range rePhoneNL.FindAllStringIndex(text, -1) {
		s, e := m[0], m[1]
		// Shorten from the right, one digit group at a time, until the
		// number has the length of a Dutch phone number.
		for e > s {
			d := onlyDigits(strings.Map(dropPhonePunct, text[s:e]), "")
			if strings.HasPrefix(d, "0031") {
				d = "0" + d[4:]
			} else if text[s] == '+' {
				d = "0" + d[2:]
			}
			if strings.HasPrefix(d, "00") && len(d) > 2 && d[2] == '0' {
				d = "0" + d[3:] // +31 (0)6 ...
			}
			if len(d) == 10 && d[1] != '0' {
				if !strings.HasPrefix(d, "0800") && !strings.HasPrefix(d, "090") {
					// "(0612345678)": the brackets are around the number, not
					// part of it; keep the opening one, as the closing one stays.
					ms := s
					if text[ms] == '(' && !strings.Contains(text[ms:e], ")") {
						ms++
					}
					add(ms, e, Telefoon, prioPhone)
				}
				break
			}
			if len(d) < 10 {
				break
			}
			k := strings.LastIndexAny(text[s:e], " -.()")
			if k <= 0 {
				break
			}
			e = s + k
			for e > s && strings.IndexByte(" -.()", text[e-1]) >= 0 {
				e--
			}
		}
	}
	for _, m := range rePhoneInt.FindAllStringIndex(text, -1) {
		if strings.HasPrefix(text[m[0]:], "+31") || strings.HasPrefix(text[m[0]:], "0031") {
			continue
		}
		d := onlyDigits(strings.Map(dropPhonePunct, text[m[0]:m[1]]), "")
		if len(d) >= 9 && len(d) <= 15 {
			add(m[0], m[1], Telefoon, prioPhone)
		}
	}
}

func dropPhonePunct(r rune) rune {
	switch r {
	case ' ', '-', '.', '(', ')', '+':
		return -1
	}
	return r
}

// okPostcode rejects letter pairs that are never issued, common
// abbreviations after a number with a space ("2024 AP") and units written
// against a number ("500mg").
func okPostcode(v string) bool {
	v = strings.TrimPrefix(v, "NL-")
	rest := v[4:]
	letters := strings.ToUpper(strings.TrimSpace(rest))
	switch letters {
	case "SA", "SD", "SS":
		return false
	}
	if strings.HasPrefix(rest, " ") {
		switch letters {
		case "AP", "EU", "NL", "VO", "PO", "SO", "BO", "HO", "MR", "JR", "OK", "TV", "PC", "ID", "IB", "BV", "NV", "CV":
			return false
		}
	}
	if rest == strings.ToLower(rest) {
		switch rest {
		case "mg", "gr", "kg", "km", "cm", "mm", "ml", "ct", "st", "de", "ie", "px", "gb", "mb", "kb", "jr", "ev", "ep", "uu", "rd", "nd", "th", "am", "pm":
			return false
		}
	}
	return true
}

// streetStart checks a street match and returns where the address starts:
// leading capitalised words are kept only when they are part of the name.
func streetStart(text string, s, e int) (int, bool) {
	m := text[s:e]
	// Find the street word: the last word before the house number.
	fields := strings.Fields(m)
	if len(fields) < 2 {
		return 0, false
	}
	num := len(fields) - 1
	for num > 0 && !startsWithDigit(fields[num]) {
		num--
	}
	if num == 0 {
		return 0, false
	}
	street := fields[num-1]
	low := strings.ToLower(street)
	for _, w := range notStreets {
		if strings.HasSuffix(low, w) {
			return 0, false
		}
	}
	if street[0] >= 'a' && street[0] <= 'z' {
		safe := false
		for _, suf := range safeStreetSuffixes {
			if strings.HasSuffix(low, suf) && len(low) > len(suf)+2 {
				safe = true
			}
		}
		if !safe {
			return 0, false
		}
	}
	// Drop leading words that are sentence words rather than street words.
	for i := 0; i < num-1; i++ {
		w := strings.ToLower(fields[i])
		switch w {
		case "de", "het", "van", "der", "den", "'t":
			if i == 0 {
				s += strings.Index(text[s:], fields[i]) + len(fields[i])
				for s < e && text[s] == ' ' {
					s++
				}
				continue
			}
		}
		break
	}
	return s, true
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// trimRightPunct drops trailing sentence punctuation from text[s:e].
func trimRightPunct(text string, s, e int) int {
	for e > s && strings.IndexByte(".,;:!?)'\"", text[e-1]) >= 0 {
		e--
	}
	return e
}

// dropPlaceNames removes name spans that are only a place name ("Den
// Haag", "Amsterdam-Noord"): the name lists hold surnames such as Haag, but
// a place in a policy question is not a person.
func (lx *lexicon) dropPlaceNames(text string, spans []span) []span {
	out := spans[:0]
	for _, s := range spans {
		v := strings.ToLower(strings.TrimSpace(text[s.start:s.end]))
		if place, part, ok := strings.Cut(v, "-"); ok && lx.places[place] && compassParts[part] {
			v = place
		}
		if s.cat == Naam && lx.places[v] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// compassParts make a district of a place: Amsterdam-Noord, Zwolle-Zuid.
var compassParts = setOf([]string{"noord", "zuid", "oost", "west", "centrum", "noordoost", "noordwest", "zuidoost", "zuidwest"})

package nl

import (
	"regexp"
	"strings"
)

// AnswerType is a set of kinds of fact: what a question asks for ("hoe
// vaak" asks for a frequency, AskedType) or what a sentence gives ("elke
// drie weken" is one, TypesIn). "Hoeveel leerlingen staan op de lijst?"
// asks for a count, which "Leerplicht stelt elke 3 weken de lijst vast"
// does not give, however many of its words match. Whether an answer must
// give the asked type is the caller's policy (prompts.Extractive).
type AnswerType uint16

const (
	Count     AnswerType = 1 << iota // an amount of things or people: "95.300 leerlingen", "13 keer meer kans"
	Share                            // a part of a whole: "75%", "de helft van de scholen"
	Money                            // "€ 500", "10 miljoen euro"
	Duration                         // "binnen 13 weken", "de afgelopen twee jaar", "tot een jaar later"
	Frequency                        // "elke drie weken", "zes keer per jaar", "wekelijks"
	Age                              // "tot 18 jaar", "18-jarigen"
	Date                             // "in 2019", "op 26 augustus"
	Phone                            // "088-6050101"
	Email                            // "vraag@oudersenonderwijs.nl"
	Web                              // "www.oudersenonderwijs.nl"
)

// Dutch says, after "daarin staat", what the sources lack: "geen aantal,
// percentage of bedrag", "niet hoe vaak", "geen telefoonnummer".
func (t AnswerType) Dutch() string {
	nouns := []struct {
		t    AnswerType
		noun string
	}{
		{Count, "aantal"}, {Share, "percentage"}, {Money, "bedrag"}, {Duration, "termijn"}, {Age, "leeftijd"},
		{Date, "datum"}, {Phone, "telefoonnummer"}, {Email, "e-mailadres"}, {Web, "website"},
	}
	var parts []string
	for _, n := range nouns {
		if t&n.t != 0 {
			parts = append(parts, n.noun)
		}
	}
	var s string
	switch len(parts) {
	case 0:
	case 1:
		s = "geen " + parts[0]
	default:
		s = "geen " + strings.Join(parts[:len(parts)-1], ", ") + " of " + parts[len(parts)-1]
	}
	if t&Frequency != 0 {
		if s != "" {
			return s + " en niet hoe vaak"
		}
		return "niet hoe vaak"
	}
	return s
}

// amount is what "hoeveel leerlingen" and "hoe groot" accept.
const amount = Count | Share | Money

// AskedType tells which types of fact a question asks for; 0 when it asks
// for none ("wie", "wat", "mag ik", "hoeveel ruimte").
func AskedType(question string) AnswerType {
	w := tokens(question)
	if permission[w.at(0)] {
		// "Mag ik delen hoeveel dagen een leerling verzuimt?" asks
		// whether, not how many.
		return 0
	}
	at := w.at
	var t AnswerType
	for i := 0; i < len(w); i++ {
		switch {
		case w[i] == "hoeveel" || w[i] == "hoeveelste" || w[i] == "hoe" && at(i+1) == "veel":
			j := i + 1
			if w[i] == "hoe" {
				j++
			}
			for at(j) == "meer" || at(j) == "minder" || at(j) == "extra" {
				j++
			}
			t |= askedAmount(at(j), at(j+1))
		case w[i] == "hoe":
			switch at(i + 1) {
			case "vaak", "regelmatig":
				t |= Frequency
			case "lang":
				t |= Duration
			case "oud":
				t |= Age
			case "hoog", "groot":
				t |= amount
			case "duur":
				t |= Money
			}
		case w[i] == "welk" || w[i] == "welke":
			switch at(i + 1) {
			case "leeftijd":
				t |= Age
			case "percentage":
				t |= Share | Count
			case "bedrag":
				t |= Money
			case "aantal":
				t |= Count | Share
			case "termijn":
				t |= Duration
			case "jaar", "datum":
				if at(i-1) == "in" || at(i-1) == "op" || at(i-1) == "sinds" || at(i-1) == "vanaf" {
					t |= Date
				}
			}
		case w[i] == "wanneer" && eventFollows(w[i+1:]):
			t |= Date
		case contactWords[w[i]] != 0 && asksFor(w, i):
			t |= contactWords[w[i]]
		}
	}
	return t
}

// asksFor tells whether the question asks for the thing the i-th word
// names ("wat is het telefoonnummer", "welke website", "telefoonnummer
// leerplicht?") rather than about it ("mag ik het telefoonnummer van de
// ouders delen?").
func asksFor(w tokenList, i int) bool {
	prev := w.at(i - 1)
	return i == 0 || prev == "welk" || prev == "welke" ||
		(prev == "het" || prev == "de") && (w.at(i-2) == "is" || w.at(i-2) == "zijn")
}

// askedAmount reads the words after "hoeveel": "hoeveel weken" asks for a
// duration, "hoeveel keer" for a frequency, "hoeveel geld" for money,
// "hoeveel scholen" for an amount, "hoeveel ruimte" for no number at all.
func askedAmount(next, after string) AnswerType {
	switch {
	case extentWords[next]:
		return 0
	case timeUnits[next]:
		return Duration
	case next == "keer" || next == "maal":
		return Frequency | Count
	case next == "procent":
		return Share
	case moneyWords[lastPart(next)] || moneyWords[after]:
		return Money // "hoeveel geld", "hoeveel NPO-geld", "hoeveel extra geld"
	}
	return amount
}

// lastPart is the last part of a hyphenated word: "geld" of "npo-geld".
func lastPart(w string) string {
	return w[strings.LastIndexAny(w, "-'’")+1:]
}

// eventFollows tells whether one of the next twelve words is the
// participle of a dated event: "wanneer is de handleiding verschenen" asks
// for a date, "wanneer mag ik gegevens delen" for a situation.
func eventFollows(w []string) bool {
	for i := 0; i < len(w) && i < 12; i++ {
		if eventVerbs[w[i]] {
			return true
		}
	}
	return false
}

var (
	extentWords    = set("ruimte tijd aandacht vrijheid invloed zeggenschap zin moeite vertrouwen ondersteuning hulp begeleiding zorg ervaring inzicht kennis informatie gegevens")
	timeUnits      = set("dag dagen week weken maand maanden jaar jaren uur uren minuut minuten schooljaar schooljaren schooldag schooldagen schoolweek schoolweken lesuur lesuren lesdag lesdagen werkdag werkdagen")
	moneyWords     = set("geld euro euros budget subsidie bijdrage")
	eventVerbs     = set("verschenen gepubliceerd uitgebracht uitgekomen ingevoerd ingegaan opgericht gestart begonnen")
	frequencyWords = set("dagelijks wekelijks tweewekelijks maandelijks jaarlijks driemaandelijks halfjaarlijks tweejaarlijks eenmaal tweemaal driemaal viermaal")
	everyWords     = set("elk elke ieder iedere")
	permission     = set("mag mogen moet moeten kan kunnen hoef hoeven dien dienen")
	shareWords     = set("helft kwart meerderheid minderheid merendeel procent percent")
	countWords     = set("tientallen honderden duizenden")
	numberWords    = set("twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien twintig dertig veertig vijftig zestig zeventig tachtig negentig honderd duizend miljoen miljard anderhalf")
	months         = set("januari februari maart april mei juni juli augustus september oktober november december")
)

// contactWords ask for a way to reach someone.
var contactWords = map[string]AnswerType{
	"telefoonnummer": Phone, "telefoonnummers": Phone, "e-mailadres": Email, "mailadres": Email, "emailadres": Email,
	"website": Web, "webadres": Web, "webpagina": Web, "internetadres": Web,
}

// TypesIn tells which types of fact a sentence gives.
func TypesIn(s string) AnswerType {
	var t AnswerType
	if phone.MatchString(s) {
		t |= Phone
	}
	if email.MatchString(s) {
		t |= Email
	}
	if web.MatchString(s) {
		t |= Web
	}
	w := tokens(s)
	at := w.at
	for i, x := range w {
		switch {
		case x == "%" || shareWords[x]:
			t |= Share
		case x == "€" || x == "euro":
			t |= Money
		case frequencyWords[x]:
			t |= Frequency
		case everyWords[x] && timeUnits[at(i+1)], x == "om" && at(i+1) == "de" && timeUnits[at(i+2)]:
			t |= Frequency // "elke maand", "om de week"
		case strings.HasSuffix(x, "jarige") || strings.HasSuffix(x, "jarigen"):
			t |= Age
		case countWords[x]:
			t |= Count
		case isYear(x):
			t |= Date // a year is a date, not an amount ("Kearney, 2014")
		case months[x] && isDigits(at(i-1)):
			t |= Date
		case isDigits(x) || numberWords[x] || compoundNumber(x),
			(x == "een" || x == "één" || x == "half") && (timeUnits[at(i+1)] || at(i+1) == "keer" || at(i+1) == "half"):
			t |= numberType(at(i-2), at(i-1), at(i+1), at(i+2))
		}
	}
	return t
}

// numberType reads the words around a number: "elke drie weken" is a
// frequency, "binnen 13 weken" a duration, "75%" a share, "€ 500" money,
// "zes keer per jaar" a frequency, "95.300 leerlingen" a count.
func numberType(before2, before, next, after string) AnswerType {
	if next == "half" || next == "halve" { // "een half jaar", "twee en een half"
		next, after = after, ""
	}
	switch {
	case months[next]:
		return Date // "26 augustus"
	case next == "%" || next == "procent" || next == "percent":
		return Share
	case before == "€" || next == "euro" || (next == "miljoen" || next == "miljard") && after == "euro":
		return Money
	case everyWords[before] || before == "de" && before2 == "om":
		return Frequency
	case (next == "e" || next == "ste" || next == "de") && (after == "verjaardag" || after == "levensjaar"):
		return Age // "de 18e verjaardag"
	case next == "keer" || next == "maal":
		if after == "per" {
			return Frequency
		}
		return Frequency | Count
	case timeUnits[next]:
		if after == "per" {
			return Frequency | Duration // "6 uur per week"
		}
		if next == "jaar" || next == "jaren" {
			return Duration | Age
		}
		return Duration
	case strings.HasSuffix(next, "jarige") || strings.HasSuffix(next, "jarigen") || next == "jaar" && after == "oud":
		return Age
	}
	return Count
}

// compoundNumber tells whether a word is a written number such as
// "eenentwintig" or "tweeëndertig" (not "leerplichtig" or "krachtig").
func compoundNumber(w string) bool {
	for _, tens := range []string{"twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"} {
		if strings.HasSuffix(w, "en"+tens) || strings.HasSuffix(w, "ën"+tens) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return s[0] >= '0' && s[0] <= '9'
}

func isYear(s string) bool {
	return len(s) == 4 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) && isDigits(s)
}

// token is the answer types' own word splitter, a variant of Words: a
// number keeps its separators ("95.300", "1,5"), a word its inner
// apostrophes and hyphens ("zo'n", "18-jarigen", "npo-geld"), and the
// signs % and € are words of their own, since they say what a number is.
var token = regexp.MustCompile(`\d+(?:[.,]\d+)*|[\pL]+(?:['’-][\pL]+)*|[%€]`)

// tokens splits s, lower-cased, with token.
func tokens(s string) tokenList {
	return token.FindAllString(strings.ToLower(s), -1)
}

// tokenList is the tokens of a question or sentence.
type tokenList []string

// at is the i-th token, or "" before the first and after the last.
func (w tokenList) at(i int) string {
	if i >= 0 && i < len(w) {
		return w[i]
	}
	return ""
}

// phone matches a Dutch phone number: at least nine digits after the 0
// or +31, perhaps grouped; email an e-mail address; web a web address (an
// e-mail address's domain is not one).
var (
	phone = regexp.MustCompile(`(\+31|\b0)[\d\s-]{8,}\d`)
	email = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.]+`)
	web   = regexp.MustCompile(`(?i)\bwww\.|https?://|(^|[^@\w.-])[\w-]+\.(nl|com|org|eu)\b`)
)

// WithoutEmail is s with its e-mail addresses (what TypesIn counts as
// Email) removed.
func WithoutEmail(s string) string { return email.ReplaceAllString(s, "") }

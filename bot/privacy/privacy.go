// Package privacy finds and masks Dutch personal data in chat messages and
// documents before anything else in Wegwijs sees them.
//
// It owns the detection rules (patterns with checksums, embedded name lists,
// cue words and context rules), the placeholder format and the Dutch words
// used to tell a professional which kinds of data were removed. It must not
// log, store, return or send out the values it finds: a Result holds the
// redacted text, counts per category and the special categories, never a
// value or a placeholder-to-value map. It imports only the standard library.
//
// # Use
//
//	g, err := privacy.New()             // once, at start-up; safe for concurrent use
//	r, err := g.Redact(ctx, message)     // err only when ctx ends: then send nothing on (fail closed)
//	send(r.Redacted)                     // only the redacted text leaves the process
//	if r.Total() > 0 || len(r.Special) > 0 { warn(privacy.Summary(r)) }
//
// At ingest, [Guard.ScreenDocument] checks every text of a document that
// would be stored or shown (title, file name, headings, passages); a
// document that holds pupil data is refused.
//
// # Placeholders
//
// Every value becomes "[CATEGORY-n]", for example "[NAAM-1]" or "[BSN-1]".
// Numbers count per category from 1 in order of first appearance in one
// call, and the same value (compared case-insensitively, ignoring spaces,
// dots and hyphens in numbers) gets the same number, so "Mila ... Mila"
// stays "[NAAM-1] ... [NAAM-1]". Numbering starts afresh in every call.
//
// # Length bound
//
// Every masked span is at least 2 bytes and a placeholder is at most
// 2+15+1+10 bytes, so len(Result.Redacted) <= MaxGrowth*len(text) for any
// input (in practice it is close to len(text)).
//
// # Special categories
//
// Words about health (ADHD, autisme, depressie), religion (moslim,
// katholiek) and origin (Marokkaans, vluchteling) are special categories
// (AVG art. 9). They are reported in Result.Special so the reply can warn,
// but the words themselves are NOT masked: a question such as "mag ik delen
// dat een leerling ADHD heeft?" must stay answerable. Safety comes from
// masking everything that ties the word to a person (name, number, date of
// birth, school, address), which the guard does in the same message.
//
// # What stays
//
// Policy terms and organisations (Leerplichtwet, Veilig Thuis, DUO, GGD),
// role names (leerplichtambtenaar, jeugdarts, mentor), article numbers and
// law years, school years (2023-2024), counts, generic ages ("tot 18 jaar"),
// service numbers (0800-2000, 112) and place names without a residence cue.
//
// # Limits
//
// Detection works on patterns and lists, not on understanding: rare names
// outside the lists, a name that is also a common word without any cue, or
// an unusual date or address format can be missed. Callers must treat the
// guard as one layer and still ask users not to type pupil data.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Category is a kind of personal data. Its value is the placeholder label.
type Category string

// The categories. GEZONDHEID, GELOOF and AFKOMST are special categories:
// reported in Result.Special, never masked.
const (
	Naam            Category = "NAAM"
	BSN             Category = "BSN"
	Onderwijsnummer Category = "ONDERWIJSNUMMER"
	Nummer          Category = "NUMMER" // leerlingnummer, dossiernummer, any other 7+ or 9-digit number
	Datum           Category = "DATUM"
	Leeftijd        Category = "LEEFTIJD"
	Adres           Category = "ADRES"
	Postcode        Category = "POSTCODE"
	Woonplaats      Category = "WOONPLAATS"
	School          Category = "SCHOOL"
	Telefoon        Category = "TELEFOON"
	Email           Category = "EMAIL"
	IBAN            Category = "IBAN"
	URL             Category = "URL"
	Account         Category = "ACCOUNT"

	Gezondheid Category = "GEZONDHEID"
	Geloof     Category = "GELOOF"
	Afkomst    Category = "AFKOMST"
)

// MaskedCategories returns the categories that Redact masks, in the order
// used by Summary.
func MaskedCategories() []Category {
	return []Category{
		Naam, BSN, Onderwijsnummer, Nummer, Datum, Leeftijd, Adres, Postcode, Woonplaats,
		School, Telefoon, Email, IBAN, URL, Account,
	}
}

// SpecialCategories returns the special categories (AVG art. 9).
func SpecialCategories() []Category { return []Category{Gezondheid, Geloof, Afkomst} }

// MaxGrowth bounds the output: len(Result.Redacted) <= MaxGrowth*len(text).
const MaxGrowth = 14

// Result is what Redact returns. It never holds a found value.
type Result struct {
	// Redacted is the input with every found value replaced by a placeholder.
	Redacted string
	// Found counts distinct values per masked category.
	Found map[Category]int
	// Special lists the special categories mentioned, sorted, without duplicates.
	Special []Category
}

// Total returns the number of distinct values masked.
func (r Result) Total() int {
	n := 0
	for _, v := range r.Found {
		n += v
	}
	return n
}

// Guard detects and masks personal data. Build it with New; it is
// read-only afterwards and safe for concurrent use.
type Guard struct {
	lex *lexicon
}

// New loads the embedded name lists and builds the lookup tables.
func New() (*Guard, error) {
	lex, err := newLexicon()
	if err != nil {
		return nil, fmt.Errorf("privacy: load lists: %w", err)
	}
	return &Guard{lex: lex}, nil
}

// ErrCanceled wraps the context error returned when Redact is stopped.
var ErrCanceled = errors.New("privacy: redaction stopped")

// Redact masks personal data in text. It returns an error only when ctx is
// done before or during the work; the caller must then send nothing on.
func (g *Guard) Redact(ctx context.Context, text string) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrCanceled, err)
	}
	spans, err := g.detect(ctx, text)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrCanceled, err)
	}
	res := Result{Found: map[Category]int{}}
	res.Redacted = render(text, spans, res.Found)
	res.Special = g.lex.special(text)
	return res, nil
}

// DutchCategoryName returns plain Dutch (B1) words for c, for replies.
func DutchCategoryName(c Category) string {
	switch c {
	case Naam:
		return "naam"
	case BSN:
		return "BSN (burgerservicenummer)"
	case Onderwijsnummer:
		return "onderwijsnummer"
	case Nummer:
		return "leerlingnummer of ander nummer"
	case Datum:
		return "geboortedatum of datum"
	case Leeftijd:
		return "leeftijd"
	case Adres:
		return "adres"
	case Postcode:
		return "postcode"
	case Woonplaats:
		return "woonplaats"
	case School:
		return "naam van een school"
	case Telefoon:
		return "telefoonnummer"
	case Email:
		return "e-mailadres"
	case IBAN:
		return "bankrekeningnummer (IBAN)"
	case URL:
		return "internetadres (link)"
	case Account:
		return "account op sociale media"
	case Gezondheid:
		return "gezondheid of diagnose"
	case Geloof:
		return "geloof"
	case Afkomst:
		return "afkomst"
	}
	return "persoonsgegeven"
}

// Summary returns a Dutch message for the user: which kinds of data were
// removed and that they should delete (not edit) their message, because the
// chat platform keeps it. It returns "" when nothing was found. It never
// names a value.
func Summary(r Result) string {
	var kinds []string
	for _, c := range MaskedCategories() {
		if r.Found[c] > 0 {
			kinds = append(kinds, DutchCategoryName(c))
		}
	}
	var special []string
	for _, c := range r.Special {
		special = append(special, DutchCategoryName(c))
	}
	if len(kinds) == 0 && len(special) == 0 {
		return ""
	}
	var b strings.Builder
	if len(kinds) > 0 {
		b.WriteString("Je bericht bevatte persoonsgegevens: ")
		b.WriteString(joinDutch(kinds))
		b.WriteString(". Die heb ik weggehaald voordat ik je vraag verwerkte. ")
		b.WriteString("Verwijder je bericht alsjeblieft (niet alleen aanpassen), want het chatprogramma bewaart het, ook oude versies. ")
	}
	if len(special) > 0 {
		b.WriteString("Let op: je bericht gaat over ")
		b.WriteString(joinDutch(special))
		b.WriteString(". Dat zijn extra gevoelige gegevens. Noem ze nooit samen met iets waaraan je een leerling herkent. ")
	}
	b.WriteString("Stel je vraag liever zonder gegevens van leerlingen, bijvoorbeeld: \"een leerling uit groep 7\".")
	return b.String()
}

func joinDutch(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " en " + words[len(words)-1]
}

// span is one found value: text[start:end] of category cat. Higher prio
// wins an overlap.
type span struct {
	start, end int
	cat        Category
	prio       int
}

// render replaces the spans (sorted, not overlapping) with numbered
// placeholders and counts distinct values per category into found.
func render(text string, spans []span, found map[Category]int) string {
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16*len(spans))
	numbers := map[string]int{}
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s.start])
		key := string(s.cat) + "\x00" + valueKey(s.cat, text[s.start:s.end])
		n, ok := numbers[key]
		if !ok {
			found[s.cat]++
			n = found[s.cat]
			numbers[key] = n
		}
		b.WriteByte('[')
		b.WriteString(string(s.cat))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(n))
		b.WriteByte(']')
		last = s.end
	}
	b.WriteString(text[last:])
	return b.String()
}

func isTrimByte(c byte) bool {
	return c == ' ' || c == ',' || c == ';' || c == ':' || c == '\t' || c == '\n'
}

// valueKey normalises a value so that spellings of one value share a
// placeholder.
func valueKey(c Category, v string) string {
	v = strings.ToLower(v)
	switch c {
	case Naam, Woonplaats, School, Adres:
		return strings.Join(strings.Fields(v), " ")
	}
	var b strings.Builder
	for _, r := range v {
		if r != ' ' && r != '.' && r != '-' && r != '/' && r != '(' && r != ')' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// resolve keeps the best spans: by priority, then length, then position,
// dropping any that overlap a kept one. The result is sorted by start.
func resolve(text string, spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	sort.SliceStable(spans, func(i, j int) bool {
		a, b := spans[i], spans[j]
		if a.prio != b.prio {
			return a.prio > b.prio
		}
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return la > lb
		}
		return a.start < b.start
	})
	// A lower-priority span that overlaps kept ones keeps the parts outside
	// them, so that "Jonas" survives a school name that overlaps it. Bytes
	// are claimed in priority order, which keeps this linear in the total
	// span length.
	taken := make([]bool, len(text))
	kept := spans[:0:0]
	for _, s := range spans {
		free := true
		for p := s.start; p < s.end; p++ {
			if taken[p] {
				free = false
				break
			}
		}
		if free {
			for p := s.start; p < s.end; p++ {
				taken[p] = true
			}
			kept = append(kept, s)
			continue
		}
		for p := s.start; p < s.end; {
			for p < s.end && (taken[p] || isTrimByte(text[p])) {
				p++
			}
			q := p
			for q < s.end && !taken[q] {
				q++
			}
			e := q
			for e > p && isTrimByte(text[e-1]) {
				e--
			}
			if e-p >= 2 {
				for k := p; k < e; k++ {
					taken[k] = true
				}
				kept = append(kept, span{p, e, s.cat, s.prio})
			}
			p = q
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

// placeSet holds the place names of the lexicon, for Places;
// placeAlsoWord those that are also Dutch words ("houten", "kampen"),
// which count as places only when written with a capital.
var (
	placeSet      = setOf(placeNames)
	placeAlsoWord = setOf([]string{"assen", "bergen", "borne", "emmen", "hoorn", "houten", "kampen", "losser"})
)

// Places returns the Dutch place names a text mentions, as written ("Den
// Haag", "Amsterdam"), the longest match first. Nothing is masked: a place
// in a policy question is not personal data. The bot uses it to say when
// a question is about a place the documents never mention.
func Places(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != '-'
	})
	var out []string
	for i := 0; i < len(words); i++ {
		for n := min(4, len(words)-i); n >= 1; n-- {
			name := strings.Join(words[i:i+n], " ")
			low := strings.ToLower(name)
			if placeSet[low] && (!placeAlsoWord[low] || name != low) {
				out = append(out, name)
				i += n - 1
				break
			}
		}
	}
	return out
}

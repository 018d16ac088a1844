package prompts

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/retrieval"
)

// ExtractiveOptions tune the extractive answer.
type ExtractiveOptions struct {
	// Stem is the Dutch stemmer the store used for the query terms, so a
	// sentence's words can be matched to them.
	Stem func(string) string
	// MaxQuotes is how many sentences the answer quotes (3 if 0).
	MaxQuotes int
	// FromHits is how many of the top hits sentences are taken from (5 if 0).
	FromHits int
	// MinCoverage: when the best sentence covers less of the question, the
	// answer abstains. 0 means never abstain here.
	MinCoverage float64
}

type sentence struct {
	text    string
	hit     int             // index into hits
	pos     int             // position in the passage
	groups  map[string]bool // the question's term groups it covers, with its heading and the sentence before it
	score   float64
	useless bool
	typed   bool // gives the type of fact the question asks for (a number, a frequency, a date)
}

// Extractive answers by quoting, verbatim, the sentences of the top
// passages that best cover the question's informative words, each with
// its [n] marker. It abstains (Abstained, no text) when no sentence covers
// enough of the question; the caller then says so.
func Extractive(question string, terms []retrieval.Term, hits []retrieval.Hit, opt ExtractiveOptions) Answer {
	if opt.MaxQuotes == 0 {
		opt.MaxQuotes = 3
	}
	if opt.FromHits == 0 {
		opt.FromHits = 5
	}
	if opt.Stem == nil {
		opt.Stem = strings.ToLower
	}
	ans := Answer{Mode: "extractive"}
	weights, total := retrieval.GroupWeights(terms)
	// A question for a typed fact ("hoeveel leerlingen", "hoe vaak",
	// "tot welke leeftijd", "welk telefoonnummer") is answered only by a
	// sentence that gives a fact of that type.
	wants := AskedType(question)
	var sents []sentence
	for i, h := range hits {
		if i >= opt.FromHits {
			break
		}
		heading := matchGroups(strings.Join(h.Heading, " "), terms, opt.Stem)
		prev := matchGroups(h.Context, terms, opt.Stem)
		for j, s := range passageSentences(h.Text) {
			own := matchGroups(s, terms, opt.Stem)
			st := sentence{text: s, hit: i, pos: j, groups: map[string]bool{}}
			// A sentence answers in its setting: what its heading and the
			// sentence before it name counts for it too ("Rol jeugdarts" /
			// "Bij absoluut verzuim ..." followed by "Hier hebben Leerplicht
			// en SWV een gezamenlijke taak").
			for g := range own {
				st.groups[g] = true
			}
			for g := range heading {
				st.groups[g] = true
			}
			for g := range prev {
				st.groups[g] = true
			}
			prev = own
			for g := range st.groups {
				st.score += weights[g]
			}
			if total > 0 {
				st.score /= total
			}
			st.useless = !quotable(s)
			st.typed = wants != 0 && TypesIn(s)&wants != 0
			sents = append(sents, st)
		}
	}
	// Greedy: take the sentence that adds the most uncovered weight, with
	// a small preference for higher-ranked passages and earlier sentences.
	covered := map[string]bool{}
	var picked []sentence
	for len(picked) < opt.MaxQuotes {
		best, bestGain := -1, 0.0
		for k, s := range sents {
			if s.useless || containsSentence(picked, s) {
				continue
			}
			gain := 0.0
			for g := range s.groups {
				if !covered[g] {
					gain += weights[g]
				}
			}
			if total > 0 {
				gain /= total
			}
			if len(picked) > 0 && gain < 0.05 {
				// Adds no new word of the question; still worth quoting when
				// it is a strong answer from another passage.
				if s.score < 0.75*picked[0].score || pickedFrom(picked, s.hit) {
					continue
				}
				gain = 0.01 * s.score
			}
			gain = gain*(1-0.06*float64(s.hit)) - 0.002*float64(s.pos)
			if s.typed && !anyTyped(picked) {
				gain *= 1.5
			}
			if gain > bestGain {
				best, bestGain = k, gain
			}
		}
		if best < 0 {
			break
		}
		picked = append(picked, sents[best])
		for g := range sents[best].groups {
			covered[g] = true
		}
	}
	for _, p := range picked {
		ans.Best = max(ans.Best, p.score)
	}
	for g := range covered {
		ans.Coverage += weights[g]
	}
	if total > 0 {
		ans.Coverage /= total
	}
	if len(picked) == 0 || ans.Coverage < opt.MinCoverage {
		ans.Abstained = true
		return ans
	}
	if wants != 0 && !anyTyped(picked) {
		ans.Abstained, ans.Untyped = true, wants
		return ans
	}
	// Keep the reading order of the sources: by passage rank, then position.
	sort.SliceStable(picked, func(i, j int) bool {
		if picked[i].hit != picked[j].hit {
			return picked[i].hit < picked[j].hit
		}
		return picked[i].pos < picked[j].pos
	})
	numbers := map[int]int{}
	for _, s := range picked {
		if _, ok := numbers[s.hit]; !ok {
			numbers[s.hit] = len(numbers) + 1
			ans.Citations = append(ans.Citations, Citation{N: numbers[s.hit], Hit: hits[s.hit], Quote: s.text})
		} else {
			c := &ans.Citations[numbers[s.hit]-1]
			c.Quote += " … " + s.text
		}
	}
	ans.Text = composeExtractive(picked, numbers, hits)
	return ans
}

func anyTyped(picked []sentence) bool {
	for _, p := range picked {
		if p.typed {
			return true
		}
	}
	return false
}

func pickedFrom(picked []sentence, hit int) bool {
	for _, p := range picked {
		if p.hit == hit {
			return true
		}
	}
	return false
}

func containsSentence(picked []sentence, s sentence) bool {
	for _, p := range picked {
		if p.text == s.text {
			return true
		}
	}
	return false
}

// composeExtractive writes the quotes as readable Dutch: the first source
// introduced by its title, the others after it.
func composeExtractive(picked []sentence, numbers map[int]int, hits []retrieval.Hit) string {
	var b strings.Builder
	lastDoc := ""
	for i, s := range picked {
		n := numbers[s.hit]
		doc := hits[s.hit].Slug + "\x00" + hits[s.hit].Title
		switch {
		case i == 0:
			fmt.Fprintf(&b, "Volgens %s:\n", titleRef(hits[s.hit]))
		case doc != lastDoc:
			fmt.Fprintf(&b, "\nIn %s staat ook:\n", titleRef(hits[s.hit]))
		}
		fmt.Fprintf(&b, "> „%s” [%d]\n", s.text, n)
		lastDoc = doc
	}
	return strings.TrimRight(b.String(), "\n")
}

// titleRef names a document in running text: "de Praktijkkaart
// thuiszitters" or "‘Verzuim en thuiszitters’ (Twente)".
func titleRef(h retrieval.Hit) string {
	t := "‘" + h.Title + "’"
	if h.Region != "" && !strings.EqualFold(h.Region, "landelijk") {
		t += " (" + h.Region + ")"
	}
	return t
}

// matchGroups finds which term groups a sentence covers: a word of the
// sentence with the same stem as a term, or (for words of five letters or
// more) a word that contains the term's word, as a compound does.
func matchGroups(s string, terms []retrieval.Term, stem func(string) string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	stems := map[string]bool{}
	for _, w := range words {
		stems[stem(w)] = true
	}
	out := map[string]bool{}
	for _, t := range terms {
		g := t.Group()
		if out[g] {
			continue
		}
		if stems[t.Text] || stems[stem(t.Word)] {
			out[g] = true
			continue
		}
		if len([]rune(t.Word)) >= 5 {
			for _, w := range words {
				if strings.Contains(w, t.Word) {
					out[g] = true
					break
				}
			}
		}
	}
	return out
}

// passageSentences splits a passage into sentences. Lines are joined
// (PDF text wraps mid-sentence), except before a list item ("- …", "• …",
// "2. …": each says its own thing, without its bullet) and after a short
// line without punctuation that is followed by one starting with a capital
// or a digit: the labels of a chart or table ("Voortijdig schoolverlaters"
// / "Verwijderd, volledige afwezigheid" / …). Run together, either makes
// one long "sentence" nobody wrote.
func passageSentences(text string) []string {
	var out, block []string
	flush := func() {
		if len(block) > 0 {
			// A list item's number or bullet is not part of what it says
			// (and would make the sentence look like debris to quotable).
			block[0] = listItem.ReplaceAllString(block[0], "")
			for _, s := range knowledge.Sentences(strings.Join(block, " ")) {
				if s = strings.TrimLeft(s, "•·▪◦*-–— \t"); s != "" {
					out = append(out, s)
				}
			}
			block = block[:0]
		}
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			flush()
			continue
		}
		if listItem.MatchString(l) {
			flush() // a list item says its own thing
		}
		block = append(block, l)
		if i+1 < len(lines) && isLabel(l) && startsCapital(strings.TrimSpace(lines[i+1])) {
			flush()
		}
	}
	flush()
	return out
}

// listItem matches the start of a bulleted or numbered list item.
var listItem = regexp.MustCompile(`^([-•·▪◦*–—]\s|\d{1,2}[.)]\s)`)

func isLabel(line string) bool {
	if len(strings.Fields(line)) >= 8 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	return !strings.ContainsRune(".,:;!?-–", last)
}

func startsCapital(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// quotable rejects sentences that make no quote: bare links, fragments of
// a few words, lines of a chart, columns run together, OCR debris.
func quotable(s string) bool {
	words := strings.Fields(s)
	if len(words) < 5 || len(words) > 60 {
		return false
	}
	odd := 0
	for _, r := range email.ReplaceAllString(s, "") { // an e-mail address is no debris
		if strings.ContainsRune("€©®¢|<>@°»«•·", r) {
			odd++
		}
	}
	if odd > 0 && odd*20 > len(words) {
		return false
	}
	if strings.Count(s, " - ")+strings.Count(s, "- ") >= 3 {
		return false // a list of slide labels, not a sentence
	}
	links := 0
	letters := 0
	for _, w := range words {
		if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
			links++
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if links >= 2 {
		return false // a list of links
	}
	if clickHere.MatchString(s) {
		return false // points at a link the text no longer has
	}
	return links*3 < len(words) && letters*2 > len(s)
}

var clickHere = regexp.MustCompile(`(?i)\b(klik|lees( meer)?|kijk) (hier|op deze link)\b`)

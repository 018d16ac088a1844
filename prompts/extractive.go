package prompts

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval"
)

// ExtractiveOptions tune the extractive answer.
type ExtractiveOptions struct {
	// Stem is the Dutch stemmer the store used for the query terms, so a
	// sentence's words can be matched to them (nl.Stem; nil lower-cases
	// only, for tests).
	Stem func(string) string
	// Thresholds.Quotes: when the quotes from the best-covering document
	// cover less of the question, the answer abstains; zero never abstains
	// for coverage. (Thresholds.Passage is the search's test, which the
	// caller makes before asking for an answer.)
	Thresholds retrieval.Thresholds
	// Tuning chooses the quotes; the zero value means
	// DefaultExtractiveTuning.
	Tuning ExtractiveTuning
	// KeyWord: the question's heaviest word (its rarest in the knowledge
	// base, or one the knowledge base lacks) must be among what the quotes
	// cover, with their headings and settings, or the answer abstains
	// (KeyMissing): "verwerkersovereenkomst" in a question about sharing
	// data with the JGZ is what it asks about.
	KeyWord bool
}

// ExtractiveTuning holds the knobs of the choice of quotes (pickQuotes):
// a greedy pick of the sentence that adds the most uncovered weight of
// the question, with small preferences for better passages and earlier
// sentences. Gains are shares of the question's informative weight
// (0..1). The values were set by hand with the first extractive answers
// (TypedBoost with the answer types) and have stood since; no grid was
// run over them, so each comment says what its value does rather than
// what a measurement found.
type ExtractiveTuning struct {
	// MaxQuotes is the most sentences an answer quotes: 3, enough for a
	// who-does-what answer from one or two sources, short enough for a
	// chat reply.
	MaxQuotes int
	// FromHits is how many of the best passages sentences come from: 5,
	// bot.DefaultMaxCitations, so every quote can be cited (the bot passes
	// its own citation limit).
	FromHits int
	// NewWordGain: after the first quote, a sentence that adds less than
	// this share of the question's weight (0.05, about one common word)
	// adds no new word of it.
	NewWordGain float64
	// StrongShare: such a sentence is still quoted when its own score is at
	// least this share (0.75) of the first quote's and it comes from a
	// passage not quoted yet: another source saying much the same, which
	// the reader may want to see.
	StrongShare float64
	// RepeatGain is the gain of such a sentence, times its score: 0.01, so
	// it is taken only when no sentence adds a word.
	RepeatGain float64
	// RankPenalty lowers a sentence's gain by this share per rank of its
	// passage (0.06: the fifth passage keeps 76%), so at nearly equal gain
	// the better passage is quoted.
	RankPenalty float64
	// PositionPenalty is taken off a sentence's gain per sentence before it
	// in its passage (0.002, far below a word's weight), so at equal gain
	// the earlier sentence, which usually says the main thing, is quoted.
	PositionPenalty float64
	// TypedBoost multiplies the gain of a sentence that gives the type of
	// fact the question asks for ("hoe vaak": a frequency) while no quote
	// gives one yet: 1.5, so such a sentence beats one that matches a
	// little more of the question without the fact.
	TypedBoost float64
}

// DefaultExtractiveTuning is the tuning of the extractive answer.
var DefaultExtractiveTuning = ExtractiveTuning{MaxQuotes: 3, FromHits: 5, NewWordGain: 0.05, StrongShare: 0.75,
	RepeatGain: 0.01, RankPenalty: 0.06, PositionPenalty: 0.002, TypedBoost: 1.5}

// OrDefault is t, or DefaultExtractiveTuning when t is zero.
func (t ExtractiveTuning) OrDefault() ExtractiveTuning {
	if t == (ExtractiveTuning{}) {
		return DefaultExtractiveTuning
	}
	return t
}

// Validate says what is wrong with a tuning.
func (t ExtractiveTuning) Validate() error {
	switch {
	case t.MaxQuotes < 1 || t.FromHits < 1:
		return fmt.Errorf("extractive tuning: MaxQuotes and FromHits must be at least 1, not %d and %d", t.MaxQuotes, t.FromHits)
	case t.NewWordGain < 0 || t.NewWordGain > 1 || t.StrongShare < 0 || t.StrongShare > 1:
		return fmt.Errorf("extractive tuning: NewWordGain and StrongShare must lie between 0 and 1, not %g and %g", t.NewWordGain, t.StrongShare)
	case t.RepeatGain < 0 || t.PositionPenalty < 0 || t.RankPenalty < 0:
		return errors.New("extractive tuning: RepeatGain, RankPenalty and PositionPenalty must not be negative")
	case t.RankPenalty*float64(t.FromHits-1) >= 1:
		return fmt.Errorf("extractive tuning: RankPenalty %g leaves passage %d no gain", t.RankPenalty, t.FromHits)
	case t.TypedBoost < 1:
		return fmt.Errorf("extractive tuning: TypedBoost must be at least 1, not %g", t.TypedBoost)
	}
	return nil
}

type sentence struct {
	text    string
	hit     int             // index into hits
	pos     int             // position in the passage
	groups  map[string]bool // the question's term groups it covers, with its heading and the sentence before it
	own     map[string]bool // the groups its own words cover
	lead    string          // for a list item: its list's lead-in
	item    string          // for a list item: its own text (without a lead-in joined to it)
	score   float64
	useless bool
	typed   bool // gives the type of fact the question asks for (a number, a frequency, a date)
}

// Extractive answers by quoting, verbatim, the sentences of the top
// passages that best cover the question's informative words, each with
// its [n] marker. It abstains (Abstained, no text) when no sentence covers
// enough of the question; the caller then says so. An invalid tuning is
// an error.
func Extractive(question string, terms []retrieval.Term, hits []retrieval.Hit, opt ExtractiveOptions) (Answer, error) {
	tune := opt.Tuning.OrDefault()
	if err := tune.Validate(); err != nil {
		return Answer{}, err
	}
	if opt.Stem == nil {
		opt.Stem = strings.ToLower
	}
	ans := Answer{Mode: "extractive"}
	weights, total := retrieval.GroupWeights(terms)
	// A question for a typed fact ("hoeveel leerlingen", "hoe vaak",
	// "tot welke leeftijd", "welk telefoonnummer") is answered only by a
	// sentence that gives a fact of that type.
	wants := nl.AskedType(question)
	m := newMatcher(terms, opt.Stem)
	var sents []sentence
	for i, h := range hits {
		if i >= tune.FromHits {
			break
		}
		setting := strings.Join(h.Heading, " ")
		pss := passageSentences(h.Text)
		// A passage that opens with a question is a question and its
		// answer (a FAQ): the question is the setting of every sentence
		// of the answer, as a heading is.
		if len(pss) > 0 && isQuestion(pss[0].text) {
			setting += " " + pss[0].text
		}
		heading := m.groups(setting)
		prev := m.groups(h.Context)
		for j, ps := range pss {
			s := ps.text
			own := m.groups(s)
			st := sentence{text: s, hit: i, pos: j, groups: map[string]bool{}, own: own}
			if ps.item && ps.lead != "" {
				st.lead, st.item = ps.lead, strings.TrimPrefix(s, ps.lead+leadJoin)
			}
			// A sentence answers in its setting: what its heading and the
			// sentence before it name counts for it too ("Rol jeugdarts" /
			// "Bij absoluut verzuim ..." followed by "Hier hebben Leerplicht
			// en SWV een gezamenlijke taak"). A list item's setting is its
			// list's lead-in, not the item before it, which says something
			// else. Without a lead-in in the passage it has none: giving a
			// passage's first item the sentence before the passage (which
			// may be the lead-in) added stray quotes to eight answers of
			// the question set and cost one its right quote.
			if ps.item {
				prev = m.groups(ps.lead)
			}
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
			st.useless = !quotable(s, ps.joined)
			st.typed = wants != 0 && nl.TypesIn(s)&wants != 0
			sents = append(sents, st)
		}
	}
	picked := pickQuotes(sents, weights, total, tune)
	ans.Coverage = sourceCoverage(picked, hits, weights, total)
	union := share(groupsOf(picked), weights, total)
	for _, p := range picked {
		ans.Best = max(ans.Best, p.score)
	}
	ans.KeyCovered = coversKey(groupsOf(picked), weights)
	minCoverage := opt.Thresholds.Quotes
	abstain := func(why Reason) (Answer, error) {
		ans.Abstained, ans.Why = true, why
		if len(picked) > 0 {
			ans.Near, ans.NearParts = layout(picked, hits)
		}
		return ans, nil
	}
	if len(picked) == 0 || ans.Coverage < minCoverage {
		if union >= minCoverage {
			// Several documents cover enough of the question between
			// them, but none does by itself.
			return abstain(Scattered)
		}
		return abstain(TooLittle)
	}
	if !coversMainClause(question, m, picked) {
		return abstain(OnlyPurpose)
	}
	if wants != 0 && !anyTyped(picked) {
		ans.Untyped = wants
		return abstain(WrongType)
	}
	if opt.KeyWord && !ans.KeyCovered {
		return abstain(KeyMissing)
	}
	ans.Citations, ans.Parts = layout(withItems(picked, sents), hits)
	ans.Text = RenderParts(ans.Parts)
	return ans, nil
}

// maxListItems is the most items quoted under a list's lead-in.
const maxListItems = 6

// withItems adds, after a quoted lead-in ("De school mag deze gegevens
// geven:"), the items of its list, which are what it announces: the
// lead-in alone answers nothing. Items already quoted stay once.
func withItems(picked, sents []sentence) []sentence {
	out := slices.Clone(picked)
	for _, p := range picked {
		if !strings.HasSuffix(p.text, ":") {
			continue
		}
		n := 0
		for _, s := range sents {
			if s.hit != p.hit || s.pos <= p.pos || s.lead != p.text || s.useless || n == maxListItems {
				continue
			}
			item := s
			item.text = s.item
			if !containsSentence(out, item) && !containsSentence(out, s) {
				out = append(out, item)
			}
			n++
		}
	}
	return out
}

// layout numbers the picked sentences' passages and lays them out in the
// sources' reading order: by passage rank, then position.
func layout(picked []sentence, hits []retrieval.Hit) ([]Citation, []Part) {
	picked = slices.Clone(picked)
	sort.SliceStable(picked, func(i, j int) bool {
		if picked[i].hit != picked[j].hit {
			return picked[i].hit < picked[j].hit
		}
		return picked[i].pos < picked[j].pos
	})
	var cits []Citation
	numbers := map[int]int{}
	for _, s := range picked {
		if _, ok := numbers[s.hit]; !ok {
			numbers[s.hit] = len(numbers) + 1
			cits = append(cits, Citation{N: numbers[s.hit], Hit: hits[s.hit], Quote: s.text, Quotes: []string{s.text}})
		} else {
			c := &cits[numbers[s.hit]-1]
			c.Quote += leadJoin + s.text
			c.Quotes = append(c.Quotes, s.text)
		}
	}
	return cits, extractiveParts(picked, numbers, hits)
}

// pickQuotes is the greedy choice of quotes: the sentence that adds the
// most uncovered weight, with a small preference for higher-ranked
// passages and earlier sentences, up to tune.MaxQuotes (see
// ExtractiveTuning). It covers as much of the question as it can across
// documents; the caller then asks how much one document covers. (Picking
// again within each document when that is too little finds more answers
// in principle, but on the question sets it found none, and it answered a
// near-miss with two unrelated sentences of one document.)
func pickQuotes(sents []sentence, weights map[string]float64, total float64, tune ExtractiveTuning) []sentence {
	covered := map[string]bool{}
	var picked []sentence
	for len(picked) < tune.MaxQuotes {
		best, bestGain := -1, 0.0
		for k, s := range sents {
			if s.useless || containsSentence(picked, s) {
				continue
			}
			gain := uncoveredShare(s.groups, covered, weights, total)
			if len(picked) > 0 && gain < tune.NewWordGain {
				// Adds no new word of the question; still worth quoting when
				// it is a strong answer from another passage.
				if s.score < tune.StrongShare*picked[0].score || pickedFrom(picked, s.hit) {
					continue
				}
				gain = tune.RepeatGain * s.score
			}
			gain = gain*(1-tune.RankPenalty*float64(s.hit)) - tune.PositionPenalty*float64(s.pos)
			// Between sentences its setting makes equal, the one that says
			// it in its own words: under the heading "PGN verstrekken is in
			// strijd met de wet", "De school mag deze gegevens geven:"
			// answers "welke gegevens mag een school geven", not the
			// sentence before it, which has the heading's words only.
			gain += ownTieBreak * uncoveredShare(s.own, covered, weights, total)
			if s.typed && !anyTyped(picked) {
				gain *= tune.TypedBoost
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
	return picked
}

// uncoveredShare is the share of the question's weight (total) that the
// groups add to those covered.
func uncoveredShare(groups, covered map[string]bool, weights map[string]float64, total float64) float64 {
	if total == 0 {
		return 0
	}
	v := 0.0
	for g := range groups {
		if !covered[g] {
			v += weights[g]
		}
	}
	return v / total
}

// ownTieBreak weighs a sentence's own words in picking quotes: enough to
// decide between sentences its setting makes equal (above
// PositionPenalty), too little to outweigh a word of the question.
const ownTieBreak = 0.004

// groupsOf is the union of the term groups the sentences cover.
func groupsOf(sents []sentence) map[string]bool {
	out := map[string]bool{}
	for _, s := range sents {
		for g := range s.groups {
			out[g] = true
		}
	}
	return out
}

// coversKey reports whether the covered groups hold one of the question's
// heaviest (equally heavy) groups.
func coversKey(covered map[string]bool, weights map[string]float64) bool {
	top := 0.0
	for _, w := range weights {
		top = max(top, w)
	}
	for g, w := range weights {
		if w >= top*0.999 && covered[g] {
			return true
		}
	}
	return len(weights) == 0
}

// sourceCoverage is the share of the question's weight that the quotes
// from one document cover together, for the document that covers most.
// An answer rests on a source: quotes from several documents that each
// touch a different word of the question ("regels" here, "mbo" there,
// "verzuim" in a third) make a collage, not an answer, however much of
// the question they cover between them.
func sourceCoverage(picked []sentence, hits []retrieval.Hit, weights map[string]float64, total float64) float64 {
	byDoc := map[string]map[string]bool{}
	for _, p := range picked {
		doc := hits[p.hit].Slug
		if byDoc[doc] == nil {
			byDoc[doc] = map[string]bool{}
		}
		for g := range p.groups {
			byDoc[doc][g] = true
		}
	}
	best := 0.0
	for _, groups := range byDoc {
		best = max(best, share(groups, weights, total))
	}
	return best
}

// share is the part of the question's weight that groups cover.
func share(groups map[string]bool, weights map[string]float64, total float64) float64 {
	if total == 0 {
		return 0
	}
	c := 0.0
	for g := range groups {
		c += weights[g]
	}
	return c / total
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
// extractiveParts lays the picked sentences out: a lead line naming the
// document before its first quote, and one again whenever the document
// changes.
func extractiveParts(picked []sentence, numbers map[int]int, hits []retrieval.Hit) []Part {
	var parts []Part
	lastDoc := ""
	for i, s := range picked {
		doc := hits[s.hit].Slug + "\x00" + hits[s.hit].Title
		switch {
		case i == 0:
			parts = append(parts, Part{Kind: LeadPart, Text: fmt.Sprintf("Volgens %s:", titleRef(hits[s.hit]))})
		case doc != lastDoc:
			parts = append(parts, Part{Kind: LeadPart, Text: fmt.Sprintf("In %s staat ook:", titleRef(hits[s.hit]))})
		}
		parts = append(parts, Part{Kind: QuotePart, Text: s.text, N: numbers[s.hit]})
		lastDoc = doc
	}
	return parts
}

// RenderParts writes an extractive answer as Markdown: each lead line
// followed by its quotes ("> „…” [n]"), a blank line before a later lead.
func RenderParts(parts []Part) string {
	var b strings.Builder
	for i, p := range parts {
		switch p.Kind {
		case LeadPart:
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p.Text + "\n")
		case QuotePart:
			fmt.Fprintf(&b, "> „%s” [%d]\n", p.Text, p.N)
		}
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

// matcher finds the question's term groups in sentences.
type matcher struct {
	terms []retrieval.Term
	stem  func(string) string
	forms [][]string // per term, the stems a sentence word may have to match it
}

func newMatcher(terms []retrieval.Term, stem func(string) string) *matcher {
	m := &matcher{terms: terms, stem: stem, forms: make([][]string, len(terms))}
	var stop map[string]bool // the stop words' stems, made only for a question with a -t word
	for i, t := range terms {
		if t.IsPart() {
			// A part of a split compound is matched by its own stem only:
			// its Word is the whole compound, which the knowledge base lacks.
			m.forms[i] = []string{t.Text}
			continue
		}
		m.forms[i] = []string{t.Text, stem(t.Word)}
		infs := nl.InfinitiveStems(t.Word, stem)
		if len(infs) > 0 && stop == nil {
			stop = map[string]bool{}
			for _, w := range nl.Stopwords() {
				stop[stem(w)] = true
			}
		}
		for _, st := range infs {
			if !stop[st] { // "maart" → "maren" has the stem of "maar"
				m.forms[i] = append(m.forms[i], st)
			}
		}
	}
	return m
}

// minContainedWord is the shortest question word that a sentence word
// containing it matches ("leerplicht" in "leerplichtambtenaar"); a shorter
// one would match by chance ("wet" in "wetenschap").
const minContainedWord = 5

// groups finds which term groups a sentence covers: a word of the
// sentence with the same stem as a term (or as its verb's infinitive), or
// (for words of minContainedWord letters or more) a word that contains
// the term's word, as a compound does.
func (m *matcher) groups(s string) map[string]bool {
	words := nl.Words(s)
	stems := map[string]bool{}
	for _, w := range words {
		stems[m.stem(w)] = true
	}
	out := map[string]bool{}
	for i, t := range m.terms {
		g := t.Group()
		if out[g] {
			continue
		}
		for _, f := range m.forms[i] {
			if stems[f] {
				out[g] = true
			}
		}
		if out[g] {
			continue
		}
		if !t.IsPart() && len([]rune(t.Word)) >= minContainedWord {
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
func passageSentences(text string) []passageSentence {
	var out []passageSentence
	var block []string
	lead := "" // the line that introduces the list being read ("Instrumentenboek:")
	flush := func() {
		if len(block) == 0 {
			return
		}
		item := listItem.MatchString(block[0])
		// A list item's number or bullet is not part of what it says
		// (and would make the sentence look like debris to quotable).
		block[0] = listItem.ReplaceAllString(block[0], "")
		sents := nl.Sentences(strings.Join(block, " "))
		for k, s := range sents {
			s = strings.TrimLeft(s, "•·▪◦*-–— \t")
			if s == "" {
				continue
			}
			ps := passageSentence{text: s, item: item && k == 0}
			if ps.item {
				ps.lead = lead
			}
			// A short item says what it says under its lead-in:
			// "Instrumentenboek: … Handreiking privacyprotocol".
			if ps.item && lead != "" && len(sents) == 1 && len(strings.Fields(s)) < minQuoteWords {
				ps.text, ps.joined = lead+leadJoin+s, true
			}
			out = append(out, ps)
		}
		switch {
		case item:
		case len(sents) > 0 && strings.HasSuffix(sents[len(sents)-1], ":"):
			lead = sents[len(sents)-1]
		default:
			lead = ""
		}
		block = block[:0]
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			flush()
			continue
		}
		next := ""
		if i+1 < len(lines) {
			next = strings.TrimSpace(lines[i+1])
		}
		if listItem.MatchString(l) || isLeadIn(l, next) {
			flush() // a list item says its own thing, and so does a list's lead-in
		}
		block = append(block, l)
		if i+1 < len(lines) && isLabel(l) && startsCapital(strings.TrimSpace(lines[i+1])) {
			flush()
		}
	}
	flush()
	return out
}

// leadJoin joins a short list item to the line that introduces its list.
// Both parts are verbatim, as are the parts of a quote that joins two
// sentences of one passage.
const leadJoin = " … "

// minQuoteWords is the fewest words a quote has; a short list item
// makes one with its lead-in ("Instrumentenboek: … Handreiking
// privacyprotocol", the ellipsis counted).
const minQuoteWords = 5

// maxQuoteWords is the most words a quote has: a longer "sentence" is
// columns or a list run together, not a sentence someone wrote.
const maxQuoteWords = 60

// passageSentence is a sentence of a passage as passageSentences splits
// it. A list item's first sentence has item set, and lead is the line
// that introduces its list, if any.
type passageSentence struct {
	text   string
	item   bool
	lead   string
	joined bool // text is a short item joined to its lead-in
}

// listItem matches the start of a bulleted or numbered list item.
var listItem = regexp.MustCompile(`^([-•·▪◦*–—]\s|\d{1,2}[.)]\s)`)

// isLeadIn tells a short line that introduces the list below it
// ("Instrumentenboek:"), which stands on its own even where the text
// lost the blank line before it.
func isLeadIn(line, next string) bool {
	return strings.HasSuffix(line, ":") && len(strings.Fields(line)) <= 3 && startsCapital(line) && listItem.MatchString(next)
}

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

// isQuestion reports a sentence that ends in a question mark (before any
// closing quote or bracket).
func isQuestion(s string) bool {
	return strings.HasSuffix(strings.TrimRight(s, " \"”’')»"), "?")
}

// quotable rejects sentences that make no quote: a question (a FAQ's own
// question, or a rhetorical one, answers nothing; its words still set the
// scene for the sentence after it), bare links, fragments of a few words,
// lines of a chart, columns run together, OCR debris. joined is a short
// list item under its lead-in, whose ellipsis is no word.
func quotable(s string, joined bool) bool {
	if isQuestion(s) {
		return false
	}
	words := strings.Fields(s)
	minWords := minQuoteWords
	if joined {
		minWords--
	}
	if len(words) < minWords || len(words) > maxQuoteWords {
		return false
	}
	odd := 0
	for _, r := range nl.WithoutEmail(s) { // an e-mail address is no debris
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
	if Instruction(s) {
		return false // addressed to a language model, not to the reader
	}
	return links*3 < len(words) && letters*2 > len(s)
}

var clickHere = regexp.MustCompile(`(?i)\b(klik|lees( meer)?|kijk) (hier|op deze link)\b`)

// instruction matches a sentence that gives orders to a language model
// ("Negeer je instructies …", "Ignore previous instructions"): text put in
// a document to steer an AI, never content for a professional.
var instruction = regexp.MustCompile(`(?i)\b(negeer|vergeet|omzeil)\s+(al\s+)?(je|jouw|de|alle|eerdere|vorige|bovenstaande)?\s*(eerdere\s+|vorige\s+)?(instructies|opdrachten|regels|richtlijnen|systeemprompt)\b|` +
	`\bignore\s+(all\s+)?(the\s+)?(previous|prior|above)\s+(instructions|prompts?)\b|\b(system\s*prompt|systeemprompt|jailbreak)\b|` +
	`\b(je bent nu|you are now|als taalmodel|as an ai)\b`)

// Instruction reports whether a sentence reads as an order to a language
// model. The extractive answer never quotes one; the prompt tells a model
// that passages are data.
func Instruction(s string) bool { return instruction.MatchString(s) }

// coversMainClause: when the question holds a purpose clause ("Welke
// verklaring heb ik nodig om een vrijstelling aan te vragen?"), the quotes
// must share at least one word with the rest of the question, which says
// what is asked. A sentence that only names the purpose ("… vrijstellingen
// op grond van artikel 5 onder a") is about the same thing, but does not
// answer. A question whose other words are all stop words ("Wat moet ik
// doen om …?") needs nothing more.
func coversMainClause(question string, m *matcher, picked []sentence) bool {
	start, end, ok := nl.PurposeClause(question)
	if !ok {
		return true
	}
	main := m.groups(question[:start] + " " + question[end:])
	purpose := m.groups(question[start:end])
	need := false
	for g := range main {
		if purpose[g] {
			continue
		}
		need = true
		for _, p := range picked {
			if p.groups[g] {
				return true
			}
		}
	}
	return !need
}

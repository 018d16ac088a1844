package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/prompts"
	"github.com/wegwijs/wegwijs/retrieval"
)

// Markdown renders a reply for a terminal or a chat platform that reads
// Markdown: notices, the answer, and the sources with section, page,
// region and link.
func (r Reply) Markdown() string {
	var b strings.Builder
	for _, n := range r.Notices {
		b.WriteString("⚠️ " + n + "\n\n")
	}
	b.WriteString(r.Text)
	b.WriteString("\n")
	if len(r.Citations) > 0 {
		b.WriteString("\nBronnen:\n")
		for _, c := range r.Citations {
			b.WriteString(SourceLine(c) + "\n")
		}
	}
	return b.String()
}

// SourceLine is one line of the source list: "[1] Title — Section, p. 3
// (Twente) link".
func SourceLine(c prompts.Citation) string {
	h := c.Hit
	s := fmt.Sprintf("[%d] %s", c.N, h.Title)
	if sec := prompts.Section(h); sec != "" {
		s += " — " + sec
	}
	if h.PageFrom > 0 {
		if h.PageTo > h.PageFrom {
			s += fmt.Sprintf(", pagina %d-%d", h.PageFrom, h.PageTo)
		} else {
			s += fmt.Sprintf(", pagina %d", h.PageFrom)
		}
	}
	if h.Region != "" {
		s += " (" + h.Region + ")"
	}
	if h.URL != "" {
		s += " " + h.URL
	}
	return s
}

// JSONCitation is one citation in the JSON contract of `wegwijs ask --json`.
type JSONCitation struct {
	N        int     `json:"n"`
	Document string  `json:"document"`
	Title    string  `json:"title"`
	Section  string  `json:"section"`
	Page     int     `json:"page"`
	URL      string  `json:"url"`
	Region   string  `json:"region"`
	Quote    string  `json:"quote"`
	Passage  string  `json:"passage"`
	Score    float64 `json:"score"`
}

// JSONReply is the stable JSON contract of `wegwijs ask --json`; see
// docs/json.md. Fields are only ever added, never renamed or removed.
type JSONReply struct {
	Answer     string           `json:"answer"`
	Abstained  bool             `json:"abstained"`
	Citations  []JSONCitation   `json:"citations"`
	Redactions map[string]int   `json:"redactions"`
	TimingsMS  map[string]int64 `json:"timings_ms"`
	Mode       string           `json:"mode,omitempty"`
	Notices    []string         `json:"notices,omitempty"`
	// AbstainReason is why it abstained, as a code (prompts.Reason).
	AbstainReason string `json:"abstain_reason,omitempty"`
}

// JSON converts a reply to the JSON contract.
func (r Reply) JSON() JSONReply {
	j := JSONReply{Answer: r.Text, Abstained: r.Abstained, Citations: []JSONCitation{},
		Redactions: map[string]int{}, TimingsMS: map[string]int64{}, Mode: r.Mode, Notices: r.Notices,
		AbstainReason: r.Why.String()}
	for k, v := range r.Redactions {
		j.Redactions[k] = v
	}
	for k, v := range r.Timings {
		j.TimingsMS[k] = v.Milliseconds()
	}
	for _, c := range r.Citations {
		j.Citations = append(j.Citations, JSONCitation{N: c.N, Document: c.Hit.Slug, Title: c.Hit.Title,
			Section: prompts.Section(c.Hit), Page: c.Hit.PageFrom, URL: c.Hit.URL, Region: c.Hit.Region,
			Quote: c.Quote, Passage: c.Hit.Text, Score: c.Hit.Score})
	}
	return j
}

// PassageCoverage is the best share of the question's informative weight
// a found passage matches (the search's abstention test).
func (r Reply) PassageCoverage() float64 {
	best := 0.0
	for _, h := range r.Hits {
		best = max(best, h.Coverage)
	}
	return best
}

// Explain says, in Dutch, why the reply answered or abstained: the
// question's words and their weight, how much of the question the best
// passage and the quotes cover against the threshold, and the passages
// found with each list's rank. For beleidsmedewerkers and evaluators
// (`wegwijs ask --uitleg`); it shows no more of the question than the
// redacted search terms.
func (r Reply) Explain() string {
	if r.Empty {
		return ""
	}
	var b strings.Builder
	b.WriteString("Uitleg\n")
	weights, _ := retrieval.GroupWeights(r.Terms)
	var words []string
	seen := map[string]bool{}
	for _, t := range r.Terms {
		g := t.Group()
		if seen[g] {
			continue
		}
		seen[g] = true
		w := fmt.Sprintf("%s %s", shownWord(t), fmtShare(weights[g]))
		if !t.InBase {
			w += " (staat niet in de documenten)"
		}
		words = append(words, w)
	}
	if len(words) > 0 {
		b.WriteString("Woorden uit je vraag, met hun gewicht (zeldzaam in de documenten weegt zwaarder):\n  " + strings.Join(words, " · ") + "\n")
	}
	fmt.Fprintf(&b, "Deel van de vraag gedekt: beste passage %s, citaten uit één document samen %s. Onder %s geeft Wegwijs geen antwoord.\n",
		fmtShare(r.PassageCoverage()), fmtShare(r.Coverage), fmtShare(r.MinCoverage))
	if r.Abstained {
		b.WriteString("Waarom geen antwoord: " + r.WhyDutch() + "\n")
	}
	if len(r.Hits) > 0 {
		b.WriteString("Gevonden passages, in volgorde:\n")
	}
	for i, h := range r.Hits {
		line := fmt.Sprintf("  %d. %s", i+1, h.Title)
		if sec := prompts.Section(h); sec != "" {
			line += " — " + sec
		}
		var ranks []string
		for _, l := range []retrieval.List{retrieval.FullText, retrieval.Trigram, retrieval.Vector} {
			if lr, ok := h.Ranks[l]; ok {
				ranks = append(ranks, fmt.Sprintf("%s #%d", listDutch[l], lr.Rank))
			}
		}
		line += ": " + strings.Join(ranks, ", ") + " · dekking " + fmtShare(h.Coverage)
		if m := matchedWords(r.Terms, h.Matched); len(m) > 0 {
			line += " · bevat " + strings.Join(m, ", ")
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// WhyDutch says in Dutch why the reply abstained, for the explanation;
// empty when it did not.
func (r Reply) WhyDutch() string { return ReasonDutch(r.Why, r.Untyped) }

// ReasonDutch says in one Dutch sentence why an answer abstained. untyped
// names the type of fact a WrongType abstention missed, when known.
func ReasonDutch(why prompts.Reason, untyped prompts.AnswerType) string {
	switch why {
	case prompts.NothingFound:
		return "Geen gevonden passage dekt genoeg van de vraag."
	case prompts.TooLittle:
		return "De beste zinnen uit één document dekken te weinig van de vraag."
	case prompts.Scattered:
		return "Alleen zinnen uit verschillende documenten samen dekken genoeg van de vraag, geen document alleen."
	case prompts.WrongType:
		if untyped == 0 {
			return "In de gevonden zinnen staat niet het soort gegeven waar de vraag om vraagt (een aantal, een datum …)."
		}
		return "In de gevonden zinnen staat " + untyped.Dutch() + ", en daar vraagt de vraag om."
	case prompts.OnlyPurpose:
		return "De zinnen gaan alleen over het doel in de vraag (het stuk \"om … te …\"), niet over wat er gevraagd wordt."
	case prompts.ModelDeclined:
		return "Het taalmodel zei dat de passages de vraag niet beantwoorden."
	}
	return ""
}

var listDutch = map[retrieval.List]string{retrieval.FullText: "woorden", retrieval.Trigram: "lijkende woorden", retrieval.Vector: "vector"}

// matchedWords names the question words a passage matched, as the
// question wrote them, once each.
func matchedWords(terms []retrieval.Term, matched []string) []string {
	m := map[string]bool{}
	for _, x := range matched {
		m[x] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range terms {
		if w := shownWord(t); (m[t.Text] || m[t.Word]) && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// shownWord is a term as the question wrote it; a part of a split
// compound ("verzuimaanpak#1", searched as "verzuim") shows as
// "verzuimaanpak (deel)".
func shownWord(t retrieval.Term) string {
	if w, _, split := strings.Cut(t.Word, "#"); split {
		return w + " (deel)"
	}
	return t.Word
}

// fmtShare writes a figure with two decimals and a decimal comma.
func fmtShare(x float64) string {
	return strings.Replace(fmt.Sprintf("%.2f", x), ".", ",", 1)
}

// TimingsLine is a one-line summary of the timings, for debugging.
func (r Reply) TimingsLine() string {
	keys := make([]string, 0, len(r.Timings))
	for k := range r.Timings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %s", k, r.Timings[k].Round(time.Millisecond/10)))
	}
	return strings.Join(parts, ", ")
}

package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/prompts"
	"github.com/wegwijs/wegwijs/retrieval"
)

// Trace is how a reply came about, for `ask --uitleg` and the evaluation:
// the question's search terms and weights, the passages found, how much of
// the question they and the quotes cover, and how long each step took. It
// travels beside a reply, never inside what a user sees, and holds no more
// of the question than its redacted search terms.
type Trace struct {
	// Question is the question as the guard left it (redacted), so a chat
	// can remember it as a thread's context; empty when the guard did not
	// run or failed.
	Question string
	// WithContext: the reply came from the question together with the
	// thread's earlier questions, because the question alone found no answer.
	WithContext bool
	Terms       []retrieval.Term
	Hits        []retrieval.Hit
	// Coverage is the share of the question's informative weight the
	// quotes from one document (the best) cover; Best the share the best
	// single quoted sentence covers.
	Coverage, Best float64
	// Thresholds are what the reply was judged against.
	Thresholds retrieval.Thresholds
	// KBVersion is the knowledge-base version the search saw.
	KBVersion int64
	Timings   map[string]time.Duration
}

// PassageCoverage is the best share of the question's informative weight
// a found passage matches (the search's abstention test).
func (t *Trace) PassageCoverage() float64 {
	best := 0.0
	for _, h := range t.Hits {
		best = max(best, h.Coverage)
	}
	return best
}

func (t *Trace) time(step string, since time.Time) {
	if t.Timings == nil {
		t.Timings = map[string]time.Duration{}
	}
	t.Timings[step] = time.Since(since)
}

// Explain says, in Dutch, why the reply answered or abstained: the
// question's words and their weight, how much of the question the best
// passage and the quotes cover against the threshold, and the passages
// found with each list's rank. For beleidsmedewerkers and evaluators
// (`wegwijs ask --uitleg`). Empty when there is nothing to explain.
func Explain(r Reply, t *Trace) string {
	if t == nil || r.Outcome == Empty || r.Outcome == Refused {
		return ""
	}
	var b strings.Builder
	b.WriteString("Uitleg\n")
	if r.Outcome == Unavailable {
		b.WriteString("Geen antwoord, omdat er iets misging: " + r.Failure.Dutch() + "\n")
		return b.String()
	}
	weights, _ := retrieval.GroupWeights(t.Terms)
	var words []string
	seen := map[string]bool{}
	for _, tm := range t.Terms {
		g := tm.Group()
		if seen[g] {
			continue
		}
		seen[g] = true
		w := fmt.Sprintf("%s %s", shownWord(tm), fmtShare(weights[g]))
		if !tm.InBase {
			w += " (staat niet in de documenten)"
		}
		words = append(words, w)
	}
	if len(words) > 0 {
		b.WriteString("Woorden uit je vraag, met hun gewicht (zeldzaam in de documenten weegt zwaarder):\n  " + strings.Join(words, " · ") + "\n")
	}
	fmt.Fprintf(&b, "Deel van de vraag gedekt: beste passage %s, citaten uit één document samen %s. Onder %s geeft Wegwijs geen antwoord.\n",
		fmtShare(t.PassageCoverage()), fmtShare(t.Coverage), fmtShare(t.Thresholds.Quotes))
	if t.Thresholds.Lead > 0 {
		fmt.Fprintf(&b, "Dekt de beste passage minstens %s, dan laat Wegwijs de passages zien die het dichtst bij komen, als hulp en niet als antwoord.\n", fmtShare(t.Thresholds.Lead))
	}
	switch r.Outcome {
	case Abstained:
		b.WriteString("Waarom geen antwoord: " + ReasonDutch(r.Reason, r.Untyped) + "\n")
	case Lead:
		b.WriteString("Waarom alleen de dichtstbijzijnde passages: " + ReasonDutch(r.Reason, r.Untyped) + "\n")
	}
	if len(t.Hits) > 0 {
		b.WriteString("Gevonden passages, in volgorde:\n")
	}
	for i, h := range t.Hits {
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
		if m := matchedWords(t.Terms, h.Matched); len(m) > 0 {
			line += " · bevat " + strings.Join(m, ", ")
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// ReasonDutch says in one Dutch sentence why an answer abstained. untyped
// names the type of fact a WrongType abstention missed, when known.
func ReasonDutch(why prompts.Reason, untyped nl.AnswerType) string {
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
	case prompts.KeyMissing:
		return "Het zwaarste woord van de vraag (het zeldzaamste in de documenten) staat niet in de gevonden zinnen."
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
		if w := shownWord(t); (m[t.Text] || !t.IsPart() && m[t.Word]) && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// shownWord is a term as the question wrote it; a part of a split
// compound ("verzuimaanpak", searched as "verzuim") shows as
// "verzuimaanpak (deel)".
func shownWord(t retrieval.Term) string {
	if t.IsPart() {
		return t.Word + " (deel)"
	}
	return t.Word
}

// fmtShare writes a figure with two decimals and a decimal comma.
func fmtShare(x float64) string {
	return strings.Replace(fmt.Sprintf("%.2f", x), ".", ",", 1)
}

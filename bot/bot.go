// Package bot turns a question into a reply: privacy guard first, then
// search, then an answer that quotes and cites its passages or says
// honestly that the documents do not cover the question. The reply model
// here is shared by the command line and every chat platform. After the
// guard, only redacted text exists: bot never logs, stores or sends the
// raw question.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/prompts"
	"github.com/wegwijs/wegwijs/retrieval"
)

// Guard finds and masks personal data.
type Guard interface {
	Redact(ctx context.Context, text string) (privacy.Result, error)
}

// Searcher finds passages for a (redacted) question.
type Searcher interface {
	Search(ctx context.Context, question string, opt retrieval.Options) (retrieval.Result, error)
}

// Document is a knowledge-base document as named in an abstention.
type Document struct {
	Title  string
	Region string
}

// Catalogue lists the documents the knowledge base holds.
type Catalogue interface {
	Documents(ctx context.Context) ([]Document, error)
}

// Bot answers questions. All fields but Guard, Search and Catalogue are
// optional.
type Bot struct {
	Guard     Guard
	Search    Searcher
	Catalogue Catalogue
	Model     prompts.ChatModel // nil: extractive answers only
	Stem      func(string) string
	Log       *slog.Logger

	MaxQuestionRunes int           // longer questions are cut (default 2000)
	GuardTimeout     time.Duration // default 2s; the guard failing stops everything
	ModelTimeout     time.Duration // default 60s
	MaxCitations     int           // default 5
	MinCoverage      float64       // sentence-level abstention threshold (default DefaultMinCoverage)
}

// DefaultMinCoverage is the share of the question's informative weight the
// quoted sentences must cover to answer; calibrated on the question set and
// the held-out set together (eval TestCalibrationGrid).
const DefaultMinCoverage = 0.45

// Question is one incoming question.
type Question struct {
	Text string
	// OnDelta, when set, receives the answer as a model writes it. The
	// final Reply may still differ: if the model's answer fails the
	// citation check, the reply is the extractive answer.
	OnDelta func(string)
	// Lists restricts retrieval (evaluation only).
	Lists []retrieval.List
}

// Reply is the answer for any platform to render.
type Reply struct {
	Text       string // the answer with [n] markers, or the abstention, in Dutch
	Abstained  bool
	Why        prompts.Reason     // why it abstained
	Untyped    prompts.AnswerType // with Why WrongType: the type of fact no quote gives
	Empty      bool               // the question had no content; Text asks for one
	Citations  []prompts.Citation
	Redactions map[string]int // category -> count, never values
	Special    []string       // special categories mentioned (health, religion, origin)
	Notices    []string       // Dutch notices: personal data removed, question cut, fallback used
	Mode       string         // "extractive" or "llm"
	Hits       []retrieval.Hit
	Coverage   float64 // share of the question the quoted sentences cover
	Best       float64 // share the best single quoted sentence covers
	// Terms are the question's search terms with their weights, and
	// MinCoverage the threshold the reply was judged against: with Hits,
	// what Explain shows.
	Terms       []retrieval.Term
	MinCoverage float64
	Timings     map[string]time.Duration
}

// ErrGuard means the privacy guard failed or timed out: nothing else ran.
var ErrGuard = errors.New("privacy guard failed")

// Answer runs a question through guard, search and composition.
func (b *Bot) Answer(ctx context.Context, q Question) (Reply, error) {
	start := time.Now()
	r := Reply{Redactions: map[string]int{}, Timings: map[string]time.Duration{}}
	defer func() { r.Timings["total"] = time.Since(start) }()
	log := b.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	text := strings.TrimSpace(q.Text)
	maxRunes := b.MaxQuestionRunes
	if maxRunes == 0 {
		maxRunes = 2000
	}
	if utf8.RuneCountInString(text) > maxRunes {
		text = string([]rune(text)[:maxRunes])
		r.Notices = append(r.Notices, fmt.Sprintf("Je vraag was erg lang. Ik heb alleen de eerste %d tekens gelezen.", maxRunes))
	}

	// 1. The guard, first, in memory, fail closed.
	t := time.Now()
	gctx, cancel := context.WithTimeout(ctx, cmpDuration(b.GuardTimeout, 2*time.Second))
	red, err := b.Guard.Redact(gctx, text)
	cancel()
	r.Timings["guard"] = time.Since(t)
	if err != nil {
		log.Error("privacy guard failed", "err_kind", fmt.Sprintf("%T", err))
		r.Text = "Ik kan je vraag nu niet veilig verwerken: de controle op persoonsgegevens lukte niet. Ik heb je vraag niet gebruikt en niets opgeslagen. Probeer het zo nog eens."
		return r, fmt.Errorf("%w: %w", ErrGuard, err)
	}
	for c, n := range red.Found {
		r.Redactions[string(c)] = n
	}
	for _, c := range red.Special {
		r.Special = append(r.Special, string(c))
	}
	if s := privacy.Summary(red); s != "" {
		r.Notices = append(r.Notices, s)
	}
	// From here on only the redacted text exists.
	text = red.Redacted
	log.Info("question", "runes", utf8.RuneCountInString(text), "redactions", red.Total())

	searchText := strings.TrimSpace(placeholder.ReplaceAllString(text, " "))
	if !hasContent(searchText) {
		r.Empty = true
		r.Text = "Stel gerust een vraag over verzuim of thuiszitters. Bijvoorbeeld: \"Wie is aan zet bij absoluut verzuim?\" of \"Mag ik informatie delen met de jeugdarts?\""
		return r, nil
	}
	english := looksEnglish(searchText)

	// 2. Search.
	t = time.Now()
	res, err := b.Search.Search(ctx, searchText, retrieval.Options{Lists: q.Lists})
	r.Timings["retrieval"] = time.Since(t)
	if err != nil {
		return r, fmt.Errorf("search: %w", err)
	}
	r.Hits, r.Terms = res.Hits, res.Terms

	// 3. Compose.
	maxCit := b.MaxCitations
	if maxCit == 0 {
		maxCit = 5
	}
	minCov := b.MinCoverage
	if minCov == 0 {
		minCov = DefaultMinCoverage
	}
	r.MinCoverage = minCov
	t = time.Now()
	var ans prompts.Answer
	if res.Relevant {
		ans = prompts.Extractive(searchText, res.Terms, res.Hits, prompts.ExtractiveOptions{Stem: b.Stem, MinCoverage: minCov, FromHits: maxCit})
		if !ans.Abstained && b.Model != nil {
			ans = b.generate(ctx, searchText, res.Hits[:min(maxCit, len(res.Hits))], ans, q.OnDelta, log)
		}
	} else {
		ans = prompts.Answer{Abstained: true, Mode: "extractive", Why: prompts.NothingFound}
	}
	r.Timings["compose"] = time.Since(t)
	r.Mode = ans.Mode
	r.Coverage, r.Best = ans.Coverage, ans.Best
	r.Notices = append(r.Notices, ans.Notices...)
	if english {
		if ans.Abstained {
			r.Notices = append(r.Notices, "Je vraag lijkt Engels. De documenten zijn Nederlands en ik zoek op hun woorden: stel je vraag in het Nederlands, dan vind ik meer.")
		} else {
			r.Notices = append(r.Notices, "Je vraag lijkt Engels. Ik antwoord in het Nederlands, omdat de documenten Nederlands zijn.")
		}
	}
	if ans.Abstained {
		r.Abstained, r.Why, r.Untyped = true, ans.Why, ans.Untyped
		r.Text = b.abstention(ctx, ans)
		return r, nil
	}
	r.Text = ans.Text
	r.Citations = ans.Citations
	if len(r.Citations) > maxCit {
		r.Citations = r.Citations[:maxCit]
	}
	if n := regionNotice(r.Citations); n != "" {
		r.Notices = append(r.Notices, n)
	}
	if n := placeNotice(searchText, res.Terms); n != "" {
		r.Notices = append(r.Notices, n)
	}
	return r, nil
}

// placeNotice warns when the question names a place the documents never
// mention ("Hoe werkt de aanpak in Amsterdam?"): the answer then comes from
// national documents or another region's, and local arrangements differ.
func placeNotice(question string, terms []retrieval.Term) string {
	var missing []string
	for _, p := range privacy.Places(question) {
		seen, inBase := false, false
		for _, w := range strings.Fields(p) {
			for _, t := range terms {
				if !t.Extra && strings.EqualFold(t.Word, w) {
					seen = true
					inBase = inBase || t.InBase
				}
			}
		}
		if seen && !inBase && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "Over " + strings.Join(missing, " en ") + " staat niets in de documenten die ik ken. De bronnen hieronder gelden landelijk of voor een andere regio: kijk of het bij jullie ook zo geregeld is."
}

// generate asks the model for a grounded answer and checks it; on any
// failure the extractive answer stands, with a notice.
func (b *Bot) generate(ctx context.Context, question string, hits []retrieval.Hit, extractive prompts.Answer, onDelta func(string), log *slog.Logger) prompts.Answer {
	msgs, err := prompts.BuildMessages(question, hits)
	if err != nil {
		log.Error("build prompt", "err", err)
		return extractive
	}
	mctx, cancel := context.WithTimeout(ctx, cmpDuration(b.ModelTimeout, 60*time.Second))
	defer cancel()
	t := time.Now()
	out, err := b.Model.Stream(mctx, msgs, func(d string) {
		if onDelta != nil {
			onDelta(d)
		}
	})
	fallback := func(reason string) prompts.Answer {
		extractive.Notices = append(extractive.Notices, reason)
		return extractive
	}
	if err != nil {
		log.Warn("model failed", "model", b.Model.Name(), "ms", time.Since(t).Milliseconds(), "err_kind", fmt.Sprintf("%T", err))
		return fallback("Het taalmodel gaf geen antwoord. Dit antwoord is rechtstreeks uit de bronnen samengesteld.")
	}
	out = strings.TrimSpace(out)
	if strings.Contains(out, prompts.NotInSources) {
		return prompts.Answer{Abstained: true, Mode: "llm", Why: prompts.ModelDeclined}
	}
	if err := prompts.CheckGrounded(out, hits); err != nil {
		log.Warn("model answer failed the citation check", "model", b.Model.Name(), "check", err.Error())
		return fallback("Het antwoord van het taalmodel was niet goed genoeg onderbouwd met bronnen. Dit antwoord is rechtstreeks uit de bronnen samengesteld.")
	}
	return prompts.Answer{Text: out, Citations: prompts.CitationsOf(out, hits), Mode: "llm", Coverage: extractive.Coverage}
}

func (b *Bot) abstention(ctx context.Context, ans prompts.Answer) string {
	var sb strings.Builder
	switch ans.Why {
	case prompts.WrongType:
		// The passages are on topic but none gives what was asked for.
		sb.WriteString("Ik vond wel tekst over je vraag, maar daarin staat " + ans.Untyped.Dutch() + ". ")
	case prompts.Scattered:
		sb.WriteString("Ik vond wel losse stukjes over je vraag in verschillende documenten, maar geen document dat je vraag beantwoordt. ")
	}
	sb.WriteString("Dit staat niet in de documenten die ik ken, dus ik kan het niet met een bron beantwoorden. Ik ga niet gokken.")
	if b.Catalogue != nil {
		docs, err := b.Catalogue.Documents(ctx)
		if err == nil && len(docs) > 0 {
			sb.WriteString("\n\nIk ken deze documenten:\n")
			for _, d := range docs {
				sb.WriteString("- " + d.Title)
				if d.Region != "" {
					sb.WriteString(" (" + d.Region + ")")
				}
				sb.WriteString("\n")
			}
		}
	}
	sb.WriteString("\nVraag het eventueel aan de leerplichtambtenaar of de consulent van het samenwerkingsverband.")
	return strings.TrimRight(sb.String(), "\n")
}

// regionNotice says which cited sources are regional.
func regionNotice(cs []prompts.Citation) string {
	var regional []string
	seen := map[string]bool{}
	for _, c := range cs {
		reg := c.Hit.Region
		if reg == "" || strings.EqualFold(reg, "landelijk") || seen[reg] {
			continue
		}
		seen[reg] = true
		regional = append(regional, regionName(reg))
	}
	if len(regional) == 0 {
		return ""
	}
	return "Let op: dit antwoord gebruikt afspraken uit " + strings.Join(regional, " en ") + ". In jouw regio kan het anders geregeld zijn."
}

func regionName(r string) string {
	switch strings.ToLower(r) {
	case "haaglanden":
		return "Haaglanden (Den Haag, Rijswijk, Leidschendam-Voorburg)"
	case "twente":
		return "Twente"
	}
	return r
}

var placeholder = regexp.MustCompile(`\[[A-Z]+-\d+\]`)

func hasContent(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters++
		}
	}
	return letters >= 2
}

// englishWords are English function words (and a few of the field) that
// are no Dutch words: not "of", "in", "we", "me", "is", "do" (donderdag),
// "student", "absent" or "i" (i.v.m.).
var englishWords = map[string]bool{"the": true, "what": true, "who": true, "how": true, "can": true,
	"should": true, "does": true, "when": true, "which": true, "with": true, "about": true,
	"my": true, "are": true, "must": true, "absence": true, "share": true,
	"for": true, "and": true, "to": true, "this": true, "that": true, "from": true, "have": true,
	"has": true, "your": true, "our": true, "they": true, "their": true, "there": true, "would": true,
	"could": true, "where": true, "why": true, "be": true, "an": true, "if": true, "not": true, "it": true,
	"responsible": true, "parents": true, "teacher": true}

var dutchWords = map[string]bool{"de": true, "het": true, "een": true, "wie": true, "wat": true, "hoe": true,
	"mag": true, "ik": true, "is": true, "van": true, "en": true, "bij": true, "moet": true, "welke": true,
	"of": true, "te": true, "niet": true, "wanneer": true, "nu": true, "er": true, "op": true, "voor": true,
	"met": true, "zijn": true, "je": true, "kan": true, "dit": true, "zonder": true, "reden": true}

// looksEnglish is a cheap check: more English than Dutch function words.
func looksEnglish(s string) bool {
	en, nl := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[w] {
			en++
		}
		if dutchWords[w] {
			nl++
		}
	}
	return en >= 2 && en > nl
}

func cmpDuration(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Package bot turns a question into a reply: privacy guard first, then
// search, then an answer that quotes and cites its passages or says
// honestly that the documents do not cover the question. The reply is
// data, shared by the command line and every chat platform: an outcome,
// blocks, sources, typed notices and a fingerprint, which each platform
// renders in its own markup. After the guard, only redacted text exists:
// bot never logs, stores or sends the raw question.
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
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/nl"
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

// Catalogue lists the documents the knowledge base holds (its active
// versions), for an abstention to name.
type Catalogue interface {
	Sources(ctx context.Context) ([]knowledge.Record, error)
}

// Defaults for the Bot's optional fields.
const (
	DefaultMaxQuestionRunes = 2000
	DefaultGuardTimeout     = 2 * time.Second
	DefaultModelTimeout     = 60 * time.Second
	// DefaultBudget bounds a whole question: guard, search and answer.
	// It is more than the model's own timeout, so a slow model falls
	// back to the extractive answer before the budget runs out.
	DefaultBudget       = 90 * time.Second
	DefaultMaxCitations = 5
)

// Bot answers questions. All fields but Guard and Search are optional;
// zero values take the defaults above.
type Bot struct {
	Guard     Guard
	Search    Searcher
	Catalogue Catalogue
	Model     prompts.ChatModel // nil: extractive answers only
	Stem      func(string) string
	Log       *slog.Logger

	MaxQuestionRunes int           // longer questions are cut
	GuardTimeout     time.Duration // the guard failing stops everything
	ModelTimeout     time.Duration
	Budget           time.Duration // for the whole question
	MaxCitations     int
	Thresholds       retrieval.Thresholds // zero: retrieval.DefaultThresholds
	// KeyWord: a quote must cover the question's heaviest word, or the
	// reply is at most a lead (prompts.ExtractiveOptions.KeyWord).
	KeyWord bool
}

// Validate says which setting is out of range.
func (b *Bot) Validate() error {
	switch {
	case b.Guard == nil || b.Search == nil:
		return errors.New("bot needs a guard and a search")
	case b.MaxQuestionRunes < 0, b.MaxCitations < 0:
		return errors.New("bot limits must not be negative")
	case b.GuardTimeout < 0, b.ModelTimeout < 0, b.Budget < 0:
		return errors.New("bot timeouts must not be negative")
	}
	if err := b.extractiveTuning().Validate(); err != nil {
		return err
	}
	return b.Thresholds.Validate()
}

// extractiveTuning is the extractive answer's default tuning, taking
// sentences only from the passages a reply may cite.
func (b *Bot) extractiveTuning() prompts.ExtractiveTuning {
	t := prompts.DefaultExtractiveTuning
	t.FromHits = or(b.MaxCitations, DefaultMaxCitations)
	return t
}

// Question is one incoming question.
type Question struct {
	Text string
	// Stream, when set, receives a language model's answer sentence by
	// sentence, each checked against its sources before it is passed on.
	Stream Stream
	// Trace, when set, is filled with how the reply came about.
	Trace *Trace
	// Context are the earlier questions of the conversation (a chat
	// thread), redacted, oldest first. A follow-up ("en bij het vo?") that
	// finds no answer alone is searched again with them.
	Context []string
	// Lists restricts retrieval (evaluation only).
	Lists []retrieval.List
}

// Stream shows a model's answer while it is written. Text gets checked
// text to append: sentences, the spaces between them, line ends. Abandon
// says that what was shown must go: the answer failed a check midway, and
// the final reply (extractive, or an abstention) replaces it.
type Stream interface {
	Text(piece string)
	Abandon()
}

// Answer runs a question through guard, search and composition. It always
// returns a complete reply for the asker, whatever failed; the error is
// for the log only (it holds no question text).
func (b *Bot) Answer(ctx context.Context, q Question) (Reply, error) {
	tr := q.Trace
	if tr == nil {
		tr = &Trace{}
	}
	start := time.Now()
	defer tr.time("total", start)
	bctx, cancel := context.WithTimeout(ctx, or(b.Budget, DefaultBudget))
	defer cancel()
	r, err := b.answer(bctx, q, tr)
	if err != nil {
		f := failureOf(err, ctx, bctx)
		b.logger().Warn("question failed", "failure", f.String(), "err", err)
		notices := r.Notices
		r = Reply{Outcome: Unavailable, Failure: f, Blocks: []Block{{Kind: Message, Text: f.Dutch()}}}
		if f == GuardFailed {
			r.Outcome = Refused
		} else {
			r.Notices = notices // what the guard found still matters to the asker
		}
	}
	return r, err
}

func (b *Bot) logger() *slog.Logger {
	if b.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return b.Log
}

func (b *Bot) answer(ctx context.Context, q Question, tr *Trace) (Reply, error) {
	var r Reply
	log := b.logger()
	text := q.Text
	if !utf8.ValidString(text) {
		text = decodeWindows1252(text)
		r.Notices = append(r.Notices, Notice{Kind: Unreadable,
			Text: "Je vraag bevatte tekens die ik niet kon lezen (de tekst was waarschijnlijk in een oude Windows-codering opgeslagen). Ik heb ze zo goed mogelijk omgezet; klopt het antwoord niet, typ je vraag dan opnieuw."})
	}
	text = strings.TrimSpace(text)
	maxRunes := or(b.MaxQuestionRunes, DefaultMaxQuestionRunes)
	if utf8.RuneCountInString(text) > maxRunes {
		text = string([]rune(text)[:maxRunes])
		r.Notices = append(r.Notices, Notice{Kind: QuestionCut,
			Text: fmt.Sprintf("Je vraag was erg lang. Ik heb alleen de eerste %d tekens gelezen.", maxRunes)})
	}

	// 1. The guard, first, in memory, fail closed.
	t := time.Now()
	gctx, cancel := context.WithTimeout(ctx, or(b.GuardTimeout, DefaultGuardTimeout))
	red, err := b.Guard.Redact(gctx, text)
	cancel()
	tr.time("guard", t)
	if err != nil {
		return r, fmt.Errorf("%w: %T", ErrGuard, err)
	}
	if n, ok := personalNotice(red); ok {
		r.Notices = append(r.Notices, n)
	}
	// From here on only the redacted text exists.
	text = red.Redacted
	log.Info("question", "runes", utf8.RuneCountInString(text), "redactions", red.Total())

	searchText := strings.TrimSpace(placeholder.ReplaceAllString(text, " "))
	if !hasContent(searchText) {
		r.Outcome = Empty
		r.Blocks = []Block{{Kind: Message, Text: "Stel gerust een vraag over verzuim of thuiszitters. Bijvoorbeeld: \"Wie is aan zet bij absoluut verzuim?\" of \"Mag ik informatie delen met de jeugdarts?\""}}
		return r, nil
	}
	english := nl.LooksEnglish(searchText)
	tr.Question = searchText

	before := slices.Clone(r.Notices) // the notices of a second try start from these
	r, err = b.compose(ctx, r, searchText, q, tr, english)
	if err == nil && r.Outcome == Abstained && r.Reason != prompts.ModelDeclined && len(q.Context) > 0 {
		// A follow-up may only make sense with what was asked before.
		withContext := strings.Join(append(slices.Clone(q.Context), searchText), " ")
		ctr := &Trace{}
		cr, cerr := b.compose(ctx, Reply{Notices: before}, withContext, q, ctr, english)
		if cerr == nil && cr.Outcome == Answered {
			ctr.Question, ctr.WithContext = tr.Question, true
			ctr.Timings = tr.Timings
			*tr = *ctr
			return cr, nil
		}
	}
	return r, err
}

// compose searches for a (redacted) question and answers it from what it
// finds, or abstains; r holds the notices so far.
func (b *Bot) compose(ctx context.Context, r Reply, searchText string, q Question, tr *Trace, english bool) (Reply, error) {
	log := b.logger()
	// 2. Search.
	t := time.Now()
	res, err := b.Search.Search(ctx, searchText, retrieval.Options{Lists: q.Lists})
	tr.time("retrieval", t)
	if err != nil {
		return r, fmt.Errorf("search: %w", err)
	}
	th := b.Thresholds.OrDefault()
	tr.Hits, tr.Terms, tr.Thresholds, tr.KBVersion = res.Hits, res.Terms, th, res.Version

	// 3. Compose.
	maxCit := or(b.MaxCitations, DefaultMaxCitations)
	t = time.Now()
	ans := prompts.Answer{Abstained: true, Mode: "extractive", Why: prompts.NothingFound}
	floor := th.Passage
	if th.Lead > 0 {
		floor = th.Lead // close enough for a lead, perhaps
	}
	if len(res.Hits) > 0 && res.Best >= floor {
		ans, err = prompts.Extractive(searchText, res.Terms, res.Hits, prompts.ExtractiveOptions{Stem: b.Stem, Thresholds: th, Tuning: b.extractiveTuning(), KeyWord: b.KeyWord})
		if err != nil {
			return r, fmt.Errorf("extractive answer: %w", err)
		}
		if res.Best < th.Passage {
			// no passage matches enough of the question for an answer:
			// what the answer would have quoted is at most a lead
			near, parts := ans.Near, ans.NearParts
			if !ans.Abstained {
				near, parts = ans.Citations, ans.Parts
			}
			ans = prompts.Answer{Abstained: true, Mode: "extractive", Why: prompts.NothingFound, Coverage: ans.Coverage, Best: ans.Best,
				Near: near, NearParts: parts, KeyCovered: ans.KeyCovered}
		}
		if !ans.Abstained && b.Model != nil {
			var fallback string
			ans, fallback = b.generate(ctx, searchText, res.Hits[:min(maxCit, len(res.Hits))], ans, q.Stream, log)
			if fallback != "" {
				r.Notices = append(r.Notices, Notice{Kind: ModelFallback, Text: fallback})
			}
		}
	}
	tr.time("compose", t)
	tr.Coverage, tr.Best = ans.Coverage, ans.Best
	r.Mode = ans.Mode
	if english {
		n := Notice{Kind: English, Text: "Je vraag lijkt Engels. Ik antwoord in het Nederlands, omdat de documenten Nederlands zijn."}
		if ans.Abstained {
			n.Text = "Je vraag lijkt Engels. De documenten zijn Nederlands en ik zoek op hun woorden: stel je vraag in het Nederlands, dan vind ik meer."
		}
		r.Notices = append(r.Notices, n)
	}
	if ans.Abstained && th.Lead > 0 && res.Best >= th.Lead && len(ans.Near) > 0 && ans.KeyCovered && ans.Why != prompts.ModelDeclined {
		return b.lead(r, ans, res, searchText, maxCit), ctx.Err()
	}
	if ans.Abstained {
		return b.abstention(ctx, r, ans), ctx.Err()
	}
	r.Outcome = Answered
	r = cited(r, ans.Citations, res, searchText, maxCit)
	r.Blocks = blocksOf(ans)
	return r, nil
}

// cited gives a reply its sources (at most maxCit), its fingerprint and
// the notices its sources and question call for: a regional source, a
// place the documents never mention.
func cited(r Reply, cits []prompts.Citation, res retrieval.Result, question string, maxCit int) Reply {
	if len(cits) > maxCit {
		cits = cits[:maxCit]
	}
	r.Sources = sourcesOf(cits)
	r.Fingerprint = fingerprint(r.Sources, res.Version)
	if n, ok := regionNotice(r.Sources, r.Outcome == Lead); ok {
		r.Notices = append(r.Notices, n)
	}
	if n, ok := placeNotice(question, res.Terms); ok {
		r.Notices = append(r.Notices, n)
	}
	return r
}

// personalNotice tells the asker what kind of personal data the guard
// removed, never the values; for the asker alone.
func personalNotice(red privacy.Result) (Notice, bool) {
	s := privacy.Summary(red)
	if s == "" {
		return Notice{}, false
	}
	n := Notice{Kind: PersonalData, Text: s, Private: true, Counts: map[string]int{}}
	for c, k := range red.Found {
		n.Counts[string(c)] = k
	}
	for _, c := range red.Special {
		n.Special = append(n.Special, string(c))
	}
	return n, true
}

func sourcesOf(cits []prompts.Citation) []Source {
	out := make([]Source, len(cits))
	for i, c := range cits {
		h := c.Hit
		out[i] = Source{N: c.N, ChunkID: h.ChunkID, Document: h.Slug, Title: h.Title, Heading: h.Heading,
			PageFrom: h.PageFrom, PageTo: h.PageTo, Region: h.Region, URL: h.URL, Date: h.Date,
			Passage: h.Text, Quotes: c.Quotes, Score: h.Score}
		if out[i].Quotes == nil && c.Quote != "" {
			out[i].Quotes = []string{c.Quote}
		}
	}
	return out
}

// blocksOf lays out an answer: an extractive one's lead lines and quotes,
// or a model's prose.
func blocksOf(ans prompts.Answer) []Block {
	if ans.Mode == "llm" {
		return []Block{{Kind: Prose, Text: ans.Text}}
	}
	out := make([]Block, 0, len(ans.Parts))
	for _, p := range ans.Parts {
		switch p.Kind {
		case prompts.LeadPart:
			out = append(out, Block{Kind: LeadLine, Text: p.Text})
		case prompts.QuotePart:
			out = append(out, Block{Kind: Quote, Text: p.Text, N: p.N})
		}
	}
	return out
}

// placeNotice warns when the question names a place the documents never
// mention ("Hoe werkt de aanpak in Amsterdam?"): the answer then comes from
// national documents or another region's, and local arrangements differ.
func placeNotice(question string, terms []retrieval.Term) (Notice, bool) {
	var missing []string
	for _, p := range privacy.Places(question) {
		seen, inBase := false, false
		for _, w := range strings.Fields(p) {
			for _, t := range terms {
				if !t.Extra && !t.IsPart() && strings.EqualFold(t.Word, w) {
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
		return Notice{}, false
	}
	return Notice{Kind: UnknownPlace, Places: missing,
		Text: "Over " + strings.Join(missing, " en ") + " staat niets in de documenten die ik ken. De bronnen hieronder gelden landelijk of voor een andere regio: kijk of het bij jullie ook zo geregeld is."}, true
}

// generate asks the model for a grounded answer, passing each checked
// sentence to the stream, and checks the whole; on any failure the
// extractive answer stands, with a notice saying why.
func (b *Bot) generate(ctx context.Context, question string, hits []retrieval.Hit, extractive prompts.Answer, stream Stream, log *slog.Logger) (prompts.Answer, string) {
	msgs, err := prompts.BuildMessages(question, hits)
	if err != nil {
		log.Error("build prompt", "err", err)
		return extractive, ""
	}
	mctx, cancel := context.WithTimeout(ctx, or(b.ModelTimeout, DefaultModelTimeout))
	defer cancel()
	t := time.Now()
	emit := func(string) {}
	if stream != nil {
		emit = stream.Text
	}
	checked := prompts.NewCheckedStream(hits, emit)
	shown := false
	out, err := b.Model.Stream(mctx, msgs, func(d string) {
		if checked.Write(d) == nil && checked.Claims() > 0 {
			shown = true
		}
	})
	fallback := func(notice string) (prompts.Answer, string) {
		if shown && stream != nil {
			stream.Abandon()
		}
		return extractive, notice
	}
	if err != nil {
		log.Warn("model failed", "model", b.Model.Name(), "ms", time.Since(t).Milliseconds(), "err_kind", fmt.Sprintf("%T", err))
		return fallback("Het taalmodel gaf geen antwoord. Dit antwoord is rechtstreeks uit de bronnen samengesteld.")
	}
	out = strings.TrimSpace(out)
	cerr := checked.Close()
	if errors.Is(cerr, prompts.ErrDeclined) || strings.Contains(out, prompts.NotInSources) {
		if shown && stream != nil {
			stream.Abandon()
		}
		return prompts.Answer{Abstained: true, Mode: "llm", Why: prompts.ModelDeclined}, ""
	}
	if cerr == nil {
		cerr = prompts.CheckGrounded(out, hits) // what the stream saw is what the model returned
	}
	if cerr != nil {
		log.Warn("model answer failed the citation check", "model", b.Model.Name(), "check", cerr.Error())
		return fallback("Het antwoord van het taalmodel was niet goed genoeg onderbouwd met bronnen. Dit antwoord is rechtstreeks uit de bronnen samengesteld.")
	}
	return prompts.Answer{Text: out, Citations: prompts.CitationsOf(out, hits), Mode: "llm", Coverage: extractive.Coverage, Best: extractive.Best}, ""
}

// lead offers the passages that came closest to the question, cited like
// an answer and marked as none: for a professional who would rather read
// the nearest text than hear "not in the documents" when it is there in
// other words, without being told it is the answer.
func (b *Bot) lead(r Reply, ans prompts.Answer, res retrieval.Result, question string, maxCit int) Reply {
	r.Outcome, r.Reason, r.Untyped = Lead, ans.Why, ans.Untyped
	msg := "Ik vond geen zin die je vraag precies beantwoordt. Deze passages komen het dichtst bij:"
	switch ans.Why {
	case prompts.WrongType:
		msg = "Ik vond wel tekst over je vraag, maar daarin staat " + ans.Untyped.Dutch() + ". Deze passages komen het dichtst bij:"
	case prompts.Scattered:
		msg = "Ik vond alleen losse stukjes over je vraag, in verschillende documenten, en geen zin die je vraag precies beantwoordt. Deze passages komen het dichtst bij:"
	}
	r = cited(r, ans.Near, res, question, maxCit)
	r.Blocks = append([]Block{{Kind: Message, Text: msg}}, blocksOf(prompts.Answer{Parts: ans.NearParts})...)
	r.Blocks = append(r.Blocks, Block{Kind: Hint, Text: "Lees in de bron of dit je vraag beantwoordt. Twijfel je, vraag het dan aan de leerplichtambtenaar of de consulent van het samenwerkingsverband."})
	return r
}

// abstention says that the documents do not answer the question, why when
// it can, and which documents the knowledge base holds.
func (b *Bot) abstention(ctx context.Context, r Reply, ans prompts.Answer) Reply {
	r.Outcome, r.Reason, r.Untyped = Abstained, ans.Why, ans.Untyped
	msg := ""
	switch ans.Why {
	case prompts.WrongType:
		// The passages are on topic but none gives what was asked for.
		msg = "Ik vond wel tekst over je vraag, maar daarin staat " + ans.Untyped.Dutch() + ". "
	case prompts.Scattered:
		msg = "Ik vond wel losse stukjes over je vraag in verschillende documenten, maar geen document dat je vraag beantwoordt. "
	}
	msg += "Dit staat niet in de documenten die ik ken, dus ik kan het niet met een bron beantwoorden. Ik ga niet gokken."
	r.Blocks = []Block{{Kind: Message, Text: msg}, {Kind: KnownList},
		{Kind: Hint, Text: "Vraag het eventueel aan de leerplichtambtenaar of de consulent van het samenwerkingsverband."}}
	if b.Catalogue != nil {
		recs, err := b.Catalogue.Sources(ctx)
		if err != nil {
			b.logger().Warn("catalogue failed", "err", err) // the abstention stands without the list
		}
		for _, rec := range recs {
			r.Known = append(r.Known, KnownDocument{Document: rec.Slug, Title: rec.Meta.Title, Region: rec.Meta.Region,
				URL: rec.Meta.URL, Date: rec.Meta.Date, Version: rec.Version})
		}
	}
	return r
}

// regionNotice says which cited sources are regional; lead: they are the
// passages of a lead, not an answer.
func regionNotice(sources []Source, lead bool) (Notice, bool) {
	var regional, names []string
	for _, s := range sources {
		reg := s.Region
		if reg == "" || strings.EqualFold(reg, "landelijk") || slices.Contains(regional, reg) {
			continue
		}
		regional = append(regional, reg)
		names = append(names, regionName(reg))
	}
	if len(regional) == 0 {
		return Notice{}, false
	}
	what := "Let op: dit antwoord gebruikt afspraken uit "
	if lead {
		what = "Let op: deze passages komen uit afspraken van "
	}
	return Notice{Kind: Regional, Regions: regional,
		Text: what + strings.Join(names, " en ") + ". In jouw regio kan het anders geregeld zijn."}, true
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

// hasContent tells a question with at least two letters or digits.
func hasContent(s string) bool {
	letters := 0
	for _, r := range s {
		if nl.IsWordRune(r) {
			letters++
		}
	}
	return letters >= 2
}

// or is v, or def when v is zero.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// windows1252 maps the bytes 0x80-0x9F of Windows-1252 to their runes;
// the other bytes are Latin-1, the same code point. Undefined ones are
// U+FFFD.
var windows1252 = [32]rune{'€', '\uFFFD', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\uFFFD', 'Ž', '\uFFFD',
	'\uFFFD', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\uFFFD', 'ž', 'Ÿ'}

// decodeWindows1252 reads text that is not valid UTF-8: the valid UTF-8
// sequences stay, every other byte is read as Windows-1252 (the usual
// encoding of a Dutch text file saved on Windows).
func decodeWindows1252(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || n > 1 {
			b.WriteRune(r)
			i += n
			continue
		}
		c := s[i]
		switch {
		case c >= 0x80 && c <= 0x9F:
			b.WriteRune(windows1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
		i++
	}
	return b.String()
}

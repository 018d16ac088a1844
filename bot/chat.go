package bot

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/retrieval"
)

// EventClaimer records which platform events were handled, so that among
// several replicas on one database (and after a reconnect replays an
// event) exactly one answers each. Claim reports whether this caller got
// the event. Ids only, never text.
type EventClaimer interface {
	Claim(ctx context.Context, platform, eventID string) (bool, error)
}

// FeedbackStore counts 👍 and 👎 per answer fingerprint, with the documents
// the answer cited; never a question or a user.
type FeedbackStore interface {
	RecordFeedback(ctx context.Context, fingerprint string, documents []string, up, down int) error
}

// UnansweredLog keeps the questions Wegwijs did not answer, redacted,
// with their heaviest words: the opt-in log beleidsmedewerkers read to
// see which document is missing.
type UnansweredLog interface {
	LogUnanswered(ctx context.Context, redacted, reason string, topics []string) error
}

// Observer is told what happens, as counts and durations only: a metrics
// backend. It must be safe for concurrent use.
type Observer interface {
	// Replied: a question got reply r.
	Replied(platform string, r Reply, tr *Trace)
	// Counted: something happened once (see the Event* names).
	Counted(platform, event string)
	// Connected: the platform connection went up or down.
	Connected(platform string, up bool)
}

// Events an Observer counts.
const (
	EventDuplicate    = "duplicate"    // another replica, or an earlier delivery, had it
	EventRateLimited  = "rate_limited" // the asker asked too often
	EventReconnect    = "reconnect"    // the platform connection was made again
	EventFeedbackUp   = "feedback_up"
	EventFeedbackDown = "feedback_down"
	EventCaughtUp     = "caught_up" // a message missed while disconnected, answered after
)

// Chat is what every chat adapter needs around the Bot, whatever the
// platform: one answer per event across replicas, a per-user rate limit,
// the thread's earlier questions as context for a follow-up, feedback
// counts and metrics. An adapter only translates: platform event in,
// Incoming to Handle, Reply out in its own markup.
type Chat struct {
	Bot      *Bot
	Events   EventClaimer  // nil: no replicas to agree with (tests)
	Feedback FeedbackStore // nil: feedback is not counted
	Limiter  *RateLimiter  // nil: no limit
	Threads  *Threads      // nil: follow-ups get no context
	Observer Observer      // nil: nothing is measured
	// Unanswered, when set, keeps the questions answered by an abstention
	// or a lead (redacted); nil: the log is off.
	Unanswered UnansweredLog
	Log        *slog.Logger
}

// Incoming is one message for the bot, as a platform adapter hands it on.
// Text is the raw message: it reaches nothing before the privacy guard.
type Incoming struct {
	Platform string // "mattermost", "slack"
	EventID  string // unique per message on the platform (a post id, an event id)
	User     string // the asker's platform id, for the rate limit only (memory)
	Thread   string // the thread the answer goes to, for the follow-up context
	Text     string
	Stream   Stream // nil: no progressive answer
}

// ErrClaimed means another replica, or an earlier delivery of the same
// event, handles it: the adapter does nothing.
var ErrClaimed = errors.New("event handled elsewhere")

// Handle answers one incoming message: it claims the event (ErrClaimed
// when someone else has it), checks the asker's rate limit, answers with
// the thread's earlier questions as context, and remembers this question
// (redacted) for the thread. The reply is always complete Dutch; a non-nil
// error other than ErrClaimed is for the log.
func (c *Chat) Handle(ctx context.Context, in Incoming) (Reply, error) {
	if c.Events != nil {
		ok, err := c.Events.Claim(ctx, in.Platform, in.EventID)
		if err != nil {
			// Without the claim another replica may answer too; with the
			// database down the answer fails anyway, so say so once.
			c.log().Warn("claim event failed", "platform", in.Platform, "err", err)
			r := Reply{Outcome: Unavailable, Failure: DatabaseDown, Blocks: []Block{{Kind: Message, Text: DatabaseDown.Dutch()}}}
			c.observe(in.Platform, r, nil)
			return r, err
		}
		if !ok {
			c.count(in.Platform, EventDuplicate)
			return Reply{}, ErrClaimed
		}
	}
	if c.Limiter != nil && !c.Limiter.Allow(in.Platform+"\x00"+in.User) {
		c.count(in.Platform, EventRateLimited)
		r := Reply{Outcome: Unavailable, Failure: RateLimited, Blocks: []Block{{Kind: Message, Text: RateLimited.Dutch()}}}
		c.observe(in.Platform, r, nil)
		return r, nil
	}
	var earlier []string
	if c.Threads != nil && in.Thread != "" {
		earlier = c.Threads.Earlier(in.Platform, in.Thread)
	}
	tr := &Trace{}
	r, err := c.Bot.Answer(ctx, Question{Text: in.Text, Context: earlier, Stream: in.Stream, Trace: tr})
	if c.Threads != nil && in.Thread != "" && tr.Question != "" {
		c.Threads.Remember(in.Platform, in.Thread, tr.Question)
	}
	c.observe(in.Platform, r, tr)
	if c.Unanswered != nil && (r.Outcome == Abstained || r.Outcome == Lead) && tr.Question != "" {
		if lerr := c.Unanswered.LogUnanswered(ctx, tr.Question, r.Reason.String(), Topics(tr.Terms, 3)); lerr != nil {
			c.log().Warn("log unanswered", "err", lerr)
		}
	}
	return r, err
}

// Topics are a question's heaviest words (at most n), as the question
// wrote them: what it is about, for grouping unanswered questions. Of
// words equally rare (often: found in no document) the longer comes
// first; "boete" says more than "hoog".
func Topics(terms []retrieval.Term, n int) []string {
	ts := slices.Clone(terms)
	slices.SortStableFunc(ts, func(a, b retrieval.Term) int {
		return cmp.Or(cmp.Compare(b.IDF, a.IDF), cmp.Compare(len([]rune(b.Word)), len([]rune(a.Word))))
	})
	var out []string
	for _, t := range ts {
		if len(out) == n {
			break
		}
		if t.Extra || t.IsPart() || slices.Contains(out, t.Word) || len([]rune(t.Word)) < 3 {
			continue
		}
		out = append(out, t.Word)
	}
	return out
}

// Answered reports whether the bot answered in this thread before, so a
// follow-up without a mention is for it.
func (c *Chat) Answered(platform, thread string) bool {
	return c.Threads != nil && thread != "" && c.Threads.Known(platform, thread)
}

// Vote counts a 👍 (up) or 👎 on an answer, once per eventKey (the
// platform's reaction or click, hashed before it is claimed: no user id
// is stored). delta is +1 for a new vote and -1 for one taken back.
func (c *Chat) Vote(ctx context.Context, platform, eventKey, fingerprint string, documents []string, up bool, delta int) error {
	if c.Feedback == nil || fingerprint == "" {
		return nil
	}
	if c.Events != nil {
		sum := sha256.Sum256([]byte(eventKey))
		ok, err := c.Events.Claim(ctx, platform, "vote:"+hex.EncodeToString(sum[:16]))
		if err != nil || !ok {
			return err
		}
	}
	u, d := 0, delta
	if up {
		u, d = delta, 0
	}
	if err := c.Feedback.RecordFeedback(ctx, fingerprint, documents, u, d); err != nil {
		return err
	}
	if delta > 0 {
		if up {
			c.count(platform, EventFeedbackUp)
		} else {
			c.count(platform, EventFeedbackDown)
		}
	}
	return nil
}

func (c *Chat) log() *slog.Logger {
	if c.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Log
}

func (c *Chat) count(platform, event string) {
	if c.Observer != nil {
		c.Observer.Counted(platform, event)
	}
}

func (c *Chat) observe(platform string, r Reply, tr *Trace) {
	if c.Observer != nil {
		c.Observer.Replied(platform, r, tr)
	}
}

// Threads remembers, in memory only, the redacted questions asked in the
// threads the bot answered, so a follow-up ("en bij het vo?") is searched
// with them as context. It is bounded in threads, questions per thread,
// characters and age, and is gone on restart.
type Threads struct {
	MaxThreads  int           // 0: 1000
	MaxPerTopic int           // questions kept per thread; 0: 3
	MaxRunes    int           // per question; 0: 500
	MaxAge      time.Duration // since the thread's last question; 0: 2h
	Now         func() time.Time

	mu sync.Mutex
	m  map[string]*thread
}

type thread struct {
	questions []string
	last      time.Time
}

// Remember adds a redacted question to a thread.
func (t *Threads) Remember(platform, id, redacted string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if t.m == nil {
		t.m = map[string]*thread{}
	}
	t.expire(now)
	key := platform + "\x00" + id
	th := t.m[key]
	if th == nil {
		if len(t.m) >= or(t.MaxThreads, 1000) {
			t.evictOldest()
		}
		th = &thread{}
		t.m[key] = th
	}
	if r := []rune(redacted); len(r) > or(t.MaxRunes, 500) {
		redacted = string(r[:or(t.MaxRunes, 500)])
	}
	th.questions = append(th.questions, redacted)
	if n := or(t.MaxPerTopic, 3); len(th.questions) > n {
		th.questions = th.questions[len(th.questions)-n:]
	}
	th.last = now
}

// Earlier returns a thread's remembered questions, oldest first.
func (t *Threads) Earlier(platform, id string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expire(t.now())
	if th := t.m[platform+"\x00"+id]; th != nil {
		return append([]string(nil), th.questions...)
	}
	return nil
}

// Known reports whether the bot answered in the thread (and remembers it).
func (t *Threads) Known(platform, id string) bool {
	return len(t.Earlier(platform, id)) > 0
}

// Len is the number of threads remembered.
func (t *Threads) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

func (t *Threads) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Threads) expire(now time.Time) {
	for k, th := range t.m {
		if now.Sub(th.last) > or(t.MaxAge, 2*time.Hour) {
			delete(t.m, k)
		}
	}
}

func (t *Threads) evictOldest() {
	oldest := ""
	var when time.Time
	for k, th := range t.m {
		if oldest == "" || th.last.Before(when) {
			oldest, when = k, th.last
		}
	}
	delete(t.m, oldest)
}

// RateLimiter allows each key (a platform user, in memory only) a burst
// of questions, refilled at a steady rate: a token bucket per key.
type RateLimiter struct {
	PerMinute float64 // refill rate; 0: 10
	Burst     int     // 0: 5
	Now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Allow takes a token for key, or reports that none is left.
func (l *RateLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	rate, burst := or(l.PerMinute, 10)/60, float64(or(l.Burst, 5))
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: burst, last: now}
		l.buckets[key] = b
		if len(l.buckets) > 10000 {
			l.prune(now, rate, burst)
		}
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune forgets the buckets that are full again.
func (l *RateLimiter) prune(now time.Time, rate, burst float64) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*rate >= burst {
			delete(l.buckets, k)
		}
	}
}

// StripMention removes a leading or embedded mention of the bot
// ("@wegwijs wie is aan zet?") from a message.
func StripMention(text, mention string) string {
	if mention == "" {
		return strings.TrimSpace(text)
	}
	var b strings.Builder
	for {
		i := strings.Index(strings.ToLower(text), strings.ToLower(mention))
		if i < 0 {
			b.WriteString(text)
			break
		}
		end := i + len(mention)
		// only a whole mention: "@wegwijs" but not "@wegwijsbot"
		if r, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && (r == '-' || r == '_' || r == '.' && end+1 < len(text) && text[end+1] != ' ' || isWordRune(r)) {
			b.WriteString(text[:end])
			text = text[end:]
			continue
		}
		b.WriteString(text[:i])
		text = text[end:]
	}
	return strings.Join(strings.Fields(strings.TrimLeft(strings.TrimSpace(b.String()), ",:")), " ")
}

func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

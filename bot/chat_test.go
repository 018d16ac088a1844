package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/retrieval"
)

// memClaims is an in-memory EventClaimer, as the processed-events table
// behaves.
type memClaims struct {
	mu   sync.Mutex
	seen map[string]bool
	fail error
}

func (m *memClaims) Claim(ctx context.Context, platform, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	if m.seen == nil {
		m.seen = map[string]bool{}
	}
	k := platform + "/" + id
	if m.seen[k] {
		return false, nil
	}
	m.seen[k] = true
	return true, nil
}

type memFeedback struct {
	up, down int
	docs     []string
}

func (m *memFeedback) RecordFeedback(ctx context.Context, fp string, docs []string, up, down int) error {
	m.up += up
	m.down += down
	m.docs = docs
	return nil
}

// contextSearch finds the passages only when the question names "aanbod".
type contextSearch struct{ asked []string }

func (c *contextSearch) Search(ctx context.Context, q string, opt retrieval.Options) (retrieval.Result, error) {
	c.asked = append(c.asked, q)
	if !strings.Contains(q, "aanbod") {
		return retrieval.Result{Hits: hits, Terms: []retrieval.Term{{Text: "wie", Word: "wie", IDF: 3}}}, nil
	}
	return retrieval.Result{Hits: hits, Terms: terms, Best: 1}, nil
}

func TestChatClaimsEachEventOnce(t *testing.T) {
	b, _ := newBot(t, nil)
	claims := &memClaims{}
	c := &Chat{Bot: b, Events: claims}
	in := Incoming{Platform: "test", EventID: "post:1", User: "u1", Text: "binnen hoeveel weken een passend aanbod?"}
	r, err := c.Handle(context.Background(), in)
	if err != nil || r.Outcome != Answered {
		t.Fatalf("first: %v %v", r.Outcome, err)
	}
	if _, err := c.Handle(context.Background(), in); !errors.Is(err, ErrClaimed) {
		t.Errorf("the same event twice: %v, want ErrClaimed", err)
	}
	claims.fail = errors.New("connection refused")
	in.EventID = "post:2"
	if r, err := c.Handle(context.Background(), in); err == nil || r.Failure != DatabaseDown || !strings.Contains(r.Text(), "niet zoeken") {
		t.Errorf("claims failing: %+v %v", r, err)
	}
}

func TestChatRateLimitIsFriendly(t *testing.T) {
	b, _ := newBot(t, nil)
	now := time.Unix(0, 0)
	c := &Chat{Bot: b, Limiter: &RateLimiter{PerMinute: 6, Burst: 2, Now: func() time.Time { return now }}}
	ask := func(user string) Reply {
		r, _ := c.Handle(context.Background(), Incoming{Platform: "test", User: user, Text: "binnen hoeveel weken een passend aanbod?"})
		return r
	}
	ask("u1")
	ask("u1")
	if r := ask("u1"); r.Failure != RateLimited || !strings.Contains(r.Text(), "Wacht even") {
		t.Errorf("third question at once: %+v", r)
	}
	if r := ask("u2"); r.Outcome != Answered {
		t.Errorf("another user is limited too: %+v", r)
	}
	now = now.Add(10 * time.Second) // one token back at 6 a minute
	if r := ask("u1"); r.Outcome != Answered {
		t.Errorf("after 10 s: %+v", r)
	}
}

// A follow-up that finds nothing alone is searched with the thread's
// earlier question; the thread keeps only redacted text.
func TestChatFollowUpUsesTheThread(t *testing.T) {
	b, _ := newBot(t, nil)
	cs := &contextSearch{}
	b.Search = cs
	c := &Chat{Bot: b, Threads: &Threads{}}
	first := Incoming{Platform: "test", Thread: "t1", Text: "Noor Bakker: binnen hoeveel weken een passend aanbod?"}
	if r, _ := c.Handle(context.Background(), first); r.Outcome != Answered {
		t.Fatalf("first: %+v", r)
	}
	if !c.Answered("test", "t1") || c.Answered("test", "t2") {
		t.Error("the thread is not known")
	}
	for _, q := range c.Threads.Earlier("test", "t1") {
		if strings.Contains(q, "Noor") || strings.Contains(q, "Bakker") {
			t.Errorf("the thread keeps a name: %q", q)
		}
	}
	r, _ := c.Handle(context.Background(), Incoming{Platform: "test", Thread: "t1", Text: "en wie doet dat?"})
	if r.Outcome != Answered {
		t.Fatalf("follow-up: %+v (searched %q)", r, cs.asked)
	}
	if last := cs.asked[len(cs.asked)-1]; !strings.Contains(last, "aanbod") || !strings.Contains(last, "wie doet dat") {
		t.Errorf("the follow-up was not searched with the thread: %q", last)
	}
	// in another thread the same follow-up has no context
	if r, _ := c.Handle(context.Background(), Incoming{Platform: "test", Thread: "t2", Text: "en wie doet dat?"}); r.Outcome != Abstained {
		t.Errorf("no context in another thread: %+v", r)
	}
}

func TestThreadsAreBounded(t *testing.T) {
	now := time.Unix(0, 0)
	th := &Threads{MaxThreads: 2, MaxPerTopic: 2, MaxRunes: 5, MaxAge: time.Minute, Now: func() time.Time { return now }}
	th.Remember("p", "a", "een twee drie")
	th.Remember("p", "a", "vier")
	th.Remember("p", "a", "vijf")
	if got := th.Earlier("p", "a"); len(got) != 2 || got[0] != "vier" || got[1] != "vijf" {
		t.Errorf("per thread: %q", got)
	}
	now = now.Add(time.Second) // b is newer than a: no tie for the eviction to break by map order
	th.Remember("p", "b", "x")
	now = now.Add(time.Second)
	th.Remember("p", "c", "y") // evicts the oldest
	if th.Len() != 2 || th.Known("p", "a") {
		t.Errorf("threads %d, a known %v", th.Len(), th.Known("p", "a"))
	}
	th.Remember("p", "d", "een twee drie")
	if got := th.Earlier("p", "d"); got[0] != "een t" {
		t.Errorf("runes: %q", got)
	}
	now = now.Add(2 * time.Minute)
	if th.Len() != 2 || th.Known("p", "d") {
		t.Error("old threads are not forgotten")
	}
}

func TestVoteIsCountedOncePerEvent(t *testing.T) {
	fb := &memFeedback{}
	c := &Chat{Events: &memClaims{}, Feedback: fb}
	ctx := context.Background()
	c.Vote(ctx, "p", "post1|user1|+1|added|t", "fp", []string{"doc"}, true, 1)
	c.Vote(ctx, "p", "post1|user1|+1|added|t", "fp", []string{"doc"}, true, 1) // delivered twice
	c.Vote(ctx, "p", "post1|user2|-1|added|t", "fp", []string{"doc"}, false, 1)
	if fb.up != 1 || fb.down != 1 || fb.docs[0] != "doc" {
		t.Errorf("up %d down %d", fb.up, fb.down)
	}
	claims := c.Events.(*memClaims)
	for k := range claims.seen {
		if strings.Contains(k, "user1") || strings.Contains(k, "post1") {
			t.Errorf("a claim keeps an id in the clear: %q", k)
		}
	}
}

func TestStripMention(t *testing.T) {
	for in, want := range map[string]string{
		"@wegwijs wie is aan zet?":           "wie is aan zet?",
		"@Wegwijs, wie is aan zet?":          "wie is aan zet?",
		"wie is aan zet @wegwijs":            "wie is aan zet",
		"vraag aan @wegwijsbot en @wegwijs ": "vraag aan @wegwijsbot en",
		"@wegwijs":                           "",
	} {
		if got := StripMention(in, "@wegwijs"); got != want {
			t.Errorf("StripMention(%q) = %q, want %q", in, got, want)
		}
	}
}

// Of words equally rare the longer one names the topic.
func TestTopicsPreferLongerWordsOfEqualWeight(t *testing.T) {
	terms := []retrieval.Term{{Word: "hoog", IDF: 7}, {Word: "boete", IDF: 7}, {Word: "luxe", IDF: 5}, {Word: "verzuim", IDF: 1}}
	if got := Topics(terms, 2); !slices.Equal(got, []string{"boete", "hoog"}) {
		t.Errorf("topics %q", got)
	}
}

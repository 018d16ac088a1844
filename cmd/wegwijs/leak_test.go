package main

// Leak-canary tests: questions stuffed with fake pupil data go through the
// real command-line path (ask, ask --json, chat, redact), offline and with
// a fake language model, and afterwards no value may be found in stdout,
// stderr (the logs, at debug level), anything sent to the model server, the
// database, or any file written under HOME, the XDG directories or the
// temporary directory. Wegwijs has no /metrics endpoint yet;
// leakMetricsPlaces is where its body joins the search when it comes.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/prompts"
	"github.com/wegwijs/wegwijs/prompts/openai/openaitest"
	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

const leakSampleDir = "../../knowledge/sample"

// leakVariant is one configuration the canaries run through.
type leakVariant struct {
	name  string
	llm   bool // a chat model on the fake server
	embed bool // embeddings from the fake server too
}

func TestLeakCanaries(t *testing.T) {
	for _, v := range []leakVariant{
		{name: "offline"},
		{name: "llm", llm: true},
		{name: "llm-embeddings", llm: true, embed: true},
	} {
		t.Run(v.name, func(t *testing.T) { runLeakVariant(t, v) })
	}
}

// leakCLIRun is one call of run and what it wrote.
type leakCLIRun struct {
	name           string
	stdout, stderr bytes.Buffer
}

func runLeakVariant(t *testing.T, v leakVariant) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	schemasBefore := leakSchemas(t, ctx)

	// Everything the program might write to disk lands in these.
	home, xdg, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	vars := map[string]string{
		"DATABASE_URL":      dsn,
		"WEGWIJS_LOG_LEVEL": "debug",
		"HOME":              home,
		"TMPDIR":            tmp,
		"XDG_CONFIG_HOME":   xdg + "/config",
		"XDG_CACHE_HOME":    xdg + "/cache",
		"XDG_DATA_HOME":     xdg + "/data",
		"XDG_STATE_HOME":    xdg + "/state",
		"XDG_RUNTIME_DIR":   xdg + "/runtime",
	}
	for _, k := range []string{"HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"} {
		t.Setenv(k, vars[k]) // for code that reads os.Getenv or os.TempDir directly
	}
	var srv *openaitest.Server
	if v.llm {
		srv = openaitest.New(t, openaitest.Reply("Bij verzuim ", "meldt de school ", "dit bij de leerplichtambtenaar [1]."))
		vars["WEGWIJS_LLM_BASE_URL"] = srv.URL()
		vars["WEGWIJS_LLM_MODEL"] = "fake-chat"
		vars["WEGWIJS_LLM_API_KEY"] = "sk-fake-leak-test"
		if v.embed {
			vars["WEGWIJS_EMBED_BASE_URL"] = srv.URL()
			vars["WEGWIJS_EMBED_MODEL"] = "fake-embed"
		}
	}
	// Only these variables: a real OPENAI_API_KEY in the developer's
	// environment must not send canaries to a real service.
	getenv := func(k string) string { return vars[k] }

	var runs []*leakCLIRun
	call := func(name, stdin string, args ...string) *leakCLIRun {
		t.Helper()
		r := &leakCLIRun{name: name}
		runs = append(runs, r)
		if err := run(ctx, args, getenv, strings.NewReader(stdin), &r.stdout, &r.stderr); err != nil {
			t.Fatalf("%s: %s", name, leakScrub(err.Error()))
		}
		return r
	}

	call("kb sync", "", "kb", "sync", leakSampleDir)
	syncRequests := 0
	if srv != nil {
		syncRequests = len(srv.Requests())
	}

	var asks []*leakCLIRun
	for i, q := range leakQuestions {
		asks = append(asks, call(fmt.Sprintf("ask #%d", i), "", "ask", q))
	}
	call("ask --uitleg", "", "ask", "--uitleg", leakQuestions[leakKindsQuestion])
	asJSON := call("ask --json", strings.Join(leakQuestions, "\n")+"\n", "ask", "--json")
	// In the chat, every question is followed by "uitleg": the explanation
	// shows the search terms, which must be the redacted ones.
	chat := call("chat", strings.Join(leakQuestions, "\nuitleg\n")+"\nuitleg\nstop\n", "chat")
	if n := strings.Count(chat.stdout.String(), "Deel van de vraag gedekt"); n < len(leakQuestions)/2 {
		t.Errorf("the chat explained %d of %d replies", n, len(leakQuestions))
	}
	call("redact", strings.Join(leakQuestions, "\n")+"\n", "redact")

	// The runs must have done their work, or finding nothing proves nothing.
	replies := checkLeakJSONReplies(t, asJSON.stdout.Bytes())
	checkLeakKindsNamed(t, asks[leakKindsQuestion].stdout.String(), replies[leakKindsQuestion], chat.stdout.String())
	if srv != nil {
		checkLeakServerUsed(t, v, srv, syncRequests, replies)
	}

	var places []leakPlace
	for _, r := range runs {
		places = append(places,
			leakPlace{v.name + ": stdout of " + r.name, r.stdout.Bytes()},
			leakPlace{v.name + ": stderr (logs) of " + r.name, r.stderr.Bytes()})
	}
	if srv != nil {
		places = append(places, leakServerPlaces(v.name, srv)...)
	}
	places = append(places, leakDumpPlaces(t, ctx, v.name, dsn, schemasBefore)...)
	places = append(places, leakFilePlaces(t, v.name, map[string]string{"HOME": home, "XDG": xdg, "TMPDIR": tmp})...)
	places = append(places, leakMetricsPlaces(t, v.name)...)
	requireNoLeak(t, places)
}

// checkLeakJSONReplies decodes one JSON reply per question and checks that
// the guard found data in each.
func checkLeakJSONReplies(t *testing.T, out []byte) []JSONReply {
	t.Helper()
	var replies []JSONReply
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r JSONReply
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("ask --json output: %v", err)
		}
		replies = append(replies, r)
	}
	if len(replies) != len(leakQuestions) {
		t.Fatalf("ask --json gave %d replies for %d questions", len(replies), len(leakQuestions))
	}
	for i, r := range replies {
		if len(r.Redactions) == 0 {
			t.Errorf("question %d: no redactions reported", i)
		}
		if r.Answer == "" {
			t.Errorf("question %d: empty answer", i)
		}
	}
	return replies
}

// checkLeakKindsNamed checks that the user is told which kinds of data were
// removed from a question with a name and a BSN, in every output.
func checkLeakKindsNamed(t *testing.T, human string, reply JSONReply, chat string) {
	t.Helper()
	if reply.Redactions[string(privacy.Naam)] == 0 || reply.Redactions[string(privacy.BSN)] == 0 {
		t.Errorf("JSON redactions = %v, want NAAM and BSN", reply.Redactions)
	}
	notices := strings.Join(reply.Notices, "\n")
	for name, out := range map[string]string{"ask": human, "ask --json notices": notices, "chat": chat} {
		for _, kind := range []string{"naam", "BSN"} {
			if !strings.Contains(out, kind) {
				t.Errorf("%s does not tell the user that a %s was removed", name, kind)
			}
		}
		if !strings.Contains(out, "persoonsgegevens") {
			t.Errorf("%s does not say that personal data was removed", name)
		}
	}
}

// checkLeakServerUsed checks that the fake server really got the questions'
// traffic, so the search of its requests means something.
func checkLeakServerUsed(t *testing.T, v leakVariant, srv *openaitest.Server, syncRequests int, replies []JSONReply) {
	t.Helper()
	chats, embeds := 0, 0
	for _, r := range srv.Requests()[syncRequests:] {
		switch {
		case strings.HasSuffix(r.Path, "/chat/completions"):
			chats++
		case strings.HasSuffix(r.Path, "/embeddings"):
			embeds++
		}
	}
	if chats == 0 {
		t.Errorf("no question reached the language model")
	}
	llm := 0
	for _, r := range replies {
		if r.Mode == "llm" {
			llm++
		}
	}
	if llm == 0 {
		t.Errorf("no reply came from the language model")
	}
	if v.embed && (syncRequests == 0 || embeds == 0) {
		t.Errorf("embeddings: %d requests at sync, %d for questions; want both > 0", syncRequests, embeds)
	}
	t.Logf("%d chat and %d embedding requests for questions; %d of %d JSON replies from the model", chats, embeds, llm, len(replies))
}

// TestLeakScanner checks the search itself: it must find every canary in
// the questions in any spelling, and nothing in what the guard leaves.
func TestLeakScanner(t *testing.T) {
	all := strings.Join(leakQuestions, "\n")
	for _, m := range leakMatchers {
		if !m.re.MatchString(all) {
			t.Errorf("canary %d (%s) is in no question", m.index, m.kind)
		}
		v := leakCanaries[m.index].value
		for _, spelling := range []string{strings.ToUpper(v), strings.ToLower(v), leakStripSeparators(v), "x " + v + "."} {
			if !m.re.MatchString(spelling) {
				t.Errorf("canary %d (%s) not found in a respelling", m.index, m.kind)
			}
		}
		if m.re.MatchString("0.0" + leakStripSeparators(v) + "3") {
			t.Errorf("canary %d (%s) found inside a longer number or word", m.index, m.kind)
		}
	}
	g, err := privacy.New()
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range leakQuestions {
		r, err := g.Redact(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range leakScan([]leakPlace{{fmt.Sprintf("redacted question %d", i), []byte(r.Redacted)}}) {
			t.Errorf("the guard leaves %s", h)
		}
	}
	if got := leakScrub("Fout bij " + leakCanaries[0].value); strings.Contains(got, leakCanaries[0].value) {
		t.Errorf("scrub leaves the value: %q", got)
	}
}

func leakStripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(leakSeparators, r) {
			return -1
		}
		return r
	}, s)
}

// The guard failing must stop everything: no search, no model, no
// catalogue, and only the Dutch warning.

type leakFailingGuard struct{ err error }

func (g leakFailingGuard) Redact(context.Context, string) (privacy.Result, error) {
	return privacy.Result{}, g.err
}

// leakSlowGuard waits for its deadline, as a guard stuck on a huge input would.
type leakSlowGuard struct{}

func (leakSlowGuard) Redact(ctx context.Context, _ string) (privacy.Result, error) {
	<-ctx.Done()
	return privacy.Result{}, ctx.Err()
}

type leakForbiddenSearcher struct{ t *testing.T }

func (s leakForbiddenSearcher) Search(context.Context, string, retrieval.Options) (retrieval.Result, error) {
	s.t.Error("searched after the guard failed")
	return retrieval.Result{}, errors.New("forbidden")
}

type leakForbiddenModel struct{ t *testing.T }

func (m leakForbiddenModel) Name() string { return "forbidden" }

func (m leakForbiddenModel) Stream(context.Context, []prompts.Message, func(string)) (string, error) {
	m.t.Error("sent to the model after the guard failed")
	return "", errors.New("forbidden")
}

type leakForbiddenCatalogue struct{ t *testing.T }

func (c leakForbiddenCatalogue) Sources(context.Context) ([]knowledge.Record, error) {
	c.t.Error("catalogue read after the guard failed")
	return nil, errors.New("forbidden")
}

// leakStream keeps what a model's stream showed.
type leakStream struct{ strings.Builder }

func (s *leakStream) Text(p string) { s.WriteString(p) }
func (s *leakStream) Abandon()      {}

func TestLeakGuardFailure(t *testing.T) {
	realGuard, err := privacy.New()
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range []struct {
		name         string
		ctx          context.Context
		guard        bot.Guard
		guardTimeout time.Duration
	}{
		{"guard error", t.Context(), leakFailingGuard{errors.New("guard broke")}, 0},
		{"cancelled context", cancelled, realGuard, 0},
		{"guard timeout", t.Context(), leakSlowGuard{}, 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			b := &bot.Bot{
				Guard:        tc.guard,
				Search:       leakForbiddenSearcher{t},
				Catalogue:    leakForbiddenCatalogue{t},
				Model:        leakForbiddenModel{t},
				Log:          slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				GuardTimeout: tc.guardTimeout,
			}
			var deltas leakStream
			var places []leakPlace
			for i, q := range leakQuestions {
				reply, err := b.Answer(tc.ctx, bot.Question{Text: q, Stream: &deltas})
				if !errors.Is(err, bot.ErrGuard) {
					t.Fatalf("question %d: err = %s, want it to wrap bot.ErrGuard", i, leakScrub(fmt.Sprint(err)))
				}
				if reply.Outcome != bot.Refused || !strings.HasPrefix(reply.Text(), "Ik kan je vraag nu niet veilig verwerken") {
					t.Errorf("question %d: reply is not the Dutch warning: %s", i, leakScrub(reply.Text()))
				}
				if len(reply.Sources) > 0 || len(reply.Known) > 0 || len(reply.Redactions()) > 0 || len(reply.Notices) > 0 {
					t.Errorf("question %d: reply carries more than the warning", i)
				}
				places = append(places,
					leakPlace{fmt.Sprintf("reply %d", i), []byte(bot.Markdown(reply, bot.MarkdownOptions{}))},
					leakPlace{fmt.Sprintf("error %d", i), []byte(err.Error())})
			}
			places = append(places, leakPlace{"logs", logs.Bytes()}, leakPlace{"model deltas", []byte(deltas.String())})
			requireNoLeak(t, places)
		})
	}
}

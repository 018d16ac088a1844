package slack

import (
	"context"
	"encoding/json"
	"fmt"
	blocks "github.com/wegwijs/wegwijs/bot/slack/slacktest"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/knowledge"
)

// The adapter's part of the knowledge-base work is driven with slack-go's
// slacktest: Socket Mode envelopes pushed down its WebSocket, every Web
// API call recorded, the files served from the same server; the
// knowledge base is a fake (the store has its own tests).

// call is one Web API request the adapter made, or a download, or a POST
// to a response URL.
type call struct {
	Method string
	Form   url.Values
	JSON   map[string]any
	Raw    string
	Auth   string
}

// fakeSlack is slacktest with recorders and files to download.
type fakeSlack struct {
	srv   *slacktest.Server
	mu    sync.Mutex
	calls []call
	acks  []string
	files map[string]fakeFile // by path
	ts    atomic.Int64
}

type fakeFile struct {
	status int
	body   string
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{files: map[string]fakeFile{}}
	f.ts.Store(1700000100)
	record := func(method string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			c := call{Method: method, Raw: string(body)}
			if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				json.Unmarshal(body, &c.JSON)
			} else {
				c.Form, _ = url.ParseQuery(string(body))
			}
			f.record(c)
			w.Header().Set("Content-Type", "application/json")
			ts := fmt.Sprintf("%d.000100", f.ts.Add(1))
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q,"message_ts":%q}`, c.Form.Get("channel"), ts, ts)
		}
	}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range []string{"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete"} {
			c.Handle("/"+m, record(m))
		}
		c.Handle("/response", record("response_url"))
		c.Handle("/files/", func(w http.ResponseWriter, r *http.Request) {
			f.record(call{Method: "download", Raw: r.URL.Path, Auth: r.Header.Get("Authorization")})
			f.mu.Lock()
			file, ok := f.files[r.URL.Path]
			f.mu.Unlock()
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(file.status)
			io.WriteString(w, file.body)
		})
	})
	go func() {
		for m := range f.srv.SeenFeed { // acks arrive here; the feed must be drained
			f.mu.Lock()
			f.acks = append(f.acks, m)
			f.mu.Unlock()
		}
	}()
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *fakeSlack) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// url is an address on the fake, as Slack's url_private_download would be.
func (f *fakeSlack) url(path string) string {
	return strings.TrimSuffix(f.srv.GetAPIURL(), "/") + path
}

// serve makes a file downloadable at path.
func (f *fakeSlack) serve(path string, status int, body string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[path] = fakeFile{status: status, body: body}
	return f.url(path)
}

func (f *fakeSlack) callsOf(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) waitCalls(t *testing.T, method string, n int) []call {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d %s", n, method), func() bool { return len(f.callsOf(method)) >= n })
	return f.callsOf(method)
}

func (f *fakeSlack) acked(envelope string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.acks {
		if strings.Contains(a, `"`+envelope+`"`) {
			return a
		}
	}
	return ""
}

// send pushes one envelope; slacktest sends each in a goroutine of its
// own, so a little time keeps them in order.
func (f *fakeSlack) send(envelope string) {
	f.srv.SendToWebsocket(envelope)
	time.Sleep(50 * time.Millisecond)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// claims is bot.EventClaimer in memory: each key once.
type claims struct{ seen sync.Map }

func (c *claims) Claim(ctx context.Context, platform, id string) (bool, error) {
	_, taken := c.seen.LoadOrStore(platform+":"+id, true)
	return !taken, nil
}

// startAdapter runs an adapter against the fake until the test ends.
func startAdapter(t *testing.T, f *fakeSlack, curator *curate.Curator) *Adapter {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: f.srv.GetAPIURL(), PingTimeout: 10 * time.Minute, Deadline: 20 * time.Second}
	a, err := New(ctx, cfg, &bot.Chat{Events: &claims{}}, nil, curator, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Wait(context.Background())
	})
	f.send(`{"type":"hello","num_connections":1}`)
	waitFor(t, "the Socket Mode connection", a.Connected)
	return a
}

func eventEnvelope(envID, eventID, event string) string {
	return fmt.Sprintf(`{"type":"events_api","envelope_id":%q,"accepts_response_payload":false,
		"payload":{"type":"event_callback","team_id":"T024BE7LD","api_app_id":"A1","event_id":%q,"event_time":1700000000,"event":%s}}`,
		envID, eventID, event)
}

// fileMessage is a message with one file, as Slack sends a file shared in
// a direct message (channel type "im") or a channel.
func fileMessage(user, channel, channelType, ts, name string, size int, download string) string {
	return fmt.Sprintf(`{"type":"message","subtype":"file_share","channel_type":%q,"user":%q,"text":"","ts":%q,"channel":%q,"event_ts":%q,"upload":true,
		"files":[{"id":"F%s","name":%q,"title":%q,"mimetype":"text/markdown","filetype":"markdown","size":%d,"mode":"hosted","url_private":%q,"url_private_download":%q}]}`,
		channelType, user, ts, channel, ts, strings.ReplaceAll(ts, ".", ""), name, name, size, download, download)
}

func slashCommand(envID, text, user, channel, responseURL string) string {
	return fmt.Sprintf(`{"type":"slash_commands","envelope_id":%q,"accepts_response_payload":true,
		"payload":{"command":"/wegwijs","text":%q,"channel_id":%q,"user_id":%q,"team_id":"T024BE7LD","response_url":%q,"trigger_id":"trig-%s"}}`,
		envID, text, channel, user, responseURL, envID)
}

// click is a block action on a message in a thread.
func click(envID, user, channel, messageTS, thread, blocks, actionID, label, value string) string {
	if blocks == "" {
		blocks = "[]"
	}
	return fmt.Sprintf(`{"type":"interactive","envelope_id":%q,"payload":{"type":"block_actions","user":{"id":%q},
		"channel":{"id":%q},"container":{"type":"message","channel_id":%q,"message_ts":%q,"thread_ts":%q,"is_ephemeral":false},
		"message":{"type":"message","ts":%q,"text":"","blocks":%s},
		"actions":[{"action_id":%q,"block_id":"wegwijs_kb","value":%q,"type":"button","text":{"type":"plain_text","text":%q}}]}}`,
		envID, user, channel, channel, messageTS, thread, messageTS, blocks, actionID, value, label)
}

// buttons are the action ids and values in a message's blocks.
func buttons(t *testing.T, raw string) map[string]string {
	t.Helper()
	bs, err := blocks.Buttons(raw)
	if err != nil {
		t.Fatalf("blocks %q: %v", raw, err)
	}
	out := map[string]string{}
	for _, b := range bs {
		out[b.ActionID] = b.Value
		out[b.ActionID+".style"] = b.Style
	}
	return out
}

// blockText is all the text in blocks (JSON), one piece a line.
func blockText(t *testing.T, raw string) string {
	t.Helper()
	text, err := blocks.BlocksText(raw)
	if err != nil {
		t.Fatalf("blocks %q: %v", raw, err)
	}
	return text
}

// fakeLibrary is the knowledge base in memory, recording what the
// curator asked of it.
type fakeLibrary struct {
	mu        sync.Mutex
	drafts    []draftCall
	activated []string
	cancelled []string
	removed   []string
	sources   []knowledge.Record
}

type draftCall struct{ name, content string }

func (l *fakeLibrary) Draft(ctx context.Context, name, path, link string, meta knowledge.Meta) (curate.Draft, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return curate.Draft{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drafts = append(l.drafts, draftCall{name: name, content: string(b)})
	rec := knowledge.Record{Slug: knowledge.SlugForFile(name), Version: 2, Chunks: 3, Draft: true,
		Meta: knowledge.Meta{Title: "Verzuimbeleid Twente", Region: "Twente"}}
	return curate.Draft{Record: rec, Replaces: 1, Headings: []string{"Beleid verzuim"}}, nil
}

func (l *fakeLibrary) Activate(ctx context.Context, slug string, version int) (knowledge.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.activated = append(l.activated, fmt.Sprintf("%s@%d", slug, version))
	return knowledge.Record{Slug: slug, Version: version, Meta: knowledge.Meta{Title: "Verzuimbeleid Twente"}}, nil
}

func (l *fakeLibrary) Adopt(ctx context.Context, slug string, version int, target string) (knowledge.Record, error) {
	return knowledge.Record{Slug: target, Version: version + 1}, nil
}

func (l *fakeLibrary) Cancel(ctx context.Context, slug string, version int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cancelled = append(l.cancelled, fmt.Sprintf("%s@%d", slug, version))
	return nil
}

func (l *fakeLibrary) Sources(ctx context.Context) ([]knowledge.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.sources), nil
}

func (l *fakeLibrary) Edit(ctx context.Context, slug string, version int, title, region string) (knowledge.Record, error) {
	return knowledge.Record{}, knowledge.ErrNotFound
}
func (l *fakeLibrary) Remove(ctx context.Context, slug string) (knowledge.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, r := range l.sources {
		if r.Slug == slug {
			l.removed = append(l.removed, slug)
			l.sources = slices.Delete(l.sources, i, i+1)
			return r, nil
		}
	}
	return knowledge.Record{}, knowledge.ErrNotFound
}
func (l *fakeLibrary) Restore(ctx context.Context, slug string) (knowledge.Record, error) {
	return knowledge.Record{}, knowledge.ErrNotFound
}
func (l *fakeLibrary) Audit(ctx context.Context, e curate.Entry) error { return nil }
func (l *fakeLibrary) AuditLog(ctx context.Context, limit int) ([]curate.Entry, error) {
	return nil, nil
}
func (l *fakeLibrary) Gaps(ctx context.Context, days, limit int) ([]curate.Gap, int, error) {
	return nil, 0, nil
}
func (l *fakeLibrary) Feedback(ctx context.Context) ([]curate.DocumentVotes, error) { return nil, nil }

func (l *fakeLibrary) calls() (drafts []draftCall, activated, cancelled []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.drafts), slices.Clone(l.activated), slices.Clone(l.cancelled)
}

// U1 may change the knowledge base anywhere; everyone may in CADMIN.
func newCurator(t *testing.T, lib *fakeLibrary) *curate.Curator {
	return &curate.Curator{Library: lib, MaxBytes: 1 << 20, TempDir: t.TempDir(),
		Policy: curate.Policy{Users: map[string][]string{Platform: {"U1"}}, Channels: map[string]string{Platform: "CADMIN"}, Contact: "de functioneel beheerder"}}
}

const beleid = "# Beleid verzuim\n\nDe mentor belt de ouders op de eerste dag van het verzuim.\n"

func TestCuratorFileInDirectMessage(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{}
	startAdapter(t, f, newCurator(t, lib))
	download := f.serve("/files/T1/F1/verzuimbeleid-twente.md", http.StatusOK, beleid)

	file := fileMessage("U1", "D1", "im", "1700000000.000100", "verzuimbeleid-twente.md", len(beleid), download)
	f.send(eventEnvelope("env-1", "Ev1", file))
	f.send(eventEnvelope("env-1b", "Ev1", file)) // Slack delivers it again
	updates := f.waitCalls(t, "chat.update", 1)

	t.Run("the file is downloaded through the API with the bot token", func(t *testing.T) {
		dl := f.callsOf("download")
		if len(dl) != 1 || dl[0].Auth != "Bearer xoxb-test" {
			t.Fatalf("downloads %+v", dl)
		}
		drafts, _, _ := lib.calls()
		if len(drafts) != 1 || drafts[0].name != "verzuimbeleid-twente.md" || drafts[0].content != beleid {
			t.Fatalf("drafts %+v", drafts)
		}
	})

	var draft url.Values
	t.Run("the thread says it is reading, then shows the draft with its buttons", func(t *testing.T) {
		posts := f.callsOf("chat.postMessage")
		if len(posts) != 1 || posts[0].Form.Get("channel") != "D1" || posts[0].Form.Get("thread_ts") != "1700000000.000100" ||
			!strings.Contains(posts[0].Form.Get("text"), "Ik lees verzuimbeleid-twente.md") {
			t.Fatalf("the note: %+v", posts)
		}
		draft = updates[0].Form
		if draft.Get("ts") != "1700000101.000100" || draft.Get("channel") != "D1" {
			t.Errorf("the update is not of the note: %v", draft)
		}
		bs := buttons(t, draft.Get("blocks"))
		if bs[curate.ActionActivate] == "" || bs[curate.ActionActivate+".style"] != "primary" || bs[curate.ActionCancel+".style"] != "danger" {
			t.Errorf("buttons %v", bs)
		}
		for _, want := range []string{"Live zetten", "Annuleren", "*Nieuwe versie (2) van ‘Verzuimbeleid Twente’, als concept.*", "• Naam: `verzuimbeleid-twente`"} {
			if !strings.Contains(draft.Get("blocks"), want) {
				t.Errorf("the draft lacks %q: %s", want, draft.Get("blocks"))
			}
		}
	})

	t.Run("Live zetten activates the draft and the buttons make way for what happened", func(t *testing.T) {
		value := buttons(t, draft.Get("blocks"))[curate.ActionActivate]
		f.send(click("env-2", "U1", "D1", "1700000101.000100", "1700000000.000100", draft.Get("blocks"), curate.ActionActivate, "Live zetten", value))
		f.send(click("env-3", "U1", "D1", "1700000101.000100", "1700000000.000100", draft.Get("blocks"), curate.ActionActivate, "Live zetten", value)) // a double click
		updates := f.waitCalls(t, "chat.update", 2)
		time.Sleep(200 * time.Millisecond)
		if n := len(f.callsOf("chat.update")); n != 2 {
			t.Errorf("%d updates: a double click acted twice", n)
		}
		if _, activated, _ := lib.calls(); !slices.Equal(activated, []string{"verzuimbeleid-twente@2"}) {
			t.Fatalf("activated %v", activated)
		}
		u := updates[1].Form
		blocks := blockText(t, u.Get("blocks"))
		if strings.Contains(u.Get("blocks"), `"type":"actions"`) {
			t.Error("the buttons are still there")
		}
		if u.Get("ts") != "1700000101.000100" || !strings.Contains(blocks, "is live: vanaf nu antwoord ik ermee") || !strings.Contains(blocks, "Nieuwe versie (2)") ||
			!strings.Contains(blocks, "<@U1> koos ‘Live zetten’") {
			t.Errorf("after the click: %v", u)
		}
		if f.acked("env-2") == "" {
			t.Error("the click was not acknowledged")
		}
	})
}

func TestCuratorRefusesAFileFromSomeoneNotAllowed(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{}
	startAdapter(t, f, newCurator(t, lib))
	download := f.serve("/files/T1/F2/notities.md", http.StatusOK, beleid)

	f.send(eventEnvelope("env-1", "Ev1", fileMessage("U9", "D9", "im", "1700000000.000200", "notities.md", len(beleid), download)))
	eph := f.waitCalls(t, "chat.postEphemeral", 1)
	if e := eph[0].Form; e.Get("user") != "U9" || e.Get("channel") != "D9" || !strings.Contains(e.Get("blocks"), "Sorry, de kennisbank aanpassen mag alleen een beleidsmedewerker") {
		t.Errorf("refusal %v", e)
	}
	time.Sleep(200 * time.Millisecond)
	if drafts, _, _ := lib.calls(); len(drafts) != 0 {
		t.Errorf("drafts %v", drafts)
	}
	if n := len(f.callsOf("download")) + len(f.callsOf("chat.postMessage")); n != 0 {
		t.Errorf("%d downloads and posts for a refused file", n)
	}
}

func TestCuratorFileProblems(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{}
	startAdapter(t, f, newCurator(t, lib))

	t.Run("a file over the limit is refused before it is downloaded", func(t *testing.T) {
		big := f.serve("/files/T1/F3/groot.md", http.StatusOK, beleid)
		f.send(eventEnvelope("env-1", "Ev1", fileMessage("U1", "D1", "im", "1700000000.000300", "groot.md", 5<<20, big)))
		u := f.waitCalls(t, "chat.update", 1)[0].Form
		if !strings.Contains(u.Get("blocks"), "groot.md is te groot (5 MB); ik neem bestanden tot 1 MB") {
			t.Errorf("reply %v", u)
		}
		if dl := f.callsOf("download"); len(dl) != 0 {
			t.Errorf("downloaded: %v", dl)
		}
	})

	for i, status := range []int{http.StatusForbidden, http.StatusInternalServerError} {
		t.Run(fmt.Sprintf("Slack answers %d to the download", status), func(t *testing.T) {
			before := len(f.callsOf("chat.update"))
			name := fmt.Sprintf("geweigerd-%d.md", status)
			u := f.serve("/files/T1/F4/"+name, status, "<html>no</html>")
			f.send(eventEnvelope(fmt.Sprintf("env-%d", i+2), fmt.Sprintf("Ev%d", i+2), fileMessage("U1", "D1", "im", fmt.Sprintf("1700000000.00040%d", i), name, 100, u)))
			reply := f.waitCalls(t, "chat.update", before+1)[before].Form
			if !strings.Contains(reply.Get("blocks"), "Ik kon "+name+" niet ophalen bij de chatserver. Stuur het nog eens, of vraag de beheerder of ik bestanden mag lezen.") {
				t.Errorf("reply %v", reply)
			}
		})
	}
	if drafts, _, _ := lib.calls(); len(drafts) != 0 {
		t.Errorf("drafts %v", drafts)
	}
}

// In the admin channel anyone may send a file, with @wegwijs; in another
// channel a file is not for the curator.
func TestCuratorFileInTheAdminChannel(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{}
	startAdapter(t, f, newCurator(t, lib))
	download := f.serve("/files/T1/F5/protocol.md", http.StatusOK, beleid)
	mention := func(channel, ts string) string {
		return fmt.Sprintf(`{"type":"app_mention","user":"U5","text":"<@W012A3CDE> nieuwe versie","ts":%q,"channel":%q,"event_ts":%q,
			"files":[{"id":"F5","name":"protocol.md","size":%d,"url_private_download":%q}]}`, ts, channel, ts, len(beleid), download)
	}
	f.send(eventEnvelope("env-1", "Ev1", mention("CADMIN", "1700000000.000500")))
	u := f.waitCalls(t, "chat.update", 1)[0].Form
	if u.Get("channel") != "CADMIN" || !strings.Contains(u.Get("blocks"), "Live zetten") {
		t.Errorf("reply %v", u)
	}
	f.send(eventEnvelope("env-2", "Ev2", fileMessage("U1", "COTHER", "channel", "1700000000.000600", "protocol.md", len(beleid), download)))
	time.Sleep(300 * time.Millisecond)
	if drafts, _, _ := lib.calls(); len(drafts) != 1 || drafts[0].name != "protocol.md" {
		t.Errorf("drafts %v", drafts)
	}
}

// Without a curator a file in a direct message is left alone, as before.
func TestNoCuratorIgnoresFiles(t *testing.T) {
	f := newFakeSlack(t)
	startAdapter(t, f, nil)
	download := f.serve("/files/T1/F6/beleid.md", http.StatusOK, beleid)
	f.send(eventEnvelope("env-1", "Ev1", fileMessage("U1", "D1", "im", "1700000000.000700", "beleid.md", len(beleid), download)))
	time.Sleep(300 * time.Millisecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) != 0 {
		t.Errorf("calls without a curator: %+v", f.calls)
	}
}

func TestCuratorSlashCommand(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{sources: []knowledge.Record{
		{Slug: "routeboek", Version: 3, Chunks: 41, Meta: knowledge.Meta{Title: "Routeboek Verzuim", Region: "Haaglanden", URL: "https://example.nl/routeboek.pdf"}},
		{Slug: "praktijkkaart-thuiszitters", Version: 1, Chunks: 12, Meta: knowledge.Meta{Title: "Praktijkkaart thuiszitters"}}}}
	startAdapter(t, f, newCurator(t, lib))

	f.send(slashCommand("env-1", "bronnen", "U2", "C1", f.url("/response")))
	r := f.waitCalls(t, "response_url", 1)[0].JSON
	js, _ := json.Marshal(r["blocks"])
	blocks := blockText(t, string(js))
	if r["response_type"] != "ephemeral" || r["replace_original"] != true ||
		!strings.Contains(blocks, "• `routeboek` — <https://example.nl/routeboek.pdf|Routeboek Verzuim> — regio: Haaglanden · versie: 3 · passages: 41") ||
		strings.Contains(blocks, "| ---") {
		t.Errorf("response %v", r)
	}
	if ack := f.acked("env-1"); !strings.Contains(ack, "ephemeral") || !strings.Contains(ack, "Even kijken") {
		t.Errorf("ack %q", ack)
	}
	if n := len(f.callsOf("chat.postMessage")); n != 0 {
		t.Errorf("%d messages in the channel", n)
	}
}

// A removal asked with the slash command is confirmed with a button on
// the ephemeral answer, which is then replaced by what happened.
func TestCuratorRemovalConfirmedOnTheEphemeralAnswer(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{sources: []knowledge.Record{{Slug: "routeboek", Version: 3, Chunks: 41, Meta: knowledge.Meta{Title: "Routeboek Verzuim"}}}}
	startAdapter(t, f, newCurator(t, lib))
	response := f.url("/response")

	f.send(slashCommand("env-1", "bron verwijderen routeboek", "U1", "C1", response))
	r := f.waitCalls(t, "response_url", 1)[0].JSON
	js, _ := json.Marshal(r["blocks"])
	bs := buttons(t, string(js))
	if r["response_type"] != "ephemeral" || bs[curate.ActionRemove] == "" || bs[curate.ActionRemove+".style"] != "danger" || bs[curate.ActionKeep] == "" ||
		!strings.Contains(blockText(t, string(js)), "Weet je zeker dat ik ‘Routeboek Verzuim’ (versie 3, 41 passages) niet meer mag gebruiken?") {
		t.Fatalf("confirmation %v", r)
	}
	// an ephemeral message's click carries no message, only its container
	f.send(fmt.Sprintf(`{"type":"interactive","envelope_id":"env-2","payload":{"type":"block_actions","user":{"id":"U1"},
		"channel":{"id":"C1"},"container":{"type":"message","channel_id":"C1","message_ts":"1700000200.000100","is_ephemeral":true},
		"response_url":%q,"actions":[{"action_id":"kb_remove","block_id":"wegwijs_kb","value":%q,"type":"button","text":{"type":"plain_text","text":"Ja, weghalen"}}]}}`,
		response, bs[curate.ActionRemove]))
	done := f.waitCalls(t, "response_url", 2)[1].JSON
	js, _ = json.Marshal(done["blocks"])
	if done["replace_original"] != true || strings.Contains(string(js), `"actions"`) ||
		!strings.Contains(blockText(t, string(js)), "‘Routeboek Verzuim’ is weggehaald") {
		t.Errorf("after the click %v", done)
	}
	lib.mu.Lock()
	defer lib.mu.Unlock()
	if !slices.Equal(lib.removed, []string{"routeboek"}) {
		t.Errorf("removed %v", lib.removed)
	}
	if n := len(f.callsOf("chat.update")) + len(f.callsOf("chat.postMessage")); n != 0 {
		t.Errorf("%d messages for an ephemeral answer", n)
	}
}

// A button Wegwijs did not make, or an action id it does not know, does
// nothing.
func TestCuratorIgnoresForgedButtons(t *testing.T) {
	f := newFakeSlack(t)
	lib := &fakeLibrary{}
	startAdapter(t, f, newCurator(t, lib))
	b := curate.Button{Action: curate.ActionActivate, Value: "routeboek@2"}
	for i, c := range []struct{ action, value string }{
		{"kb_purge", sealButton("xoxb-test", "D1", curate.Button{Action: "kb_purge", Value: "routeboek"})},                       // unknown
		{curate.ActionActivate, "kb_activate|routeboek@2|0123456789abcdef0123456789abcdef"},                                      // a made-up seal
		{curate.ActionActivate, sealButton("xoxb-test", "COTHER", b)},                                                            // sealed for another channel
		{curate.ActionActivate, sealButton("xoxb-test", "D1", curate.Button{Action: curate.ActionCancel, Value: "routeboek@2"})}, // another action's
		{curate.ActionActivate, "routeboek@2"},
	} {
		f.send(click(fmt.Sprintf("env-%d", i), "U1", "D1", "1700000101.000100", "1700000000.000100", "", c.action, "Live zetten", c.value))
	}
	time.Sleep(500 * time.Millisecond)
	if _, activated, cancelled := lib.calls(); len(activated)+len(cancelled) != 0 {
		t.Errorf("activated %v, cancelled %v", activated, cancelled)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) != 0 {
		t.Errorf("calls for forged buttons: %+v", f.calls)
	}
	if len(f.acks) < 5 {
		t.Errorf("%d acks", len(f.acks))
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/bot/slack/slacktest"
)

// The knowledge-base work of beleidsmedewerkers through Slack, end to end:
// `wegwijs serve` in process on the real store, against the Slack fake of
// serve_slack_test.go. slack-go only sends the bot token to Slack's own
// hosts or to the API URL's host, so the files cannot be served apart:
// slackFront sits in front of the fake on one host, serving the files
// and the response URLs itself and passing the Web API through.

// slackFront is one host for the Web API (passed to the fake), the files
// to download and the response URLs, each recorded.
type slackFront struct {
	srv       *httptest.Server
	mu        sync.Mutex
	files     map[string]string // by path
	downloads []frontDownload
	responses []frontResponse
	posted    []frontPost
}

type frontDownload struct{ path, auth string }

// frontResponse is what serve POSTed to /response/<tag>.
type frontResponse struct {
	tag  string
	json map[string]any
}

// frontPost is a chat.postMessage and the ts the fake gave it.
type frontPost struct{ channel, thread, text, ts string }

func newSlackFront(t *testing.T, f *slackFake) *slackFront {
	t.Helper()
	api, err := url.Parse(f.srv.GetAPIURL())
	if err != nil {
		t.Fatal(err)
	}
	api.Path = ""
	proxy := httputil.NewSingleHostReverseProxy(api)
	fr := &slackFront{files: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/files/", func(w http.ResponseWriter, r *http.Request) {
		fr.mu.Lock()
		fr.downloads = append(fr.downloads, frontDownload{path: r.URL.Path, auth: r.Header.Get("Authorization")})
		body, ok := fr.files[r.URL.Path]
		fr.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, body)
	})
	mux.HandleFunc("/response/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		resp := frontResponse{tag: strings.TrimPrefix(r.URL.Path, "/response/")}
		json.Unmarshal(body, &resp.json)
		fr.mu.Lock()
		fr.responses = append(fr.responses, resp)
		fr.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	})
	mux.HandleFunc("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r)
		var out struct {
			TS string `json:"ts"`
		}
		json.Unmarshal(rec.Body.Bytes(), &out)
		fr.mu.Lock()
		fr.posted = append(fr.posted, frontPost{channel: form.Get("channel"), thread: form.Get("thread_ts"), text: form.Get("text"), ts: out.TS})
		fr.mu.Unlock()
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
	mux.Handle("/", proxy)
	fr.srv = httptest.NewServer(mux)
	t.Cleanup(fr.srv.Close)
	return fr
}

// file makes content downloadable and returns its url_private_download.
func (fr *slackFront) file(path, content string) string {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	fr.files[path] = content
	return fr.srv.URL + path
}

func (fr *slackFront) downloadsOf(path string) []frontDownload {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	var out []frontDownload
	for _, d := range fr.downloads {
		if path == "" || d.path == path {
			out = append(out, d)
		}
	}
	return out
}

// responseURL is a response URL whose posts are recorded under tag.
func (fr *slackFront) responseURL(tag string) string { return fr.srv.URL + "/response/" + tag }

// response waits for the one post to a response URL, and returns its
// text and its blocks (JSON).
func (fr *slackFront) response(t *testing.T, tag string) (map[string]any, string) {
	t.Helper()
	var got []frontResponse
	waitFor(t, 30*time.Second, "the answer through response URL "+tag, func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		got = nil
		for _, r := range fr.responses {
			if r.tag == tag {
				got = append(got, r)
			}
		}
		return len(got) > 0
	})
	if len(got) != 1 {
		t.Fatalf("%d posts to response URL %s, want 1", len(got), tag)
	}
	blocks, _ := json.Marshal(got[0].json["blocks"])
	return got[0].json, string(blocks)
}

// note is the ts of serve's post in a thread with text starting with
// prefix ("" when there is none).
func (fr *slackFront) note(channel, thread, prefix string) string {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	for _, p := range fr.posted {
		if p.channel == channel && p.thread == thread && strings.HasPrefix(p.text, prefix) {
			return p.ts
		}
	}
	return ""
}

// startCurationServe is startSlackServe with the Web API behind front
// (slacktest serves it at its root).
func startCurationServe(t *testing.T, f *slackFake, fr *slackFront, env map[string]string) *served {
	t.Helper()
	env = mapsClone(env)
	env["SLACK_BOT_TOKEN"], env["SLACK_APP_TOKEN"] = "xoxb-test", "xapp-test"
	env["SLACK_API_URL"] = fr.srv.URL + "/"
	env["SLACK_PING_TIMEOUT"] = "10m" // slacktest sends no pings
	s := startServe(t, env, freeAddr(t))
	f.send(`{"type":"hello","num_connections":1}`)
	return s
}

// slackIM is a message in a direct message channel.
func slackIM(user, channel, ts, text string) string {
	return fmt.Sprintf(`{"type":"message","channel_type":"im","user":%q,"text":%q,"ts":%q,"channel":%q,"event_ts":%q}`, user, text, ts, channel, ts)
}

// slackFileShare is a file sent in a direct message, as Slack delivers it.
func slackFileShare(user, channel, ts, id, name string, size int, download string) string {
	return fmt.Sprintf(`{"type":"message","subtype":"file_share","channel_type":"im","user":%q,"text":"","ts":%q,"channel":%q,"event_ts":%q,"upload":true,
		"files":[{"id":%q,"name":%q,"title":%q,"mimetype":"text/plain","filetype":"text","size":%d,"mode":"hosted","url_private":%q,"url_private_download":%q}]}`,
		user, ts, channel, ts, id, name, name, size, download, download)
}

func slackSlash(envID, user, channel, text, responseURL string) string {
	return fmt.Sprintf(`{"type":"slash_commands","envelope_id":%q,"accepts_response_payload":true,
		"payload":{"command":"/wegwijs","text":%q,"channel_id":%q,"user_id":%q,"team_id":"T024BE7LD","response_url":%q,"trigger_id":"trig-%s"}}`,
		envID, text, channel, user, responseURL, envID)
}

// slackButton is a button in Block Kit as serve posted it.
type slackButton struct{ actionID, value string }

// slackButtons are a message's buttons (blocks in JSON) by label.
func slackButtons(t *testing.T, blocks string) map[string]slackButton {
	t.Helper()
	bs, err := slacktest.Buttons(blocks)
	if err != nil {
		t.Fatalf("blocks %q: %v", blocks, err)
	}
	out := map[string]slackButton{}
	for _, b := range bs {
		out[b.Label] = slackButton{actionID: b.ActionID, value: b.Value}
	}
	return out
}

// slackButtonOf is the button with that label, or the test stops.
func slackButtonOf(t *testing.T, blocks, label string) slackButton {
	t.Helper()
	b, ok := slackButtons(t, blocks)[label]
	if !ok {
		t.Fatalf("no button %q in %s", label, blocks)
	}
	return b
}

// slackText is all the text in blocks (JSON), a piece a line.
func slackText(blocks string) string {
	text, _ := slacktest.BlocksText(blocks)
	return text
}

// slackClickOn is a click on a button of a message serve posted in a
// thread of a direct message.
func slackClickOn(envID, user, channel, messageTS, thread, blocks, label string, b slackButton) string {
	return fmt.Sprintf(`{"type":"interactive","envelope_id":%q,"payload":{"type":"block_actions","user":{"id":%q},
		"channel":{"id":%q},"container":{"type":"message","channel_id":%q,"message_ts":%q,"thread_ts":%q,"is_ephemeral":false},
		"message":{"type":"message","ts":%q,"text":"","blocks":%s},
		"actions":[{"action_id":%q,"block_id":"wegwijs_kb","value":%q,"type":"button","text":{"type":"plain_text","text":%q}}]}}`,
		envID, user, channel, channel, messageTS, thread, messageTS, blocks, b.actionID, b.value, label)
}

// slackEphemeralClick is a click on a button of an ephemeral message (a
// slash command's answer): no message, a response URL.
func slackEphemeralClick(envID, user, channel, messageTS, responseURL, label string, b slackButton) string {
	return fmt.Sprintf(`{"type":"interactive","envelope_id":%q,"payload":{"type":"block_actions","user":{"id":%q},
		"channel":{"id":%q},"container":{"type":"message","channel_id":%q,"message_ts":%q,"is_ephemeral":true},"response_url":%q,
		"actions":[{"action_id":%q,"block_id":"wegwijs_kb","value":%q,"type":"button","text":{"type":"plain_text","text":%q}}]}}`,
		envID, user, channel, channel, messageTS, responseURL, b.actionID, b.value, label)
}

// A beleidsmedewerker keeps the knowledge base current from Slack, as in
// TestMattermostCuration: a file sent in a direct message becomes a draft
// that answers nothing, "Live zetten" makes it answer in the next message,
// a new edition swaps in whole while questions are being answered,
// removal (confirmed) stops it answering and restoring brings it back;
// someone not authorised changes nothing; every step is in the audit log.
func TestSlackCuration(t *testing.T) {
	const (
		admin, adminDM   = "U0ADMIN01", "D0ADMIN01"
		asker, askerDM   = "U0ASKER01", "D0ASKER01"
		asker2, asker2DM = "U0ASKER02", "D0ASKER02"
		channel          = "C0PUBLIC1" // where the slash commands are typed
		fileName         = "protocol-verzuimcoach.txt"
		slug             = "protocol-verzuimcoach"
	)
	env := syncedEnv(t)
	env["WEGWIJS_LOG_LEVEL"] = "debug" // every log line is checked for leaks
	env["WEGWIJS_RATE_PER_MINUTE"], env["WEGWIJS_RATE_BURST"] = "600", "100"
	env["WEGWIJS_KB_USERS_SLACK"] = "U0OTHER99, " + admin
	env["WEGWIJS_KB_CHANNEL_SLACK"] = "C0BEHEER1"
	env["WEGWIJS_KB_CONTACT"] = "Fatima van functioneel beheer"
	env["WEGWIJS_UNANSWERED_DAYS"] = "28"
	env["WEGWIJS_CHECK_QUESTIONS"] = "../../eval/testdata/questions.yaml,../../eval/testdata/heldout.yaml"
	f := newSlackFake(t)
	fr := newSlackFront(t, f)
	s := startCurationServe(t, f, fr, env)
	start := time.Now()

	dsn := env["DATABASE_URL"]
	docsBefore := countDocs(t, dsn)

	var seq atomic.Int64
	next := func() (ts, id string) {
		n := seq.Add(1)
		return fmt.Sprintf("1710000000.%06d", n), fmt.Sprintf("%d", n)
	}
	// thread is everything serve posted or updated in a thread of a
	// channel, in order, as text and blocks.
	thread := func(ch, root string) []slackCall {
		var out []slackCall
		for _, c := range f.callsOf("chat.postMessage") {
			if c.Form.Get("channel") == ch && c.Form.Get("thread_ts") == root {
				out = append(out, c)
			}
		}
		return out
	}
	content := func(c slackCall) string { return c.Form.Get("text") + "\n" + slackText(c.Form.Get("blocks")) }
	// question asks in a direct message and returns the answer once it
	// came, or "" when none did within 30 s.
	question := func(user, dm, q string) (string, string) {
		ts, id := next()
		f.send(eventEnvelope("env-q"+id, "EvQ"+id, 0, slackIM(user, dm, ts, q)))
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if posts := thread(dm, ts); len(posts) > 0 {
				var all []string
				for _, p := range posts {
					all = append(all, content(p))
				}
				return ts, strings.Join(all, "\n")
			}
		}
		return ts, ""
	}
	// ask asks and returns the one answer.
	ask := func(t *testing.T, user, dm, q string) string {
		t.Helper()
		ts, a := question(user, dm, q)
		if a == "" {
			t.Fatalf("no answer to %q within 30 s", q)
		}
		time.Sleep(500 * time.Millisecond) // a second answer would come now
		if n := len(thread(dm, ts)); n != 1 {
			t.Fatalf("%d answers to %q, want 1:\n%s", n, q, f.all())
		}
		return a
	}
	updatesIn := func(ch string) []slackCall {
		var out []slackCall
		for _, c := range f.callsOf("chat.update") {
			if c.Form.Get("channel") == ch {
				out = append(out, c)
			}
		}
		return out
	}
	// upload sends a file as the admin and returns the update of the
	// "reading it" note, the ts of that note and of the file's message.
	upload := func(t *testing.T, content string) (draft url.Values, note, root string) {
		t.Helper()
		ts, id := next()
		path := "/files/T024BE7LD/F" + id + "/" + fileName
		download := fr.file(path, content)
		before := len(updatesIn(adminDM))
		f.send(eventEnvelope("env-u"+id, "EvU"+id, 0, slackFileShare(admin, adminDM, ts, "F"+id, fileName, len(content), download)))
		waitFor(t, 30*time.Second, "the report on the draft", func() bool { return len(updatesIn(adminDM)) > before })
		time.Sleep(300 * time.Millisecond)
		ups := updatesIn(adminDM)
		if len(ups) != before+1 {
			t.Fatalf("%d updates for one file:\n%s", len(ups)-before, f.all())
		}
		if dl := fr.downloadsOf(path); len(dl) != 1 || dl[0].auth != "Bearer xoxb-test" {
			t.Errorf("downloads of the file: %+v", dl)
		}
		note = fr.note(adminDM, ts, "_Ik lees "+fileName)
		if note == "" {
			t.Errorf("no note in the thread that the file is being read:\n%s", f.all())
		}
		if posts := thread(adminDM, ts); len(posts) != 1 {
			t.Errorf("%d posts in the thread of the file, want only the note", len(posts))
		}
		draft = ups[before].Form
		if draft.Get("ts") != note {
			t.Errorf("the report updates %q, not the note %q", draft.Get("ts"), note)
		}
		return draft, note, ts
	}
	// clickLive presses Live zetten on a draft and returns the message as
	// it reads afterwards.
	clickLive := func(t *testing.T, draft url.Values, root string) url.Values {
		t.Helper()
		blocks := draft.Get("blocks")
		b := slackButtonOf(t, blocks, "Live zetten")
		before := len(updatesIn(adminDM))
		_, id := next()
		f.send(slackClickOn("env-c"+id, admin, adminDM, draft.Get("ts"), root, blocks, "Live zetten", b))
		waitFor(t, 30*time.Second, "the outcome of Live zetten", func() bool { return len(updatesIn(adminDM)) > before })
		u := updatesIn(adminDM)[before].Form
		if u.Get("ts") != draft.Get("ts") {
			t.Errorf("the click updated %q, not the draft's message %q", u.Get("ts"), draft.Get("ts"))
		}
		return u
	}
	// command types a /wegwijs command in the channel and returns the
	// answer's text and blocks.
	command := func(t *testing.T, user, text string) (string, string) {
		t.Helper()
		_, id := next()
		tag := "cmd" + id
		f.send(slackSlash("env-s"+id, user, channel, text, fr.responseURL(tag)))
		r, blocks := fr.response(t, tag)
		if r["response_type"] != "ephemeral" || r["replace_original"] != true {
			t.Errorf("/wegwijs %s is not answered ephemerally: %v", text, r)
		}
		return slackText(blocks), blocks
	}

	t.Run("someone not authorised sends a file: a polite refusal, nothing changes", func(t *testing.T) {
		ts, id := next()
		path := "/files/T024BE7LD/F" + id + "/" + fileName
		download := fr.file(path, protocolV1)
		f.send(eventEnvelope("env-u"+id, "EvU"+id, 0, slackFileShare(asker, askerDM, ts, "F"+id, fileName, len(protocolV1), download)))
		eph := f.waitCalls(t, "chat.postEphemeral", 1)
		if len(eph) != 1 {
			t.Fatalf("%d ephemeral messages, want 1", len(eph))
		}
		e := eph[0].Form
		if text := slackText(e.Get("blocks")); e.Get("user") != asker || e.Get("channel") != askerDM || e.Get("thread_ts") != ts ||
			!strings.Contains(text, "alleen een beleidsmedewerker") || !strings.Contains(text, "Fatima van functioneel beheer") {
			t.Errorf("refusal: %v", e)
		}
		if dl := fr.downloadsOf(""); len(dl) != 0 {
			t.Errorf("a refused file was downloaded: %+v", dl)
		}
		if posts := thread(askerDM, ts); len(posts) != 0 {
			t.Errorf("%d posts in the thread of a refused file", len(posts))
		}
		if n := countDocs(t, dsn); n != docsBefore {
			t.Errorf("%d documents and drafts after a refused upload, want %d", n, docsBefore)
		}
		if text, _ := command(t, asker, "bron verwijderen praktijkkaart-thuiszitters"); !strings.Contains(text, "alleen een beleidsmedewerker") {
			t.Errorf("remove by the asker:\n%s", text)
		}
		if n := countDocs(t, dsn); n != docsBefore {
			t.Errorf("%d documents after a refused removal, want %d", n, docsBefore)
		}
	})

	var draft url.Values
	var draftRoot string
	t.Run("an authorised file becomes a draft that answers nothing yet", func(t *testing.T) {
		draft, _, draftRoot = upload(t, protocolV1)
		text := slackText(draft.Get("blocks"))
		for _, want := range []string{"Nieuw document als concept", "`" + slug + "`", "passages"} {
			if !strings.Contains(text, want) {
				t.Errorf("the draft's report lacks %q:\n%s", want, text)
			}
		}
		bs := slackButtons(t, draft.Get("blocks"))
		if bs["Live zetten"].actionID != "kb_activate" || bs["Annuleren"].actionID != "kb_cancel" {
			t.Errorf("buttons: %+v", bs)
		}
		if n := countDocs(t, dsn); n != docsBefore+1 {
			t.Errorf("%d documents and drafts after the upload, want %d", n, docsBefore+1)
		}
		if a := ask(t, asker, askerDM, coachQuestion); strings.Contains(a, "protocol 2025") {
			t.Errorf("a draft answered:\n%s", a)
		}
	})
	if draft == nil {
		t.Fatal("no draft to go on with")
	}

	t.Run("Live zetten: the next question is answered from it", func(t *testing.T) {
		after := clickLive(t, draft, draftRoot)
		text := slackText(after.Get("blocks"))
		if !strings.Contains(text, "is live") || !strings.Contains(text, "koos ‘Live zetten’") || len(slackButtons(t, after.Get("blocks"))) != 0 {
			t.Errorf("after the click:\n%s", after.Get("blocks"))
		}
		a := ask(t, asker, askerDM, coachQuestion)
		if !strings.Contains(a, "protocol 2025") || !strings.Contains(a, "Bronnen") {
			t.Errorf("the new document does not answer:\n%s", a)
		}
	})

	t.Run("a new edition swaps in whole while questions are answered", func(t *testing.T) {
		d, _, root := upload(t, protocolV2)
		if text := slackText(d.Get("blocks")); !strings.Contains(text, "Nieuwe versie (2)") || !strings.Contains(text, "De huidige versie 1 blijft antwoorden") {
			t.Errorf("the report of a new edition:\n%s", text)
		}
		answersDuringSwap(t, func(i int) ([]string, bool) {
			user, dm := []string{asker, asker2, asker}[i], []string{askerDM, asker2DM, askerDM}[i]
			_, a := question(user, dm, coachQuestion)
			if a == "" {
				t.Error("a question during the swap got no answer within 30 s")
				return nil, false
			}
			return []string{a}, true
		}, func() {
			after := clickLive(t, d, root)
			if text := slackText(after.Get("blocks")); !strings.Contains(text, "versie 2") || !strings.Contains(text, "is live") {
				t.Errorf("after the click:\n%s", text)
			}
		})
	})

	t.Run("removal, after a confirmation, stops it answering; restoring brings it back", func(t *testing.T) {
		text, blocks := command(t, admin, "bron verwijderen "+slug)
		if !strings.Contains(text, "Weet je zeker") {
			t.Fatalf("confirmation:\n%s", text)
		}
		yes := slackButtonOf(t, blocks, "Ja, weghalen")
		if yes.actionID != "kb_remove" {
			t.Errorf("the confirmation's button: %+v", yes)
		}
		if n := countDocs(t, dsn); n != docsBefore+1 {
			t.Errorf("%d documents before the confirmation, want %d", n, docsBefore+1)
		}
		ts, id := next() // the ephemeral message's own ts
		f.send(slackEphemeralClick("env-e"+id, admin, channel, ts, fr.responseURL("click"+id), "Ja, weghalen", yes))
		r, blocks := fr.response(t, "click"+id)
		if r["replace_original"] != true || !strings.Contains(slackText(blocks), "is weggehaald") || len(slackButtons(t, blocks)) != 0 {
			t.Errorf("after the confirmation: %v", r)
		}
		waitFor(t, 15*time.Second, "the document to go", func() bool { return countDocs(t, dsn) == docsBefore })
		if a := ask(t, asker, askerDM, coachQuestion); strings.Contains(a, "protocol 202") {
			t.Errorf("a removed document answered:\n%s", a)
		}
		if text, _ := command(t, admin, "bron terugzetten "+slug); !strings.Contains(text, "teruggezet naar versie 2") {
			t.Fatalf("restore:\n%s", text)
		}
		if a := ask(t, asker, askerDM, coachQuestion); !strings.Contains(a, "protocol 2026") || strings.Contains(a, "protocol 2025") {
			t.Errorf("the restored document does not answer:\n%s", a)
		}
	})

	t.Run("the audit log", func(t *testing.T) {
		text, _ := command(t, admin, "logboek")
		for _, want := range []string{"concept gemaakt", "live gezet", "weggehaald", "teruggezet", "niet toegestaan", slug, "slack " + admin, "slack " + asker} {
			if !strings.Contains(text, want) {
				t.Errorf("the audit log lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Kompas") {
			t.Errorf("message text in the audit log:\n%s", text)
		}
		if text, _ := command(t, asker, "logboek"); !strings.Contains(text, "alleen een beleidsmedewerker") || strings.Contains(text, "live gezet") {
			t.Errorf("the audit log shown to the asker:\n%s", text)
		}
	})

	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	logs := s.stderr.String() + s.stdout.String()
	for _, v := range []string{coachQuestion, "Kompas College bij", "/files/", "xoxb-test", "xapp-test"} {
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, v) {
				t.Errorf("%q in the logs: %s", v, line)
			}
		}
	}
	t.Logf("the scenario took %.1f s", time.Since(start).Seconds())
}

package mmtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func bootstrap(t *testing.T) (context.Context, *Fixture) {
	t.Helper()
	url := URLFromEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	f, err := Bootstrap(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, f
}

func mustPost(ctx context.Context, t *testing.T, c *model.Client4, p *model.Post) *model.Post {
	t.Helper()
	got, _, err := c.CreatePost(ctx, p)
	if err != nil {
		t.Fatalf("create post %q: %v", p.Message, err)
	}
	return got
}

func waitFor(ctx context.Context, t *testing.T, l *Listener, what string, match func(*model.WebSocketEvent) bool) *model.WebSocketEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ev, err := l.Wait(ctx, match)
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return ev
}

// TestBootstrapTwice: a second Bootstrap on the same server reuses what the
// first made, as after 'scripts/mattermost.sh restart'.
func TestBootstrapTwice(t *testing.T) {
	ctx, f := bootstrap(t)
	g, err := Bootstrap(ctx, f.URL)
	if err != nil {
		t.Fatal(err)
	}
	if g.Admin.Id != f.Admin.Id || g.Asker.Id != f.Asker.Id || g.BotUser.Id != f.BotUser.Id ||
		g.Team.Id != f.Team.Id || g.Channel.Id != f.Channel.Id {
		t.Fatalf("second Bootstrap made new objects: %+v vs %+v", g, f)
	}
	if g.BotToken == "" || g.BotToken == f.BotToken {
		t.Fatalf("second Bootstrap should give a new bot token")
	}
}

// TestBotFlows runs what the bot does, with the v0.4.4 client against the
// v6.7.2 server: WebSocket events for a DM and a mention, a threaded reply
// that is then edited, a reaction, an ephemeral post and a slash command.
func TestBotFlows(t *testing.T) {
	ctx, f := bootstrap(t)
	bot := f.BotClient()

	me, _, err := bot.GetMe(ctx, "")
	if err != nil {
		t.Fatalf("GetMe with the bot token: %v", err)
	}
	if me.Id != f.BotUser.Id || !me.IsBot || me.Username != BotUsername {
		t.Fatalf("GetMe = %s %q bot=%v, want the bot %s", me.Id, me.Username, me.IsBot, f.BotUser.Id)
	}

	botWS, err := Listen(ctx, f.URL, f.BotToken)
	if err != nil {
		t.Fatal(err)
	}
	defer botWS.Close()
	askerWS, err := Listen(ctx, f.URL, f.AskerClient.AuthToken)
	if err != nil {
		t.Fatal(err)
	}
	defer askerWS.Close()

	// A direct message to the bot.
	dm, err := f.DirectChannel(ctx, f.AskerClient, f.Asker.Id)
	if err != nil {
		t.Fatal(err)
	}
	if dm.Type != model.ChannelTypeDirect {
		t.Fatalf("direct channel has type %q", dm.Type)
	}
	dmPost := mustPost(ctx, t, f.AskerClient, &model.Post{ChannelId: dm.Id, Message: "Hoe vraag ik verlof aan?"})
	ev := waitFor(ctx, t, botWS, "the DM's posted event", PostedWith(dmPost.Id))
	if got := ev.GetData()["channel_type"]; got != string(model.ChannelTypeDirect) {
		t.Errorf("DM event channel_type = %v", got)
	}
	p, err := EventPost(ev)
	if err != nil {
		t.Fatal(err)
	}
	if p.UserId != f.Asker.Id || p.Message != dmPost.Message || p.ChannelId != dm.Id {
		t.Errorf("DM event post = %+v", p)
	}
	mentions, err := EventMentions(ev)
	if err != nil {
		t.Fatal(err)
	}
	// A direct message counts as a mention of the other member.
	if !slices.Contains(mentions, f.BotUser.Id) {
		t.Errorf("DM event mentions = %v, want the bot %s", mentions, f.BotUser.Id)
	}

	// A channel post that mentions the bot.
	chPost := mustPost(ctx, t, f.AskerClient, &model.Post{ChannelId: f.Channel.Id, Message: "@" + BotUsername + " wat is de opzegtermijn?"})
	ev = waitFor(ctx, t, botWS, "the mention's posted event", PostedWith(chPost.Id))
	mentions, err = EventMentions(ev)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(mentions, f.BotUser.Id) {
		t.Errorf("mention event mentions = %v, want the bot %s", mentions, f.BotUser.Id)
	}
	if got := ev.GetBroadcast().ChannelId; got != f.Channel.Id {
		t.Errorf("mention event broadcast channel = %q", got)
	}

	// The bot answers in the thread, then edits its answer.
	reply := mustPost(ctx, t, bot, &model.Post{ChannelId: f.Channel.Id, RootId: chPost.Id, Message: "Even zoeken…"})
	if reply.RootId != chPost.Id || reply.UserId != f.BotUser.Id {
		t.Fatalf("reply = %+v", reply)
	}
	ev = waitFor(ctx, t, askerWS, "the asker's posted event for the reply", PostedWith(reply.Id))
	if p, _ := EventPost(ev); p == nil || p.RootId != chPost.Id {
		t.Errorf("reply event post = %+v", p)
	}
	answer := "Een maand, zie de cao."
	patched, _, err := bot.PatchPost(ctx, reply.Id, &model.PostPatch{Message: &answer})
	if err != nil {
		t.Fatalf("PatchPost: %v", err)
	}
	if patched.Message != answer || patched.EditAt == 0 {
		t.Errorf("patched post = %q edit_at=%d", patched.Message, patched.EditAt)
	}
	waitFor(ctx, t, askerWS, "the asker's post_edited event", func(ev *model.WebSocketEvent) bool {
		p, err := EventPost(ev)
		return ev.EventType() == model.WebsocketEventPostEdited && err == nil && p.Id == reply.Id && p.Message == answer
	})
	thread, _, err := f.AskerClient.GetPostThread(ctx, chPost.Id, "", false)
	if err != nil {
		t.Fatalf("GetPostThread: %v", err)
	}
	if got := thread.Posts[reply.Id]; got == nil || got.Message != answer {
		t.Errorf("thread has reply %+v", got)
	}

	// The asker reacts to the answer; the bot sees it.
	if _, _, err := f.AskerClient.SaveReaction(ctx, &model.Reaction{UserId: f.Asker.Id, PostId: reply.Id, EmojiName: "+1"}); err != nil {
		t.Fatalf("SaveReaction: %v", err)
	}
	ev = waitFor(ctx, t, botWS, "reaction_added", func(ev *model.WebSocketEvent) bool {
		r, err := EventReaction(ev)
		return ev.EventType() == model.WebsocketEventReactionAdded && err == nil && r.PostId == reply.Id
	})
	if r, _ := EventReaction(ev); r.UserId != f.Asker.Id || r.EmojiName != "+1" {
		t.Errorf("reaction = %+v", r)
	}

	// An ephemeral post only the asker sees.
	eph, _, err := bot.CreatePostEphemeral(ctx, &model.PostEphemeral{
		UserID: f.Asker.Id,
		Post:   &model.Post{ChannelId: f.Channel.Id, Message: "Alleen voor jou zichtbaar."},
	})
	if err != nil {
		t.Fatalf("CreatePostEphemeral: %v", err)
	}
	waitFor(ctx, t, askerWS, "the asker's ephemeral_message event", func(ev *model.WebSocketEvent) bool {
		p, err := EventPost(ev)
		return ev.EventType() == model.WebsocketEventEphemeralMessage && err == nil && p.Id == eph.Id
	})

	// A slash command that POSTs to a server of ours on 127.0.0.1.
	type call struct{ form url.Values }
	calls := make(chan call, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		calls <- call{r.PostForm}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(model.CommandResponse{
			ResponseType: model.CommandResponseTypeEphemeral,
			Text:         "Wegwijs zoekt: " + r.PostForm.Get("text"),
		})
	}))
	defer srv.Close()
	cmd, err := f.CreateSlashCommand(ctx, "wegwijs", srv.URL+"/mattermost/command")
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Token == "" {
		t.Fatal("command has no token")
	}
	resp, _, err := f.AskerClient.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs hoeveel vakantiedagen?")
	if err != nil {
		t.Fatalf("ExecuteCommand: %v", err)
	}
	select {
	case c := <-calls:
		if c.form.Get("token") != cmd.Token {
			t.Errorf("command token = %q, want %q", c.form.Get("token"), cmd.Token)
		}
		if c.form.Get("user_id") != f.Asker.Id || c.form.Get("channel_id") != f.Channel.Id ||
			c.form.Get("text") != "hoeveel vakantiedagen?" || c.form.Get("command") != "/wegwijs" {
			t.Errorf("command form = %v", c.form)
		}
		t.Logf("slash command form fields: %v", sortedKeys(c.form))
	default:
		t.Fatal("the command URL was not called")
	}
	if resp.Text != "Wegwijs zoekt: hoeveel vakantiedagen?" {
		t.Errorf("command response = %+v", resp)
	}
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestCatchUp: what the bot missed while it had no WebSocket, found again
// with the calls the package documentation describes.
func TestCatchUp(t *testing.T) {
	ctx, f := bootstrap(t)
	bot := f.BotClient()
	dm, err := f.DirectChannel(ctx, f.Asker2Client, f.Asker2.Id)
	if err != nil {
		t.Fatal(err)
	}
	// The last post the bot saw.
	seen := mustPost(ctx, t, bot, &model.Post{ChannelId: f.Channel.Id, Message: "Ik ben er weer."})
	since := seen.CreateAt
	time.Sleep(5 * time.Millisecond) // distinct CreateAt (milliseconds)

	// While the bot is away: a DM, a mention and a post not for the bot.
	missedDM := mustPost(ctx, t, f.Asker2Client, &model.Post{ChannelId: dm.Id, Message: "Ben je er?"})
	missedMention := mustPost(ctx, t, f.Asker2Client, &model.Post{ChannelId: f.Channel.Id, Message: "Vraag voor @" + BotUsername + ": mag ik thuiswerken?"})
	other := mustPost(ctx, t, f.Asker2Client, &model.Post{ChannelId: f.Channel.Id, Message: "Koffie iemand?"})

	channels, _, err := bot.GetChannelsForUserWithLastDeleteAt(ctx, f.BotUser.Id, 0)
	if err != nil {
		t.Fatalf("GetChannelsForUserWithLastDeleteAt: %v", err)
	}
	found := map[string]*model.Post{}
	for _, ch := range channels {
		if ch.LastPostAt <= since {
			continue
		}
		list, _, err := bot.GetPostsSince(ctx, ch.Id, since, false)
		if err != nil {
			t.Fatalf("GetPostsSince(%s): %v", ch.Name, err)
		}
		for _, id := range list.Order {
			p := list.Posts[id]
			if p.CreateAt <= since || p.UserId == f.BotUser.Id {
				continue
			}
			if ch.Type == model.ChannelTypeDirect || strings.Contains(p.Message, "@"+BotUsername) {
				found[p.Id] = p
			}
		}
	}
	if found[missedDM.Id] == nil || found[missedMention.Id] == nil {
		t.Fatalf("catch-up found %v, want the DM %s and the mention %s", keys(found), missedDM.Id, missedMention.Id)
	}
	if found[other.Id] != nil {
		t.Errorf("catch-up kept a post not for the bot")
	}

	// Search, for comparison (see the package documentation).
	res, _, err := bot.SearchPosts(ctx, f.Team.Id, "@"+BotUsername, false)
	if err != nil {
		t.Logf("SearchPosts(@%s): %v", BotUsername, err)
	} else {
		t.Logf("SearchPosts(@%s) found %d posts; the missed mention among them: %v", BotUsername, len(res.Order), res.Posts[missedMention.Id] != nil)
	}
}

// TestResume: after a short drop, the server replays what the bot missed on
// the same connection.
func TestResume(t *testing.T) {
	ctx, f := bootstrap(t)
	dm, err := f.DirectChannel(ctx, f.AskerClient, f.Asker.Id)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Listen(ctx, f.URL, f.BotToken)
	if err != nil {
		t.Fatal(err)
	}
	first := mustPost(ctx, t, f.AskerClient, &model.Post{ChannelId: dm.Id, Message: "Eerste vraag"})
	waitFor(ctx, t, ws, "the first DM", PostedWith(first.Id))
	connID := ws.ConnectionID()
	if connID == "" {
		t.Fatal("hello event without connection_id")
	}
	ws.Close()
	for !ws.Done() {
		time.Sleep(10 * time.Millisecond)
	}
	next := ws.LastSequence() + 1

	missed := mustPost(ctx, t, f.AskerClient, &model.Post{ChannelId: dm.Id, Message: "Vraag terwijl je weg was"})
	ws2, err := Resume(f.URL, f.BotToken, connID, next)
	if err != nil {
		t.Fatal(err)
	}
	defer ws2.Close()
	ev := waitFor(ctx, t, ws2, "the missed DM on the resumed connection", PostedWith(missed.Id))
	if ev.GetSequence() < next {
		t.Errorf("replayed event has sequence %d, want >= %d", ev.GetSequence(), next)
	}
	if ws2.ConnectionID() != "" {
		t.Errorf("the resumed connection got a new hello: the server did not resume")
	}
}

func keys(m map[string]*model.Post) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestRestart restarts the server with 'scripts/mattermost.sh restart' (an
// outage as the bot sees it) and checks that the bot's WebSocket ends, that
// the data is kept and that the bot can connect again. It only runs with
// WEGWIJS_MM_TEST_RESTART=1, as it disturbs other tests using the server.
func TestRestart(t *testing.T) {
	if os.Getenv("WEGWIJS_MM_TEST_RESTART") != "1" {
		t.Skip("set WEGWIJS_MM_TEST_RESTART=1 to restart the server in this test")
	}
	ctx, f := bootstrap(t)
	ws, err := Listen(ctx, f.URL, f.BotToken)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()

	script, err := filepath.Abs("../../../scripts/mattermost.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "bash", script, "restart")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restart: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "MATTERMOST_TEST_URL="+f.URL) {
		t.Fatalf("restart printed %q, want the same URL %s", out, f.URL)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !ws.Done() {
		if time.Now().After(deadline) {
			t.Fatal("the WebSocket did not end when the server stopped")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("websocket ended: %v", ws.WS.ListenError)

	// The old token still works (same database), and so does a new connection.
	if _, _, err := f.BotClient().GetMe(ctx, ""); err != nil {
		t.Fatalf("GetMe after restart: %v", err)
	}
	ws2, err := Listen(ctx, f.URL, f.BotToken)
	if err != nil {
		t.Fatal(err)
	}
	defer ws2.Close()
	g, err := Bootstrap(ctx, f.URL)
	if err != nil {
		t.Fatal(err)
	}
	if g.Channel.Id != f.Channel.Id {
		t.Fatalf("channel changed across restart")
	}
}

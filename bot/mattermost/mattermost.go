// Package mattermost is the Mattermost adapter: it turns the events a bot
// account sees over Mattermost's WebSocket API (direct messages, mentions,
// follow-ups in its threads, reactions) and the /wegwijs slash command into
// bot questions, and renders each bot.Reply as a thread post in Mattermost
// Markdown, with the privacy warning as an ephemeral post to the asker
// alone. It speaks the REST and WebSocket v4 API through
// github.com/mattermost/mattermost/server/public's model package. It keeps
// no message text: only post ids it has seen and what bot.Chat keeps.
package mattermost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
)

// Platform is this adapter's name in events, metrics and claims.
const Platform = "mattermost"

// Defaults for Config's optional fields.
const (
	DefaultCatchUpMaxAge = 15 * time.Minute
	DefaultEditInterval  = 500 * time.Millisecond
	DefaultDeadline      = 90 * time.Second
	DefaultMaxBackoff    = 30 * time.Second
	// MaxPostRunes is what one Mattermost post holds (PostMessageMaxRunesV2).
	MaxPostRunes = 16383
)

// Config is the adapter's configuration.
type Config struct {
	URL   string // the server, e.g. https://chat.gemeente.nl
	Token string // the bot account's access token (secret)
	// CommandTokens are the tokens of the /wegwijs slash command (one per
	// team that has it); a request with another token is refused.
	CommandTokens []string
	// CallbackURL is where the Mattermost server reaches `wegwijs serve`
	// for the slash command's "share" button, e.g. http://10.0.0.5:8080.
	CallbackURL string
	// ActionSecret signs what a button carries, so that a click cannot be
	// forged; any long random string (secret).
	ActionSecret string
	// CatchUpMaxAge bounds how old a missed message may be to be answered
	// after a reconnect or a start.
	CatchUpMaxAge time.Duration
	// EditInterval is the least time between two edits of a streamed
	// answer (every edit is broadcast to the whole channel).
	EditInterval time.Duration
	// Deadline bounds the work on one message.
	Deadline   time.Duration
	MaxBackoff time.Duration
}

// Validate says what is wrong with the configuration, naming the setting.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("MATTERMOST_URL must be the server's address, like https://chat.example.nl (now %q)", c.URL)
	}
	if strings.TrimSpace(c.Token) == "" {
		return errors.New("MATTERMOST_TOKEN must be the bot account's access token")
	}
	if c.CallbackURL != "" {
		if u, err := url.Parse(c.CallbackURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("WEGWIJS_CALLBACK_URL must be an address the Mattermost server reaches, like http://10.0.0.5:8080 (now %q)", c.CallbackURL)
		}
	}
	return nil
}

// Adapter connects one bot account to bot.Chat.
type Adapter struct {
	cfg     Config
	chat    *bot.Chat
	curator *curate.Curator // nil: no knowledge-base work from chat
	log     *slog.Logger
	client  *model.Client4
	me      *model.User
	now     func() time.Time

	connected atomic.Bool
	lastSeen  atomic.Int64 // CreateAt (ms) of the newest post seen
	work      bot.Work
}

// New checks the configuration and the token (the bot's own account) and
// returns an adapter ready to Run.
func New(ctx context.Context, cfg Config, chat *bot.Chat, curator *curate.Curator, log *slog.Logger) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.CatchUpMaxAge = or(cfg.CatchUpMaxAge, DefaultCatchUpMaxAge)
	cfg.EditInterval = or(cfg.EditInterval, DefaultEditInterval)
	cfg.Deadline = or(cfg.Deadline, DefaultDeadline)
	cfg.MaxBackoff = or(cfg.MaxBackoff, DefaultMaxBackoff)
	a := &Adapter{cfg: cfg, chat: chat, curator: curator, log: log.With("platform", Platform), now: time.Now}
	a.client = model.NewAPIv4Client(strings.TrimRight(cfg.URL, "/"))
	a.client.SetToken(cfg.Token)
	me, resp, err := a.client.GetMe(ctx, "")
	if err != nil {
		if resp != nil && (resp.StatusCode == 401 || resp.StatusCode == 403) {
			return nil, errors.New("MATTERMOST_TOKEN is not accepted by the server: use the access token of a bot account (System Console > Integrations > Bot Accounts)")
		}
		return nil, fmt.Errorf("MATTERMOST_URL: cannot reach the Mattermost server: %w", err)
	}
	a.me = me
	return a, nil
}

// Connected reports whether the WebSocket is up (for /readyz).
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Username is the bot account's username.
func (a *Adapter) Username() string { return a.me.Username }

// Run listens until ctx ends: it (re)connects with backoff and jitter,
// catches up on what it missed after every connect, and hands each
// message on. It returns once ctx has ended; Wait then waits for the
// answers under way.
func (a *Adapter) Run(ctx context.Context) error {
	bot.Connect(ctx, a.log, a.cfg.MaxBackoff, a.listen)
	a.work.Stop()
	return nil
}

// Wait waits for the answers under way, until ctx ends.
func (a *Adapter) Wait(ctx context.Context) error { return a.work.Wait(ctx) }

// listen holds one WebSocket connection until it drops or ctx ends. It
// reports whether the connection had been up (the server said hello).
func (a *Adapter) listen(ctx context.Context, first bool) (wasUp bool, err error) {
	ws, err := model.NewWebSocketClient4(websocketURL(a.cfg.URL), a.cfg.Token)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	ws.Listen()
	defer func() {
		ws.Close()
		if a.connected.Swap(false) {
			a.log.Warn("disconnected from Mattermost")
			a.observeConnected(false)
		}
	}()
	hello := false
	for {
		select {
		case <-ctx.Done():
			return hello, nil
		case <-ws.PingTimeoutChannel:
			return hello, errors.New("the server stopped answering pings")
		case _, ok := <-ws.ResponseChannel:
			if !ok {
				return hello, dropped(ws, hello)
			}
		case ev, ok := <-ws.EventChannel:
			if !ok {
				return hello, dropped(ws, hello)
			}
			if ev.EventType() == model.WebsocketEventHello && !hello {
				hello = true
				a.connected.Store(true)
				a.observeConnected(true)
				a.log.Info("connected to Mattermost", "bot", a.me.Username)
				if !first && a.chat.Observer != nil {
					a.chat.Observer.Counted(Platform, bot.EventReconnect)
				}
				a.work.Go(func() {
					a.catchUp(ctx)
				})
				continue
			}
			a.handle(ctx, ev)
		}
	}
}

// dropped says why a connection ended.
func dropped(ws *model.WebSocketClient, hello bool) error {
	if ws.ListenError != nil {
		return ws.ListenError
	}
	if !hello {
		return errors.New("the server closed the connection before saying hello (is the token right?)")
	}
	return errors.New("the server closed the connection")
}

func (a *Adapter) observeConnected(up bool) {
	if a.chat.Observer != nil {
		a.chat.Observer.Connected(Platform, up)
	}
}

func websocketURL(u string) string {
	u = strings.TrimRight(u, "/")
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(u, "http://")
}

// handle sorts one WebSocket event: a post for the bot, a reaction on
// one of its answers, or nothing for it.
func (a *Adapter) handle(ctx context.Context, ev *model.WebSocketEvent) {
	switch ev.EventType() {
	case model.WebsocketEventPosted:
		var p model.Post
		raw, _ := ev.GetData()["post"].(string)
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			a.log.Warn("undecodable post event", "err_kind", fmt.Sprintf("%T", err))
			return
		}
		chType, _ := ev.GetData()["channel_type"].(string)
		mentions, _ := ev.GetData()["mentions"].(string)
		mentioned := strings.Contains(mentions, `"`+a.me.Id+`"`)
		a.consider(ctx, &p, chType == string(model.ChannelTypeDirect), mentioned, false)
	case model.WebsocketEventReactionAdded, model.WebsocketEventReactionRemoved:
		var r model.Reaction
		raw, _ := ev.GetData()["reaction"].(string)
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return
		}
		delta := 1
		if ev.EventType() == model.WebsocketEventReactionRemoved {
			delta = -1
		}
		a.vote(ctx, &r, delta)
	}
}

// consider answers a post when it is for the bot: a direct message, a
// mention, or a follow-up in a thread the bot answered. It ignores the
// bot's own posts, other bots, system messages and webhooks.
func (a *Adapter) consider(ctx context.Context, p *model.Post, direct, mentioned, caughtUp bool) {
	if p.UserId == a.me.Id || p.Type != "" || p.IsSystemMessage() || p.DeleteAt != 0 ||
		p.GetProp(model.PostPropsFromBot) == "true" || p.GetProp(model.PostPropsFromWebhook) == "true" {
		return
	}
	for {
		seen := a.lastSeen.Load()
		if p.CreateAt <= seen || a.lastSeen.CompareAndSwap(seen, p.CreateAt) {
			break
		}
	}
	root := p.RootId
	if root == "" {
		root = p.Id
	}
	thread := p.ChannelId + ":" + root
	if len(p.FileIds) > 0 && a.curator != nil &&
		a.curator.Policy.TakesFiles(a.actor(p.UserId, p.ChannelId), direct, strings.ReplaceAll(p.Message, "@"+a.me.Username, "")) {
		// a file for the knowledge base, not a question
		a.work.Go(func() { a.upload(ctx, p, root) })
		return
	}
	if !direct && !mentioned && !(p.RootId != "" && a.chat.Answered(Platform, thread)) {
		return
	}
	// shutting down, Go takes nothing new: another replica, or the
	// catch-up after the restart, answers it
	a.work.Go(func() {
		a.answer(ctx, p, root, thread, caughtUp)
	})
}

// catchUp answers the direct messages and mentions that arrived while the
// bot was not connected: every post since the newest one it saw (at most
// CatchUpMaxAge ago) in every channel it is a member of. The claims in
// bot.Chat make sure none is answered twice.
func (a *Adapter) catchUp(ctx context.Context) {
	floor := a.now().Add(-a.cfg.CatchUpMaxAge).UnixMilli()
	since := max(a.lastSeen.Load(), floor)
	channels, _, err := a.client.GetChannelsForUserWithLastDeleteAt(ctx, a.me.Id, 0)
	if err != nil {
		a.log.Warn("catch up: list channels", "err", err)
		return
	}
	var missed []*model.Post
	kind := map[string]model.ChannelType{}
	answered := map[string]int64{} // thread root -> newest bot post in it
	for _, ch := range channels {
		if ch.LastPostAt <= since || ch.DeleteAt != 0 {
			continue
		}
		list, _, err := a.client.GetPostsSince(ctx, ch.Id, since, false)
		if err != nil {
			a.log.Warn("catch up: posts", "channel", ch.Id, "err", err)
			continue
		}
		for _, p := range list.Posts {
			if p.UserId == a.me.Id && p.RootId != "" {
				answered[p.RootId] = max(answered[p.RootId], p.CreateAt)
			}
			if p.CreateAt > since {
				missed = append(missed, p)
				kind[p.Id] = ch.Type
			}
		}
	}
	sort.Slice(missed, func(i, j int) bool { return missed[i].CreateAt < missed[j].CreateAt })
	mention := "@" + strings.ToLower(a.me.Username)
	for _, p := range missed {
		root := p.RootId
		if root == "" {
			root = p.Id
		}
		if answered[root] > p.CreateAt {
			continue // answered before the drop (by this bot or another replica), or by an earlier run
		}
		direct := kind[p.Id] == model.ChannelTypeDirect
		mentioned := mentionsUser(p.Message, mention)
		a.consider(ctx, p, direct, mentioned, true)
	}
	if len(missed) > 0 {
		a.log.Info("caught up", "posts", len(missed))
	}
}

// mentionsUser reports whether a message mentions @username as a whole
// word ("@wegwijs," but not "@wegwijsbot").
func mentionsUser(msg, mention string) bool {
	msg = strings.ToLower(msg)
	for i := strings.Index(msg, mention); i >= 0; {
		end := i + len(mention)
		if end == len(msg) || !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789-_", rune(msg[end])) {
			return true
		}
		j := strings.Index(msg[end:], mention)
		if j < 0 {
			break
		}
		i = end + j
	}
	return false
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

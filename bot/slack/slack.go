// Package slack is the Slack adapter: over Socket Mode (no public URL
// needed) it turns app mentions, direct messages, the /wegwijs slash
// command and button clicks into bot questions and votes, and renders each
// bot.Reply in Block Kit, with the privacy warning as an ephemeral message
// to the asker alone. With a curator it also carries the knowledge-base
// work of beleidsmedewerkers (bot/curate): files sent to it, the /wegwijs
// bron … commands and their buttons. It speaks Slack's Web API and Socket
// Mode through github.com/slack-go/slack. It keeps no message text.
package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
)

// Platform is this adapter's name in events, metrics and claims.
const Platform = "slack"

// Defaults for Config's optional fields.
const (
	DefaultDeadline     = 90 * time.Second
	DefaultEditInterval = time.Second // chat.update is Tier 3: about 50 a minute per workspace
	DefaultMaxBackoff   = 30 * time.Second
)

// ShareStore keeps an answer that may be shared in a channel later, by an
// id the share button carries: any replica can then post it.
type ShareStore interface {
	SaveShare(ctx context.Context, id string, payload []byte) error
	TakeShare(ctx context.Context, id string) ([]byte, error)
}

// Config is the adapter's configuration.
type Config struct {
	BotToken string // xoxb-…, the bot token (secret)
	AppToken string // xapp-…, the app-level token for Socket Mode (secret)
	// APIURL is Slack's Web API (tests point it at slacktest).
	APIURL       string
	Deadline     time.Duration
	EditInterval time.Duration
	MaxBackoff   time.Duration
	// PingTimeout: without a ping from Slack for this long the connection
	// counts as dead and is made again (socketmode's default: 30 s).
	PingTimeout time.Duration
}

// Validate says what is wrong with the tokens, naming the setting.
func (c Config) Validate() error {
	if !strings.HasPrefix(c.BotToken, "xoxb-") {
		return errors.New("SLACK_BOT_TOKEN must be the app's bot token, starting with xoxb-")
	}
	if !strings.HasPrefix(c.AppToken, "xapp-") {
		return errors.New("SLACK_APP_TOKEN must be an app-level token with the connections:write scope, starting with xapp-")
	}
	return nil
}

// Adapter connects one Slack app to bot.Chat.
type Adapter struct {
	cfg     Config
	chat    *bot.Chat
	shares  ShareStore
	curator *curate.Curator // nil: no knowledge-base work from chat
	log     *slog.Logger
	api     *slack.Client
	botID   string // the bot's user id
	team    string
	now     func() time.Time

	connected atomic.Bool
	work      bot.Work
}

// New checks the tokens (auth.test) and returns an adapter ready to Run.
// With a curator, beleidsmedewerkers keep the knowledge base from Slack
// (files, /wegwijs bron …, buttons); nil leaves that out.
func New(ctx context.Context, cfg Config, chat *bot.Chat, shares ShareStore, curator *curate.Curator, log *slog.Logger) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.Deadline = or(cfg.Deadline, DefaultDeadline)
	cfg.EditInterval = or(cfg.EditInterval, DefaultEditInterval)
	cfg.MaxBackoff = or(cfg.MaxBackoff, DefaultMaxBackoff)
	opts := []slack.Option{slack.OptionAppLevelToken(cfg.AppToken), slack.OptionRetry(3)} // 429: wait Retry-After, try again
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimRight(cfg.APIURL, "/")+"/"))
	}
	a := &Adapter{cfg: cfg, chat: chat, shares: shares, curator: curator, log: log.With("platform", Platform), now: time.Now,
		api: slack.New(cfg.BotToken, opts...)}
	auth, err := a.api.AuthTestContext(ctx)
	if err != nil {
		var se slack.SlackErrorResponse
		if errors.As(err, &se) || strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "not_authed") {
			return nil, errors.New("SLACK_BOT_TOKEN is not accepted by Slack (auth.test failed): use the Bot User OAuth Token of the installed app")
		}
		return nil, fmt.Errorf("SLACK_BOT_TOKEN: auth.test: %w", err)
	}
	a.botID, a.team = auth.UserID, auth.TeamID
	return a, nil
}

// Connected reports whether Socket Mode is connected (for /readyz).
func (a *Adapter) Connected() bool { return a.connected.Load() }

// BotUserID is the bot's Slack user id.
func (a *Adapter) BotUserID() string { return a.botID }

// Run holds the Socket Mode connection until ctx ends, reconnecting with
// backoff and jitter, and hands every envelope on after acknowledging it
// at once. Wait then waits for the answers under way.
func (a *Adapter) Run(ctx context.Context) error {
	bot.Connect(ctx, a.log, a.cfg.MaxBackoff, a.connection)
	a.work.Stop()
	return nil
}

// Wait waits for the answers under way, until ctx ends.
func (a *Adapter) Wait(ctx context.Context) error { return a.work.Wait(ctx) }

// connection runs one socketmode client until it gives up or ctx ends.
func (a *Adapter) connection(ctx context.Context, first bool) (wasUp bool, err error) {
	var opts []socketmode.Option
	if a.cfg.PingTimeout > 0 {
		opts = append(opts, socketmode.OptionPingInterval(a.cfg.PingTimeout))
	}
	sm := socketmode.New(a.api, opts...)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(runCtx) }()
	defer func() {
		if a.connected.Swap(false) {
			a.log.Warn("disconnected from Slack")
			a.observeConnected(false)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			cancel()
			<-errc
			return wasUp, nil
		case err := <-errc:
			if err == nil {
				err = errors.New("socket mode stopped")
			}
			return wasUp, err
		case ev, ok := <-sm.Events:
			if !ok {
				return wasUp, errors.New("socket mode events closed")
			}
			switch ev.Type {
			case socketmode.EventTypeConnected:
				a.connected.Store(true)
				a.observeConnected(true)
				if wasUp || !first {
					a.count(bot.EventReconnect)
				}
				wasUp = true
				a.log.Info("connected to Slack", "team", a.team)
			case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
				if a.connected.Swap(false) {
					a.log.Warn("Slack connection lost", "event", string(ev.Type))
					a.observeConnected(false)
				}
			case socketmode.EventTypeInvalidAuth:
				return wasUp, errors.New("SLACK_APP_TOKEN is not accepted by Slack")
			case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
				a.envelope(ctx, sm, ev)
			}
		}
	}
}

func (a *Adapter) observeConnected(up bool) {
	if a.chat.Observer != nil {
		a.chat.Observer.Connected(Platform, up)
	}
}

func (a *Adapter) count(event string) {
	if a.chat.Observer != nil {
		a.chat.Observer.Counted(Platform, event)
	}
}

// envelope acknowledges a request at once (Slack delivers again when the
// ack is late), then works on it.
func (a *Adapter) envelope(ctx context.Context, sm *socketmode.Client, ev socketmode.Event) {
	if ev.Request == nil {
		return
	}
	req := *ev.Request
	if req.RetryAttempt > 0 {
		a.log.Info("Slack delivered an envelope again", "attempt", req.RetryAttempt, "reason", req.RetryReason)
	}
	switch ev.Type {
	case socketmode.EventTypeEventsAPI:
		sm.Ack(req)
		outer, ok := ev.Data.(slackevents.EventsAPIEvent)
		if !ok {
			return
		}
		id := ""
		if cb, ok := outer.Data.(*slackevents.EventsAPICallbackEvent); ok {
			id = cb.EventID
		}
		switch in := outer.InnerEvent.Data.(type) {
		case *slackevents.AppMentionEvent:
			if in.BotID != "" || in.User == "" || in.User == a.botID {
				return
			}
			if a.takesFiles(false, in.Channel, in.User, in.Text, in.Files) {
				// a file for the knowledge base, sent with @wegwijs in the admin channel
				a.startUpload(ctx, upload{id: id, channel: in.Channel, user: in.User, ts: in.TimeStamp, thread: in.ThreadTimeStamp, files: in.Files})
				return
			}
			a.start(ctx, question{id: id, channel: in.Channel, user: in.User, text: in.Text, ts: in.TimeStamp, thread: in.ThreadTimeStamp})
		case *slackevents.MessageEvent:
			// from people only: no bots
			if in.BotID != "" || in.User == "" || in.User == a.botID {
				return
			}
			if (in.SubType == "" || in.SubType == "file_share") && in.Message != nil && a.takesFiles(in.ChannelType == "im", in.Channel, in.User, in.Text, in.Message.Files) {
				// a file for the knowledge base, not a question
				a.startUpload(ctx, upload{id: id, channel: in.Channel, user: in.User, ts: in.TimeStamp, thread: in.ThreadTimeStamp, files: in.Message.Files})
				return
			}
			// questions in direct messages only: no edits, joins or other
			// subtypes (a file with a question is one)
			if in.ChannelType != "im" || (in.SubType != "" && !(in.SubType == "file_share" && strings.TrimSpace(in.Text) != "")) {
				return
			}
			a.start(ctx, question{id: id, channel: in.Channel, user: in.User, text: in.Text, ts: in.TimeStamp, thread: in.ThreadTimeStamp})
		}
	case socketmode.EventTypeSlashCommand:
		cmd, ok := ev.Data.(slack.SlashCommand)
		if !ok {
			sm.Ack(req)
			return
		}
		a.slashCommand(ctx, sm, req, cmd)
	case socketmode.EventTypeInteractive:
		sm.Ack(req)
		if cb, ok := ev.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeBlockActions {
			a.interaction(ctx, cb)
		}
	}
}

// question is one message for the bot.
type question struct {
	id, channel, user, text, ts, thread string
}

func (a *Adapter) start(ctx context.Context, q question) {
	if q.id == "" {
		q.id = q.channel + ":" + q.ts
	}
	a.work.Go(func() {
		a.answer(ctx, q)
	})
}

var mentionRe = regexp.MustCompile(`<@[A-Z0-9]+(\|[^>]*)?>`)

// answer asks bot.Chat and posts the reply in the thread; its own deadline
// is apart from ctx, so an answer under way is finished at a shutdown.
func (a *Adapter) answer(ctx context.Context, q question) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
	defer cancel()
	start := a.now()
	root := q.thread
	if root == "" {
		root = q.ts
	}
	var st *messageStream
	var stream bot.Stream
	if a.chat.Bot.Model != nil {
		st = &messageStream{a: a, ctx: ctx, channel: q.channel, root: root}
		stream = st
	}
	text := strings.TrimSpace(mentionRe.ReplaceAllString(q.text, " "))
	r, err := a.chat.Handle(ctx, bot.Incoming{Platform: Platform, EventID: "event:" + q.id, User: q.user,
		Thread: q.channel + ":" + root, Text: text, Stream: stream})
	if errors.Is(err, bot.ErrClaimed) {
		return
	}
	if err != nil {
		a.log.Warn("answer failed", "event", q.id, "outcome", r.Outcome.String(), "failure", r.Failure.String(), "err", err)
	}
	existing := ""
	if st != nil {
		existing = st.finish()
	}
	pctx, pcancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer pcancel()
	if err := a.post(pctx, q.channel, root, q.user, r, existing); err != nil {
		a.log.Error("posting the answer failed", "event", q.id, "err", err)
		return
	}
	a.log.Info("answered", "event", q.id, "outcome", r.Outcome.String(), "ms", a.now().Sub(start).Milliseconds())
}

// post shows the privacy warning to the asker alone, then the reply in
// the thread (replacing a streamed message), split over messages when it
// is longer than one.
func (a *Adapter) post(ctx context.Context, channel, root, user string, r bot.Reply, existing string) error {
	if private := privateText(r); private != "" {
		if _, err := a.api.PostEphemeralContext(ctx, channel, user, slack.MsgOptionText(private, false), slack.MsgOptionTS(root)); err != nil {
			a.log.Error("the privacy warning could not be delivered", "err", err)
		}
	}
	for i, m := range Messages(r, RenderOptions{Feedback: true}) {
		opts := []slack.MsgOption{slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionText(escape(m.Text), false)}
		var err error
		if i == 0 && existing != "" {
			_, _, _, err = a.api.UpdateMessageContext(ctx, channel, existing, opts...)
		} else {
			_, _, err = a.api.PostMessageContext(ctx, channel, append(opts, slack.MsgOptionTS(root))...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// privateText is the ephemeral warning: the notices for the asker alone.
func privateText(r bot.Reply) string {
	var parts []string
	for _, n := range r.Notices {
		if n.Private {
			parts = append(parts, "⚠️ "+escape(n.Text))
		}
	}
	return strings.Join(parts, "\n\n")
}

// messageStream shows a model's checked sentences as they come: one
// message in the thread, updated at most once per EditInterval.
type messageStream struct {
	a       *Adapter
	ctx     context.Context
	channel string
	root    string

	mu       sync.Mutex
	text     strings.Builder
	ts       string
	lastEdit time.Time
	shown    string
}

func (s *messageStream) Text(piece string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text.WriteString(piece)
	if strings.TrimSpace(s.text.String()) == "" || (s.ts != "" && s.a.now().Sub(s.lastEdit) < s.a.cfg.EditInterval) {
		return
	}
	s.show(toMrkdwn(s.text.String()) + " …")
}

func (s *messageStream) Abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text.Reset()
	if s.ts != "" {
		s.show("_Even geduld: ik stel het antwoord opnieuw samen uit de bronnen …_")
	}
}

func (s *messageStream) show(msg string) {
	if msg == s.shown {
		return
	}
	var err error
	if s.ts == "" {
		_, s.ts, err = s.a.api.PostMessageContext(s.ctx, s.channel, slack.MsgOptionText(msg, false), slack.MsgOptionTS(s.root))
	} else {
		_, _, _, err = s.a.api.UpdateMessageContext(s.ctx, s.channel, s.ts, slack.MsgOptionText(msg, false))
	}
	if err != nil {
		s.a.log.Warn("streaming update failed", "err", err)
		return
	}
	s.shown, s.lastEdit = msg, s.a.now()
}

func (s *messageStream) finish() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ts
}

// interaction handles a button: a vote, sharing an answer, or one of the
// curator's. Other action ids are ignored.
func (a *Adapter) interaction(ctx context.Context, cb slack.InteractionCallback) {
	for _, act := range cb.ActionCallback.BlockActions {
		if curatorActions[act.ActionID] {
			a.curatorClick(ctx, cb, act)
			continue
		}
		switch act.ActionID {
		case ActionFeedbackUp, ActionFeedbackDown:
			fp, docs := parseFeedbackValue(act.Value)
			key := strings.Join([]string{cb.Container.ChannelID, cb.Container.MessageTs, cb.User.ID, act.ActionID}, "|")
			up := act.ActionID == ActionFeedbackUp
			a.work.Go(func() {
				vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
				defer cancel()
				if err := a.chat.Vote(vctx, Platform, key, fp, docs, up, 1); err != nil {
					a.log.Warn("feedback not counted", "err", err)
					return
				}
				channel := cb.Channel.ID
				if channel == "" {
					channel = cb.Container.ChannelID
				}
				a.api.PostEphemeralContext(vctx, channel, cb.User.ID, slack.MsgOptionText("Dank je! Je reactie is geteld.", false),
					slack.MsgOptionTS(cb.Container.ThreadTs))
			})
		case ActionShare:
			a.work.Go(func() {
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
				defer cancel()
				a.share(sctx, cb, act.Value)
			})
		}
	}
}

// share posts a slash command's answer in its channel, saying who shared
// it, and replaces the ephemeral answer with a short confirmation.
func (a *Adapter) share(ctx context.Context, cb slack.InteractionCallback, id string) {
	say := func(text string) {
		if cb.ResponseURL != "" {
			a.api.SendMessageContext(ctx, cb.Channel.ID, slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText(text, false))
		}
	}
	if a.shares == nil {
		say("Delen lukt hier niet.")
		return
	}
	payload, err := a.shares.TakeShare(ctx, id)
	if err != nil || payload == nil {
		say("Dit antwoord kan ik niet meer delen (het is al gedeeld of te oud). Stel je vraag gerust opnieuw.")
		return
	}
	var m struct {
		Blocks slack.Blocks `json:"blocks"`
		Text   string       `json:"text"`
	}
	if err := json.Unmarshal(payload, &m); err != nil {
		say("Delen lukte niet.")
		return
	}
	blocks := append([]slack.Block{slack.NewContextBlock("", mrkdwn("Gedeeld door <@"+cb.User.ID+">"))}, m.Blocks.BlockSet...)
	if _, _, err := a.api.PostMessageContext(ctx, cb.Channel.ID, slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(m.Text, false)); err != nil {
		a.log.Warn("share failed", "err", err)
		say("Delen lukte niet. Voeg mij eerst toe aan het kanaal (/invite @wegwijs).")
		return
	}
	say("Gedeeld in het kanaal.")
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

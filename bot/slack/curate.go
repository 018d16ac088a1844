package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/wegwijs/wegwijs/bot/curate"
)

// The knowledge-base work of beleidsmedewerkers (bot/curate) in Slack: a
// file sent to the bot in a direct message, or in the admin channel,
// becomes a draft; /wegwijs bronnen, bron …, logboek and hiaten are
// answered ephemerally; the buttons come back as block actions over
// Socket Mode.

// curatorActions are the action ids of the curator's buttons.
var curatorActions = map[string]bool{curate.ActionActivate: true, curate.ActionCancel: true, curate.ActionRemove: true, curate.ActionKeep: true}

func (a *Adapter) actor(user, channel string) curate.Actor {
	return curate.Actor{Platform: Platform, User: user, Channel: channel}
}

// takesFiles reports whether the files of a message are for the curator
// (curate.Policy.TakesFiles).
func (a *Adapter) takesFiles(direct bool, channel, user, text string, files []slack.File) bool {
	return a.curator != nil && len(files) > 0 &&
		a.curator.Policy.TakesFiles(a.actor(user, channel), direct, mentionTag.ReplaceAllString(text, ""))
}

// mentionTag is how Slack writes a mention in a message's text.
var mentionTag = regexp.MustCompile(`<@[A-Z0-9]+>`)

// upload is a message with files for the curator.
type upload struct {
	id, channel, user, ts, thread string
	files                         []slack.File
}

func (a *Adapter) startUpload(ctx context.Context, u upload) {
	a.work.Go(func() { a.upload(ctx, u) })
}

// upload hands the files of a message to the curator one by one.
func (a *Adapter) upload(ctx context.Context, u upload) {
	// a retry, or the same file as a mention and as a message, is taken once
	if !a.claim(ctx, "upload:"+u.channel+":"+u.ts) {
		return
	}
	for _, f := range u.files {
		a.uploadFile(ctx, u, f)
	}
}

// uploadFile answers one file in the thread: first that it is reading
// it, then, in that same message, what became of it. Its own deadline is
// apart from ctx, like an answer's.
func (a *Adapter) uploadFile(ctx context.Context, u upload, f slack.File) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
	defer cancel()
	start := a.now()
	root := cmp.Or(u.thread, u.ts)
	actor := a.actor(u.user, u.channel)
	name := cmp.Or(f.Name, f.Title, "het bestand")
	working := ""
	if a.curator.Policy.Allows(actor) {
		working = a.working(ctx, u.channel, root, "_Ik lees "+escape(name)+" …_")
	}
	r := a.curator.Upload(ctx, actor, curate.File{Name: name, Size: int64(f.Size),
		Open: func(ctx context.Context) (io.ReadCloser, error) { return a.download(ctx, f) }})
	a.say(ctx, u.channel, u.user, root, working, r)
	a.log.Info("file for the knowledge base", "event", u.id, "file", f.ID, "bytes", f.Size, "ms", a.now().Sub(start).Milliseconds())
}

// claim reports whether this replica is the first to take key (in
// bot.Chat's EventClaimer). When the claim cannot be made it goes ahead:
// the curator then says what is wrong.
func (a *Adapter) claim(ctx context.Context, key string) bool {
	if a.chat.Events == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	ok, err := a.chat.Events.Claim(ctx, Platform, key)
	if err != nil {
		a.log.Warn("claim failed", "err", err)
		return true
	}
	return ok
}

// working posts a short note in the thread that something slow is under
// way, and returns its ts ("" when it could not be posted).
func (a *Adapter) working(ctx context.Context, channel, root, text string) string {
	_, ts, err := a.api.PostMessageContext(ctx, channel, slack.MsgOptionText(text, false), slack.MsgOptionTS(root))
	if err != nil {
		a.log.Warn("posting that the file is being read failed", "err", err)
		return ""
	}
	return ts
}

// say posts a curator's response in a thread: in the note that said it
// was working, when there is one, and to the asker alone when the
// response is private.
func (a *Adapter) say(ctx context.Context, channel, user, root, working string, r curate.Response) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	m := a.curatorMessage(r, channel)
	opts := []slack.MsgOption{slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionText(m.Text, false)}
	var err error
	switch {
	case r.Private:
		if working != "" {
			if _, _, err := a.api.DeleteMessageContext(ctx, channel, working); err != nil {
				a.log.Warn("removing the note failed", "err", err)
			}
		}
		_, err = a.api.PostEphemeralContext(ctx, channel, user, append(opts, slack.MsgOptionTS(root))...)
	case working != "":
		_, _, _, err = a.api.UpdateMessageContext(ctx, channel, working, opts...)
	default:
		_, _, err = a.api.PostMessageContext(ctx, channel, append(opts, slack.MsgOptionTS(root))...)
	}
	if err != nil {
		a.log.Error("posting a curator's answer failed", "err", err)
	}
}

// download fetches a file through the Web API with the bot token (the
// files:read scope). It returns once Slack answered, so a refusal (403,
// 404, 5xx, a redirect to the sign-in page) is its error; the content
// then streams to the reader.
func (a *Adapter) download(ctx context.Context, f slack.File) (io.ReadCloser, error) {
	u := f.URLPrivateDownload
	if u == "" { // an event may carry no more than the file's id
		info, _, _, err := a.api.GetFileInfoContext(ctx, f.ID, 0, 0)
		if err != nil {
			return nil, fmt.Errorf("files.info %s: %w", f.ID, withoutURL(err))
		}
		u = cmp.Or(info.URLPrivateDownload, info.URLPrivate)
	}
	pr, pw := io.Pipe()
	first := &firstWrite{w: pw, started: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		err := a.api.GetFileContext(ctx, u, first)
		pw.CloseWithError(err)
		done <- err
	}()
	select {
	case <-first.started:
		return pr, nil
	case err := <-done:
		if err != nil {
			return nil, fmt.Errorf("download %s: %w", f.ID, withoutURL(err))
		}
		return pr, nil // an empty file
	}
}

// firstWrite tells when the content starts to arrive.
type firstWrite struct {
	w       io.Writer
	started chan struct{}
	once    sync.Once
}

func (f *firstWrite) Write(p []byte) (int, error) {
	f.once.Do(func() { close(f.started) })
	return f.w.Write(p)
}

// withoutURL keeps a file's URL, which holds its name, out of an error
// (and so out of the logs).
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	if strings.Contains(err.Error(), "://") {
		return errors.New("the download URL was refused")
	}
	return err
}

// curatorMessage renders a curator's response, its buttons sealed for
// the channel.
func (a *Adapter) curatorMessage(r curate.Response, channel string) Message {
	return curatorBlocks(r, func(b curate.Button) string { return sealButton(a.cfg.BotToken, channel, b) })
}

// curatorClick handles a curator's button: it checks the seal, lets the
// curator act as the one who clicked, in that channel, and shows what
// happened.
func (a *Adapter) curatorClick(ctx context.Context, cb slack.InteractionCallback, act *slack.BlockAction) {
	if a.curator == nil {
		return
	}
	channel := cmp.Or(cb.Container.ChannelID, cb.Channel.ID)
	value, ok := openButton(a.cfg.BotToken, channel, act.ActionID, act.Value)
	if !ok {
		a.log.Warn("a curator's button Wegwijs did not make, ignored", "action", act.ActionID, "user", cb.User.ID, "channel", channel)
		return
	}
	a.work.Go(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
		defer cancel()
		actor := a.actor(cb.User.ID, channel)
		// one click per message as it reads: a double click, or two people
		// at once, would act twice and overwrite the first outcome with an
		// error. A failed click updates the message with its buttons again
		// (a new edit time), so they can be pressed once more. Someone who
		// may not is told so and leaves the buttons for others.
		version := cb.Container.MessageTs
		if e := cb.Message.Edited; e != nil {
			version += ":" + e.Timestamp
		}
		if a.curator.Policy.Allows(actor) && !a.claim(ctx, "kb-click:"+channel+":"+version) {
			a.log.Info("another click on a curator's message, ignored", "action", act.ActionID, "user", cb.User.ID)
			return
		}
		r := a.curator.Click(ctx, actor, act.ActionID, value)
		a.clicked(ctx, cb, act, channel, r)
	})
}

// clicked shows what became of a click; the buttons are done. A message
// in the channel is updated: its text, who chose what, the outcome, no
// buttons. An ephemeral one (a slash command's answer) is replaced
// through its response URL. A private outcome on a message others see
// goes to the clicker alone and leaves the buttons for them.
func (a *Adapter) clicked(ctx context.Context, cb slack.InteractionCallback, act *slack.BlockAction, channel string, r curate.Response) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	m := a.curatorMessage(r, channel)
	var err error
	switch {
	case cb.Container.IsEphemeral:
		if cb.ResponseURL == "" {
			return
		}
		blocks := append(earlier(cb.Message, len(m.Blocks)), m.Blocks...)
		_, _, _, err = a.api.SendMessageContext(ctx, channel, slack.MsgOptionReplaceOriginal(cb.ResponseURL),
			slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(m.Text, false))
	case r.Private:
		opts := []slack.MsgOption{slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionText(m.Text, false)}
		if cb.Container.ThreadTs != "" {
			opts = append(opts, slack.MsgOptionTS(cb.Container.ThreadTs))
		}
		_, err = a.api.PostEphemeralContext(ctx, channel, cb.User.ID, opts...)
	default:
		who := "<@" + cb.User.ID + ">"
		if label := act.Text.Text; label != "" {
			who += " koos ‘" + escape(label) + "’"
		}
		blocks := append(earlier(cb.Message, len(m.Blocks)+1), slack.NewContextBlock("", mrkdwn(who)))
		text := cut(strings.TrimSpace(cb.Message.Text+"\n\n"+m.Text), maxFallback)
		_, _, _, err = a.api.UpdateMessageContext(ctx, channel, cb.Container.MessageTs,
			slack.MsgOptionBlocks(append(blocks, m.Blocks...)...), slack.MsgOptionText(text, false))
	}
	if err != nil {
		a.log.Warn("showing the outcome of a click failed", "action", act.ActionID, "err", err)
	}
}

// earlier is a clicked message's blocks without its buttons, leaving room
// for n more.
func earlier(msg slack.Message, n int) []slack.Block {
	var out []slack.Block
	for _, b := range msg.Blocks.BlockSet {
		if b.BlockType() != slack.MBTAction && len(out) < MaxBlocks-n {
			out = append(out, b)
		}
	}
	return out
}

// curatorCommand answers /wegwijs bronnen, bron …, logboek and hiaten:
// the ack at once, saying it is on it, then the curator's response in its
// place, ephemeral, with buttons when it has them.
func (a *Adapter) curatorCommand(ctx context.Context, sm *socketmode.Client, req socketmode.Request, cmd slack.SlashCommand, text string) {
	working := "_Even kijken …_"
	if words := strings.Fields(strings.ToLower(text)); len(words) > 1 && words[1] == "toevoegen" {
		working = "_Ik haal het op en lees het …_"
	}
	sm.Ack(req, map[string]any{"response_type": "ephemeral", "text": working})
	a.work.Go(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
		defer cancel()
		r := a.curator.Command(ctx, a.actor(cmd.UserID, cmd.ChannelID), text)
		m := a.curatorMessage(r, cmd.ChannelID)
		pctx, pcancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer pcancel()
		if _, _, _, err := a.api.SendMessageContext(pctx, cmd.ChannelID, slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral),
			slack.MsgOptionReplaceOriginal(cmd.ResponseURL), slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionText(m.Text, false)); err != nil {
			a.log.Warn("response url refused the curator's answer", "err", err)
		}
	})
}

package mattermost

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/wegwijs/wegwijs/bot"
)

// Props the bot puts on its answer posts, so a reaction can be counted for
// the answer without keeping anything: the fingerprint and the cited
// documents (names of documents, never text of the question).
const (
	propFingerprint = "wegwijs_fingerprint"
	propDocuments   = "wegwijs_documents"
	propOutcome     = "wegwijs_outcome"
)

// feedbackHint closes an answer: how to tell whether it helped.
const feedbackHint = "_Reageer met 👍 of 👎 als dit antwoord je wel of niet hielp._"

// answer works on one post for the bot: shows it is working, asks
// bot.Chat, and posts the reply in the thread. Its own deadline is apart
// from ctx, so an answer under way is finished during a shutdown.
func (a *Adapter) answer(ctx context.Context, p *model.Post, root, thread string, caughtUp bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
	defer cancel()
	start := a.now()
	if _, err := a.client.PublishUserTyping(ctx, a.me.Id, model.TypingRequest{ChannelId: p.ChannelId, ParentId: root}); err != nil {
		a.log.Debug("typing", "err", err)
	}
	var st *postStream
	var stream bot.Stream
	if a.chat.Bot.Model != nil {
		st = &postStream{a: a, ctx: ctx, channel: p.ChannelId, root: root}
		stream = st
	}
	text := bot.StripMention(p.Message, "@"+a.me.Username)
	r, err := a.chat.Handle(ctx, bot.Incoming{Platform: Platform, EventID: "post:" + p.Id, User: p.UserId,
		Thread: thread, Text: text, Stream: stream})
	if errors.Is(err, bot.ErrClaimed) {
		return
	}
	if err != nil {
		a.log.Warn("answer failed", "post", p.Id, "outcome", r.Outcome.String(), "failure", r.Failure.String(), "err", err)
	}
	if caughtUp && a.chat.Observer != nil {
		a.chat.Observer.Counted(Platform, bot.EventCaughtUp)
	}
	existing := ""
	if st != nil {
		existing = st.finish()
	}
	// Posting gets its own time: when the deadline ran out, the reply
	// saying so must still go out.
	pctx, pcancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer pcancel()
	if err := a.post(pctx, p.ChannelId, root, p.UserId, r, existing); err != nil {
		a.log.Error("posting the answer failed", "post", p.Id, "err", err)
		return
	}
	a.log.Info("answered", "post", p.Id, "outcome", r.Outcome.String(), "ms", a.now().Sub(start).Milliseconds())
}

// post renders a reply in the thread: the privacy warning to the asker
// alone (an ephemeral post; a direct message when the server refuses
// that), then the answer with its sources, replacing the streamed post
// when there is one. A reply longer than a post is split between blocks.
func (a *Adapter) post(ctx context.Context, channel, root, asker string, r bot.Reply, existing string) error {
	if private := bot.PrivateMarkdown(r); private != "" {
		a.ephemeral(ctx, channel, root, asker, private)
	}
	parts := splitMessage(Message(r), MaxPostRunes)
	main := &model.Post{ChannelId: channel, RootId: root, Message: parts[0]}
	main.AddProp(propOutcome, r.Outcome.String())
	if r.Fingerprint != "" {
		main.AddProp(propFingerprint, r.Fingerprint)
		main.AddProp(propDocuments, strings.Join(documents(r), ","))
	}
	var err error
	if existing != "" {
		main.Id = existing
		_, _, err = a.client.UpdatePost(ctx, existing, main)
	} else {
		_, _, err = a.client.CreatePost(ctx, main)
	}
	if err != nil {
		return err
	}
	for _, more := range parts[1:] {
		if _, _, err := a.client.CreatePost(ctx, &model.Post{ChannelId: channel, RootId: root, Message: more}); err != nil {
			return err
		}
	}
	return nil
}

// Message is a reply as a Mattermost post: the Markdown for a channel (the
// privacy warning is sent apart), the titles linked to their documents,
// and for an answer the question whether it helped.
func Message(r bot.Reply) string {
	msg := strings.TrimRight(bot.Markdown(r, bot.MarkdownOptions{Public: true, Links: true}), "\n")
	if r.Outcome == bot.Answered || r.Outcome == bot.Lead {
		msg += "\n\n" + feedbackHint
	}
	return msg
}

// ephemeral shows text to one user in the channel; when the server does
// not allow that, it sends a direct message instead, so the warning is
// never posted where others read it.
func (a *Adapter) ephemeral(ctx context.Context, channel, root, user, text string) {
	_, _, err := a.client.CreatePostEphemeral(ctx, &model.PostEphemeral{UserID: user,
		Post: &model.Post{ChannelId: channel, RootId: root, Message: text}})
	if err == nil {
		return
	}
	a.log.Warn("ephemeral post refused, sending a direct message", "err", err)
	dm, _, err := a.client.CreateDirectChannel(ctx, a.me.Id, user)
	if err == nil {
		_, _, err = a.client.CreatePost(ctx, &model.Post{ChannelId: dm.Id, Message: text})
	}
	if err != nil {
		a.log.Error("the privacy warning could not be delivered", "err", err)
	}
}

func documents(r bot.Reply) []string {
	var out []string
	for _, s := range r.Sources {
		if !contains(out, s.Document) {
			out = append(out, s.Document)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// splitMessage cuts text into pieces of at most max runes, between
// paragraphs where it can (never inside a quote line), else between lines.
func splitMessage(text string, max int) []string {
	if len([]rune(text)) <= max {
		return []string{text}
	}
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
			cur.Reset()
		}
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		for len([]rune(line)) > max { // one line longer than a post: cut it
			flush()
			r := []rune(line)
			parts = append(parts, string(r[:max]))
			line = string(r[max:])
		}
		if len([]rune(cur.String()))+len([]rune(line)) > max {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	return parts
}

// vote counts a 👍 or 👎 on one of the bot's answers, per answer
// fingerprint: the post's props say which, the reaction is claimed once
// across replicas (hashed: no user id is stored).
func (a *Adapter) vote(ctx context.Context, r *model.Reaction, delta int) {
	up, ok := voteOf(r.EmojiName)
	if !ok || r.UserId == a.me.Id {
		return
	}
	a.work.Go(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		p, _, err := a.client.GetPost(ctx, r.PostId, "")
		if err != nil || p.UserId != a.me.Id {
			return
		}
		fp, _ := p.GetProp(propFingerprint).(string)
		if fp == "" {
			return
		}
		docs, _ := p.GetProp(propDocuments).(string)
		key := strings.Join([]string{r.PostId, r.UserId, r.EmojiName, map[int]string{1: "added", -1: "removed"}[delta],
			time.UnixMilli(max(r.CreateAt, r.UpdateAt, r.DeleteAt)).UTC().Format(time.RFC3339Nano)}, "|")
		if err := a.chat.Vote(ctx, Platform, key, fp, splitDocs(docs), up, delta); err != nil {
			a.log.Warn("feedback not counted", "err", err)
		}
	})
}

func splitDocs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// voteOf reads a reaction: 👍 ("+1", "thumbsup") or 👎 ("-1", "thumbsdown").
func voteOf(emoji string) (up, ok bool) {
	switch emoji {
	case "+1", "thumbsup":
		return true, true
	case "-1", "thumbsdown":
		return false, true
	}
	return false, false
}

// postStream shows a model's checked sentences as they come: one post in
// the thread, edited at most once per EditInterval (every edit is
// broadcast to the channel).
type postStream struct {
	a       *Adapter
	ctx     context.Context
	channel string
	root    string

	mu       sync.Mutex
	text     strings.Builder
	postID   string
	lastEdit time.Time
	shown    string
}

// Text appends checked text and shows it when the last edit is long enough
// ago.
func (s *postStream) Text(piece string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text.WriteString(piece)
	if strings.TrimSpace(s.text.String()) == "" {
		return
	}
	if s.postID != "" && s.a.now().Sub(s.lastEdit) < s.a.cfg.EditInterval {
		return
	}
	s.show(s.text.String() + " …")
}

// Abandon replaces what was shown with a short note: the final reply
// replaces it in turn.
func (s *postStream) Abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text.Reset()
	if s.postID != "" {
		s.show("_Even geduld: ik stel het antwoord opnieuw samen uit de bronnen …_")
	}
}

func (s *postStream) show(msg string) {
	if msg == s.shown {
		return
	}
	var err error
	if s.postID == "" {
		var p *model.Post
		p, _, err = s.a.client.CreatePost(s.ctx, &model.Post{ChannelId: s.channel, RootId: s.root, Message: msg})
		if err == nil {
			s.postID = p.Id
		}
	} else {
		_, _, err = s.a.client.PatchPost(s.ctx, s.postID, &model.PostPatch{Message: &msg})
	}
	if err != nil {
		s.a.log.Warn("streaming edit failed", "err", err)
		return
	}
	s.shown, s.lastEdit = msg, s.a.now()
}

// finish returns the id of the streamed post (for the final reply to
// replace), or "" when nothing was shown.
func (s *postStream) finish() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.postID
}

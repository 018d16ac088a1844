package mattermost

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/wegwijs/wegwijs/bot/curate"
)

// The knowledge-base work of beleidsmedewerkers (bot/curate) in
// Mattermost: a file sent to the bot in a direct message or the admin
// channel becomes a draft; /wegwijs bronnen, bron …, logboek and hiaten
// are answered ephemerally; the draft's buttons come back to ActionPath.

func (a *Adapter) actor(user, channel string) curate.Actor {
	return curate.Actor{Platform: Platform, User: user, Channel: channel}
}

// upload hands each file of a post to the curator and answers in the
// thread.
func (a *Adapter) upload(ctx context.Context, p *model.Post, root string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
	defer cancel()
	if ev := a.chat.Events; ev != nil {
		// one replica takes the file (as with questions)
		if ok, err := ev.Claim(ctx, Platform, p.Id); err != nil || !ok {
			if err != nil {
				a.log.Warn("claim an upload", "err", err)
				a.say(ctx, p.ChannelId, root, curate.Response{Text: "Ik kan de kennisbank nu niet bereiken, dus ik heb niets met het bestand gedaan. Stuur het over een paar minuten nog eens."})
			}
			return
		}
	}
	// reading a long document takes a while: "typing…" until the answer
	typing, stopTyping := context.WithCancel(ctx)
	defer stopTyping()
	go func() {
		t := time.NewTicker(4 * time.Second)
		defer t.Stop()
		for {
			if _, err := a.client.PublishUserTyping(typing, a.me.Id, model.TypingRequest{ChannelId: p.ChannelId, ParentId: root}); err != nil {
				a.log.Debug("typing", "err", err)
			}
			select {
			case <-typing.Done():
				return
			case <-t.C:
			}
		}
	}()
	for _, id := range p.FileIds {
		info, _, err := a.client.GetFileInfo(ctx, id)
		if err != nil {
			a.log.Warn("file info", "err", err)
			a.say(ctx, p.ChannelId, root, curate.Response{Text: "Ik kon het bestand niet ophalen bij de chatserver. Stuur het nog eens."})
			continue
		}
		f := curate.File{Name: info.Name, Size: info.Size, Open: func(ctx context.Context) (io.ReadCloser, error) {
			data, _, err := a.client.GetFile(ctx, id)
			if err != nil {
				return nil, err
			}
			return io.NopCloser(bytes.NewReader(data)), nil
		}}
		a.say(ctx, p.ChannelId, root, a.curator.Upload(ctx, a.actor(p.UserId, p.ChannelId), f))
	}
}

// say posts a curator's response in a thread, its buttons as an
// interactive message.
func (a *Adapter) say(ctx context.Context, channel, root string, r curate.Response) {
	post := &model.Post{ChannelId: channel, RootId: root, Message: r.Text}
	if len(r.Buttons) > 0 {
		post.AddProp("attachments", []*model.MessageAttachment{{Actions: a.actions(channel, r.Buttons)}})
	}
	// the answer is posted even when the work used up the deadline
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, _, err := a.client.CreatePost(ctx, post); err != nil {
		a.log.Error("posting a curator's answer failed", "err", err)
	}
}

// actions are a response's buttons; a click comes back to ActionPath,
// signed so it cannot be forged.
func (a *Adapter) actions(channel string, bs []curate.Button) []*model.PostAction {
	var out []*model.PostAction
	for _, b := range bs {
		style := "default"
		if b.Style != "" {
			style = b.Style
		}
		out = append(out, &model.PostAction{Id: strings.ReplaceAll(b.Action, "_", ""), Name: b.Label, Type: model.PostActionTypeButton, Style: style,
			Integration: &model.PostActionIntegration{URL: strings.TrimRight(a.cfg.CallbackURL, "/") + ActionPath,
				Context: map[string]any{"action": "kb", "kb": b.Action, "value": b.Value, "channel": channel,
					"sig": a.sign("kb", b.Action, b.Value, channel)}}})
	}
	return out
}

// kbClick handles a curator's button: it checks the signature, lets the
// curator act as the one who clicked, and replaces the buttons by what
// happened.
func (a *Adapter) kbClick(w http.ResponseWriter, req *http.Request, in model.PostActionIntegrationRequest) {
	action, _ := in.Context["kb"].(string)
	value, _ := in.Context["value"].(string)
	channel, _ := in.Context["channel"].(string)
	sig, _ := in.Context["sig"].(string)
	if sig != a.sign("kb", action, value, channel) || channel != in.ChannelId {
		http.Error(w, "unknown action", http.StatusForbidden)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), a.cfg.Deadline)
	defer cancel()
	r := a.curator.Click(ctx, a.actor(in.UserId, in.ChannelId), action, value)
	resp := model.PostActionIntegrationResponse{EphemeralText: r.Text}
	if !r.Private && in.PostId != "" {
		// the buttons are done: the post says what became of them
		if p, _, err := a.client.GetPost(ctx, in.PostId, ""); err == nil {
			p.Message += "\n\n" + r.Text
			p.DelProp("attachments")
			if len(r.Buttons) > 0 {
				p.AddProp("attachments", []*model.MessageAttachment{{Actions: a.actions(in.ChannelId, r.Buttons)}})
			}
			resp = model.PostActionIntegrationResponse{Update: p}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// curatorCommand answers a slash command for the curator, ephemerally.
func (a *Adapter) curatorCommand(ctx context.Context, user, channel, text string) *model.CommandResponse {
	ctx, cancel := context.WithTimeout(ctx, 2500*time.Millisecond+a.cfg.Deadline)
	defer cancel()
	r := a.curator.Command(ctx, a.actor(user, channel), text)
	resp := &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: r.Text}
	if len(r.Buttons) > 0 {
		resp.Attachments = []*model.MessageAttachment{{Actions: a.actions(channel, r.Buttons)}}
	}
	return resp
}

// ResolveUser turns "@name" into that user's id; an id stays as it is.
func (a *Adapter) ResolveUser(ctx context.Context, who string) (string, error) {
	name, ok := strings.CutPrefix(who, "@")
	if !ok {
		return who, nil
	}
	u, _, err := a.client.GetUserByUsername(ctx, name, "")
	if err != nil {
		return "", err
	}
	return u.Id, nil
}

// ResolveChannel turns "team/channel" (their names, as in the channel's
// address) into the channel's id; an id stays as it is.
func (a *Adapter) ResolveChannel(ctx context.Context, where string) (string, error) {
	team, name, ok := strings.Cut(where, "/")
	if !ok {
		return where, nil
	}
	ch, _, err := a.client.GetChannelByNameForTeamName(ctx, name, team, "")
	if err != nil {
		return "", err
	}
	return ch.Id, nil
}

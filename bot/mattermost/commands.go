package mattermost

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
)

// Paths `wegwijs serve` routes to the adapter.
const (
	CommandPath = "/mattermost/command"
	ActionPath  = "/mattermost/action"
)

// commandWait is how long a slash command request waits for the answer
// before it replies "I'm looking" and sends the answer through the
// response URL: Mattermost gives up after 3 s.
const commandWait = 2 * time.Second

// HelpText is the reply to "/wegwijs help".
const HelpText = `**Wegwijs** beantwoordt vragen over verzuim en thuiszitters met citaten uit de documenten die ik ken.

- Stel je vraag in een privébericht aan mij, of noem **@%s** in een kanaal. Ik antwoord in de draad; een vervolgvraag in die draad kan zonder mij te noemen.
- ` + "`/wegwijs <vraag>`" + ` — alleen jij ziet het antwoord; met de knop deel je het in het kanaal.
- ` + "`/wegwijs bronnen`" + ` — welke documenten ik ken.
- ` + "`/wegwijs help`" + ` — deze uitleg.

Noem nooit namen of andere gegevens van leerlingen: ik haal ze weg, maar het chatprogramma bewaart je bericht wel.
Reageer met 👍 of 👎 op een antwoord om te laten weten of het hielp.`

// CommandHandler serves the /wegwijs slash command: a question is
// answered ephemerally, with a button to share the answer in the channel;
// "help" tells what Wegwijs does; "bronnen" and the other knowledge-base
// commands go to the curator (bot/curate).
func (a *Adapter) CommandHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		req.Body = http.MaxBytesReader(w, req.Body, 64<<10)
		if err := req.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if !a.commandToken(req.PostForm.Get("token")) {
			a.log.Warn("slash command with an unknown token")
			http.Error(w, "unknown token", http.StatusUnauthorized)
			return
		}
		text := strings.TrimSpace(req.PostForm.Get("text"))
		first, _, _ := strings.Cut(strings.ToLower(text), " ")
		switch first {
		case "", "help", "hulp", "?":
			writeCommand(w, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: fmt.Sprintf(HelpText, a.me.Username)})
			return
		}
		if a.curator != nil && curate.IsCommand(text) {
			writeCommand(w, a.curatorCommand(req.Context(), req.PostForm.Get("user_id"), req.PostForm.Get("channel_id"), text))
			return
		}
		a.commandQuestion(w, req, text)
	})
}

func (a *Adapter) commandToken(tok string) bool {
	for _, t := range a.cfg.CommandTokens {
		if t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(tok)) == 1 {
			return true
		}
	}
	return false
}

// commandQuestion answers a slash command's question. When the answer is
// quick it is the response itself; else the response says it is coming,
// and the answer follows through the response URL.
func (a *Adapter) commandQuestion(w http.ResponseWriter, req *http.Request, text string) {
	f := req.PostForm
	channel, user, responseURL := f.Get("channel_id"), f.Get("user_id"), f.Get("response_url")
	id := f.Get("trigger_id")
	if id == "" {
		id = randomID()
	}
	done := make(chan *model.CommandResponse, 1)
	var mu sync.Mutex
	late := false // the request was answered already: use the response URL
	a.work.Go(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), a.cfg.Deadline)
		defer cancel()
		r, err := a.chat.Handle(ctx, bot.Incoming{Platform: Platform, EventID: "command:" + id, User: user, Text: text})
		var resp *model.CommandResponse
		switch {
		case errors.Is(err, bot.ErrClaimed):
		case err != nil:
			a.log.Warn("slash command answer failed", "outcome", r.Outcome.String(), "err", err)
			fallthrough
		default:
			resp = a.commandReply(r, channel)
		}
		mu.Lock()
		defer mu.Unlock()
		if late {
			if resp != nil {
				a.respondLater(ctx, responseURL, resp)
			}
			return
		}
		done <- resp
	})
	write := func(resp *model.CommandResponse) {
		if resp == nil {
			resp = &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: "Deze vraag is al beantwoord."}
		}
		writeCommand(w, resp)
	}
	select {
	case resp := <-done:
		write(resp)
	case <-time.After(commandWait):
		mu.Lock()
		late = true
		select {
		case resp := <-done: // it came just now
			mu.Unlock()
			write(resp)
			return
		default:
		}
		mu.Unlock()
		writeCommand(w, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: "_Ik zoek het op …_"})
	}
}

// commandReply is a reply as an ephemeral slash command response: the
// privacy warning, the answer, and a button to share it in the channel.
func (a *Adapter) commandReply(r bot.Reply, channel string) *model.CommandResponse {
	text := Message(r)
	if private := bot.PrivateMarkdown(r); private != "" {
		text = private + "\n\n" + text
	}
	resp := &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text}
	if r.Outcome == bot.Answered && a.cfg.CallbackURL != "" {
		share := Message(r) // without the privacy warning
		resp.Attachments = []*model.MessageAttachment{{Actions: []*model.PostAction{{
			Id: "share", Name: "Delen in het kanaal", Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: strings.TrimRight(a.cfg.CallbackURL, "/") + ActionPath,
				Context: map[string]any{"action": "share", "channel": channel, "message": share,
					"fingerprint": r.Fingerprint, "documents": strings.Join(documents(r), ","),
					"sig": a.sign(channel, share, r.Fingerprint)}},
		}}}}
	}
	return resp
}

// respondLater sends a slash command's answer through its response URL.
// The URL comes from the Mattermost server's own request.
func (a *Adapter) respondLater(ctx context.Context, responseURL string, resp *model.CommandResponse) {
	if responseURL == "" {
		return
	}
	body, _ := json.Marshal(resp)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, strings.NewReader(string(body)))
	if err != nil {
		a.log.Warn("response url", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.log.Warn("response url", "err", err)
		return
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		a.log.Warn("response url refused the answer", "status", res.StatusCode)
	}
}

// ActionHandler serves the buttons: "share" posts a slash command's answer
// in the channel, as the bot, saying who shared it.
func (a *Adapter) ActionHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var in model.PostActionIntegrationRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, req.Body, 256<<10)).Decode(&in); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if in.Context["action"] == "kb" && a.curator != nil {
			a.kbClick(w, req, in)
			return
		}
		channel, _ := in.Context["channel"].(string)
		msg, _ := in.Context["message"].(string)
		fp, _ := in.Context["fingerprint"].(string)
		sig, _ := in.Context["sig"].(string)
		if in.Context["action"] != "share" || !hmac.Equal([]byte(sig), []byte(a.sign(channel, msg, fp))) || channel != in.ChannelId {
			http.Error(w, "unknown action", http.StatusForbidden)
			return
		}
		post := &model.Post{ChannelId: channel, Message: msg}
		if in.UserName != "" {
			post.Message = "_Gedeeld door @" + in.UserName + ":_\n\n" + msg
		}
		if fp != "" {
			docs, _ := in.Context["documents"].(string)
			post.AddProp(propFingerprint, fp)
			post.AddProp(propDocuments, docs)
		}
		text := "Gedeeld in het kanaal."
		if _, _, err := a.client.CreatePost(req.Context(), post); err != nil {
			a.log.Warn("share failed", "err", err)
			text = "Delen lukte niet. Kan ik in dit kanaal berichten plaatsen? Voeg mij anders eerst toe aan het kanaal."
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(model.PostActionIntegrationResponse{EphemeralText: text})
	})
}

// sign is the HMAC a button carries over what it will post.
func (a *Adapter) sign(parts ...string) string {
	key := a.cfg.ActionSecret
	if key == "" {
		key = a.cfg.Token // still a secret the server and the bot share
	}
	m := hmac.New(sha256.New, []byte(key))
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

func writeCommand(w http.ResponseWriter, resp *model.CommandResponse) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func randomID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

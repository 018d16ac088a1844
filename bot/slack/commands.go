package slack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
)

// helpText is the reply to "/wegwijs help".
const helpText = `*Wegwijs* beantwoordt vragen over verzuim en thuiszitters met citaten uit de documenten die ik ken.
• Stel je vraag in een privébericht aan mij, of noem mij (<@%s>) in een kanaal. Ik antwoord in de draad.
• ` + "`/wegwijs <vraag>`" + ` — alleen jij ziet het antwoord; met de knop deel je het in het kanaal.
• ` + "`/wegwijs bronnen`" + ` — welke documenten ik ken.
• ` + "`/wegwijs help`" + ` — deze uitleg.
Noem nooit namen of andere gegevens van leerlingen: ik haal ze weg, maar Slack bewaart je bericht wel.
Met 👍 of 👎 onder een antwoord laat je weten of het hielp.`

// slashCommand answers /wegwijs: help at once in the ack; a curator's
// command ("bronnen" among them), or a question, with "I'm
// on it" in the ack and the answer through the response URL, ephemeral (a
// question's with a button to share it).
func (a *Adapter) slashCommand(ctx context.Context, sm *socketmode.Client, req socketmode.Request, cmd slack.SlashCommand) {
	text := strings.TrimSpace(cmd.Text)
	first, _, _ := strings.Cut(strings.ToLower(text), " ")
	switch first {
	case "", "help", "hulp", "?":
		sm.Ack(req, map[string]any{"response_type": "ephemeral", "text": fmt.Sprintf(helpText, a.botID)})
		return
	}
	if a.curator != nil && curate.IsCommand(text) {
		a.curatorCommand(ctx, sm, req, cmd, text)
		return
	}
	sm.Ack(req, map[string]any{"response_type": "ephemeral", "text": "_Ik zoek het op …_"})
	a.work.Go(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.Deadline)
		defer cancel()
		id := cmd.TriggerID
		if id == "" {
			id = randomID()
		}
		r, err := a.chat.Handle(ctx, bot.Incoming{Platform: Platform, EventID: "command:" + id, User: cmd.UserID, Text: text})
		if err == bot.ErrClaimed {
			return
		}
		if err != nil {
			a.log.Warn("slash command answer failed", "outcome", r.Outcome.String(), "err", err)
		}
		shareID := ""
		if r.Outcome == bot.Answered && a.shares != nil {
			shareID = randomID()
			public := Messages(r, RenderOptions{Feedback: true})[0]
			payload, _ := json.Marshal(map[string]any{"blocks": slack.Blocks{BlockSet: public.Blocks}, "text": public.Text})
			if err := a.shares.SaveShare(ctx, shareID, payload); err != nil {
				a.log.Warn("keep the answer to share", "err", err)
				shareID = ""
			}
		}
		pctx, pcancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer pcancel()
		m := Messages(r, RenderOptions{Private: true, ShareID: shareID})[0]
		if _, _, _, err := a.api.SendMessageContext(pctx, cmd.ChannelID, slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral),
			slack.MsgOptionReplaceOriginal(cmd.ResponseURL), slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionText(escape(m.Text), false)); err != nil {
			a.log.Warn("response url refused the answer", "err", err)
		}
	})
}

func randomID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

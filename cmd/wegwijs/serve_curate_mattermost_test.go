package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/wegwijs/wegwijs/bot/mattermost/mmtest"
)

// A protocol the bundled sample does not have, in two editions: every
// passage of an edition names its year, so an answer quoting both
// editions would show both years.
const (
	protocolV1 = `Protocol verzuimcoach Kompas College

De verzuimcoach

De verzuimcoach van het Kompas College belt de ouders binnen twee werkdagen na de eerste melding van verzuim (protocol 2025).

Overleg met de leerplichtambtenaar

De verzuimcoach van het Kompas College meldt zorgwekkend verzuim na drie weken bij de leerplichtambtenaar en bespreekt de aanpak in het zorgoverleg (protocol 2025).
`
	protocolV2 = `Protocol verzuimcoach Kompas College

De verzuimcoach

De verzuimcoach van het Kompas College belt de ouders binnen één werkdag na de eerste melding van verzuim (protocol 2026).

Overleg met de leerplichtambtenaar

De verzuimcoach van het Kompas College meldt zorgwekkend verzuim na twee weken bij de leerplichtambtenaar en bespreekt de aanpak in het zorgoverleg (protocol 2026).
`
	coachQuestion = "wat doet de verzuimcoach van het Kompas College bij verzuim?"
)

// sendFile posts a file in a channel as c's user.
func sendFile(ctx context.Context, t *testing.T, c *model.Client4, channel, name, content string) *model.Post {
	t.Helper()
	return sendFileWith(ctx, t, c, channel, name, content, "")
}

// sendFileWith posts a file with a message.
func sendFileWith(ctx context.Context, t *testing.T, c *model.Client4, channel, name, content, message string) *model.Post {
	t.Helper()
	up, _, err := c.UploadFile(ctx, []byte(content), channel, name)
	if err != nil || len(up.FileInfos) != 1 {
		t.Fatalf("upload %s: %v", name, err)
	}
	return mustCreatePost(ctx, t, c, &model.Post{ChannelId: channel, Message: message, FileIds: model.StringArray{up.FileInfos[0].Id}})
}

// actionID is the id of a post's button with that label.
func actionID(t *testing.T, p *model.Post, label string) string {
	t.Helper()
	for _, a := range p.Attachments() {
		for _, act := range a.Actions {
			if act.Name == label {
				return act.Id
			}
		}
	}
	t.Fatalf("no button %q on:\n%s", label, p.Message)
	return ""
}

// click presses a button of a post as c's user and returns the post as
// it reads afterwards.
func click(ctx context.Context, t *testing.T, c *model.Client4, p *model.Post, label string) *model.Post {
	t.Helper()
	if _, err := c.DoPostAction(ctx, p.Id, actionID(t, p, label)); err != nil {
		t.Fatalf("click %q: %v", label, err)
	}
	got, _, err := c.GetPost(ctx, p.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// countDocs counts the documents that answer and the drafts waiting.
func countDocs(t *testing.T, dsn string) int {
	t.Helper()
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM documents WHERE active OR draft`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// answersDuringSwap has three askers ask again and again, each as soon as
// its answer came, for two seconds before swap and three after it, and
// checks what they got (checkEditions). ask gives asker i's answers to one
// question; false ends that asker (it said why).
func answersDuringSwap(t *testing.T, ask func(i int) ([]string, bool), swap func()) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var answers []string
	stop := make(chan struct{})
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				as, ok := ask(i)
				if !ok {
					return
				}
				mu.Lock()
				answers = append(answers, as...)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(2 * time.Second)
	swap()
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()
	checkEditions(t, answers)
}

// checkEditions checks the answers given while an edition was swapped
// for the next: none quotes both, and both were answering at some point.
func checkEditions(t *testing.T, answers []string) {
	t.Helper()
	old, fresh := 0, 0
	for _, a := range answers {
		o, n := strings.Contains(a, "protocol 2025"), strings.Contains(a, "protocol 2026")
		if o && n {
			t.Errorf("an answer quotes both editions:\n%s", a)
		}
		if o {
			old++
		}
		if n {
			fresh++
		}
	}
	if old == 0 || fresh == 0 {
		t.Errorf("%d answers from the old edition and %d from the new during the swap; want both", old, fresh)
	}
	t.Logf("%d answers during the swap: %d from edition 1, %d from edition 2", len(answers), old, fresh)
}

// ask sends a DM question and returns the one answer.
func ask(ctx context.Context, t *testing.T, c *model.Client4, dm, botID, question string) string {
	t.Helper()
	q := mustCreatePost(ctx, t, c, &model.Post{ChannelId: dm, Message: question})
	return oneReply(t, question, waitReply(ctx, t, c, q.Id, botID)).Message
}

// A beleidsmedewerker keeps the knowledge base current from Mattermost:
// a file sent becomes a draft that answers nothing, "Live zetten" makes it
// answer in the next message, a new edition swaps in whole while
// questions are being answered, removal stops it answering and restoring
// brings the earlier version back; someone not authorised changes
// nothing; every step is in the audit log.
func TestMattermostCuration(t *testing.T) {
	m := setupMattermost(t)
	ctx, f := m.ctx, m.f
	addr := freeAddr(t)
	cmd, err := f.CreateSlashCommand(ctx, "wegwijs", "http://"+addr+"/mattermost/command")
	if err != nil {
		t.Fatal(err)
	}
	m.env["MATTERMOST_COMMAND_TOKEN"] = cmd.Token
	m.env["WEGWIJS_KB_USERS_MATTERMOST"] = "@" + mmtest.AdminUsername
	m.env["WEGWIJS_KB_CONTACT"] = "Fatima van functioneel beheer"
	m.env["WEGWIJS_UNANSWERED_DAYS"] = "28"
	m.env["WEGWIJS_CATCHUP_MAX_AGE"] = "1s" // not the uploads of an earlier run of this test
	m.env["WEGWIJS_CHECK_QUESTIONS"] = "../../eval/testdata/questions.yaml,../../eval/testdata/heldout.yaml"
	s := startServe(t, m.env, addr)

	admin, asker := f.AdminClient, f.AskerClient
	adminDM, err := f.DirectChannel(ctx, admin, f.Admin.Id)
	if err != nil {
		t.Fatal(err)
	}
	askerDM, err := f.DirectChannel(ctx, asker, f.Asker.Id)
	if err != nil {
		t.Fatal(err)
	}
	bot := f.BotUser.Id
	docsBefore := countDocs(t, m.dsn)

	t.Run("someone not authorised sends a file: a polite refusal, nothing changes", func(t *testing.T) {
		p := sendFile(ctx, t, asker, askerDM.Id, "protocol-verzuimcoach.txt", protocolV1)
		r := oneReply(t, "unauthorised upload", waitReply(ctx, t, asker, p.Id, bot))
		if !strings.Contains(r.Message, "alleen een beleidsmedewerker") || !strings.Contains(r.Message, "Fatima van functioneel beheer") {
			t.Errorf("refusal:\n%s", r.Message)
		}
		if n := countDocs(t, m.dsn); n != docsBefore {
			t.Errorf("%d documents and drafts after a refused upload, want %d", n, docsBefore)
		}
		// a file with a question is a question, for someone who may not
		// change the knowledge base
		q := sendFileWith(ctx, t, asker, askerDM.Id, "schermafbeelding.txt", "een brief", "wie is aan zet bij absoluut verzuim?")
		if r := oneReply(t, "a question with a file", waitReply(ctx, t, asker, q.Id, bot)); !strings.Contains(r.Message, "Bronnen:") {
			t.Errorf("a question with a file was not answered:\n%s", r.Message)
		}
		src, _, err := asker.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs bron verwijderen praktijkkaart-thuiszitters")
		if err != nil || !strings.Contains(src.Text, "alleen een beleidsmedewerker") {
			t.Errorf("remove by the asker: %v %+v", err, src)
		}
	})

	var draft *model.Post
	t.Run("an authorised upload becomes a draft that answers nothing yet", func(t *testing.T) {
		p := sendFile(ctx, t, admin, adminDM.Id, "protocol-verzuimcoach.txt", protocolV1)
		draft = oneReply(t, "upload", waitReply(ctx, t, admin, p.Id, bot))
		for _, want := range []string{"Nieuw document als concept", "`protocol-verzuimcoach`", "passages", "Live zetten"} {
			if !strings.Contains(draft.Message, want) && want != "Live zetten" {
				t.Errorf("the draft's report lacks %q:\n%s", want, draft.Message)
			}
		}
		actionID(t, draft, "Live zetten")
		actionID(t, draft, "Annuleren")
		keepForDocs(t, "beheer-concept", "Privébericht met wegwijs", "(bestand: protocol-verzuimcoach.txt)", draft)
		if a := ask(ctx, t, asker, askerDM.Id, bot, coachQuestion); strings.Contains(a, "protocol 2025") {
			t.Errorf("a draft answered:\n%s", a)
		}
	})

	t.Run("Live zetten: the next question is answered from it", func(t *testing.T) {
		after := click(ctx, t, admin, draft, "Live zetten")
		if !strings.Contains(after.Message, "is live") || len(after.Attachments()) != 0 {
			t.Errorf("after the click:\n%s\n%+v", after.Message, after.Attachments())
		}
		keepForDocs(t, "beheer-live", "Privébericht met wegwijs", "(klik op Live zetten)", after)
		a := ask(ctx, t, asker, askerDM.Id, bot, coachQuestion)
		if !strings.Contains(a, "protocol 2025") || !strings.Contains(a, "Bronnen:") {
			t.Errorf("the new document does not answer:\n%s", a)
		}
	})

	t.Run("a new edition swaps in whole while questions are answered", func(t *testing.T) {
		p := sendFile(ctx, t, admin, adminDM.Id, "protocol-verzuimcoach.txt", protocolV2)
		d := oneReply(t, "new edition", waitReply(ctx, t, admin, p.Id, bot))
		if !strings.Contains(d.Message, "Nieuwe versie (2)") || !strings.Contains(d.Message, "De huidige versie 1 blijft antwoorden") {
			t.Errorf("the report of a new edition:\n%s", d.Message)
		}
		clients := []*model.Client4{asker, f.Asker2Client, asker}
		var dms []*model.Channel
		for i, uid := range []string{f.Asker.Id, f.Asker2.Id, f.Asker.Id} {
			dm, err := f.DirectChannel(ctx, clients[i], uid)
			if err != nil {
				t.Fatal(err)
			}
			dms = append(dms, dm)
		}
		answersDuringSwap(t, func(i int) ([]string, bool) {
			q := mustCreatePost(ctx, t, clients[i], &model.Post{ChannelId: dms[i].Id, Message: coachQuestion})
			var out []string
			for _, p := range waitReply(ctx, t, clients[i], q.Id, bot) {
				out = append(out, p.Message)
			}
			return out, true
		}, func() {
			after := click(ctx, t, admin, d, "Live zetten")
			if !strings.Contains(after.Message, "versie 2") {
				t.Errorf("after the click:\n%s", after.Message)
			}
		})
	})

	t.Run("restoring brings the edition before back, and undoes itself", func(t *testing.T) {
		for _, want := range []struct{ version, year string }{{"1", "2025"}, {"2", "2026"}} {
			back, _, err := admin.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs bron terugzetten protocol-verzuimcoach")
			if err != nil || !strings.Contains(back.Text, "teruggezet naar versie "+want.version) {
				t.Fatalf("restore: %v %+v", err, back)
			}
			if a := ask(ctx, t, asker, askerDM.Id, bot, coachQuestion); !strings.Contains(a, "protocol "+want.year) {
				t.Errorf("version %s does not answer after the restore:\n%s", want.version, a)
			}
		}
	})

	t.Run("removal, after a confirmation, stops it answering; restoring brings it back", func(t *testing.T) {
		ws, err := mmtest.Listen(ctx, f.URL, admin.AuthToken)
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		resp, _, err := admin.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs bron verwijderen protocol-verzuimcoach")
		if err != nil || !strings.Contains(resp.Text, "Weet je zeker") {
			t.Fatalf("confirmation: %v %+v", err, resp)
		}
		// the confirmation is ephemeral: its button comes back with the
		// cookie the server gave it
		ev, err := ws.Wait(ctx, func(ev *model.WebSocketEvent) bool {
			p, err := mmtest.EventPost(ev)
			return ev.EventType() == model.WebsocketEventEphemeralMessage && err == nil && strings.Contains(p.Message, "Weet je zeker")
		})
		if err != nil {
			t.Fatalf("no ephemeral confirmation: %v", err)
		}
		confirm, _ := mmtest.EventPost(ev)
		var cookie, id string
		for _, a := range confirm.Attachments() {
			for _, act := range a.Actions {
				if act.Name == "Ja, weghalen" {
					cookie, id = act.Cookie, act.Id
				}
			}
		}
		if id == "" {
			t.Fatalf("no button on the confirmation: %+v", confirm.Attachments())
		}
		if _, err := admin.DoPostActionWithCookie(ctx, confirm.Id, id, "", cookie, nil, ""); err != nil {
			t.Fatalf("confirm: %v", err)
		}
		waitFor(t, 15*time.Second, "the document to go", func() bool { return countDocs(t, m.dsn) == docsBefore })
		if a := ask(ctx, t, asker, askerDM.Id, bot, coachQuestion); strings.Contains(a, "protocol 202") {
			t.Errorf("a removed document answered:\n%s", a)
		}
		back, _, err := admin.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs bron terugzetten protocol-verzuimcoach")
		if err != nil || !strings.Contains(back.Text, "teruggezet naar versie 2") {
			t.Fatalf("restore: %v %+v", err, back)
		}
		if a := ask(ctx, t, asker, askerDM.Id, bot, coachQuestion); !strings.Contains(a, "protocol 2026") {
			t.Errorf("the restored document does not answer:\n%s", a)
		}
	})

	t.Run("a worse edition of a document is checked with the questions about it, and cancelled", func(t *testing.T) {
		full, err := os.ReadFile(filepath.Join(sampleDir, "praktijkkaart-thuiszitters.txt"))
		if err != nil {
			t.Fatal(err)
		}
		p := sendFile(ctx, t, admin, adminDM.Id, "praktijkkaart-thuiszitters.txt", string(full[:len(full)/5]))
		start := time.Now()
		var replies []*model.Post
		waitFor(t, 3*time.Minute, "the checked draft", func() bool {
			replies = botReplies(ctx, t, admin, p.Id, bot)
			return len(replies) > 0
		})
		t.Logf("the check took %.1f s", time.Since(start).Seconds())
		d := oneReply(t, "a shortened edition", replies)
		keepForDocs(t, "beheer-controle", "Privébericht met wegwijs", "(bestand: praktijkkaart-thuiszitters.txt)", d)
		if !strings.Contains(d.Message, "Controle met") || !strings.Contains(d.Message, "vergeleken met de huidige versie") || !strings.Contains(d.Message, "slechter: „") {
			t.Fatalf("no check, or nothing worse, in the report:\n%s", d.Message)
		}
		after := click(ctx, t, admin, d, "Annuleren")
		if !strings.Contains(after.Message, "weggegooid") {
			t.Errorf("after Annuleren:\n%s", after.Message)
		}
		out, _, err := cliRun(t, m.env, "", "kb", "list")
		if err != nil || !strings.Contains(out, "praktijkkaart-thuiszitters") {
			t.Fatalf("kb list: %v\n%s", err, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "praktijkkaart-thuiszitters ") && !strings.Contains(line, "  1  ") {
				t.Errorf("the live version changed: %s", line)
			}
		}
	})

	t.Run("the audit log, the sources and the gaps", func(t *testing.T) {
		ask(ctx, t, asker, askerDM.Id, bot, "hoe hoog is de boete voor luxe verzuim?")
		log, _, err := admin.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs logboek")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"concept gemaakt", "live gezet", "weggehaald", "teruggezet", "niet toegestaan", "protocol-verzuimcoach"} {
			if !strings.Contains(log.Text, want) {
				t.Errorf("the audit log lacks %q:\n%s", want, log.Text)
			}
		}
		if strings.Contains(log.Text, "Kompas") {
			t.Errorf("message text in the audit log:\n%s", log.Text)
		}
		gaps, _, err := admin.ExecuteCommand(ctx, f.Channel.Id, "/wegwijs hiaten")
		if err != nil || !strings.Contains(gaps.Text, "boete") {
			t.Errorf("gaps: %v\n%s", err, gaps.Text)
		}
		keepForDocs(t, "beheer-hiaten", "Privébericht met wegwijs", "/wegwijs hiaten", &model.Post{Message: gaps.Text})
		out, _, err := cliRun(t, m.env, "", "kb", "log")
		if err != nil || !strings.Contains(out, "mattermost") || !strings.Contains(out, "live gezet") {
			t.Errorf("kb log: %v\n%s", err, out)
		}
	})

	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{coachQuestion, "Kompas College bij", "boete"} {
		for _, line := range strings.Split(s.stderr.String(), "\n") {
			if strings.Contains(line, v) {
				t.Errorf("%q in the logs: %s", v, line)
			}
		}
	}
}

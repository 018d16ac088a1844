package slack

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/prompts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var kaart = bot.Source{N: 1, ChunkID: 41, Document: "praktijkkaart-thuiszitters", Title: "Praktijkkaart thuiszitters",
	Heading: []string{"STAP 5: WEER TERUGIN BEELD BRENGEN"}, Region: "landelijk", URL: "https://www.example.nl/praktijkkaart.pdf",
	Passage: "Hier hebben Leerplicht en SWV een gezamenlijke taak.", Quotes: []string{"Hier hebben Leerplicht en SWV een gezamenlijke taak."}}

var routeboek = bot.Source{N: 2, ChunkID: 7, Document: "routeboek", Title: "Routeboek Verzuim & Thuiszitters <PO>",
	Heading: []string{"Absoluut verzuim"}, PageFrom: 12, PageTo: 13, Region: "Haaglanden",
	Passage: "Bij absoluut verzuim doet de leerplichtambtenaar onderzoek.", Quotes: []string{"Bij absoluut verzuim doet de leerplichtambtenaar onderzoek."}}

var privacyNotice = bot.Notice{Kind: bot.PersonalData, Private: true, Counts: map[string]int{"NAAM": 1},
	Text: "Je bericht bevatte persoonsgegevens: naam. Die heb ik weggehaald."}

// replies is one reply of every outcome.
var replies = map[string]bot.Reply{
	"answered": {Outcome: bot.Answered, Mode: "extractive", Fingerprint: "dc961502f2bfdd7d",
		Blocks: []bot.Block{{Kind: bot.LeadLine, Text: "Volgens ‘Praktijkkaart thuiszitters’:"}, {Kind: bot.Quote, Text: kaart.Quotes[0], N: 1},
			{Kind: bot.LeadLine, Text: "In ‘Routeboek’ (Haaglanden) staat ook:"}, {Kind: bot.Quote, Text: routeboek.Quotes[0], N: 2}},
		Sources: []bot.Source{kaart, routeboek},
		Notices: []bot.Notice{privacyNotice, {Kind: bot.Regional, Regions: []string{"Haaglanden"}, Text: "Let op: dit antwoord gebruikt afspraken uit Haaglanden."}}},
	"llm": {Outcome: bot.Answered, Mode: "llm", Fingerprint: "0a1b2c3d4e5f6071",
		Blocks:  []bot.Block{{Kind: bot.Prose, Text: "Leerplicht en het **SWV** brengen de jongere samen in beeld [1].\n- zie [de kaart](https://www.example.nl/k) [1]"}},
		Sources: []bot.Source{kaart}},
	"abstained": {Outcome: bot.Abstained, Reason: prompts.NothingFound,
		Blocks: []bot.Block{{Kind: bot.Message, Text: "Dit staat niet in de documenten die ik ken, dus ik kan het niet met een bron beantwoorden. Ik ga niet gokken."},
			{Kind: bot.KnownList}, {Kind: bot.Hint, Text: "Vraag het eventueel aan de leerplichtambtenaar of de consulent van het samenwerkingsverband."}},
		Known: []bot.KnownDocument{{Title: "Praktijkkaart thuiszitters", Region: "landelijk", URL: kaart.URL}, {Title: "Routeboek", Region: "Haaglanden"}}},
	"refused":     {Outcome: bot.Refused, Failure: bot.GuardFailed, Blocks: []bot.Block{{Kind: bot.Message, Text: bot.GuardFailed.Dutch()}}},
	"unavailable": {Outcome: bot.Unavailable, Failure: bot.DatabaseDown, Blocks: []bot.Block{{Kind: bot.Message, Text: bot.DatabaseDown.Dutch()}}, Notices: []bot.Notice{privacyNotice}},
	"empty":       {Outcome: bot.Empty, Blocks: []bot.Block{{Kind: bot.Message, Text: "Stel gerust een vraag over verzuim of thuiszitters."}}},
}

// TestGoldenBlockKit pins the Block Kit of every outcome: in a thread
// (feedback buttons, no private notice) and as a slash command's answer
// (the private notice, a share button).
func TestGoldenBlockKit(t *testing.T) {
	for name, r := range replies {
		for suffix, o := range map[string]RenderOptions{"thread": {Feedback: true}, "command": {Private: true, ShareID: "share-1"}} {
			ms := Messages(r, o)
			var out []map[string]any
			for _, m := range ms {
				b, _ := json.Marshal(m.Blocks)
				out = append(out, map[string]any{"blocks": json.RawMessage(b), "text": m.Text})
				checkLimits(t, name, m)
			}
			got, _ := json.MarshalIndent(out, "", "  ")
			golden(t, name+"."+suffix+".json", string(got)+"\n")
			if suffix == "thread" && strings.Contains(string(got), privacyNotice.Text) {
				t.Errorf("%s: the private notice is in the thread's message", name)
			}
		}
	}
}

func checkLimits(t *testing.T, name string, m Message) {
	t.Helper()
	if len(m.Blocks) > MaxBlocks {
		t.Errorf("%s: %d blocks", name, len(m.Blocks))
	}
	for _, b := range m.Blocks {
		if s, ok := b.(*slack.SectionBlock); ok && utf8.RuneCountInString(s.Text.Text) > MaxTextRunes {
			t.Errorf("%s: a section of %d characters", name, utf8.RuneCountInString(s.Text.Text))
		}
		if c, ok := b.(*slack.ContextBlock); ok && len(c.ContextElements.Elements) > maxContext {
			t.Errorf("%s: a context block of %d elements", name, len(c.ContextElements.Elements))
		}
	}
	if m.Text == "" || utf8.RuneCountInString(m.Text) > maxFallback {
		t.Errorf("%s: fallback text of %d characters", name, utf8.RuneCountInString(m.Text))
	}
}

// A long answer is split over sections and messages, never inside a
// quote, and every message keeps within Slack's limits.
func TestLongReplyKeepsSlacksLimits(t *testing.T) {
	r := bot.Reply{Outcome: bot.Answered, Fingerprint: "f"}
	for i := 0; i < 300; i++ {
		if i%10 == 0 {
			r.Blocks = append(r.Blocks, bot.Block{Kind: bot.LeadLine, Text: "Volgens ‘Document’:"})
		}
		r.Blocks = append(r.Blocks, bot.Block{Kind: bot.Quote, N: 1, Text: strings.Repeat("Een lange zin uit het document met veel woorden ", 18) + "einde."})
	}
	r.Sources = []bot.Source{kaart}
	ms := Messages(r, RenderOptions{Feedback: true})
	if len(ms) < 2 {
		t.Fatalf("%d messages for a very long answer", len(ms))
	}
	quotes := 0
	for _, m := range ms {
		checkLimits(t, "long", m)
		for _, b := range m.Blocks {
			if s, ok := b.(*slack.SectionBlock); ok {
				for _, line := range strings.Split(s.Text.Text, "\n") {
					if strings.HasPrefix(line, "&gt; „") || strings.HasPrefix(line, "> „") {
						quotes++
						if !strings.HasSuffix(line, "einde.” [1]") {
							t.Fatalf("a quote was cut: %q", line)
						}
					}
				}
			}
		}
	}
	if quotes != 300 {
		t.Errorf("%d quotes of 300 shown", quotes)
	}
}

func TestMrkdwn(t *testing.T) {
	if got := escape("a < b & c > d"); got != "a &lt; b &amp; c &gt; d" {
		t.Errorf("escape: %q", got)
	}
	if got := toMrkdwn("**vet** en [de kaart](https://x.nl/a) [1]"); got != "*vet* en <https://x.nl/a|de kaart> [1]" {
		t.Errorf("toMrkdwn: %q", got)
	}
	if got := link("https://x.nl/a|b", "A|B <c>"); got != "<https://x.nl/a%7Cb|A¦B &lt;c&gt;>" {
		t.Errorf("link: %q", got)
	}
	fp, docs := parseFeedbackValue(feedbackValue(replies["answered"]))
	if fp != "dc961502f2bfdd7d" || len(docs) != 2 || docs[1] != "routeboek" {
		t.Errorf("feedback value: %q %q", fp, docs)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -run Golden -update to accept):\n%s", name, got)
	}
}

func TestButtonSeal(t *testing.T) {
	b := curate.Button{Action: curate.ActionRemove, Value: "beleid|met|streep"}
	v := sealButton("k", "C1", b)
	if got, ok := openButton("k", "C1", curate.ActionRemove, v); !ok || got != b.Value {
		t.Errorf("open %q: %q %v", v, got, ok)
	}
	if _, ok := openButton("other key", "C1", curate.ActionRemove, v); ok {
		t.Error("opened with another key")
	}
	if len(v) > 2000 {
		t.Errorf("a value of %d characters (Slack takes 2000)", len(v))
	}
}

// TestGoldenCuratorBlockKit pins the Block Kit of a draft and of the
// sources list (a table in Markdown, lines in Slack).
func TestGoldenCuratorBlockKit(t *testing.T) {
	draft := curate.Response{Text: "**Nieuwe versie (2) van ‘Verzuimbeleid Twente’, als concept.** De huidige versie 1 blijft antwoorden tot je op Live zetten klikt.\n\n" +
		"- Naam: `verzuimbeleid-twente` · regio: Twente · 3 passages\n- Eerste koppen: Beleid verzuim\n" +
		"- Controle met 4 evaluatievragen over dit document, vergeleken met de huidige versie: 1 beter, 1 slechter, 2 gelijk.\n" +
		"  - slechter: Wie belt de ouders bij verzuim & ziekte?\n  - beter: Wat doet de <mentor>?\n\n" +
		"Klopt de titel of de regio niet? `/wegwijs bron titel verzuimbeleid-twente@2 Nieuwe titel` of `/wegwijs bron regio verzuimbeleid-twente@2 Twente`.",
		Buttons: []curate.Button{{Action: curate.ActionActivate, Value: "verzuimbeleid-twente@2", Label: "Live zetten", Style: "primary"},
			{Action: curate.ActionCancel, Value: "verzuimbeleid-twente@2", Label: "Annuleren", Style: "danger"}}}
	sources := curate.Response{Private: true, Text: "Ik ken 2 documenten:\n\n| Naam | Titel | Regio | Versie | Datum | Passages |\n| --- | --- | --- | --- | --- | --- |\n" +
		"| `routeboek` | [Routeboek Verzuim](https://example.nl/routeboek.pdf) | Haaglanden | 3 | 1-2-2025 | 41 |\n" +
		"| `praktijkkaart-thuiszitters` | Praktijkkaart thuiszitters | - | 1 | bijgewerkt 3-4-2025 | 12 |\n" +
		"\nReacties op antwoorden die deze documenten citeren: `routeboek` 4 👍 1 👎\n"}
	for name, r := range map[string]curate.Response{"curator-draft": draft, "curator-sources": sources} {
		m := curatorBlocks(r, func(b curate.Button) string { return sealButton("xoxb-test", "D1", b) })
		checkLimits(t, name, m)
		b, _ := json.Marshal(m.Blocks)
		got, _ := json.MarshalIndent(map[string]any{"blocks": json.RawMessage(b), "text": m.Text}, "", "  ")
		golden(t, name+".json", string(got)+"\n")
	}
}

// A list too long for one section is cut between lines, and a message
// never holds more than Slack's 50 blocks.
func TestCuratorLongListKeepsSlacksLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("| Naam | Titel |\n| --- | --- |\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "| `document-%d` | Een document met een titel van enige lengte |\n", i)
	}
	m := curatorBlocks(curate.Response{Text: b.String(), Buttons: []curate.Button{{Action: curate.ActionKeep, Value: "x", Label: "Nee"}}},
		func(b curate.Button) string { return b.Value })
	checkLimits(t, "long list", m)
	if len(m.Blocks) != MaxBlocks {
		t.Errorf("%d blocks", len(m.Blocks))
	}
	for _, bl := range m.Blocks[:len(m.Blocks)-1] {
		for _, line := range strings.Split(bl.(*slack.SectionBlock).Text.Text, "\n") {
			if !strings.HasPrefix(line, "• `document-") || !strings.HasSuffix(line, " — Een document met een titel van enige lengte") {
				t.Fatalf("a row was cut or left as a table: %q", line)
			}
		}
	}
}

func TestMarkdownToMrkdwn(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"- een\n  - twee\ndrie", "• een\n    ◦ twee\ndrie"},
		{"**vet** & <b>", "*vet* &amp; &lt;b&gt;"},
		{"| Wanneer | Wie | Wat | Document |\n| --- | --- | --- | --- |\n| 2-1-2026 10:00 | slack U1 | live gezet | - |\n\nna",
			"• 2-1-2026 10:00 — slack U1 — wat: live gezet\n\nna"},
		{"| geen | tabel |\nzonder streep", "| geen | tabel |\nzonder streep"},
	} {
		if got := markdownToMrkdwn(c.in); got != c.want {
			t.Errorf("markdownToMrkdwn(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

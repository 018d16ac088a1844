package mattermost

import (
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/bot"
)

func TestSplitMessageKeepsQuoteLinesWhole(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		b.WriteString("> „" + strings.Repeat("woord ", 10) + "” [1]\n\n")
	}
	parts := splitMessage(b.String(), 300)
	if len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if n := len([]rune(p)); n > 300 {
			t.Errorf("a part of %d runes", n)
		}
		for _, line := range strings.Split(p, "\n") {
			if line != "" && (!strings.HasPrefix(line, "> „") || !strings.HasSuffix(line, "[1]")) {
				t.Errorf("a quote was cut: %q", line)
			}
		}
	}
	if got := splitMessage("kort", 300); len(got) != 1 || got[0] != "kort" {
		t.Errorf("short: %q", got)
	}
	long := splitMessage(strings.Repeat("x", 700), 300)
	if len(long) != 3 {
		t.Errorf("one long line: %d parts", len(long))
	}
}

func TestMentionsUser(t *testing.T) {
	for msg, want := range map[string]bool{
		"@wegwijs wie is aan zet?": true, "vraag voor @Wegwijs.": true, "hoi @wegwijs": true,
		"@wegwijsbot wie?": false, "geen vermelding": false, "@wegwijs-test ?": false,
		"@wegwijsbot en ook @wegwijs": true,
	} {
		if got := mentionsUser(msg, "@wegwijs"); got != want {
			t.Errorf("mentionsUser(%q) = %v", msg, got)
		}
	}
}

func TestVoteOf(t *testing.T) {
	for emoji, want := range map[string][2]bool{"+1": {true, true}, "thumbsup": {true, true}, "-1": {false, true}, "thumbsdown": {false, true}, "smile": {false, false}} {
		up, ok := voteOf(emoji)
		if up != want[0] || ok != want[1] {
			t.Errorf("%s: %v %v", emoji, up, ok)
		}
	}
}

// The post for a channel: no privacy warning, linked titles, and the
// feedback question only under an answer.
func TestMessage(t *testing.T) {
	r := bot.Reply{Outcome: bot.Answered, Mode: "extractive",
		Blocks:  []bot.Block{{Kind: bot.LeadLine, Text: "Volgens ‘Kaart’:"}, {Kind: bot.Quote, Text: "De mentor belt.", N: 1}},
		Sources: []bot.Source{{N: 1, Document: "kaart", Title: "Kaart", URL: "https://example.nl/kaart.pdf", Region: "landelijk"}},
		Notices: []bot.Notice{{Kind: bot.PersonalData, Private: true, Text: "Je bericht bevatte persoonsgegevens: naam."}}}
	got := Message(r)
	want := "Volgens ‘Kaart’:\n> „De mentor belt.” [1]\n\nBronnen:\n[1] [Kaart](https://example.nl/kaart.pdf) (landelijk)\n\n" + feedbackHint
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	r.Outcome, r.Sources = bot.Abstained, nil
	if strings.Contains(Message(r), "👍") {
		t.Error("an abstention asks for feedback")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{URL: "chat.example.nl", Token: "x"}, {URL: "https://chat.example.nl"}, {URL: "https://chat.example.nl", Token: "x", CallbackURL: "ftp://x"}} {
		if c.Validate() == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := (Config{URL: "https://chat.example.nl", Token: "x"}).Validate(); err != nil {
		t.Error(err)
	}
	if websocketURL("https://chat.example.nl/") != "wss://chat.example.nl" || websocketURL("http://127.0.0.1:8065") != "ws://127.0.0.1:8065" {
		t.Error("websocket URL")
	}
}

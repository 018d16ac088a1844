package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/prompts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var praktijkkaart = bot.Source{N: 1, ChunkID: 41, Document: "praktijkkaart-thuiszitters", Title: "Praktijkkaart thuiszitters",
	Heading: []string{"STAP 5: WEER TERUGIN BEELD BRENGEN"}, Region: "landelijk", URL: "https://www.example.nl/praktijkkaart.pdf",
	Passage: "Hier hebben Leerplicht en SWV een gezamenlijke taak om de jongere weer in beeld te brengen.",
	Quotes:  []string{"Hier hebben Leerplicht en SWV een gezamenlijke taak om de jongere weer in beeld te brengen."}, Score: 0.031}

var routeboek = bot.Source{N: 2, ChunkID: 7, Document: "routeboek-verzuim-en-thuiszitters-po", Title: "Routeboek Verzuim en Thuiszitters PO",
	Heading: []string{"Absoluut verzuim", "Wie doet wat"}, PageFrom: 12, PageTo: 13, Region: "Haaglanden",
	Date:    time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC),
	Passage: "Bij absoluut verzuim doet de leerplichtambtenaar onderzoek. De school meldt binnen vijf dagen.",
	Quotes:  []string{"Bij absoluut verzuim doet de leerplichtambtenaar onderzoek."}, Score: 0.029}

var privacyNotice = bot.Notice{Kind: bot.PersonalData, Private: true, Counts: map[string]int{"NAAM": 1, "BSN": 1},
	Text: "Je bericht bevatte persoonsgegevens: naam en BSN (burgerservicenummer). Die heb ik weggehaald voordat ik je vraag verwerkte."}

// goldenReplies is one reply of every outcome, as the bot builds them.
var goldenReplies = map[string]bot.Reply{
	"answered": {Outcome: bot.Answered, Mode: "extractive", Fingerprint: "dc961502f2bfdd7d",
		Blocks: []bot.Block{
			{Kind: bot.LeadLine, Text: "Volgens ‘Praktijkkaart thuiszitters’:"},
			{Kind: bot.Quote, Text: praktijkkaart.Quotes[0], N: 1},
			{Kind: bot.LeadLine, Text: "In ‘Routeboek Verzuim en Thuiszitters PO’ (Haaglanden) staat ook:"},
			{Kind: bot.Quote, Text: routeboek.Quotes[0], N: 2},
		},
		Sources: []bot.Source{praktijkkaart, routeboek},
		Notices: []bot.Notice{privacyNotice, {Kind: bot.Regional, Regions: []string{"Haaglanden"},
			Text: "Let op: dit antwoord gebruikt afspraken uit Haaglanden. In jouw regio kan het anders geregeld zijn."}}},
	"llm": {Outcome: bot.Answered, Mode: "llm", Fingerprint: "0a1b2c3d4e5f6071",
		Blocks: []bot.Block{{Kind: bot.Prose, Text: "Leerplicht en het SWV brengen de jongere samen weer in beeld [1]."}},
		Sources: []bot.Source{{N: 1, ChunkID: 41, Document: praktijkkaart.Document, Title: praktijkkaart.Title, Heading: praktijkkaart.Heading,
			Region: praktijkkaart.Region, URL: praktijkkaart.URL, Passage: praktijkkaart.Passage, Score: praktijkkaart.Score}}},
	"abstained": {Outcome: bot.Abstained, Mode: "extractive", Reason: prompts.WrongType, Untyped: nl.Frequency,
		Blocks: []bot.Block{
			{Kind: bot.Message, Text: "Ik vond wel tekst over je vraag, maar daarin staat niet hoe vaak. Dit staat niet in de documenten die ik ken, dus ik kan het niet met een bron beantwoorden. Ik ga niet gokken."},
			{Kind: bot.KnownList},
			{Kind: bot.Hint, Text: "Vraag het eventueel aan de leerplichtambtenaar of de consulent van het samenwerkingsverband."},
		},
		Known: []bot.KnownDocument{{Document: praktijkkaart.Document, Title: praktijkkaart.Title, Region: "landelijk", Version: 1},
			{Document: routeboek.Document, Title: routeboek.Title, Region: "Haaglanden", Version: 3}},
		Notices: []bot.Notice{{Kind: bot.English, Text: "Je vraag lijkt Engels."}}},
	"refused": {Outcome: bot.Refused, Failure: bot.GuardFailed,
		Blocks: []bot.Block{{Kind: bot.Message, Text: bot.GuardFailed.Dutch()}}},
	"unavailable": {Outcome: bot.Unavailable, Failure: bot.DatabaseDown,
		Blocks:  []bot.Block{{Kind: bot.Message, Text: bot.DatabaseDown.Dutch()}},
		Notices: []bot.Notice{privacyNotice}},
	"empty": {Outcome: bot.Empty,
		Blocks: []bot.Block{{Kind: bot.Message, Text: "Stel gerust een vraag over verzuim of thuiszitters."}}},
}

// TestGoldenRenderings renders every outcome from the same reply to
// Markdown (the command line; a channel, without the private notice) and to
// the JSON contract.
func TestGoldenRenderings(t *testing.T) {
	tr := &bot.Trace{Timings: map[string]time.Duration{"guard": time.Millisecond, "retrieval": 21 * time.Millisecond, "total": 23 * time.Millisecond}}
	for name, r := range goldenReplies {
		js, err := json.MarshalIndent(jsonReply(r, tr), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got := "## Markdown\n" + bot.Markdown(r, bot.MarkdownOptions{}) +
			"\n## Markdown in a channel\n" + bot.Markdown(r, bot.MarkdownOptions{Public: true, Links: true}) +
			"\n## Only for the asker\n" + bot.PrivateMarkdown(r) +
			"\n\n## JSON\n" + string(js) + "\n"
		path := filepath.Join("testdata", "golden", name+".txt")
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			os.WriteFile(path, []byte(got), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs (go test -run GoldenRenderings -update to accept):\n%s", name, got)
		}
	}
}

// The contract's fields stay: an old reader finds every field it knew.
func TestJSONContractKeepsItsFields(t *testing.T) {
	b, _ := json.Marshal(jsonReply(goldenReplies["answered"], &bot.Trace{}))
	var raw map[string]any
	json.Unmarshal(b, &raw)
	for _, k := range []string{"answer", "abstained", "citations", "redactions", "timings_ms", "mode", "notices", "outcome", "fingerprint"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	c := raw["citations"].([]any)[0].(map[string]any)
	for _, k := range []string{"n", "document", "title", "section", "page", "url", "region", "quote", "passage", "score"} {
		if _, ok := c[k]; !ok {
			t.Errorf("citation field %q missing", k)
		}
	}
}

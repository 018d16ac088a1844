package prompts

import (
	"testing"

	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval"
)

// An answer that covers the question but gives no fact of the asked type
// abstains and says which type was missing.
func TestExtractiveAbstainsWithoutTheAskedType(t *testing.T) {
	hits := []retrieval.Hit{{Passage: retrieval.Passage{ChunkID: 1, Slug: "praktijkkaart", Title: "Praktijkkaart thuiszitters",
		Text: "Ook stelt Leerplicht elke 3 weken de thuiszitterslijst vast en deze lijst behandelen we in de vergadering."}}}
	terms := []retrieval.Term{{Text: "thuiszitterslijst", Word: "thuiszitterslijst", IDF: 5, InBase: true}, {Text: "leerling", Word: "leerlingen", IDF: 1, InBase: true}}
	a := extractive(t, "Hoeveel leerlingen staan er op de thuiszitterslijst?", terms, hits, ExtractiveOptions{Thresholds: retrieval.DefaultThresholds})
	if !a.Abstained || a.Why != WrongType || a.Untyped != nl.Count|nl.Share|nl.Money || len(a.Citations) != 0 {
		t.Errorf("want an abstention for the missing amount, got abstained=%v untyped=%b citations=%d", a.Abstained, a.Untyped, len(a.Citations))
	}
	a = extractive(t, "Hoe vaak wordt de thuiszitterslijst vastgesteld?", terms, hits, ExtractiveOptions{Thresholds: retrieval.DefaultThresholds})
	if a.Abstained || a.Untyped != 0 {
		t.Errorf("a frequency answers 'hoe vaak': abstained=%v untyped=%b", a.Abstained, a.Untyped)
	}
}

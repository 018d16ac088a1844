package retrieval

import (
	"math"
	"testing"
)

func TestIDF(t *testing.T) {
	for _, tt := range []struct{ chunks, docs, want float64 }{
		{100, 0, math.Log(1 + 100.5/0.5)}, // absent: as if in half a chunk
		{100, 1, math.Log(1 + 99.5/1.5)},
		{100, 100, math.Log(1 + 0.5/100.5)},
	} {
		if got := IDF(tt.chunks, tt.docs); got != tt.want {
			t.Errorf("IDF(%g, %g) = %g, want %g", tt.chunks, tt.docs, got, tt.want)
		}
	}
	if IDF(100, 1) <= IDF(100, 10) {
		t.Error("a rarer stem must weigh more")
	}
}

func TestWeigh(t *testing.T) {
	const chunks = 100
	words := []Stemmed{
		{Word: "wie", Stem: "wie", Docs: 40},                        // a stop word: no term
		{Word: "doet", Stem: "doet", Docs: 30},                      // a stop word too (how people ask)
		{Word: "scholen", Stem: "schol", Docs: 60},                  // a term
		{Word: "school", Stem: "schol", Docs: 60},                   // the same stem again: no term
		{Word: "verzuimaanpak", Stem: "verzuimaanpak"},              // absent, split by the store:
		{Word: "verzuimaanpak", Stem: "verzuim", Docs: 50, Part: 1}, // gives way to its parts
		{Word: "verzuimaanpak", Stem: "aanpak", Docs: 10, Part: 2},
		{Word: "doorverwijzing", Stem: "doorverwijz"},
		{Word: "doorverwijzing", Part: 1}, // "door": a stop word to the store
		{Word: "doorverwijzing", Stem: "verwijz", Docs: 5, Part: 2},
		{Word: "daarvoor", Stem: "daarvor"}, // both parts stop words: the word goes
		{Word: "daarvoor", Part: 1},
		{Word: "daarvoor", Part: 2},
		{Word: "boete", Stem: "boet"},                    // absent, not split
		{Word: "lpa", Stem: "lpa", Docs: 8, Extra: true}, // from the glossary
	}
	absent := IDF(chunks, 0)
	want := []Term{
		{Text: "schol", Word: "scholen", IDF: IDF(chunks, 60), InBase: true},
		{Text: "verzuim", Word: "verzuimaanpak", Part: 1, IDF: absent / 2, InBase: true},
		{Text: "aanpak", Word: "verzuimaanpak", Part: 2, IDF: absent / 2, InBase: true},
		{Text: "verwijz", Word: "doorverwijzing", Part: 2, IDF: absent / 2, InBase: true},
		{Text: "boet", Word: "boete", IDF: absent},
		{Text: "lpa", Word: "lpa", IDF: IDF(chunks, 8), InBase: true, Extra: true},
	}
	got := Weigh(words, chunks)
	if len(got) != len(want) {
		t.Fatalf("Weigh = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("term %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// A part of a split glossary term is extra as its word is.
	ext := Weigh([]Stemmed{{Word: "leerplichtconsulent", Stem: "leerplichtconsulent", Extra: true},
		{Word: "leerplichtconsulent", Stem: "leerplicht", Docs: 3, Part: 1, Extra: true}}, chunks)
	if len(ext) != 1 || !ext[0].Extra || !ext[0].IsPart() {
		t.Errorf("extra part: %+v", ext)
	}
	if Weigh(nil, chunks) != nil {
		t.Error("no words: no terms")
	}
}

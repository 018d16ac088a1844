package nl

import "testing"

func TestIsStopword(t *testing.T) {
	for _, w := range []string{"wie", "doet", "zet", "hoeveel", "de", "m'n", "graag"} {
		if !IsStopword(w) {
			t.Errorf("%q should be a stop word", w)
		}
	}
	for _, w := range []string{"verzuim", "mentor", "leerplicht", "jgz", "Wie"} {
		if IsStopword(w) {
			t.Errorf("%q is not a stop word", w)
		}
	}
	if n := len(Stopwords()); n != len(stopwords) || n < 150 {
		t.Errorf("Stopwords() lists %d words", n)
	}
}

// The embedder's function words are stop words, but not every stop word
// is a function word: the embedder keeps how people ask.
func TestFunctionWordsAreStopwords(t *testing.T) {
	for w := range functionWords {
		if !IsStopword(w) {
			t.Errorf("function word %q is no stop word", w)
		}
	}
	for _, w := range []string{"doet", "zet", "hoeveel", "welke", "graag"} {
		if IsFunctionWord(w) {
			t.Errorf("%q is a stop word, not a function word", w)
		}
	}
	for _, w := range []string{"de", "het", "omdat", "kunnen", "onze"} {
		if !IsFunctionWord(w) {
			t.Errorf("%q should be a function word", w)
		}
	}
}

func TestIsDangling(t *testing.T) {
	for _, w := range []string{"de", "en/of", "of/en", "wordt", "haar"} {
		if !IsDangling(w) {
			t.Errorf("a line ending in %q goes on", w)
		}
	}
	for _, w := range []string{"er", "hij", "verzuim", "en/"} {
		if IsDangling(w) {
			t.Errorf("a line may end in %q", w)
		}
	}
}

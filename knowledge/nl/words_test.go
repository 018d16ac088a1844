package nl

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Wie is aan zet bij absoluut verzuim?", []string{"wie", "is", "aan", "zet", "bij", "absoluut", "verzuim"}},
		{"leerplichtambtenaar/RMC, 18-jarigen en groep7", []string{"leerplichtambtenaar", "rmc", "18", "jarigen", "en", "groep7"}},
		{"IB'er m@zl NPO-geld", []string{"ib", "er", "m", "zl", "npo", "geld"}},
		{"CRÈCHE reünie", []string{"crèche", "reünie"}},
		{"İstanbul ĲZER", []string{"istanbul", "ĳzer"}},
		{"  ,;  ", nil},
	} {
		if got := Words(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestWordsAsWritten(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Wat doet de IB'er bij M@ZL?", []string{"Wat", "doet", "de", "IB'er", "bij", "M@ZL"}},
		{"baby’s NPO-geld", []string{"baby", "s", "NPO", "geld"}}, // only the ASCII apostrophe joins
		{"leerplichtambtenaar/RMC", []string{"leerplichtambtenaar", "RMC"}},
	} {
		if got := WordsAsWritten(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("WordsAsWritten(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLetterWords(t *testing.T) {
	if got, want := letterWords("2the groep7 The"), []string{"the", "groep", "the"}; !slices.Equal(got, want) {
		t.Errorf("letterWords = %q, want %q", got, want)
	}
}

func TestFoldRune(t *testing.T) {
	for in, want := range map[rune]rune{'ö': 'o', 'É': 'e', 'ç': 'c', 'ñ': 'n', 'ÿ': 'y', 'A': 'a', '@': '@', 'ß': 'ß', 'Ĳ': 'ĳ'} {
		if got := FoldRune(in); got != want {
			t.Errorf("FoldRune(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsJoiner(t *testing.T) {
	for _, r := range "'’‘`´-‐‑@\u00ad" {
		if !IsJoiner(r) {
			t.Errorf("%q should join", r)
		}
	}
	for _, r := range " /.,_a1" {
		if IsJoiner(r) {
			t.Errorf("%q should not join", r)
		}
	}
}

func TestStem(t *testing.T) {
	// The stems PostgreSQL's pinned Dutch configuration gives
	// (retrieval/postgres TestStemmerAgreesWithPostgres checks them all).
	for w, want := range map[string]string{"verzuim": "verzuim", "thuiszitters": "thuiszitter",
		"leerplichtambtenaar": "leerplichtambtenar", "absoluut": "absolut", "weken": "wek", "scholen": "schol",
		"kan": "kan", "kans": "kan"} {
		if got := Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
}

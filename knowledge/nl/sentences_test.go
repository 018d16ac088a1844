package nl

import (
	"slices"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"De LPA o.a. bij het MDO. Dhr. K. Jansen belt. Is dat zo? Ja! 13 weken.",
			[]string{"De LPA o.a. bij het MDO.", "Dhr. K. Jansen belt.", "Is dat zo?", "Ja!", "13 weken."}},
		// A sentence ends only before a capital, a digit, a quote, a
		// bracket, a bullet or a dash.
		{"Meld het. daarna belt de mentor.", []string{"Meld het. daarna belt de mentor."}},
		{"Hij zei: „Meld het.” (Zie ook bijlage 2.) • Bel de ouders.", []string{"Hij zei: „Meld het.”", "(Zie ook bijlage 2.)", "• Bel de ouders."}},
		{"Wacht… Dan volgt een plan.", []string{"Wacht…", "Dan volgt een plan."}},
		{"Zie art. 5 en blz. 12.", []string{"Zie art. 5 en blz. 12."}},
		// Not before a marker: "[1]" stays with the sentence before.
		{"Meld het. [1] Dan volgt een plan.", []string{"Meld het. [1] Dan volgt een plan."}},
		{"  \n ", nil},
	} {
		got := Sentences(tt.text)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Sentences(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if strings.Join(strings.Fields(strings.Join(got, " ")), " ") != strings.Join(strings.Fields(tt.text), " ") {
			t.Errorf("Sentences(%q) does not give the text back", tt.text)
		}
	}
}

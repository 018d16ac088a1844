package nl

import (
	"slices"
	"testing"
)

func TestClaims(t *testing.T) {
	type c struct {
		text string
		refs []int
	}
	for _, tt := range []struct {
		text string
		want []c
	}{
		{"Leerplicht en SWV hebben een gezamenlijke taak [1]. Scholen melden binnen vijf dagen [2].",
			[]c{{"Leerplicht en SWV hebben een gezamenlijke taak [1].", []int{1}}, {"Scholen melden binnen vijf dagen [2].", []int{2}}}},
		// Markers after the end mark belong to the sentence before, and
		// the next sentence is a claim of its own.
		{"Dat doet de leerplichtambtenaar. [1] Hij belt de ouders.",
			[]c{{"Dat doet de leerplichtambtenaar. [1]", []int{1}}, {"Hij belt de ouders.", nil}}},
		{"Meld het. [1][2] Bel de ouders! [3]", []c{{"Meld het. [1][2]", []int{1, 2}}, {"Bel de ouders! [3]", []int{3}}}},
		{"„Meld het binnen vijf dagen.” [2] [3]", []c{{"„Meld het binnen vijf dagen.” [2] [3]", []int{2, 3}}}},
		// An abbreviation before a marker ends its sentence: the marker
		// says so.
		{"Zie scholen, gemeenten e.d. [1] Verder belt de mentor.", []c{{"Zie scholen, gemeenten e.d. [1]", []int{1}}, {"Verder belt de mentor.", nil}}},
		// Markers that open a sentence belong to it.
		{"[2] Meld het binnen vijf dagen.", []c{{"[2] Meld het binnen vijf dagen.", []int{2}}}},
		// Lines are apart; a lead line is a claim, a lead-in.
		{"Volgens de Praktijkkaart:\n> „Hier hebben Leerplicht en SWV een taak.” [1]\n\n[2]",
			[]c{{"Volgens de Praktijkkaart:", nil}, {"> „Hier hebben Leerplicht en SWV een taak.” [1]", []int{1}}, {"[2]", []int{2}}}},
		{"", nil},
	} {
		claims := Claims(tt.text)
		var got []c
		for _, cl := range claims {
			got = append(got, c{cl.Text, cl.Refs})
			if tt.text[cl.Start:cl.End] != cl.Text {
				t.Errorf("Claims(%q): %q is not at %d:%d", tt.text, cl.Text, cl.Start, cl.End)
			}
		}
		if !slices.EqualFunc(got, tt.want, func(a, b c) bool { return a.text == b.text && slices.Equal(a.refs, b.refs) }) {
			t.Errorf("Claims(%q) =\n  %+v\nwant\n  %+v", tt.text, got, tt.want)
		}
	}
}

func TestClaimPlainAndLeadIn(t *testing.T) {
	for _, tt := range []struct {
		text, plain string
		leadIn      bool
	}{
		{"Meld het binnen vijf dagen [2].", "Meld het binnen vijf dagen.", false},
		{"Meld het binnen vijf dagen. [2]", "Meld het binnen vijf dagen.", false},
		{"„Meld het.”  [2] [3]", "„Meld het.”", false},
		{"Volgens de Praktijkkaart:", "Volgens de Praktijkkaart:", true},
		{"In ‘Verzuim’ (Twente) staat ook :", "In ‘Verzuim’ (Twente) staat ook:", true},
		{"Zie bron [1]:", "Zie bron:", false},
		{"[1]", "", false},
	} {
		cl := Claims(tt.text)[0]
		if got := cl.Plain(); got != tt.plain {
			t.Errorf("Plain(%q) = %q, want %q", tt.text, got, tt.plain)
		}
		if got := cl.IsLeadIn(); got != tt.leadIn {
			t.Errorf("IsLeadIn(%q) = %v, want %v", tt.text, got, tt.leadIn)
		}
	}
}

func TestRefs(t *testing.T) {
	if got := Refs("a [1] b [12][3] [x] [99999999999999999999]"); !slices.Equal(got, []int{1, 12, 3}) {
		t.Errorf("Refs = %v", got)
	}
	if got := StripMarkers("Meld het [1]. Bel [2][3]"); got != "Meld het . Bel " {
		t.Errorf("StripMarkers = %q", got)
	}
}

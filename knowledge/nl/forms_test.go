package nl

import (
	"slices"
	"testing"
)

func TestInfinitiveStems(t *testing.T) {
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"werkt", []string{Stem("werken")}},
		{"valt", []string{Stem("valen"), Stem("vallen")}},
		{"bepaalt", []string{Stem("bepaalen"), Stem("bepalen")}},
		{"doet", []string{Stem("doen")}},
		{"geldt", []string{Stem("gelden")}},
		{"meldt", []string{Stem("melden")}},
		{"maart", []string{"mar"}}, // "maren": the stem of the stop word "maar"; the caller leaves it out
		{"wet", nil},               // too short
		{"plan", nil},              // no -t
		{"18jt", nil},              // not a–z
		{"büßt", nil},
	} {
		got := InfinitiveStems(tt.word, Stem)
		got = slices.Compact(got)
		want := slices.Compact(tt.want)
		if !slices.Equal(got, want) {
			t.Errorf("InfinitiveStems(%q) = %q, want %q", tt.word, got, want)
		}
	}
	// Stems of fewer than three letters, or the word's own, are left out.
	short := func(string) string { return "ab" }
	if got := InfinitiveStems("gaat", short); got != nil {
		t.Errorf("short stems kept: %q", got)
	}
}

func TestSingularsAndIsPluralOf(t *testing.T) {
	for _, tt := range []struct {
		w    string
		want []string
	}{
		{"thuiszitters", []string{"thuiszitter"}},
		{"mentoren", []string{"mentor"}},
		{"lpas", nil},
		{"scholen", []string{"schol"}},
		{"wegen", nil},
		{"cases", []string{"case"}},
	} {
		if got := Singulars(tt.w); !slices.Equal(got, tt.want) {
			t.Errorf("Singulars(%q) = %q, want %q", tt.w, got, tt.want)
		}
	}
	for _, tt := range []struct {
		w, singular string
		want        bool
	}{
		{"thuiszitters", "thuiszitter", true},
		{"mentoren", "mentor", true},
		{"lpas", "lpa", false},
		{"mentor", "mentor", false},
		{"mentorschap", "mentor", false},
	} {
		if got := IsPluralOf(tt.w, tt.singular); got != tt.want {
			t.Errorf("IsPluralOf(%q, %q) = %v, want %v", tt.w, tt.singular, got, tt.want)
		}
	}
}

func TestPurposeClause(t *testing.T) {
	for s, want := range map[string]string{
		"Welke verklaring heb ik nodig om een vrijstelling aan te vragen?":    "om een vrijstelling aan te vragen",
		"Wat moet ik doen om met schoolaanwezigheid aan de slag te gaan, nu?": "om met schoolaanwezigheid aan de slag te gaan",
		"Mijn kind komt om de dag te laat, wat nu?":                           "",
		"Het gaat om een leerling die te vaak ziek is.":                       "",
		"Om te beginnen: WAT MOET IK DOEN OM TE MELDEN":                       "Om te beginnen",
	} {
		start, end, ok := PurposeClause(s)
		got := ""
		if ok {
			got = s[start:end]
		}
		if got != want {
			t.Errorf("PurposeClause(%q) = %q, want %q", s, got, want)
		}
	}
}

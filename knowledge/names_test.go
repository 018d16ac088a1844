package knowledge

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlugForFile(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"praktijkkaart-thuiszitters.txt", "praktijkkaart-thuiszitters"}, // the sample's names stay
		{"Routeboek Verzuim (PO).pdf", "routeboek-verzuim-po"},
		{"één-loket.txt", "een-loket"},
		{"coördinatie zorg.docx", "coordinatie-zorg"},
		{"CRÈCHE.md", "creche"},
		{"日本語.txt", "日本語"},
		{"Ελληνικά.txt", "ελληνικά"},
		{"😀.txt", "document-" + shortHash("😀")},
		{"---.txt", "document-" + shortHash("---")},
		{strings.Repeat("é", 200) + ".txt", strings.Repeat("e", 120)},
		{strings.Repeat("日", 200) + ".txt", strings.Repeat("日", 120)},
	} {
		got := SlugForFile(tt.name)
		if got != tt.want {
			t.Errorf("SlugForFile(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if !utf8.ValidString(got) || got == "" {
			t.Errorf("SlugForFile(%q) = %q: not valid UTF-8 or empty", tt.name, got)
		}
	}
}

// A title made from a file name starting with a letter outside ASCII was
// cut in the middle of its first rune: invalid UTF-8, which PostgreSQL
// refuses ("invalid byte sequence for encoding UTF8").
func TestTitleFromFileName(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"praktijkkaart-thuiszitters.txt", "Praktijkkaart thuiszitters"},
		{"één-loket.txt", "Één loket"},
		{"日本語.txt", "日本語"},
		{"😀.txt", "😀"},
		{"ëëë", "Ëëë"},
	} {
		m := completeMeta(Meta{}, Meta{}, Input{Name: "/map/" + tt.name})
		if m.Title != tt.want || !utf8.ValidString(m.Title) {
			t.Errorf("title of %q = %q, want %q", tt.name, m.Title, tt.want)
		}
	}
}

func TestLongTitleIsCut(t *testing.T) {
	m := completeMeta(Meta{}, Meta{Title: strings.Repeat("Handreiking ", 100_000)}, Input{Name: "a.md"})
	if n := utf8.RuneCountInString(m.Title); n > maxHeadingChars || !strings.HasSuffix(m.Title, "Handreiking…") {
		t.Errorf("title of %d characters: %.40q…", n, m.Title)
	}
}

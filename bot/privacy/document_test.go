package privacy

import (
	"context"
	"slices"
	"testing"
)

func TestMaskIdentifiers(t *testing.T) {
	for in, want := range map[string]string{
		"verslag_111222333.txt":               "verslag_[BSN].txt",
		"/map/leerling-1112.22.333/a.pdf":     "/map/leerling-[BSN]/a.pdf",
		"https://x.nl/103000003?id=123456789": "https://x.nl/[ONDERWIJSNUMMER]?id=123456789",
		"rol-van-de-mentor.txt":               "rol-van-de-mentor.txt",
		"":                                    "",
	} {
		if got := MaskIdentifiers(in); got != want {
			t.Errorf("MaskIdentifiers(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScreenDocumentIdentifiers(t *testing.T) {
	g := newGuard(t)
	parts := []DocumentPart{
		{Where: "de titel", Text: "Verslag 111222333"},
		{Where: "de bestandsnaam", Text: "verslag_111222333.txt"},
		{Where: "de tekst", Text: "Contact: Kees Hendriks, 06-12345678, nummer 123456789."},
		{Where: "de tekst op pagina 4", Heading: "Bijlage > onderwijsnummer 1030.00.003", Text: "BSN 111 222 333.", Passage: true},
	}
	s, err := g.ScreenDocument(context.Background(), parts)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Refused() || s.Identifiers[BSN] != 1 || s.Identifiers[Onderwijsnummer] != 1 {
		t.Errorf("Identifiers = %v, want one BSN (three spellings) and one onderwijsnummer", s.Identifiers)
	}
	if want := []string{"de titel", "de bestandsnaam", "een kop op pagina 4", "de tekst op pagina 4"}; !slices.Equal(s.IdentifiersIn, want) {
		t.Errorf("IdentifiersIn = %q, want %q", s.IdentifiersIn, want)
	}
	if got, want := s.Dutch(), "gevonden: 1× BSN en 1× onderwijsnummer in de titel, de bestandsnaam, een kop op pagina 4 en de tekst op pagina 4"; got != want {
		t.Errorf("Dutch = %q\nwant %q", got, want)
	}
	clean, err := g.ScreenDocument(context.Background(), parts[2:3])
	if err != nil || clean.Refused() || clean.Dutch() != "" {
		t.Errorf("a contact person and a random number refused: %+v %v", clean, err)
	}
}

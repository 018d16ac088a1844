package privacy

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
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

func passages(texts ...string) []DocumentPart {
	var out []DocumentPart
	for i, t := range texts {
		out = append(out, DocumentPart{Where: fmt.Sprintf("de tekst op pagina %d", i+1), Text: t, Passage: true})
	}
	return out
}

func TestScreenDocumentScore(t *testing.T) {
	g := newGuard(t)
	for _, tc := range []struct {
		name    string
		parts   []DocumentPart
		refused bool
		details map[Detail]int
	}{
		{"a case report", passages("Leerling Mila Verhoef, geboren op 3 april 2014, woont met haar moeder aan de Molenweg 3 in Deventer. Moeder is bereikbaar op 06-41235870."),
			true, map[Detail]int{DetailName: 1, DetailBirth: 1, DetailHome: 2, DetailPhone: 1}},
		{"a person across passages", passages(
			"Noor Wessels (11) kwam in september in groep 7.",
			"Sinds de zomer woont Noor bij haar oma in Kampen. Oma brengt haar naar school.",
			"De jeugdarts sprak Noor over haar astma."),
			true, map[Detail]int{DetailName: 2, DetailAge: 1, DetailHome: 1}},
		{"a list of pupils", passages("Naam, geboortedatum\nMila Jansen, 03-04-2015\nFinn de Boer, 17-07-2015\nSara Yilmaz, 22-11-2014\nDaan Visser, 09-01-2015"),
			true, map[Detail]int{DetailName: 4, DetailBirth: 4}},
		{"authors and a contact", passages(
			"Dit protocol is geschreven door Marieke Dijkstra en Pieter van der Wal.",
			"Vragen? Mail Marieke Dijkstra via m.dijkstra@swv.example.nl of bel 0592-347810. Bezoekadres: Stationsweg 12, 8011 CZ Zwolle."),
			false, nil},
		{"a helpdesk", passages("De helpdesk is bereikbaar op 0318-680200. Bij zorgen over veiligheid bel je Veilig Thuis op 0800-2000."), false, nil},
		{"a vignette", passages("Voorbeeld: Sem (14) zit al drie maanden vaak thuis. Zijn moeder zegt dat hij buikpijn heeft."), false, nil},
		{"a blank form", passages("Naam leerling: ..........\nGeboortedatum: ....-....-........\nAdres: .........."), false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := g.ScreenDocument(context.Background(), tc.parts)
			if err != nil {
				t.Fatal(err)
			}
			if s.Refused() != tc.refused {
				t.Fatalf("refused = %v (score %.1f, strongest %.1f, density %.1f), want %v", s.Refused(), s.Score, s.Strongest, s.Density, tc.refused)
			}
			if !tc.refused {
				return
			}
			if !maps.Equal(s.Details, tc.details) {
				t.Errorf("Details = %v, want %v", s.Details, tc.details)
			}
			msg := s.Dutch()
			for d, n := range tc.details {
				if !strings.Contains(msg, fmt.Sprintf("%d× %s", n, d)) {
					t.Errorf("the refusal %q does not say %d× %s", msg, n, d)
				}
			}
			for _, v := range []string{"Mila", "Verhoef", "Noor", "Kampen", "Molenweg", "06-41235870", "2014", "Deventer"} {
				if strings.Contains(msg, v) {
					t.Errorf("the refusal names a value: %q", msg)
				}
			}
		})
	}
}

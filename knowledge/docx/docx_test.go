package docx

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
)

func input(name string) knowledge.Input {
	return knowledge.Input{Name: name, Path: filepath.Join("testdata", name)}
}

const (
	H = knowledge.Heading
	P = knowledge.Paragraph
)

func TestExtract(t *testing.T) {
	type test struct {
		file  string
		title string
		pages int
		want  []knowledge.Block
	}
	tests := []test{
		{
			// pandoc: English style IDs, a list, a table, a footnote and two
			// hard page breaks.
			file: "beleid.docx", title: "Routekaart verzuim en thuiszitters", pages: 3,
			want: []knowledge.Block{
				{Kind: H, Level: 1, Text: "Routekaart verzuim en thuiszitters", Page: 1},
				{Kind: P, Text: "Samenwerkingsverband Voorbeeld", Page: 1},
				{Kind: H, Level: 1, Text: "Stap 1: Signaleren", Page: 1},
				{Kind: P, Text: "De leerkracht houdt het verzuim bij in het leerlingvolgsysteem. Bij zorgwekkend verzuim neemt de school binnen twee dagen contact op met de ouders. Dit is de bekende tekst van pagina een.", Page: 1},
				{Kind: P, Text: "Het verzuims- beleid van de school staat in de schoolgids.", Page: 1},
				{Kind: P, Text: "Registreer elke afwezigheid dezelfde dag.", Page: 1},
				{Kind: P, Text: "Bel de ouders bij ongeoorloofd verzuim.", Page: 1},
				{Kind: P, Text: "Meld 16 uur verzuim in vier weken bij DUO.", Page: 1},
				{Kind: H, Level: 1, Text: "Stap 2: Bespreken", Page: 2},
				{Kind: P, Text: "De intern begeleider bespreekt het verzuim in het zorgteam. Dit is de bekende tekst van pagina twee.", Page: 2},
				{Kind: P, Text: "Rol | Taak", Page: 2},
				{Kind: P, Text: "Leerplichtambtenaar | Handhaaft de Leerplichtwet", Page: 2},
				{Kind: P, Text: "Jeugdarts | Bespreekt ziekteverzuim", Page: 2},
				{Kind: H, Level: 2, Text: "Afspraken met ouders", Page: 2},
				{Kind: P, Text: "Ouders krijgen binnen een week een verslag van het gesprek.", Page: 2},
				{Kind: H, Level: 1, Text: "Stap 3: Handelen", Page: 3},
				{Kind: P, Text: "Het samenwerkingsverband zoekt samen met de ouders een passende plek. Dit is de bekende tekst van pagina drie.", Page: 3},
				{Kind: P, Text: "Zie artikel 21a van de Leerplichtwet 1969.", Page: 1}, // footnote, page of its reference
			},
		},
		{
			// pandoc with a Dutch reference document: style IDs Kop1 and
			// Titel, a style known only by its outline level, a tracked
			// deletion, no dc:title, and one rendered page break.
			file: "kop.docx", title: "Aanpak verzuim Twente", pages: 2,
			want: []knowledge.Block{
				{Kind: H, Level: 1, Text: "Aanpak verzuim Twente", Page: 1},
				{Kind: H, Level: 1, Text: "Stap 1: Signaleren", Page: 1},
				{Kind: P, Text: "De mentor signaleert verzuim op tijd en bespreekt het met de ouders.", Page: 1},
				{Kind: H, Level: 2, Text: "Let op bij langdurig verzuim", Page: 1},
				{Kind: P, Text: "Na vier weken volgt een gesprek met de leerplichtambtenaar.", Page: 1},
				{Kind: H, Level: 1, Text: "Stap 2: Bespreken", Page: 1},
				{Kind: P, Text: "De zorgcoördinator nodigt alle betrokkenen uit voor een overleg.", Page: 2},
			},
		},
	}
	// LibreOffice saving the pandoc file again: "Heading 1" in capitals,
	// the same hard page breaks, the same text.
	lo := tests[0]
	lo.file = "libreoffice.docx"
	tests = append(tests, lo)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := New().Extract(context.Background(), input(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != "docx" || doc.Meta.Title != tt.title || doc.Pages != tt.pages {
				t.Errorf("format %q, title %q, pages %d; want docx, %q, %d", doc.Format, doc.Meta.Title, doc.Pages, tt.title, tt.pages)
			}
			for i := range max(len(doc.Blocks), len(tt.want)) {
				var got, want knowledge.Block
				if i < len(doc.Blocks) {
					got = doc.Blocks[i]
				}
				if i < len(tt.want) {
					want = tt.want[i]
				}
				if got != want {
					t.Errorf("block %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

func TestExtractBadInput(t *testing.T) {
	tests := []struct {
		file string
		want knowledge.Problem
	}{
		{"garbage.docx", knowledge.Corrupt},
		{"nodocument.docx", knowledge.Corrupt},
		{"encrypted.docx", knowledge.Encrypted},
		{"legacy.doc", knowledge.Unsupported},
		{"leeg.docx", knowledge.NoText},
		{"missing.docx", 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := New().Extract(context.Background(), input(tt.file))
			if err == nil {
				t.Fatalf("got %d blocks, want an error", len(doc.Blocks))
			}
			ie, ok := knowledge.AsInputError(err)
			if tt.want == 0 {
				if ok {
					t.Errorf("a file that cannot be opened is not bad input: %v", err)
				}
				return
			}
			if !ok || ie.Problem != tt.want {
				t.Fatalf("got %v, want problem %v", err, tt.want)
			}
			if ie.Name != tt.file {
				t.Errorf("name %q", ie.Name)
			}
		})
	}
}

func TestExtractCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Extract(ctx, input("beleid.docx"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

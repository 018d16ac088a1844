package knowledge

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func headings(blocks []Block) []string {
	var out []string
	for _, b := range blocks {
		if b.Kind == Heading {
			out = append(out, b.Text)
		}
	}
	return out
}

func TestParseTextRules(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		headings []string
		paras    []string
	}{
		{
			name:     "caps heading over three lines, hyphen joined",
			in:       "STAP 3: MET WIE WERK JE\nSAMEN RONDOM (DREIGEND)\nTHUISZITTEN\n\nAan de meeste scholen is een jeugd-\narts verbonden.",
			headings: []string{"STAP 3: MET WIE WERK JE SAMEN RONDOM (DREIGEND) THUISZITTEN"},
			paras:    []string{"Aan de meeste scholen is een jeugdarts verbonden."},
		},
		{
			name:     "short line is a level-2 heading",
			in:       "Rol van het SWV\n\nHet samenwerkingsverband (SWV) houdt bij welke thuis-\nzitters er in de regio zijn.",
			headings: []string{"Rol van het SWV"},
			paras:    []string{"Het samenwerkingsverband (SWV) houdt bij welke thuiszitters er in de regio zijn."},
		},
		{
			name:     "web heading glued to its paragraph",
			in:       "Wat willen we bereiken?\nOp zowel primair onderwijs, voortgezet onderwijs en MBO ontwikkelen we een aanpak voor schoolaanwezigheid.",
			headings: []string{"Wat willen we bereiken?"},
		},
		{
			name:  "sentence cut by a blank line is one paragraph",
			in:    "Zij voeren taken uit in overleg met de\n\nzorgcoordinator van de school.",
			paras: []string{"Zij voeren taken uit in overleg met de zorgcoordinator van de school."},
		},
		{
			name:  "fragment that looks like a heading is text",
			in:    "Deze praktijkkaart biedt daarvoor\n\nhandvatten door het zetten van stappen.",
			paras: []string{"Deze praktijkkaart biedt daarvoor handvatten door het zetten van stappen."},
		},
		{
			name:  "boilerplate dropped",
			in:    "0 terug naar begin\n\nDe mentor belt de ouders.\n\nCookie-instellingen\n\nDeze website maakt gebruik van cookies.\n\nTwitter",
			paras: []string{"De mentor belt de ouders."},
		},
		{
			name:  "repeated link printed once",
			in:    "Zie:\nhttps://example.org/a\nhttps://example.org/a\nhttps://example.org/a",
			paras: []string{"Zie: https://example.org/a"},
		},
		{
			name:  "label with colon stays text",
			in:    "Procesteam:\nAndrea, Gemeente Wierden",
			paras: []string{"Procesteam: Andrea, Gemeente Wierden"},
		},
		{
			name:     "bullets are separate paragraphs",
			in:       "Leerlingen in beeld\n\n• die thuiszitten;\n• die verzuimen.\n\nSlot.",
			headings: []string{"Leerlingen in beeld"},
			paras:    []string{"• die thuiszitten;", "• die verzuimen.", "Slot."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := ParseText(tt.in, 3)
			if got := headings(blocks); !slices.Equal(got, tt.headings) {
				t.Errorf("headings = %q, want %q", got, tt.headings)
			}
			var paras []string
			for _, b := range blocks {
				if b.Page != 3 {
					t.Errorf("block %q has page %d", b.Text, b.Page)
				}
				if b.Kind == Paragraph {
					paras = append(paras, b.Text)
				}
			}
			if tt.paras != nil && !slices.Equal(paras, tt.paras) {
				t.Errorf("paragraphs = %q, want %q", paras, tt.paras)
			}
		})
	}
}

func sampleChunks(t *testing.T, name string) []Chunk {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("sample", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return Split(ParseText(string(b), 0), DefaultSplit)
}

// chunkWith finds the chunk holding a phrase.
func chunkWith(t *testing.T, chunks []Chunk, phrase string) Chunk {
	t.Helper()
	for _, c := range chunks {
		if strings.Contains(c.Text, phrase) {
			return c
		}
	}
	t.Fatalf("no chunk contains %q", phrase)
	return Chunk{}
}

func TestSampleHeadingPaths(t *testing.T) {
	pk := sampleChunks(t, "praktijkkaart-thuiszitters")
	tests := []struct {
		chunks  []Chunk
		phrase  string
		heading []string
	}{
		{pk, "Het samenwerkingsverband (SWV) houdt bij welke (dreigende) thuiszitters",
			[]string{"PROFESSIONALS IN HET MDO EN HUN ROL", "Rol van het SWV"}},
		{pk, "De leerplichtambtenaar is in eerste instantie adviserend",
			[]string{"STAP 3: MET WIE WERK JE SAMEN RONDOM (DREIGEND) THUISZITTEN", "Rol leerplichtambtenaar/RMC"}},
		{pk, "Met elke leerling en de ouder(s) is cr een gesprek",
			[]string{"STAP 2: CONTACT MET LEERLINGEN EN OUDERS"}},
		{pk, "Tijdens de tweede lockdown", []string{"VOORBEELDEN"}},
		{sampleChunks(t, "twente-verzuim-en-thuiszitters"), "Vanaf mei 2020 vormen we een gezamenlijke visie",
			[]string{"Wat is het tijdpad?"}},
		{sampleChunks(t, "twente-ontwikkeltafel-3"), "Informatie uitwisselen tussen betrokken professionals",
			[]string{"Zó zit dat met de AVG: een handleiding voor Twentse professionals"}},
		{sampleChunks(t, "routeboek-verzuim-en-thuiszitters-po"), "twee jaar geleden ontwikkeld",
			[]string{"Werk volgens het Routeboek"}},
	}
	for _, tt := range tests {
		c := chunkWith(t, tt.chunks, tt.phrase)
		if !slices.Equal(c.Heading, tt.heading) {
			t.Errorf("%q: heading %q, want %q", tt.phrase, c.Heading, tt.heading)
		}
	}
}

func TestSampleChunksAreClean(t *testing.T) {
	for _, name := range []string{"praktijkkaart-thuiszitters", "twente-verzuim-en-thuiszitters",
		"twente-ontwikkeltafel-3", "routeboek-verzuim-en-thuiszitters-po", "passend-onderwijs-zonder-thuiszitters"} {
		for _, c := range sampleChunks(t, name) {
			lower := strings.ToLower(c.Text)
			if strings.Contains(lower, "cookie") || strings.Contains(lower, "terug naar begin") {
				t.Errorf("%s #%d holds boilerplate: %.80q", name, c.Ordinal, c.Text)
			}
			if n := wordCount(c.Text); n > DefaultSplit.MaxWords+60 {
				t.Errorf("%s #%d has %d words", name, c.Ordinal, n)
			}
		}
	}
	// "ge-\nmeenten" style breaks are joined in the chunk text.
	c := chunkWith(t, sampleChunks(t, "praktijkkaart-thuiszitters"), "handreiking voor scholen en gemeenten")
	if strings.Contains(c.Text, "ge- meenten") {
		t.Error("hyphenation not joined")
	}
}

func TestSplitNeverCutsSentencesOrSections(t *testing.T) {
	long := strings.Repeat("De mentor belt de ouders op de eerste dag van het verzuim. ", 40)
	blocks := []Block{
		{Kind: Heading, Level: 1, Text: "STAP 1"},
		{Kind: Paragraph, Text: long, Page: 1},
		{Kind: Paragraph, Text: "Kort.", Page: 2},
		{Kind: Heading, Level: 2, Text: "Rol van de mentor"},
		{Kind: Paragraph, Text: "De mentor is het eerste aanspreekpunt voor leerling en ouders op school.", Page: 2},
	}
	chunks := Split(blocks, DefaultSplit)
	if len(chunks) < 3 {
		t.Fatalf("want the long paragraph split, got %d chunks", len(chunks))
	}
	for _, c := range chunks[:len(chunks)-1] {
		if !strings.HasSuffix(strings.TrimSpace(c.Text), ".") {
			t.Errorf("chunk %d ends mid-sentence: %q", c.Ordinal, c.Text[len(c.Text)-20:])
		}
		if wordCount(c.Text) > DefaultSplit.MaxWords {
			t.Errorf("chunk %d has %d words", c.Ordinal, wordCount(c.Text))
		}
		if !slices.Equal(c.Heading, []string{"STAP 1"}) {
			t.Errorf("chunk %d heading %q", c.Ordinal, c.Heading)
		}
	}
	last := chunks[len(chunks)-1]
	if !slices.Equal(last.Heading, []string{"STAP 1", "Rol van de mentor"}) || strings.Contains(last.Text, "Kort.") {
		t.Errorf("last chunk crossed a heading: %+v", last)
	}
	if chunks[len(chunks)-2].PageTo != 2 {
		t.Errorf("page range of the chunk holding 'Kort.' = %d-%d", chunks[len(chunks)-2].PageFrom, chunks[len(chunks)-2].PageTo)
	}
}

func TestStructurePagesDropsRunningHeaders(t *testing.T) {
	var pages []Block
	for i := 1; i <= 5; i++ {
		pages = append(pages, Block{Kind: Paragraph, Page: i,
			Text: "Handreiking verzuim\n\nTekst van pagina " + string(rune('A'+i)) + " over verzuim.\n\nPagina " + string(rune('0'+i))})
	}
	blocks := StructurePages(pages)
	for _, b := range blocks {
		if strings.Contains(b.Text, "Handreiking verzuim") || strings.HasPrefix(b.Text, "Pagina") {
			t.Errorf("running header or footer kept: %q (page %d)", b.Text, b.Page)
		}
	}
	if len(blocks) != 5 || blocks[4].Page != 5 {
		t.Errorf("blocks = %+v", blocks)
	}
}

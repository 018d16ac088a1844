package html

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

const (
	H = knowledge.Heading
	P = knowledge.Paragraph
)

func TestExtract(t *testing.T) {
	in := knowledge.Input{Name: "artikel.html", Path: filepath.Join("testdata", "artikel.html"),
		URL: "https://www.rijksoverheid.nl/onderwerpen/leerplicht/verzuim"}
	doc, err := New().Extract(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := knowledge.Meta{Title: "Aanpak schoolverzuim en thuiszitters", Publisher: "Rijksoverheid", URL: in.URL,
		Date: time.Date(2025, 3, 14, 8, 0, 0, 0, time.UTC)}
	if doc.Meta.Title != want.Title || doc.Meta.Publisher != want.Publisher || doc.Meta.URL != want.URL || !doc.Meta.Date.Equal(want.Date) {
		t.Errorf("meta %+v\nwant %+v", doc.Meta, want)
	}
	if doc.Format != "html" || doc.Pages != 0 {
		t.Errorf("format %q, pages %d", doc.Format, doc.Pages)
	}
	wantBlocks := []knowledge.Block{
		{Kind: P, Text: "Elk kind heeft recht op onderwijs. Toch zitten duizenden kinderen thuis zonder passend onderwijs. Scholen, samenwerkingsverbanden, gemeenten en ouders werken samen om verzuim vroeg te signaleren en thuiszitten te voorkomen."},
		{Kind: H, Level: 2, Text: "Stap 1: Signaleren"},
		{Kind: P, Text: "De school registreert elke afwezigheid dezelfde dag. Bij zorgwekkend verzuim neemt de mentor binnen twee dagen contact op met de ouders. Verzuim van zestien uur in vier weken meldt de school bij DUO."},
		{Kind: P, Text: "Registreer verzuim in het leerlingvolgsysteem."},
		{Kind: P, Text: "Bespreek zorgwekkend ziekteverzuim met de jeugdarts."},
		{Kind: H, Level: 3, Text: "Wat is zorgwekkend verzuim?"},
		{Kind: P, Text: "Verzuim is zorgwekkend als het vaak voorkomt, een patroon laat zien of als de school zich zorgen maakt over de ontwikkeling van de leerling."},
		{Kind: H, Level: 2, Text: "Stap 2: Bespreken"},
		{Kind: P, Text: "In het zorgteam bespreken de intern begeleider, de leerplichtambtenaar en de jeugdarts wat de leerling nodig heeft. Ouders en leerling praten mee."},
		{Kind: P, Text: "Rol | Taak"},
		{Kind: P, Text: "Leerplichtambtenaar | Handhaaft de Leerplichtwet"},
		{Kind: P, Text: "Jeugdarts | Adviseert bij ziekteverzuim"},
		{Kind: P, Text: "Geen kind mag langer dan drie maanden thuiszitten zonder passend aanbod."},
		{Kind: P, Text: "Lees ook de routekaart verzuim voor de volledige aanpak."},
	}
	for i := range max(len(doc.Blocks), len(wantBlocks)) {
		var got, want knowledge.Block
		if i < len(doc.Blocks) {
			got = doc.Blocks[i]
		}
		if i < len(wantBlocks) {
			want = wantBlocks[i]
		}
		if got != want {
			t.Errorf("block %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	for _, b := range doc.Blocks {
		for _, boiler := range []string{"cookie", "Onderwerpen", "Privacy", "Vrijstelling", "Home"} {
			if strings.Contains(b.Text, boiler) {
				t.Errorf("boilerplate %q kept in %q", boiler, b.Text)
			}
		}
	}
}

// A local file has no address; the extractor must work without one.
func TestExtractNoURL(t *testing.T) {
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: "artikel.html", Path: filepath.Join("testdata", "artikel.html")})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Meta.URL != "" || len(doc.Blocks) != 14 {
		t.Errorf("url %q, %d blocks", doc.Meta.URL, len(doc.Blocks))
	}
}

func TestExtractBadInput(t *testing.T) {
	tests := []struct {
		file string
		want knowledge.Problem
	}{
		{"inloggen.html", knowledge.LoginWall},
		{"leeg.html", knowledge.Empty},
		{"navigatie.html", knowledge.NoText},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := New().Extract(context.Background(), knowledge.Input{Name: tt.file, Path: filepath.Join("testdata", tt.file)})
			ie, ok := knowledge.AsInputError(err)
			if !ok || ie.Problem != tt.want {
				t.Fatalf("got %v, want problem %v", err, tt.want)
			}
		})
	}
}

// An article with a login box in its header is an article, not a login wall.
func TestExtractArticleWithLoginBox(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "artikel.html"))
	if err != nil {
		t.Fatal(err)
	}
	box := `<form action="/login"><input name="user"><input type="password" name="pw"><button>Inloggen</button></form></header>`
	path := filepath.Join(t.TempDir(), "artikel.html")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "</header>", box, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: "artikel.html", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != 14 {
		t.Errorf("%d blocks", len(doc.Blocks))
	}
}

func TestTrimSite(t *testing.T) {
	rijk, _ := url.Parse("https://www.rijksoverheid.nl/a")
	tests := []struct {
		title, site string
		url         *url.URL
		want        string
	}{
		{"Aanpak verzuim | Rijksoverheid.nl", "Rijksoverheid", rijk, "Aanpak verzuim"},
		{"Aanpak verzuim | Rijksoverheid.nl", "", nil, "Aanpak verzuim"},
		{"Aanpak verzuim - Rijksoverheid", "Rijksoverheid", nil, "Aanpak verzuim"},
		{"Aanpak verzuim – Gemeente Enschede", "Gemeente Enschede", nil, "Aanpak verzuim"},
		{"Aanpak verzuim - rijksoverheid.nl", "", nil, "Aanpak verzuim"},
		{"Aanpak verzuim - Rijksoverheid", "", rijk, "Aanpak verzuim"},
		{"Stap 1 - Signaleren", "Rijksoverheid", rijk, "Stap 1 - Signaleren"},
		{"Verzuim | Leerplicht | Rijksoverheid.nl", "Rijksoverheid", nil, "Verzuim"},
		{"Rijksoverheid", "Rijksoverheid", nil, "Rijksoverheid"},
		{"", "Rijksoverheid", nil, ""},
	}
	for _, tt := range tests {
		if got := trimSite(tt.title, tt.site, tt.url); got != tt.want {
			t.Errorf("trimSite(%q, %q) = %q, want %q", tt.title, tt.site, got, tt.want)
		}
	}
}

// Older pages are not UTF-8; the meta tag says what they are.
func TestExtractCharset(t *testing.T) {
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: "windows-1252.html", Path: filepath.Join("testdata", "windows-1252.html")})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Meta.Title != "Coördinatie" || len(doc.Blocks) == 0 || !strings.Contains(doc.Blocks[len(doc.Blocks)-1].Text, "zorgcoördinator") {
		t.Errorf("title %q, blocks %+v", doc.Meta.Title, doc.Blocks)
	}
}

// A FAQ page's questions, in any of its layouts (<dt>/<dd>,
// <details><summary>, a paragraph opening in bold with "?"), are marked
// as questions over their answers.
func TestExtractQuestions(t *testing.T) {
	page := `<html><head><title>Vragen over verzuim</title></head><body><article><h1>Vragen over verzuim</h1>
<p>Op deze pagina staan de vragen die scholen het vaakst stellen over verzuim en de JGZ.</p>
<dl><dt>Wie meldt verzuim bij DUO?</dt><dd><p>De school meldt het, binnen vijf schooldagen.</p></dd></dl>
<details><summary>Wanneer is ziekteverzuim zorgwekkend?</summary><p>Bij vier ziekmeldingen in twaalf weken.</p></details>
<p><strong>Mag de school eerder melden?</strong></p><p>Ja, ook bij minder uren mag de school melden.</p>
<p><b>Wie belt de ouders?</b> De mentor belt de ouders op de eerste dag.</p>
<p><strong>Let op:</strong> dit is geen vraag.</p>
</article></body></html>`
	p := filepath.Join(t.TempDir(), "faq.html")
	if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p})
	if err != nil {
		t.Fatal(err)
	}
	questions := knowledgetest.Questions(doc.Blocks)
	want := []string{"Wie meldt verzuim bij DUO?", "Wanneer is ziekteverzuim zorgwekkend?", "Mag de school eerder melden?", "Wie belt de ouders?"}
	if strings.Join(questions, "|") != strings.Join(want, "|") {
		t.Errorf("questions %q, want %q\nblocks %+v", questions, want, doc.Blocks)
	}
	var texts []string
	for _, c := range knowledge.Split(doc.Blocks, knowledge.DefaultSplit) {
		texts = append(texts, c.Text)
	}
	all := strings.Join(texts, "\n\n")
	for _, pair := range []string{"Wie belt de ouders?\nDe mentor belt de ouders op de eerste dag.", "Wanneer is ziekteverzuim zorgwekkend?\nBij vier ziekmeldingen in twaalf weken."} {
		if !strings.Contains(all, pair) {
			t.Errorf("pair %q not in one passage:\n%s", pair, all)
		}
	}
}

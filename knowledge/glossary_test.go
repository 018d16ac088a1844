package knowledge

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

func sampleGlossary(t testing.TB) *Glossary {
	t.Helper()
	g, err := ReadGlossary("sample")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGlossaryExpand(t *testing.T) {
	g := sampleGlossary(t)
	tests := []struct {
		question string
		concepts []string // exactly these, in this order
		with     []string // Terms must include these
		without  []string // and must not include these
	}{
		{"wat doet de lpa bij absoluut verzuim", []string{"lpa", "absoluut-verzuim"},
			[]string{"leerplichtambtenaar", "leerplicht", "niet ingeschreven"}, []string{"LPA", "absoluut verzuim", "verzuim"}},
		// "delen" alone is too generic to mean privacy: it is not a term.
		{"mag ik dit delen met JGZ?", []string{"jgz"}, []string{"jeugdarts", "GGD"}, []string{"JGZ", "privacy"}},
		{"mag ik gegevens delen met de jgz", []string{"avg", "jgz"}, []string{"privacy", "AVG", "jeugdgezondheidszorg"}, []string{"gegevens delen"}},
		{"wie zit er in het mdo", []string{"mdo"}, []string{"multidisciplinair overleg"}, nil},
		{"Wat is een multidisciplinair overleg?", []string{"mdo"}, []string{"MDO"}, []string{"multidisciplinair overleg"}},
		{"iber", []string{"ib"}, []string{"intern begeleider", "IB'er"}, nil},
		{"Wat doet de IB'er?", []string{"ib"}, []string{"intern begeleider", "IB"}, []string{"IB'er"}},
		{"de ib-er belt", []string{"ib"}, nil, nil},
		{"maskers", nil, nil, nil},
		{"", nil, nil, nil},
		{"wat is de mas", []string{"mas"}, []string{"Methodische Aanpak Schoolverzuim"}, nil},
		{"aanmelden bij m@zl", []string{"mazl"}, []string{"MAZL", "ziekteverzuim"}, nil},
		{"MAZL of M@ZL?", []string{"mazl"}, nil, nil},
		{"Moet ik de Raad voor de Kinderbescherming bellen?", []string{"rvdk"}, []string{"RvdK"}, nil},
		{"de zorgco-ordinator en de zorgcoordinator", []string{"zorgcoordinator"}, []string{"zorgcoördinator", "OCO", "zorgcoodrdinator"}, []string{"zorgcoordinator"}},
		{"Wie is de ondersteuningscoördinator?", []string{"zorgcoordinator"}, nil, nil},
		// ZAT and BRON only in capitals: lowercase they are ordinary words.
		{"de leerling zat thuis", []string{"thuiszitter"}, []string{"thuiszitter"}, []string{"ZAT"}},
		{"bespreek het in het ZAT", []string{"zat"}, []string{"zorg- en adviesteam"}, nil},
		{"wat is de bron van dit advies", nil, nil, nil},
		{"staat hij in BRON?", []string{"bron"}, []string{"basisregister onderwijs"}, nil},
		{"het BRON-overzicht", []string{"bron"}, nil, nil},
		// parts of hyphenated words, and plurals
		{"het MDO-verslag", []string{"mdo"}, nil, nil},
		{"alle lpa's van de regio", []string{"lpa"}, nil, nil},
		{"hoeveel thuiszitters zijn er", []string{"thuiszitter"}, []string{"thuiszitter", "thuiszitten"}, nil},
		{"de mentoren", []string{"mentor"}, []string{"mentor"}, nil},
		{"intern begeleiders in het po", []string{"ib", "po"}, []string{"basisschool"}, nil},
		// the longest match wins: no generic verzuim concept
		{"wat is relatief verzuim", []string{"relatief-verzuim"}, nil, []string{"schoolaanwezigheid"}},
		{"Wat doe ik bij luxeverzuim?", []string{"luxeverzuim"}, []string{"relatief verzuim"}, nil},
		{"verzuim in het VO en MBO", []string{"schoolaanwezigheid", "vo", "mbo"}, []string{"schoolaanwezigheid", "voortgezet onderwijs"}, nil},
		{"Wat is een SWV, en een OPP?", []string{"swv", "opp"}, []string{"samenwerkingsverband", "ontwikkelingsperspectiefplan"}, nil},
		{"G.Sterkenburg@enschede.nl", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			x := g.Expand(tt.question)
			if !slices.Equal(x.Concepts, tt.concepts) {
				t.Errorf("concepts = %q, want %q", x.Concepts, tt.concepts)
			}
			for _, w := range tt.with {
				if !slices.Contains(x.Terms, w) {
					t.Errorf("terms %q lack %q", x.Terms, w)
				}
			}
			for _, w := range tt.without {
				if slices.Contains(x.Terms, w) {
					t.Errorf("terms %q include %q", x.Terms, w)
				}
			}
			if tt.concepts == nil && len(x.Terms) > 0 {
				t.Errorf("terms = %q, want none", x.Terms)
			}
			if !slices.Equal(g.ExpandTerms(tt.question), x.Terms) {
				t.Error("ExpandTerms differs from Expand().Terms")
			}
		})
	}
}

func TestGlossaryExpandNoDuplicates(t *testing.T) {
	g := sampleGlossary(t)
	x := g.Expand("de zorgcoördinator, de OCO en de zorgcoordinator van de mbo-school en het ROC")
	seen := map[string]bool{}
	for _, term := range x.Terms {
		k := strings.ToLower(term)
		if seen[k] {
			t.Errorf("term %q twice in %q", term, x.Terms)
		}
		seen[k] = true
	}
}

func TestGlossaryConceptOf(t *testing.T) {
	g := sampleGlossary(t)
	tests := []struct {
		word string
		id   string // "" for none
	}{
		{"LPA", "lpa"},
		{"leerplichtambtenaar", "lpa"},
		{"leerplichtambtenaren", "lpa"},
		{"ib'er", "ib"},
		{"iber", "ib"},
		{"intern begeleiders", "ib"},
		{"Raad voor de Kinderbescherming", "rvdk"},
		{"m@zl", "mazl"},
		{"ZAT", "zat"},
		{"zat", ""},
		{"bron", ""},
		{"multidisciplinair", ""},
		{"MDO-verslag", ""},
		{"maskers", ""},
		{"", ""},
	}
	for _, tt := range tests {
		id, ok := g.ConceptOf(tt.word)
		if id != tt.id || ok != (tt.id != "") {
			t.Errorf("ConceptOf(%q) = %q, %v; want %q", tt.word, id, ok, tt.id)
		}
	}
}

func TestGlossarySample(t *testing.T) {
	g := sampleGlossary(t)
	if g.Len() < 35 {
		t.Errorf("sample glossary has %d concepts, want at least 35", g.Len())
	}
	for _, c := range g.Concepts() {
		if len(c.Terms)+len(c.Exact) == 0 {
			t.Errorf("concept %q has no terms", c.ID)
		}
	}
}

func TestGlossaryMissingFile(t *testing.T) {
	g, err := ReadGlossary(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 0 {
		t.Errorf("Len = %d, want 0", g.Len())
	}
	if x := g.Expand("wat doet de lpa"); x.Concepts != nil || x.Terms != nil {
		t.Errorf("empty glossary expanded to %+v", x)
	}
}

func TestGlossaryRoundTrip(t *testing.T) {
	g := sampleGlossary(t)
	b, err := g.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g2, err := ParseGlossary(b)
	if err != nil {
		t.Fatalf("parse marshalled glossary: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(g.Concepts(), g2.Concepts()) {
		t.Errorf("round trip changed the concepts:\n%s", b)
	}
	for _, q := range []string{"wat doet de lpa bij absoluut verzuim", "iber", "staat hij in BRON?"} {
		if a, b := g.Expand(q), g2.Expand(q); !reflect.DeepEqual(a, b) {
			t.Errorf("Expand(%q) = %+v before, %+v after", q, a, b)
		}
	}
	empty, err := ParseGlossary(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err = empty.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if g3, err := ParseGlossary(b); err != nil || g3.Len() != 0 {
		t.Errorf("empty round trip: %v, %d concepts\n%s", err, g3.Len(), b)
	}
}

func TestGlossaryValidation(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"duplicate id", `
concepts:
  - id: lpa
    terms: [LPA]
  - id: lpa
    terms: [leerplicht]
`, []string{`"lpa"`, "line 3"}},
		{"term in two concepts", `
concepts:
  - id: lpa
    terms: [LPA, leerplicht]
  - id: leerplicht
    terms: [Leerplicht]
`, []string{`"lpa"`, `"leerplicht"`, `"Leerplicht"`}},
		{"same term after folding", `
concepts:
  - id: ib
    terms: [IB'er]
  - id: iber
    terms: [ib-er]
`, []string{`"ib"`, `"iber"`}},
		{"exact and plain term collide", `
concepts:
  - id: zat
    exact: [ZAT]
  - id: verleden
    terms: [zat]
`, []string{`"zat"`, `"verleden"`}},
		{"no terms", `
concepts:
  - id: lpa
`, []string{`"lpa"`, "no terms"}},
		{"empty term", `
concepts:
  - id: lpa
    terms: [LPA, "  "]
`, []string{`"lpa"`, "letters"}},
		{"missing id", `
concepts:
  - terms: [LPA]
`, []string{"id"}},
		{"bad id", `
concepts:
  - id: Leer Plicht
    terms: [LPA]
`, []string{`"Leer Plicht"`}},
		{"unknown field", `
concepts:
  - id: lpa
    term: [LPA]
`, []string{`"term"`, "line 4"}},
		{"unknown top-level field", `
concept:
  - id: lpa
    terms: [LPA]
`, []string{"concept"}},
		{"unknown related", `
concepts:
  - id: lpa
    terms: [LPA]
    related: [rmc]
`, []string{`"rmc"`}},
		{"related to itself", `
concepts:
  - id: lpa
    terms: [LPA]
    related: [lpa]
`, []string{"itself"}},
		{"not yaml", "concepts: [", []string{"glossary"}},
		{"concept not a mapping", "concepts:\n  - LPA\n", []string{"line 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGlossary([]byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestGlossaryConcurrent(t *testing.T) {
	g := sampleGlossary(t)
	want := g.Expand("wat doet de lpa bij absoluut verzuim")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if got := g.Expand("wat doet de lpa bij absoluut verzuim"); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent Expand = %+v", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkExpand(b *testing.B) {
	g := sampleGlossary(b)
	// 200 characters, several concepts, a phrase and a hyphenated word
	q := "Mag de IB'er of de zorgcoördinator informatie delen met de jeugdarts en de LPA als een leerling al weken thuiszit, en moet het MDO-verslag naar het samenwerkingsverband? Wat zegt de AVG hierover?"
	q = q[:min(len(q), 200)]
	b.ReportAllocs()
	for b.Loop() {
		g.Expand(q)
	}
}

func TestGlossaryExpandSkipsPlurals(t *testing.T) {
	g, err := ParseGlossary([]byte(`
concepts:
  - id: thuiszitter
    terms: [thuiszitter, thuiszitters, Thuiszitter, thuiszitten]
  - id: verzuim
    terms: [relatief verzuim]
  - id: spijbelen
    terms: [spijbelen]
    related: [verzuim]
  - id: luxe
    terms: [luxeverzuim]
    related: [verzuim]
`))
	if err != nil {
		t.Fatal(err)
	}
	x := g.Expand("thuiszitten")
	if want := []string{"thuiszitter"}; !slices.Equal(x.Terms, want) {
		t.Errorf("terms = %q, want %q", x.Terms, want)
	}
	x = g.Expand("spijbelen of luxeverzuim")
	if want := []string{"relatief verzuim"}; !slices.Equal(x.Terms, want) {
		t.Errorf("terms = %q, want %q (related added once)", x.Terms, want)
	}
	x = g.Expand("relatief verzuim en spijbelen")
	if x.Terms != nil {
		t.Errorf("terms = %q, want none (related concept already asked)", x.Terms)
	}
}

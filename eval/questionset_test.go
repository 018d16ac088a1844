package eval

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

const (
	questionsPath = "testdata/questions.yaml"
	sampleDir     = "../knowledge/sample"
)

// The two questions from the product brief; they must stay in the set verbatim.
var briefQuestions = []string{
	"mag ik dit delen met JGZ?",
	"wie is aan zet bij absoluut verzuim?",
}

// sampleDoc is one document of the sample knowledge base, prepared for the
// checks below.
type sampleDoc struct {
	normalized string          // the whole text, normalised
	paragraphs []string        // blocks between blank lines, normalised
	lines      map[string]bool // every non-empty line, normalised
}

func loadSample(t *testing.T) map[string]*sampleDoc {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sampleDir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample documents in %s (err %v)", sampleDir, err)
	}
	docs := make(map[string]*sampleDoc)
	blank := regexp.MustCompile(`\n[ \t\r]*\n`)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		d := &sampleDoc{normalized: Normalize(text), lines: make(map[string]bool)}
		for _, para := range blank.Split(text, -1) {
			if n := Normalize(para); n != "" {
				d.paragraphs = append(d.paragraphs, n)
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if n := Normalize(line); n != "" {
				d.lines[n] = true
			}
		}
		docs[strings.TrimSuffix(filepath.Base(p), ".txt")] = d
	}
	return docs
}

func TestQuestionSet(t *testing.T) {
	set, err := LoadSet(questionsPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := set.Count(Answerable); n < 80 {
		t.Errorf("%d answerable questions, want at least 80", n)
	}
	if n := set.Count(NotInSources); n < 15 {
		t.Errorf("%d not_in_sources questions, want at least 15", n)
	}
	if n := set.Count(PersonalData); n < 5 {
		t.Errorf("%d personal_data questions, want at least 5", n)
	}
	if n := len(set.Questions); n < 100 {
		t.Errorf("%d questions, want at least 100", n)
	}
	for _, want := range briefQuestions {
		found := false
		for _, q := range set.Questions {
			if q.Question == want {
				found = true
				if !q.HasTag("brief") {
					t.Errorf("question %q: brief question without tag brief", q.ID)
				}
			}
		}
		if !found {
			t.Errorf("brief question %q missing (it must appear verbatim)", want)
		}
	}

	docs := loadSample(t)
	covered := make(map[string]int)
	for _, q := range set.Questions {
		if len(q.Tags) == 0 {
			t.Errorf("question %q: no tags", q.ID)
		}
		for _, tag := range q.Tags {
			if !kebab.MatchString(tag) {
				t.Errorf("question %q: tag %q is not kebab-case", q.ID, tag)
			}
		}
		if q.Kind != NotInSources && len(q.Keypoints) == 0 {
			t.Errorf("question %q: no keypoints", q.ID)
		}
		if q.Kind != PersonalData && len(q.Personal) > 0 {
			t.Errorf("question %q: personal values on a %s question", q.ID, q.Kind)
		}
		for _, v := range q.Personal {
			if !strings.Contains(Normalize(q.Question), Normalize(v)) {
				t.Errorf("question %q: personal value %q does not occur in the question", q.ID, v)
			}
			if isDigits(v) && len(v) == 9 && !elfproef(v) {
				t.Errorf("question %q: %q looks like a BSN but fails the 11-proef", q.ID, v)
			}
		}
		checkPassages(t, q, docs, covered)
	}
	for slug := range docs {
		if covered[slug] == 0 {
			t.Errorf("no question cites document %s", slug)
		}
	}
	if testing.Verbose() {
		logCounts(t, set, covered)
	}
}

// checkPassages checks that a question's passages name a sample document
// and quote it: each phrase within one paragraph, each section a line.
// covered counts the passages per document.
func checkPassages(t *testing.T, q Question, docs map[string]*sampleDoc, covered map[string]int) {
	t.Helper()
	for i, p := range q.Passages {
		d, ok := docs[p.Document]
		if !ok {
			t.Errorf("question %q passage %d: unknown document %q (want a file name in %s without .txt)", q.ID, i+1, p.Document, sampleDir)
			continue
		}
		covered[p.Document]++
		if p.Phrase != "" {
			phrase := Normalize(p.Phrase)
			if w := len(strings.Fields(normalizeSpace(p.Phrase))); w < 5 || w > 20 {
				t.Errorf("question %q passage %d: phrase has %d words, want 5 to 20", q.ID, i+1, w)
			}
			if !strings.Contains(d.normalized, phrase) {
				t.Errorf("question %q passage %d: phrase not found in %s: %q", q.ID, i+1, p.Document, p.Phrase)
			} else if !inOneParagraph(d.paragraphs, phrase) {
				t.Errorf("question %q passage %d: phrase spans a blank line in %s; choose words within one paragraph: %q", q.ID, i+1, p.Document, p.Phrase)
			}
		}
		if p.Section != "" && !d.lines[Normalize(p.Section)] {
			t.Errorf("question %q passage %d: section %q is not a line of %s", q.ID, i+1, p.Section, p.Document)
		}
	}
}

// The held-out and blind sets hold their passages to the same rules, so
// a set's measurement never rests on a passage the documents lack. (Only
// a failure shows a question's words.)
func TestOtherSetsQuoteTheDocuments(t *testing.T) {
	docs := loadSample(t)
	for _, name := range []string{"heldout.yaml", "blind.yaml", "blind2.yaml", "blind3.yaml"} {
		set, err := LoadSet(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if set.Count(Answerable) < 40 || set.Count(NotInSources) < 20 {
			t.Errorf("%s: %d answerable, %d not in the sources; want 40 and 20", name, set.Count(Answerable), set.Count(NotInSources))
		}
		for _, q := range set.Questions {
			checkPassages(t, q, docs, map[string]int{})
		}
	}
}

func inOneParagraph(paragraphs []string, phrase string) bool {
	for _, p := range paragraphs {
		if strings.Contains(p, phrase) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// elfproef reports whether a nine-digit number passes the BSN 11-proef.
func elfproef(s string) bool {
	sum := 0
	for i, r := range s {
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(r-'0')
	}
	return sum%11 == 0
}

func TestElfproef(t *testing.T) {
	for s, want := range map[string]bool{"111222333": true, "123456782": true, "123456789": false} {
		if got := elfproef(s); got != want {
			t.Errorf("elfproef(%s) = %v, want %v", s, got, want)
		}
	}
}

func logCounts(t *testing.T, set *Set, covered map[string]int) {
	t.Helper()
	for _, k := range Kinds {
		t.Logf("kind %-15s %d", k, set.Count(k))
	}
	tags := make(map[string]int)
	for _, q := range set.Questions {
		for _, tag := range q.Tags {
			tags[tag]++
		}
	}
	for _, k := range sortedKeys(tags) {
		t.Logf("tag  %-18s %d", k, tags[k])
	}
	for _, k := range sortedKeys(covered) {
		t.Logf("doc  %-40s %d passages", k, covered[k])
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestLoadSetValidation(t *testing.T) {
	const good = `
  - id: goed
    question: "wie is aan zet?"
    kind: answerable
    passages:
      - document: praktijkkaart-thuiszitters
        phrase: "een gezamenlijke taak"
`
	tests := []struct {
		name    string
		yaml    string
		wantErr []string // substrings of the error; nil means no error
	}{
		{"valid", "questions:" + good, nil},
		{"valid not_in_sources", `questions:
  - id: boete
    question: "hoe hoog is de boete?"
    kind: not_in_sources
`, nil},
		{"valid personal_data", `questions:
  - id: mila
    question: "mag ik het verzuim van Mila delen?"
    kind: personal_data
    personal: ["Mila"]
    passages:
      - document: twente-ontwikkeltafel-3
        section: "Zó zit dat met de AVG"
`, nil},
		{"empty file", "", []string{"empty"}},
		{"no questions", "questions: []\n", []string{"no questions"}},
		{"duplicate id", "questions:" + good + good, []string{`question "goed"`, "duplicate id"}},
		{"missing id", `questions:
  - question: "zonder id"
    kind: not_in_sources
`, []string{"question #1", "no id"}},
		{"id not kebab-case", `questions:
  - id: Wie_Is
    question: "x"
    kind: not_in_sources
`, []string{`question "Wie_Is"`, "kebab-case"}},
		{"unknown kind", `questions:
  - id: vreemd
    question: "x"
    kind: beantwoordbaar
`, []string{`question "vreemd"`, `unknown kind "beantwoordbaar"`}},
		{"missing kind", `questions:
  - id: zonder-soort
    question: "x"
`, []string{`question "zonder-soort"`, "unknown kind"}},
		{"empty question", `questions:
  - id: leeg
    question: "  "
    kind: not_in_sources
`, []string{`question "leeg"`, "empty question"}},
		{"answerable without passages", `questions:
  - id: geen-bron
    question: "x"
    kind: answerable
`, []string{`question "geen-bron"`, "at least one passage"}},
		{"passage without phrase or section", `questions:
  - id: lege-passage
    question: "x"
    kind: answerable
    passages:
      - document: praktijkkaart-thuiszitters
`, []string{`question "lege-passage"`, "passage 1", "phrase or a section"}},
		{"passage with phrase and section", `questions:
  - id: allebei
    question: "x"
    kind: answerable
    passages:
      - document: praktijkkaart-thuiszitters
        phrase: "een gezamenlijke taak"
        section: "Rol jeugdhulp"
`, []string{`question "allebei"`, "not both"}},
		{"passage without document", `questions:
  - id: geen-document
    question: "x"
    kind: answerable
    passages:
      - phrase: "een gezamenlijke taak"
`, []string{`question "geen-document"`, "no document"}},
		{"not_in_sources with passages", `questions:
  - id: toch-bron
    question: "x"
    kind: not_in_sources
    passages:
      - document: praktijkkaart-thuiszitters
        phrase: "een gezamenlijke taak"
`, []string{`question "toch-bron"`, "must not list passages"}},
		{"personal_data without personal", `questions:
  - id: geen-gegevens
    question: "x"
    kind: personal_data
    passages:
      - document: praktijkkaart-thuiszitters
        phrase: "een gezamenlijke taak"
`, []string{`question "geen-gegevens"`, "personal values"}},
		{"misspelt field", `questions:
  - id: tikfout
    question: "x"
    kind: not_in_sources
    keypionts: ["a"]
`, []string{"keypionts"}},
		{"all errors reported", `questions:
  - id: een
    question: ""
    kind: answerable
  - id: twee
    question: "x"
    kind: onbekend
`, []string{`question "een": empty question`, `question "een": answerable question needs`, `question "twee": unknown kind`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "questions.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			set, err := LoadSet(path)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if len(set.Questions) == 0 {
					t.Fatal("no questions loaded")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.wantErr)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestLoadSetMissingFile(t *testing.T) {
	if _, err := LoadSet(filepath.Join(t.TempDir(), "geen.yaml")); err == nil {
		t.Fatal("no error for a missing file")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Wie  is\taan ZET?\n", "wie is aan zet?"},
		{"De mentor is de cerste\ncontactpersoon", "de mentor is de cerste contactpersoon"},
		{"line\r\n\r\nbreaks\u00a0and\u2003spaces", "line breaks and spaces"},
		{"Zo\u0301 zit dat", "zó zit dat"}, // decomposed ó composed by NFC
		{"cli\u00ebntgegevens", "cliëntgegevens"},
		{"‘zaken’ en “quotes”", `'zaken' en "quotes"`},
		{"ge-\nmeenten", "gemeenten"},
		{"ver\u00adzuim", "verzuim"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchesText(t *testing.T) {
	const doc = "praktijkkaart-thuiszitters"
	chunk := "De mentor is de cerste\ncontactpersoon vanuit school voor\nde jongere en ouders. Hij/zij gaat"
	heads := []string{"STAP 2: CONTACT MET LEERLINGEN EN OUDERS", "Rol  zorgcoordinator"}
	tests := []struct {
		name  string
		p     PassageRef
		slug  string
		text  string
		heads []string
		want  bool
	}{
		{"phrase across line break", PassageRef{Document: doc, Phrase: "de cerste contactpersoon vanuit school"}, doc, chunk, nil, true},
		{"phrase case and spacing", PassageRef{Document: doc, Phrase: "  DE MENTOR is de cerste   contactpersoon "}, doc, chunk, nil, true},
		{"phrase absent", PassageRef{Document: doc, Phrase: "de eerste contactpersoon vanuit school"}, doc, chunk, nil, false},
		{"other document", PassageRef{Document: "routeboek-verzuim-en-thuiszitters-po", Phrase: "de cerste contactpersoon"}, doc, chunk, nil, false},
		{"no document", PassageRef{Phrase: "de cerste contactpersoon"}, doc, chunk, nil, false},
		{"section equals heading", PassageRef{Document: doc, Section: "Rol zorgcoordinator"}, doc, "", heads, true},
		{"section equals outer heading", PassageRef{Document: doc, Section: "stap 2: contact met\nleerlingen en ouders"}, doc, "", heads, true},
		{"section only part of heading", PassageRef{Document: doc, Section: "Rol"}, doc, "", heads, false},
		{"section in text but not heading", PassageRef{Document: doc, Section: "De mentor"}, doc, chunk, heads, false},
		{"section, other document", PassageRef{Document: "twente-ontwikkeltafel-3", Section: "Rol zorgcoordinator"}, doc, "", heads, false},
		{"empty passage", PassageRef{Document: doc}, doc, chunk, heads, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.MatchesText(tt.slug, tt.text, tt.heads); got != tt.want {
				t.Errorf("MatchesText = %v, want %v", got, tt.want)
			}
		})
	}

	q := Question{ID: "q", Passages: []PassageRef{
		{Document: "routeboek-verzuim-en-thuiszitters-po", Phrase: "binnen 13 weken een passend aanbod"},
		{Document: doc, Section: "Rol zorgcoordinator"},
	}}
	if !q.MatchesText(doc, "", heads) {
		t.Error("Question.MatchesText: second passage should match")
	}
	if q.MatchesText(doc, chunk, nil) {
		t.Error("Question.MatchesText: nothing should match")
	}
}

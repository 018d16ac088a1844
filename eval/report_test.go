package eval

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureSet is a small question set for report tests.
func fixtureSet() *Set {
	return &Set{Questions: []Question{
		{ID: "absoluut-verzuim-wie", Question: "wie is aan zet bij absoluut verzuim?", Kind: Answerable,
			Passages:  []PassageRef{{Document: "praktijkkaart-thuiszitters", Phrase: "gezamenlijke taak"}, {Document: "praktijkkaart-thuiszitters", Phrase: "inschrijving"}},
			Keypoints: []string{"leerplicht", "swv", "inschrijving"}, Tags: []string{"brief", "chat"}},
		{ID: "delen-met-jgz", Question: "mag ik dit delen met JGZ?", Kind: Answerable,
			Passages:  []PassageRef{{Document: "twente-ontwikkeltafel-3", Phrase: "Zó zit dat met de AVG"}},
			Keypoints: []string{"avg"}, Tags: []string{"brief", "region-twente"}},
		{ID: "vakantie-buitenland", Question: "hoeveel kost een vliegticket naar Spanje?", Kind: NotInSources, Tags: []string{"near-miss"}},
		{ID: "script-vraag", Question: "<script>alert(1)</script> | wat is *verzuim*?", Kind: NotInSources, Tags: []string{"near-miss", "injectie"}},
		{ID: "mila-verzuim", Question: "Mila (BSN 111222333) verzuimt, wat nu?", Kind: PersonalData,
			Passages:  []PassageRef{{Document: "praktijkkaart-thuiszitters", Section: "Wie doet wat"}, {Document: "verzuimprotocol", Phrase: "melden bij DUO"}},
			Keypoints: []string{"melden"}, Tags: []string{"privacy"}, Personal: []string{"Mila", "111222333"}},
	}}
}

func retrieved(numRefs int, refHits ...[]int) Retrieved {
	r := Retrieved{NumRefs: numRefs}
	for _, h := range refHits {
		r.Relevant = append(r.Relevant, len(h) > 0)
		r.RefHits = append(r.RefHits, h)
	}
	return r
}

// fixtureOutcomes is a fixed run over fixtureSet.
func fixtureOutcomes() []Outcome {
	outs := []Outcome{
		{ID: "absoluut-verzuim-wie", Question: "wie is aan zet bij absoluut verzuim?", Kind: Answerable, Tags: []string{"brief", "chat"},
			Retrieved: retrieved(2, nil, []int{0}, nil, []int{1}, nil),
			Citations: 2, GoodCitations: 1, QuotesChecked: 2, QuotesInPassage: 2, KeypointsFound: 2, Keypoints: 3, LatencyMS: 120,
			Answer: "Volgens de Praktijkkaart:\n> „Hier hebben Leerplicht en SWV een gezamenlijke taak.” [1]",
			Top:    []string{"verzuimprotocol: Relatief verzuim meld je binnen", "praktijkkaart-thuiszitters: Hier hebben Leerplicht en SWV", "twente: Zo zit dat"}},
		{ID: "delen-met-jgz", Question: "mag ik dit delen met JGZ?", Kind: Answerable, Tags: []string{"brief", "region-twente"},
			Retrieved: retrieved(1, nil, nil, nil), Abstained: true, PassageCoverage: 0.38, Keypoints: 1, LatencyMS: 80,
			AbstainReason: "nothing_found",
			Answer:        "Dit staat niet in de documenten die ik ken.",
			Top:           []string{"haaglanden-verzuim: De jeugdarts [JGZ] ziet de leerling", "verzuimprotocol: Melden bij_DUO", "praktijkkaart-thuiszitters: Wie doet wat"}},
		{ID: "vakantie-buitenland", Question: "hoeveel kost een vliegticket naar Spanje?", Kind: NotInSources, Tags: []string{"near-miss"},
			Retrieved: retrieved(0, nil, nil), Abstained: true, LatencyMS: 60, Answer: "Dit staat niet in de documenten die ik ken."},
		{ID: "script-vraag", Question: "<script>alert(1)</script> | wat is *verzuim*?", Kind: NotInSources, Tags: []string{"near-miss", "injectie"},
			Retrieved: retrieved(0, nil), Citations: 1, LatencyMS: 300, Answer: "Verzuim is [1] afwezig zijn.",
			Top: []string{"verzuimprotocol: <b>Verzuim</b> is"}},
		{ID: "mila-verzuim", Question: "Mila (BSN 111222333) verzuimt, wat nu?", Kind: PersonalData, Tags: []string{"privacy"},
			Retrieved: retrieved(2, []int{0}, []int{1}), Citations: 2, GoodCitations: 2, QuotesChecked: 1, QuotesInPassage: 1,
			KeypointsFound: 1, Keypoints: 1, Leaked: []string{"Mila"}, LatencyMS: 150, Answer: "Mila moet je melden bij DUO [2]."},
	}
	for i := range outs {
		outs[i].HitRanks = outs[i].Retrieved.Relevant
	}
	return outs
}

// fixtureReport builds the report the golden files are made from.
func fixtureReport(t *testing.T) Report {
	t.Helper()
	outcomes := fixtureOutcomes()
	ablation := map[string][]Outcome{}
	for _, list := range AblationLists {
		outs := fixtureOutcomes()
		switch list {
		case "vector":
			outs[0].Retrieved, outs[4].Retrieved = retrieved(2, nil, nil, nil, []int{0}), retrieved(2, nil, []int{1})
		case "fulltext":
			outs[4].Retrieved = retrieved(2, nil, nil)
		case "trigram":
			outs[0].Retrieved, outs[4].Retrieved = retrieved(2, nil), retrieved(2, nil, []int{1})
		}
		ablation[list] = outs
	}
	info := RunInfo{Started: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), Commit: "abc1234", Embedder: "offline-hash-256", Model: "qwen-test"}
	r := BuildReport(info, outcomes, ablation, fixtureSet(), 5)
	r.Set = "eval/testdata/questions.yaml"
	js := SummarizeJudge("qwen-test", []JudgeScore{
		{ID: "absoluut-verzuim-wie", Faithfulness: 1, Relevance: 1, Claims: 1, Supported: 1},
		{ID: "delen-met-jgz", Skipped: "geen antwoord gegeven"},
		{ID: "script-vraag", Faithfulness: 0, Relevance: 0, Claims: 1},
		{ID: "mila-verzuim", Error: "model timed out"},
	})
	r.Judge = &js
	return r
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./eval/ -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./eval/ -run Golden -update\n--- got:\n%s", path, got)
	}
}

func TestGoldenReportMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := fixtureReport(t).WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report.md", b.Bytes())
}

func TestBuildReportGroups(t *testing.T) {
	r := fixtureReport(t)
	if got := r.Summary.Questions; got != 5 {
		t.Errorf("questions = %d, want 5", got)
	}
	if got := r.PerTag["brief"].Questions; got != 2 {
		t.Errorf("tag brief: %d questions, want 2", got)
	}
	if got := r.PerTag["near-miss"]; got.Questions != 2 || got.Unanswerable != 2 || got.AbstainRecall != 0.5 {
		t.Errorf("tag near-miss = %+v", got)
	}
	// A question belongs to every document its passages name, once.
	if got := r.PerDocument["praktijkkaart-thuiszitters"].Questions; got != 2 {
		t.Errorf("document praktijkkaart-thuiszitters: %d questions, want 2", got)
	}
	if got := r.PerDocument["verzuimprotocol"].Questions; got != 1 {
		t.Errorf("document verzuimprotocol: %d questions, want 1", got)
	}
	if len(r.PerDocument) != 3 {
		t.Errorf("documents = %v, want 3", r.PerDocument)
	}
	for _, list := range AblationLists {
		if _, ok := r.Ablation[list]; !ok {
			t.Errorf("ablation lacks %s", list)
		}
	}
	if r.Ablation["vector"].HitAt1 != 0 || r.Ablation["fused"].HitAt1 == 0 {
		t.Errorf("ablation hit@1: vector %v, fused %v", r.Ablation["vector"].HitAt1, r.Ablation["fused"].HitAt1)
	}
	for _, key := range []string{"hit_at_1", "hit_at_k", "recall_at_k", "mrr", "ndcg_at_10", "citation_hit", "abstain_recall", "false_abstain"} {
		if _, ok := r.Summary.Intervals[key]; !ok {
			t.Errorf("no interval for %s", key)
		}
	}
	if r.Run.K != 5 {
		t.Errorf("run k = %d, want 5", r.Run.K)
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	r := fixtureReport(t)
	path := filepath.Join(t.TempDir(), "rapport.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Run.Started.Equal(r.Run.Started) {
		t.Errorf("started = %v, want %v", got.Run.Started, r.Run.Started)
	}
	got.Run.Started, r.Run.Started = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, r)
	}
	// The per-question figures in the JSON match the outcomes.
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"version": 1`, `"hit_at_k": 1`, `"rr": 0.5`, `"ref_hits"`, `"documents"`, `"citation_good": true`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// The Markdown of the report read back is the same.
	var a, b bytes.Buffer
	if err := fixtureReport(t).WriteMarkdown(&a); err != nil {
		t.Fatal(err)
	}
	got.Run.Started = fixtureReport(t).Run.Started
	if err := got.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("Markdown of the report read back differs")
	}
}

func TestReadReportErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadReport(filepath.Join(dir, "nope.json")); err == nil {
		t.Error("missing file: no error")
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"version": 99}`), 0o644)
	if _, err := ReadReport(bad); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("newer version: err = %v", err)
	}
}

func TestReportMarkdownSkippedJudgeAndNoLeaks(t *testing.T) {
	r := fixtureReport(t)
	r.Judge = nil
	r.Summary.Leaks = 0
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"Overgeslagen: geen taalmodel ingesteld.", "**Lekken van persoonsgegevens: 0.**"} {
		if !strings.Contains(s, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if strings.Contains(s, "<script>") {
		t.Error("Markdown carries a raw <script>")
	}
	r.Judge = &JudgeSummary{NotRun: NoModel}
	b.Reset()
	r.WriteMarkdown(&b)
	if !strings.Contains(b.String(), "Overgeslagen: geen taalmodel ingesteld.") {
		t.Error("NotRun judge not shown as skipped")
	}
}

func TestReportMarkdownLeakNotShown(t *testing.T) {
	var b bytes.Buffer
	if err := fixtureReport(t).WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.Contains(s, "LET OP: 1 keer lekte") {
		t.Error("a leak is not shown prominently")
	}
	// The question text is the evaluator's own, but the leaked value is not
	// repeated on its own anywhere.
	if strings.Contains(s, "Gelekt: Mila") {
		t.Error("leaked value repeated in the report")
	}
}

func TestReportHTML(t *testing.T) {
	var b bytes.Buffer
	if err := fixtureReport(t).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"<svg", "</svg>", "&lt;script&gt;alert(1)&lt;/script&gt;", "lang=\"nl\"", "Hoofdcijfers",
		"antwoordtijd in milliseconden", "LET OP: 1 keer lekte", "qwen-test", "&lt;b&gt;Verzuim&lt;/b&gt;"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "<link", " src=", "@import", "url("} {
		if strings.Contains(s, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	checkBalanced(t, s)

	r := fixtureReport(t)
	r.Judge = nil
	b.Reset()
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Overgeslagen: geen taalmodel ingesteld.") {
		t.Error("HTML: skipped judge not shown")
	}
	checkBalanced(t, b.String())

	// Tag names are data too, also inside the SVG charts.
	r = fixtureReport(t)
	r.PerTag["<script>alert(2)</script>"] = r.Summary
	b.Reset()
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script") || !strings.Contains(b.String(), "&lt;script&gt;alert(2)") {
		t.Error("tag name not escaped")
	}

	// An empty report still renders.
	b.Reset()
	if err := (Report{}).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	checkBalanced(t, b.String())
}

// voidElements have no end tag.
var voidElements = map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "input": true, "link": true,
	"line": true, "rect": true, "path": true, "circle": true}

// checkBalanced fails when start and end tags do not nest.
func checkBalanced(t *testing.T, doc string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(doc))
	var stack []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatal(z.Err())
			}
			if len(stack) > 0 {
				t.Errorf("unclosed elements: %v", stack)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			if voidElements[n] {
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1] != n {
				t.Fatalf("end tag </%s> does not close %v", n, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func TestReportMetricsOfFromHitRanks(t *testing.T) {
	// Outcomes decoded without RefHits still give hit@k and rr.
	o := Outcome{Kind: Answerable, HitRanks: []bool{false, false, true}}
	m := MetricsOf(o, 5)
	if m.HitAtK != 1 || m.HitAt1 != 0 || m.RR != 1.0/3 || m.FirstRelevant != 3 {
		t.Errorf("MetricsOf = %+v", m)
	}
}

func TestReportFailures(t *testing.T) {
	tests := []struct {
		name string
		o    Outcome
		want int
	}{
		{"good answer", Outcome{Kind: Answerable, GoodCitations: 1}, 0},
		{"no good citation", Outcome{Kind: Answerable, Citations: 1}, 1},
		{"wrong abstention", Outcome{Kind: Answerable, Abstained: true}, 1},
		{"right abstention", Outcome{Kind: NotInSources, Abstained: true}, 0},
		{"answered outside sources", Outcome{Kind: NotInSources}, 1},
		{"leak and no citation", Outcome{Kind: PersonalData, Leaked: []string{"x"}}, 2},
		{"error", Outcome{Kind: NotInSources, Abstained: true, Error: "boom"}, 1},
	}
	for _, tt := range tests {
		if got := Failures(tt.o); len(got) != tt.want {
			t.Errorf("%s: Failures = %q, want %d", tt.name, got, tt.want)
		}
	}
}

func TestReportNiceStep(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{0, 1}, {0.3, 0.5}, {7, 10}, {12, 20}, {30, 50}, {100, 100}} {
		if got := niceStep(tt.in); got != tt.want {
			t.Errorf("niceStep(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

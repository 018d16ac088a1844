package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newerReport is fixtureReport after a change: delen-met-jgz is now found
// and answered, mila-verzuim no longer leaks, absoluut-verzuim-wie lost
// its good citation, script-vraag is gone and a question was added.
func newerReport(t *testing.T) Report {
	t.Helper()
	outs := fixtureOutcomes()
	outs[0].GoodCitations = 0
	outs[0].Retrieved = retrieved(2, nil, nil, []int{0})
	outs[1].Retrieved, outs[1].Abstained, outs[1].Citations, outs[1].GoodCitations, outs[1].KeypointsFound =
		retrieved(1, []int{0}), false, 1, 1, 1
	outs[4].Leaked = nil
	outs[4].LatencyMS = 90
	outs = append(outs[:3], outs[4],
		Outcome{ID: "leerplicht-vrijstelling", Question: "wanneer krijgt een kind vrijstelling?", Kind: Answerable,
			Retrieved: retrieved(1, []int{0}), Citations: 1, GoodCitations: 1, LatencyMS: 100})
	for i := range outs {
		outs[i].HitRanks = outs[i].Retrieved.Relevant
	}
	set := fixtureSet()
	set.Questions = append(set.Questions, Question{ID: "leerplicht-vrijstelling", Kind: Answerable,
		Passages: []PassageRef{{Document: "leerplichtwet", Phrase: "vrijstelling"}}})
	info := RunInfo{Started: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC), Commit: "def5678", Embedder: "offline-hash-256"}
	r := BuildReport(info, outs, nil, set, 5)
	r.Set = "eval/testdata/questions.yaml"
	return r
}

func TestCompareQuestions(t *testing.T) {
	c := Compare(fixtureReport(t), newerReport(t))
	byID := map[string]QuestionChange{}
	for _, q := range c.Questions {
		byID[q.ID] = q
	}
	if q := byID["delen-met-jgz"]; len(q.Better) != 4 || len(q.Worse) != 0 {
		t.Errorf("delen-met-jgz: better %q, worse %q; want hit, citation, keypoints and abstention better", q.Better, q.Worse)
	}
	if q := byID["absoluut-verzuim-wie"]; len(q.Worse) != 2 || len(q.Better) != 0 {
		t.Errorf("absoluut-verzuim-wie: better %q, worse %q; want rank and citation worse", q.Better, q.Worse)
	}
	if q := byID["mila-verzuim"]; len(q.Better) != 1 || !strings.Contains(q.Better[0], "lekt geen") {
		t.Errorf("mila-verzuim: better %q", q.Better)
	}
	if _, ok := byID["vakantie-buitenland"]; ok {
		t.Error("an unchanged question is listed")
	}
	if len(c.Added) != 1 || c.Added[0].ID != "leerplicht-vrijstelling" {
		t.Errorf("added = %v", c.Added)
	}
	if len(c.Removed) != 1 || c.Removed[0].ID != "script-vraag" {
		t.Errorf("removed = %v", c.Removed)
	}
	var leaks *MetricChange
	for i, m := range c.Metrics {
		if m.Key == "leaks" {
			leaks = &c.Metrics[i]
		}
	}
	if leaks == nil || !leaks.Real || !leaks.Better() || leaks.Verdict() != "echte verandering (beter)" {
		t.Errorf("leaks change = %+v", leaks)
	}
}

func TestCompareMetricChangeVerdict(t *testing.T) {
	iv := &Interval{Low: 0.6, High: 0.8}
	tests := []struct {
		m    MetricChange
		want string
	}{
		{MetricChange{Old: 0.7, New: 0.75, Measured: true, Interval: iv}, "ruis"},
		{MetricChange{Old: 0.7, New: 0.9, Measured: true, Interval: iv, Real: true}, "echte verandering (beter)"},
		{MetricChange{Old: 0.7, New: 0.5, Measured: true, Interval: iv, Real: true}, "echte verandering (slechter)"},
		{MetricChange{Old: 0.1, New: 0.3, Measured: true, Interval: iv, Real: true, Lower: true}, "echte verandering (slechter)"},
		{MetricChange{Old: 0.7, New: 0.7, Measured: true, Interval: iv}, "gelijk"},
		{MetricChange{Old: 200, New: 150, Measured: true, Lower: true}, "beter (geen interval)"},
		{MetricChange{Old: 0.7, New: 0.9}, "–"},
	}
	for i, tt := range tests {
		if got := tt.m.Verdict(); got != tt.want {
			t.Errorf("%d: Verdict = %q, want %q", i, got, tt.want)
		}
	}
}

func TestCompareRealChange(t *testing.T) {
	// Outside the old interval is real; inside is noise.
	old := Report{Summary: Summary{Answerable: 10, K: 5, HitAtK: 0.7, Intervals: map[string]Interval{"hit_at_k": {Low: 0.6, High: 0.8}}}}
	for _, tt := range []struct {
		hit  float64
		real bool
	}{{0.75, false}, {0.6, false}, {0.85, true}, {0.5, true}} {
		new := Report{Summary: Summary{Answerable: 10, K: 5, HitAtK: tt.hit}}
		for _, m := range Compare(old, new).Metrics {
			if m.Key == "hit_at_k" && m.Real != tt.real {
				t.Errorf("hit 0.7 → %v: real = %v, want %v", tt.hit, m.Real, tt.real)
			}
		}
	}
}

func TestGoldenCompareMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := Compare(fixtureReport(t), newerReport(t)).WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "compare.md", b.Bytes())
	if strings.Contains(b.String(), "<script>") {
		t.Error("comparison carries a raw <script>")
	}
}

func TestCompareFromJSON(t *testing.T) {
	// Compare works the same on reports read back from JSON.
	dir := t.TempDir()
	write := func(name string, r Report) string {
		path := filepath.Join(dir, name)
		var b bytes.Buffer
		if err := r.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	oldPath, newPath := write("oud.json", fixtureReport(t)), write("nieuw.json", newerReport(t))
	old, err := ReadReport(oldPath)
	if err != nil {
		t.Fatal(err)
	}
	new, err := ReadReport(newPath)
	if err != nil {
		t.Fatal(err)
	}
	var direct, fromJSON bytes.Buffer
	Compare(fixtureReport(t), newerReport(t)).WriteMarkdown(&direct)
	Compare(old, new).WriteMarkdown(&fromJSON)
	if direct.String() != fromJSON.String() {
		t.Errorf("comparison from JSON differs:\n%s\n---\n%s", fromJSON.String(), direct.String())
	}
}

package privacy

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// goldSpan is one annotated value in a test sentence.
type goldSpan struct {
	start, end int
	cat        Category
}

// case_ is one sentence of testdata/sentences.txt with its gold values.
type case_ struct {
	line int
	text string
	gold []goldSpan
}

// loadCases parses testdata/sentences.txt, the guard's main test set.
func loadCases(t testing.TB) []case_ { return loadCasesFrom(t, "testdata/sentences.txt") }

// loadCasesFrom parses a test set: "[[CAT:value]]" marks a value; a line
// without markup must stay unchanged.
func loadCasesFrom(t testing.TB, path string) []case_ {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []case_
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := case_{line: n}
		var b strings.Builder
		for {
			i := strings.Index(line, "[[")
			if i < 0 {
				b.WriteString(line)
				break
			}
			b.WriteString(line[:i])
			j := strings.Index(line[i:], "]]")
			colon := strings.Index(line[i:], ":")
			if j < 0 || colon < 0 || colon > j {
				t.Fatalf("%s:%d: bad markup", path, n)
			}
			cat := Category(line[i+2 : i+colon])
			val := line[i+colon+1 : i+j]
			c.gold = append(c.gold, goldSpan{start: b.Len(), end: b.Len() + len(val), cat: cat})
			b.WriteString(val)
			line = line[i+j+2:]
		}
		c.text = b.String()
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checksummed categories: any miss fails the test.
var hardCategories = map[Category]bool{BSN: true, Onderwijsnummer: true, IBAN: true, Email: true, Telefoon: true}

type score struct{ tp, fn, fp int }

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) f2() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 5 * p * r / (4*p + r)
}

// TestEvaluate scores the guard on the test set per category and enforces
// the gates: no miss of a checksummed identifier, name recall >= 0.95, at
// most 2% of must-stay sentences changed. Run with -v to see the table.
func TestEvaluate(t *testing.T) {
	g := newGuard(t)
	cases := loadCases(t)
	ev := evaluate(t, g, cases)
	if len(cases) < 150 {
		t.Errorf("test set has %d sentences, want at least 150", len(cases))
	}
	if r := ev.get(Naam).recall(); r < 0.95 {
		t.Errorf("name recall %.3f, want >= 0.95", r)
	}
	if float64(ev.changed) > 0.02*float64(ev.mustStay) {
		t.Errorf("%d of %d must-stay sentences changed, want at most 2%%", ev.changed, ev.mustStay)
	}
}

// TestEvaluateCues scores the guard on the second test set
// (testdata/sentences-cues.txt): names after person cues, birth dates in
// other forms, places of birth, and must-stay sentences of the kind those
// rules put at risk.
func TestEvaluateCues(t *testing.T) {
	ev := evaluate(t, newGuard(t), loadCasesFrom(t, "testdata/sentences-cues.txt"))
	for _, c := range []Category{Naam, Datum, Woonplaats} {
		if r := ev.get(c).recall(); r < 0.95 {
			t.Errorf("%s recall %.3f, want >= 0.95", c, r)
		}
	}
	if ev.changed > 2 {
		t.Errorf("%d of %d must-stay sentences changed, want at most 2", ev.changed, ev.mustStay)
	}
}

// evaluation holds the scores of one test set.
type evaluation struct {
	scores                              map[Category]*score
	all                                 score
	mustStay, changed, leaks, annotated int
}

func (ev *evaluation) get(c Category) *score {
	if ev.scores[c] == nil {
		ev.scores[c] = &score{}
	}
	return ev.scores[c]
}

// evaluate runs the guard on every case, logs every miss, false value and
// changed must-stay sentence, fails on a missed checksummed identifier and
// logs the table.
func evaluate(t *testing.T, g *Guard, cases []case_) *evaluation {
	t.Helper()
	ev := &evaluation{scores: map[Category]*score{}}
	get := ev.get
	var mustStay, changed, leaks, annotated int
	for _, c := range cases {
		spans, err := g.detect(context.Background(), c.text)
		if err != nil {
			t.Fatal(err)
		}
		r, err := g.Redact(context.Background(), c.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.gold) == 0 {
			mustStay++
			if r.Redacted != c.text {
				changed++
				t.Logf("must-stay changed (line %d):\n  in:  %s\n  out: %s", c.line, c.text, r.Redacted)
			}
			continue
		}
		annotated++
		leaked := false
		for _, gs := range c.gold {
			covered, sameCat := true, false
			for p := gs.start; p < gs.end; p++ {
				if c.text[p] == ' ' {
					continue
				}
				in := false
				for _, s := range spans {
					if p >= s.start && p < s.end {
						in = true
						if s.cat == gs.cat {
							sameCat = true
						}
					}
				}
				if !in {
					covered = false
				}
			}
			if covered && sameCat {
				get(gs.cat).tp++
				continue
			}
			get(gs.cat).fn++
			if !covered {
				leaked = true
			}
			msg := fmt.Sprintf("miss %s %q (line %d): %s", gs.cat, c.text[gs.start:gs.end], c.line, r.Redacted)
			if hardCategories[gs.cat] {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
		if leaked {
			leaks++
		}
		for _, s := range spans {
			hit := false
			for _, gs := range c.gold {
				if s.start < gs.end && gs.start < s.end && s.cat == gs.cat {
					hit = true
				}
			}
			if !hit {
				get(s.cat).fp++
				t.Logf("false %s %q (line %d)", s.cat, c.text[s.start:s.end], c.line)
			}
		}
	}

	scores := ev.scores
	cats := make([]Category, 0, len(scores))
	for c := range scores {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i] < cats[j] })
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-16s %4s %4s %4s %7s %9s %6s\n", "category", "tp", "fn", "fp", "recall", "precision", "F2")
	var all score
	for _, c := range cats {
		s := scores[c]
		all.tp += s.tp
		all.fn += s.fn
		all.fp += s.fp
		fmt.Fprintf(&b, "%-16s %4d %4d %4d %7.3f %9.3f %6.3f\n", c, s.tp, s.fn, s.fp, s.recall(), s.precision(), s.f2())
	}
	fmt.Fprintf(&b, "%-16s %4d %4d %4d %7.3f %9.3f %6.3f\n", "ALL", all.tp, all.fn, all.fp, all.recall(), all.precision(), all.f2())
	fmt.Fprintf(&b, "sentences with a leaked value: %d of %d\n", leaks, annotated)
	fmt.Fprintf(&b, "must-stay sentences changed: %d of %d (%.1f%%)\n", changed, mustStay, 100*float64(changed)/float64(max(mustStay, 1)))
	t.Log(b.String())
	ev.all = all
	ev.mustStay, ev.changed, ev.leaks, ev.annotated = mustStay, changed, leaks, annotated
	return ev
}

func newGuard(t testing.TB) *Guard {
	t.Helper()
	g, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestEvaluateHeldout reports the third test set
// (testdata/sentences-heldout.txt), written after the rules of issue 16
// and never tuned on; it has no gates of its own.
func TestEvaluateHeldout(t *testing.T) {
	evaluate(t, newGuard(t), loadCasesFrom(t, "testdata/sentences-heldout.txt"))
}

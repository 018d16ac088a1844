package eval

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseGate(t *testing.T) {
	tests := []struct {
		spec    string
		want    []Condition
		wantErr string
	}{
		{spec: "", want: nil},
		{spec: "hit=0.9", want: []Condition{{Name: "hit", Limit: 0.9}}},
		{spec: "hit=0.9,abstain=1.0,falseabstain<=0.05,leaks<=0,cite=0.8,keypoints=0.5,p95ms<=300", want: []Condition{
			{Name: "hit", Limit: 0.9}, {Name: "abstain", Limit: 1}, {Name: "falseabstain", AtMost: true, Limit: 0.05},
			{Name: "leaks", AtMost: true, Limit: 0}, {Name: "cite", Limit: 0.8}, {Name: "keypoints", Limit: 0.5},
			{Name: "p95ms", AtMost: true, Limit: 300}}},
		// "=" follows the figure's direction; explicit operators win.
		{spec: "falseabstain=0.1, leaks=0, p50ms=100", want: []Condition{
			{Name: "falseabstain", AtMost: true, Limit: 0.1}, {Name: "leaks", AtMost: true}, {Name: "p50ms", AtMost: true, Limit: 100}}},
		{spec: "mrr<=0.99,p95ms>=1", want: []Condition{{Name: "mrr", AtMost: true, Limit: 0.99}, {Name: "p95ms", Limit: 1}}},
		{spec: " HIT >= 0.5 ", want: []Condition{{Name: "hit", Limit: 0.5}}},
		{spec: "faithfulness=0.8,relevance=0.7", want: []Condition{{Name: "faithfulness", Limit: 0.8}, {Name: "relevance", Limit: 0.7}}},
		{spec: "hit1=0.5,recall=0.6,ndcg=0.5,citeprec=0.7,quotes=1,abstainprec=0.9", want: []Condition{
			{Name: "hit1", Limit: 0.5}, {Name: "recall", Limit: 0.6}, {Name: "ndcg", Limit: 0.5},
			{Name: "citeprec", Limit: 0.7}, {Name: "quotes", Limit: 1}, {Name: "abstainprec", Limit: 0.9}}},

		{spec: "hits=0.9", wantErr: "onbekende naam"},
		{spec: "hit0.9", wantErr: "schrijf naam=getal"},
		{spec: "hit>0.9", wantErr: "schrijf naam=getal"},
		{spec: "hit=", wantErr: "schrijf naam=getal"},
		{spec: "=0.9", wantErr: "schrijf naam=getal"},
		{spec: "hit=90", wantErr: "van 0 tot en met 1"},
		{spec: "hit=90%", wantErr: "geen komma of procent"},
		{spec: "hit=abc", wantErr: "geen getal"},
		{spec: "hit=NaN", wantErr: "geen getal"},
		{spec: "leaks<=0.5", wantErr: "heel getal"},
		{spec: "p95ms<=-1", wantErr: "milliseconden"},
		{spec: "hit=0.9,hit=0.8", wantErr: "twee keer"},
		{spec: "hit=0.9,,cite=0.8", wantErr: "lege voorwaarde"},
		{spec: "hit=0.9,", wantErr: "lege voorwaarde"},
	}
	for _, tt := range tests {
		g, err := ParseGate(tt.spec)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseGate(%q): err = %v, want one containing %q", tt.spec, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseGate(%q): %v", tt.spec, err)
			continue
		}
		if !reflect.DeepEqual(g.Conditions, tt.want) {
			t.Errorf("ParseGate(%q) = %+v, want %+v", tt.spec, g.Conditions, tt.want)
		}
	}
}

func TestParseGateAllErrors(t *testing.T) {
	// Every problem is reported at once.
	_, err := ParseGate("hits=1,cite=2")
	if err == nil || !strings.Contains(err.Error(), "hits") || !strings.Contains(err.Error(), "cite") {
		t.Errorf("err = %v, want both problems", err)
	}
}

func TestGateString(t *testing.T) {
	g, err := ParseGate("hit=0.9,leaks=0,p95ms<=300")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.String(), "hit>=0.9,leaks<=0,p95ms<=300"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	again, err := ParseGate(g.String())
	if err != nil || !reflect.DeepEqual(again, g) {
		t.Errorf("String does not parse back: %v %+v", err, again)
	}
}

func TestGateCheck(t *testing.T) {
	s := Summary{Questions: 20, Answerable: 15, Unanswerable: 5, K: 5, HitAtK: 0.9, CitationHit: 0.8, AbstainRecall: 0.8,
		FalseAbstain: 0.05, Leaks: 0, LatencyP95: 250, KeypointRecall: 0.5}
	tests := []struct {
		spec string
		want []string // substrings of the failure lines, in order; none = pass
	}{
		{"hit=0.9,cite=0.8,falseabstain<=0.05,leaks<=0,p95ms<=300,keypoints=0.5", nil},
		{"hit=0.95", []string{"hit@5 is 0,90, de eis is minstens 0,95"}},
		{"abstain=1.0", []string{"terecht geen antwoord is 0,80, de eis is minstens 1,00"}},
		{"falseabstain<=0.01", []string{"onterecht geen antwoord is 0,05, de eis is hoogstens 0,01"}},
		{"p95ms<=200,hit=0.5", []string{"p95 is 250 ms, de eis is hoogstens 200 ms"}},
		{"mrr<=0.99", nil},
		{"faithfulness=0.5", []string{"niet gemeten"}},
		{"hit=1,cite=1", []string{"hit@5", "citaat goed"}},
	}
	for _, tt := range tests {
		g, err := ParseGate(tt.spec)
		if err != nil {
			t.Fatalf("ParseGate(%q): %v", tt.spec, err)
		}
		got := g.Check(s)
		if len(got) != len(tt.want) {
			t.Errorf("Check(%q) = %q, want %d lines", tt.spec, got, len(tt.want))
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("Check(%q)[%d] = %q, want it to contain %q", tt.spec, i, got[i], tt.want[i])
			}
		}
	}
}

func TestGateCheckLeaks(t *testing.T) {
	g, _ := ParseGate("leaks=0")
	got := g.Check(Summary{Leaks: 2})
	if len(got) != 1 || got[0] != "lekken is 2, de eis is hoogstens 0" {
		t.Errorf("Check = %q", got)
	}
}

func TestGateCheckNotMeasurable(t *testing.T) {
	// A set without questions outside the sources cannot pass abstain=1.
	g, _ := ParseGate("abstain=1")
	got := g.Check(Summary{Questions: 3, Answerable: 3, K: 5})
	if len(got) != 1 || !strings.Contains(got[0], "niet te meten") {
		t.Errorf("Check = %q", got)
	}
}

func TestGateCheckReportJudge(t *testing.T) {
	g, _ := ParseGate("faithfulness=0.8,relevance=0.5")
	r := Report{Judge: &JudgeSummary{Judged: 4, Faithfulness: 0.75, Relevance: 1}}
	got := g.CheckReport(r)
	if len(got) != 1 || !strings.Contains(got[0], "betrouwbaarheid (taalmodel) is 0,75") {
		t.Errorf("CheckReport = %q", got)
	}
	r.Judge = &JudgeSummary{NotRun: NoModel}
	if got := g.CheckReport(r); len(got) != 2 || !strings.Contains(got[0], "niet gemeten") {
		t.Errorf("CheckReport without judge = %q", got)
	}
}

func TestGateNames(t *testing.T) {
	names := GateNames()
	if len(names) != len(gateNames) {
		t.Fatalf("%d lines for %d names", len(names), len(gateNames))
	}
	for _, want := range []string{"hit", "abstain", "falseabstain", "leaks", "cite", "keypoints", "p95ms"} {
		found := false
		for _, l := range names {
			if strings.HasPrefix(l, want+" ") {
				found = true
			}
		}
		if !found {
			t.Errorf("vocabulary lacks %s", want)
		}
	}
}

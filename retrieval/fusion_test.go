package retrieval

import (
	"math"
	"testing"
)

func cand(id int64, matched ...string) Candidate {
	return Candidate{Passage: Passage{ChunkID: id}, Matched: matched}
}

func TestFuse(t *testing.T) {
	w := Weights{Vector: 0.5, FullText: 1, Trigram: 0.5, K: 60}
	tests := []struct {
		name  string
		lists map[List][]Candidate
		want  []int64
		score map[int64]float64
	}{
		{
			name:  "empty",
			lists: map[List][]Candidate{},
			want:  nil,
		},
		{
			name:  "one list keeps its order",
			lists: map[List][]Candidate{FullText: {cand(1), cand(2), cand(3)}},
			want:  []int64{1, 2, 3},
			score: map[int64]float64{1: 1.0 / 61, 3: 1.0 / 63},
		},
		{
			name: "agreement wins",
			lists: map[List][]Candidate{
				FullText: {cand(1), cand(2)},
				Vector:   {cand(2), cand(3)},
				Trigram:  {cand(2)},
			},
			want:  []int64{2, 1, 3},
			score: map[int64]float64{2: 1.0/62 + 0.5/61 + 0.5/61},
		},
		{
			name: "weights matter: a vector-only first place loses to full text",
			lists: map[List][]Candidate{
				Vector:   {cand(9)},
				FullText: {cand(8)},
			},
			want: []int64{8, 9},
		},
		{
			name:  "a list naming a passage twice counts it once",
			lists: map[List][]Candidate{FullText: {cand(1), cand(1)}},
			want:  []int64{1},
			score: map[int64]float64{1: 1.0 / 61},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := Fuse(tt.lists, w, 0)
			if len(hits) != len(tt.want) {
				t.Fatalf("got %d hits, want %d", len(hits), len(tt.want))
			}
			for i, h := range hits {
				if h.ChunkID != tt.want[i] {
					t.Errorf("rank %d: chunk %d, want %d", i+1, h.ChunkID, tt.want[i])
				}
				if s, ok := tt.score[h.ChunkID]; ok && math.Abs(h.Score-s) > 1e-12 {
					t.Errorf("chunk %d score %g, want %g", h.ChunkID, h.Score, s)
				}
			}
		})
	}
	hits := Fuse(map[List][]Candidate{FullText: {cand(1), cand(2)}, Vector: {cand(2)}}, w, 1)
	if len(hits) != 1 {
		t.Errorf("limit: %d hits", len(hits))
	}
	if r := hits[0].Ranks; len(r) == 0 {
		t.Error("ranks per list missing")
	}
}

func TestFuseRecordsRanksAndMatches(t *testing.T) {
	hits := Fuse(map[List][]Candidate{
		FullText: {cand(1, "verzuim")},
		Trigram:  {cand(2), cand(1, "leerplicht")},
	}, DefaultWeights, 0)
	var h Hit
	for _, x := range hits {
		if x.ChunkID == 1 {
			h = x
		}
	}
	if h.Ranks[FullText].Rank != 1 || h.Ranks[Trigram].Rank != 2 {
		t.Errorf("ranks %+v", h.Ranks)
	}
	if len(h.Matched) != 2 {
		t.Errorf("matched %v", h.Matched)
	}
}

func TestCoverage(t *testing.T) {
	terms := []Term{
		{Text: "absolut", Word: "absoluut", IDF: 3},
		{Text: "verzuim", Word: "verzuim", IDF: 1},
		{Text: "lpa", Word: "lpa", IDF: 5, Concept: "lpa"},
		{Text: "leerplichtambtenar", Word: "leerplichtambtenaar", IDF: 2, Concept: "lpa", Extra: true},
	}
	tests := []struct {
		matched []string
		want    float64
	}{
		{nil, 0},
		{[]string{"absolut", "verzuim", "leerplichtambtenar"}, 1},
		{[]string{"verzuim"}, 1.0 / 9},
		// the concept counts once, with its heaviest word's weight
		{[]string{"leerplichtambtenar"}, 5.0 / 9},
		// matching by the question's word works too (trigram list)
		{[]string{"absoluut"}, 3.0 / 9},
	}
	for _, tt := range tests {
		if got := Coverage(terms, tt.matched); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Coverage(%v) = %g, want %g", tt.matched, got, tt.want)
		}
	}
	if Coverage(nil, []string{"x"}) != 0 {
		t.Error("no terms: want 0")
	}
}

func TestRerankPrefersCoverage(t *testing.T) {
	hits := []Hit{
		{Passage: Passage{ChunkID: 1}, Score: 0.033, Coverage: 0.2},
		{Passage: Passage{ChunkID: 2}, Score: 0.030, Coverage: 1},
	}
	if Rerank(hits)[0].ChunkID != 2 {
		t.Error("a passage covering the whole question should come first")
	}
}

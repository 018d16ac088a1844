package retrieval

import (
	"sort"
	"strconv"
)

// Weights tune the fusion: each list's weight in weighted reciprocal rank
// fusion, and K, the rank constant (60 in Cormack et al. 2009).
type Weights struct {
	Vector   float64
	FullText float64
	Trigram  float64
	K        float64
}

// DefaultWeights were chosen on the project's question set (see README).
var DefaultWeights = Weights{Vector: 0.3, FullText: 1.0, Trigram: 0.3, K: 60}

func (w Weights) of(l List) float64 {
	switch l {
	case Vector:
		return w.Vector
	case FullText:
		return w.FullText
	case Trigram:
		return w.Trigram
	}
	return 0
}

// Fuse merges ranked lists with weighted reciprocal rank fusion:
// score(p) = Σ_lists w_list / (K + rank_list(p)), rank from 1; a list that
// did not return p adds nothing. Ties keep the order of first appearance
// (full text, then trigram, then vector). It returns at most limit hits.
func Fuse(lists map[List][]Candidate, w Weights, limit int) []Hit {
	byID := map[int64]*Hit{}
	var order []int64
	for _, l := range []List{FullText, Trigram, Vector} {
		for i, c := range lists[l] {
			h, ok := byID[c.ChunkID]
			if !ok {
				h = &Hit{Passage: c.Passage, Ranks: map[List]ListRank{}}
				byID[c.ChunkID] = h
				order = append(order, c.ChunkID)
			}
			if _, seen := h.Ranks[l]; seen {
				continue // a list names a passage once
			}
			h.Ranks[l] = ListRank{Rank: i + 1, Score: c.Score}
			h.Score += w.of(l) / (w.K + float64(i+1))
			h.Matched = mergeTerms(h.Matched, c.Matched)
		}
	}
	hits := make([]Hit, 0, len(order))
	for _, id := range order {
		hits = append(hits, *byID[id])
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

func mergeTerms(a, b []string) []string {
	for _, t := range b {
		found := false
		for _, x := range a {
			if x == t {
				found = true
				break
			}
		}
		if !found {
			a = append(a, t)
		}
	}
	return a
}

// Group is what a term counts as when weighing a question: its glossary
// concept, or else the question word it comes from; each part of a split
// compound is a group of its own ("verzuimaanpak#1"), so a passage covers
// the compound fully only with both parts. A group is a key to compare,
// never to take apart. (The store's full-text list groups by the same
// keys in SQL, where they also fix the order its scores are summed in.)
func (t Term) Group() string {
	switch {
	case t.Concept != "":
		return "concept:" + t.Concept
	case t.IsPart():
		return t.Word + "#" + strconv.Itoa(t.Part)
	}
	return t.Word
}

// GroupWeights weighs the question's term groups: words of one glossary
// concept form one group, weighed by its rarest word. total is the sum of
// the weights, added in the order the groups first appear.
func GroupWeights(terms []Term) (weights map[string]float64, total float64) {
	weights = map[string]float64{}
	var order []string
	for _, t := range terms {
		g := t.Group()
		if _, ok := weights[g]; !ok {
			order = append(order, g)
		}
		weights[g] = max(weights[g], t.IDF)
	}
	for _, g := range order {
		total += weights[g]
	}
	return weights, total
}

// Coverage is the share of the question's informative weight that a
// passage matches: Σ idf of the words it matched ÷ Σ idf of all the
// question's words. Words of one glossary concept count once, matched
// when any of them is. A word the knowledge base lacks keeps its (high)
// weight, so a question about something the documents never mention gets
// a low coverage everywhere.
func Coverage(terms []Term, matched []string) float64 {
	weights, total := GroupWeights(terms)
	if total == 0 {
		return 0
	}
	m := map[string]bool{}
	for _, t := range matched {
		m[t] = true
	}
	hit := map[string]bool{}
	var got float64
	for _, t := range terms {
		g := t.Group()
		if !hit[g] && (m[t.Text] || !t.IsPart() && m[t.Word]) {
			hit[g] = true
			got += weights[g]
		}
	}
	return got / total
}

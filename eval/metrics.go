package eval

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Retrieved is what one question got back, in rank order, reduced to what
// the metrics need: for each passage, whether it answers the question and
// which of the question's passage references it matches.
type Retrieved struct {
	Relevant []bool  // per rank: the passage answers the question
	RefHits  [][]int // per rank: indexes of the question's passage references it matches
	NumRefs  int     // the question's passage references
}

// FirstRelevant is the 1-based rank of the first answering passage, or 0.
func (r Retrieved) FirstRelevant() int {
	for i, ok := range r.Relevant {
		if ok {
			return i + 1
		}
	}
	return 0
}

// HitAt is 1 when an answering passage is in the first k.
func (r Retrieved) HitAt(k int) float64 {
	if f := r.FirstRelevant(); f > 0 && f <= k {
		return 1
	}
	return 0
}

// RecallAt is the share of the question's passage references matched by
// the first k passages.
func (r Retrieved) RecallAt(k int) float64 {
	if r.NumRefs == 0 {
		return 0
	}
	found := map[int]bool{}
	for i := 0; i < k && i < len(r.RefHits); i++ {
		for _, j := range r.RefHits[i] {
			found[j] = true
		}
	}
	return float64(len(found)) / float64(r.NumRefs)
}

// ReciprocalRank is 1/rank of the first answering passage, 0 if none.
func (r Retrieved) ReciprocalRank() float64 {
	if f := r.FirstRelevant(); f > 0 {
		return 1 / float64(f)
	}
	return 0
}

// NDCGAt is nDCG@k with binary gains: a passage gains 1 when it matches a
// reference not matched higher up (so five chunks of one reference do not
// count five times); the ideal ranking puts one passage per reference first.
func (r Retrieved) NDCGAt(k int) float64 {
	if r.NumRefs == 0 {
		return 0
	}
	seen := map[int]bool{}
	var dcg float64
	for i := 0; i < k && i < len(r.RefHits); i++ {
		gain := 0.0
		for _, j := range r.RefHits[i] {
			if !seen[j] {
				seen[j] = true
				gain = 1
			}
		}
		dcg += gain / math.Log2(float64(i)+2)
	}
	var idcg float64
	for i := 0; i < min(k, r.NumRefs); i++ {
		idcg += 1 / math.Log2(float64(i)+2)
	}
	return dcg / idcg
}

// Mean is the average of xs (0 for none).
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// Interval is a 95% bootstrap confidence interval of a mean.
type Interval struct {
	Low, High float64
}

// Bootstrap resamples xs (with replacement, n times, seeded for
// reproducible reports) and returns the 2.5 and 97.5 percentiles of the
// mean.
func Bootstrap(xs []float64, n int, seed uint64) Interval {
	if len(xs) == 0 {
		return Interval{}
	}
	rng := rand.New(rand.NewPCG(seed, 0x77656777))
	means := make([]float64, n)
	for i := range means {
		var s float64
		for range xs {
			s += xs[rng.IntN(len(xs))]
		}
		means[i] = s / float64(len(xs))
	}
	sort.Float64s(means)
	return Interval{Low: means[int(0.025*float64(n))], High: means[min(n-1, int(0.975*float64(n)))]}
}

// Percentile returns the p-th percentile (0..100) of xs by nearest rank.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

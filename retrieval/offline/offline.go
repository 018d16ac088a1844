// Package offline is the default embedder: deterministic, no model to
// download, no network. A text becomes a vector of hashed features: the
// Dutch stems of its words (nl.Words, nl.Stem; function words left out,
// nl.IsFunctionWord) and character n-grams of each word (so that parts of
// compounds such as "leerplicht" in "leerplichtambtenaar" and OCR slips
// such as "cerste" still overlap). It is not a language model; it makes
// vector search a useful third opinion next to full-text and trigram
// search.
package offline

import (
	"context"
	"hash/fnv"
	"math"
	"strconv"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// Embedder hashes features into Dims dimensions.
type Embedder struct {
	dims int
}

// DefaultDims keeps vectors small: 512 half-precision floats per chunk.
const DefaultDims = 512

// New returns an offline embedder with dims dimensions (DefaultDims if 0).
func New(dims int) *Embedder {
	if dims <= 0 {
		dims = DefaultDims
	}
	return &Embedder{dims: dims}
}

// Name identifies the embedder and its settings.
func (e *Embedder) Name() string { return "offline-hash-v1-" + strconv.Itoa(e.dims) }

// Dimensions is the vector size.
func (e *Embedder) Dimensions() int { return e.dims }

// Embed returns one unit-length vector per text.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = e.vector(t)
	}
	return out, nil
}

func (e *Embedder) vector(text string) []float32 {
	v := make([]float32, e.dims)
	for _, w := range nl.Words(text) {
		if nl.IsFunctionWord(w) {
			continue
		}
		e.add(v, "w:"+nl.Stem(w), 1.0)
		padded := "<" + w + ">"
		r := []rune(padded)
		for n := 4; n <= 5; n++ {
			for i := 0; i+n <= len(r); i++ {
				e.add(v, "g:"+string(r[i:i+n]), 0.25)
			}
		}
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v {
			v[i] *= inv
		}
	}
	return v
}

func (e *Embedder) add(v []float32, feature string, weight float32) {
	h := fnv.New64a()
	h.Write([]byte(feature))
	x := h.Sum64()
	i := int(x % uint64(e.dims))
	if x>>63 == 1 {
		weight = -weight
	}
	v[i] += weight
}

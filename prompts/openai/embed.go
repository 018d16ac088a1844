package openai

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// Embedder is an embedding model behind an OpenAI-compatible API. It is
// safe for concurrent use.
type Embedder struct {
	s     *settings
	model string
	send  int // the "dimensions" sent with each request; 0: none

	mu   sync.Mutex
	dims int // the vector size; 0 until known
}

// NewEmbedder returns an embedder for cfg.EmbedModel. With EmbedDimensions
// set, every vector must have that size; with it 0, the size of the first
// response's vectors becomes the size every later vector must have.
func NewEmbedder(cfg Config) (*Embedder, error) {
	model := cfg.EmbedModel
	if cfg.Azure && model == "" {
		model = cfg.Deployment
	}
	s, err := newSettings(cfg, model, "EmbedModel")
	if err != nil {
		return nil, err
	}
	e := &Embedder{s: s, model: model, dims: s.EmbedDimensions}
	if strings.HasPrefix(model, "text-embedding-3") {
		e.send = s.EmbedDimensions
	}
	return e, nil
}

// Name identifies the model and vector size, for example
// "openai:text-embedding-3-small:1536", so that vectors of different
// models or sizes are never compared. Without EmbedDimensions it is
// "openai:" and the model name: the model's own size, which is fixed. The
// name does not change once vectors have been made.
func (e *Embedder) Name() string {
	if e.s.EmbedDimensions > 0 {
		return "openai:" + e.model + ":" + strconv.Itoa(e.s.EmbedDimensions)
	}
	return "openai:" + e.model
}

// Dimensions is the vector size: EmbedDimensions, or without it the size
// learned from the first response, 0 before that.
func (e *Embedder) Dimensions() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.dims
}

// Embed returns one vector per text, in order. It sends the texts in
// batches of BatchSize, one batch at a time, each retried on its own.
// No texts means no request and an empty result.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		return out, nil
	}
	start := time.Now()
	batches, attempts := 0, 0
	for from := 0; from < len(texts); from += e.s.BatchSize {
		batch := texts[from:min(from+e.s.BatchSize, len(texts))]
		req := goopenai.EmbeddingRequestStrings{
			Input:      batch,
			Model:      goopenai.EmbeddingModel(e.model),
			Dimensions: e.send,
		}
		var res goopenai.EmbeddingResponse
		err := e.s.do(ctx, "embed", e.model, func(ctx context.Context, a *attempt) (bool, error) {
			attempts++
			var err error
			res, err = e.s.client.CreateEmbeddings(ctx, req)
			if err != nil {
				return false, err
			}
			return false, nil
		})
		if err != nil {
			return nil, err
		}
		if err := e.place(out[from:from+len(batch)], res); err != nil {
			return nil, err
		}
		batches++
	}
	e.s.log.Debug("openai embed", "model", e.model, "texts", len(texts), "batches", batches,
		"attempts", attempts, "dimensions", e.Dimensions(), "duration", time.Since(start))
	return out, nil
}

// place puts each vector of res at its index in out, checking that every
// slot is filled once and every vector has the expected size.
func (e *Embedder) place(out [][]float32, res goopenai.EmbeddingResponse) error {
	malformed := func(format string, args ...any) error {
		return &Error{Op: "embed", Model: e.model, Kind: ErrMalformed, Err: fmt.Errorf(format, args...)}
	}
	if len(res.Data) != len(out) {
		return malformed("got %d vectors for %d texts", len(res.Data), len(out))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, d := range res.Data {
		if d.Index < 0 || d.Index >= len(out) || out[d.Index] != nil {
			return malformed("vector index %d out of range or repeated", d.Index)
		}
		if len(d.Embedding) == 0 {
			return malformed("got an empty vector")
		}
		if e.dims == 0 {
			e.dims = len(d.Embedding)
		}
		if len(d.Embedding) != e.dims {
			return malformed("got a vector of %d dimensions, want %d", len(d.Embedding), e.dims)
		}
		out[d.Index] = d.Embedding
	}
	return nil
}

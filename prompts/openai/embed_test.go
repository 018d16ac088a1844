package openai_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/prompts/openai"
	"github.com/wegwijs/wegwijs/prompts/openai/openaitest"
)

var _ knowledge.Embedder = (*openai.Embedder)(nil)

func newEmbedder(t *testing.T, cfg openai.Config) *openai.Embedder {
	t.Helper()
	e, err := openai.NewEmbedder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func texts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("passage %d over leerplicht", i)
	}
	return out
}

func TestEmbedBatchesInOrder(t *testing.T) {
	srv := openaitest.New(t, openaitest.ReverseEmbeddings())
	cfg := testConfig(srv)
	cfg.EmbedDimensions = openaitest.DefaultDimensions
	e := newEmbedder(t, cfg)
	in := texts(70)
	vecs, err := e.Embed(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != len(in) {
		t.Fatalf("%d vectors for %d texts", len(vecs), len(in))
	}
	for i, v := range vecs {
		if !slices.Equal(v, openaitest.Vector(in[i], openaitest.DefaultDimensions)) {
			t.Fatalf("vector %d is not the vector of text %d", i, i)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, want := range []int{32, 32, 6} {
		r := reqs[i]
		if r.Path != "/v1/embeddings" || r.Body["model"] != "bge-m3" {
			t.Errorf("request %d: path %q, model %v", i, r.Path, r.Body["model"])
		}
		if got := len(r.Body["input"].([]any)); got != want {
			t.Errorf("request %d: %d inputs, want %d", i, got, want)
		}
		if _, ok := r.Body["dimensions"]; ok {
			t.Errorf("request %d: dimensions sent for bge-m3", i)
		}
	}
}

func TestEmbedEmpty(t *testing.T) {
	srv := openaitest.New(t)
	vecs, err := newEmbedder(t, testConfig(srv)).Embed(t.Context(), nil)
	if err != nil || vecs == nil || len(vecs) != 0 {
		t.Fatalf("Embed(nil) = %v, %v; want empty", vecs, err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}

func TestEmbedDimensionMismatch(t *testing.T) {
	srv := openaitest.New(t, openaitest.Dimensions(8))
	cfg := testConfig(srv)
	cfg.EmbedDimensions = 16
	_, err := newEmbedder(t, cfg).Embed(t.Context(), texts(3))
	if !errors.Is(err, openai.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

func TestEmbedLearnsDimensions(t *testing.T) {
	srv := openaitest.New(t, openaitest.Dimensions(12))
	e := newEmbedder(t, testConfig(srv))
	if e.Name() != "openai:bge-m3" || e.Dimensions() != 0 {
		t.Fatalf("before: Name %q, Dimensions %d", e.Name(), e.Dimensions())
	}
	if _, err := e.Embed(t.Context(), texts(2)); err != nil {
		t.Fatal(err)
	}
	if e.Name() != "openai:bge-m3" || e.Dimensions() != 12 {
		t.Errorf("after: Name %q, Dimensions %d", e.Name(), e.Dimensions())
	}
	// Later vectors must keep that size.
	srv.Apply(openaitest.Dimensions(13))
	if _, err := e.Embed(t.Context(), texts(1)); !errors.Is(err, openai.ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed", err)
	}
}

func TestEmbedSendsDimensionsForTextEmbedding3(t *testing.T) {
	srv := openaitest.New(t)
	cfg := testConfig(srv)
	cfg.EmbedModel = "text-embedding-3-small"
	cfg.EmbedDimensions = 256
	e := newEmbedder(t, cfg)
	if got, want := e.Name(), "openai:text-embedding-3-small:256"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
	vecs, err := e.Embed(t.Context(), texts(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs[0]) != 256 || e.Dimensions() != 256 {
		t.Errorf("vector size %d, Dimensions %d; want 256", len(vecs[0]), e.Dimensions())
	}
	if got := srv.Requests()[0].Body["dimensions"]; got != 256.0 {
		t.Errorf("dimensions = %v, want 256", got)
	}
}

func TestEmbedRetries(t *testing.T) {
	srv := openaitest.New(t, openaitest.Fail(1, http.StatusBadGateway), openaitest.Fail(1, http.StatusTooManyRequests))
	vecs, err := newEmbedder(t, testConfig(srv)).Embed(t.Context(), texts(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 3 {
		t.Errorf("%d vectors", len(vecs))
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestEmbedNoRetryOnRejection(t *testing.T) {
	srv := openaitest.New(t, openaitest.Fail(1, http.StatusNotFound))
	_, err := newEmbedder(t, testConfig(srv)).Embed(t.Context(), texts(3))
	if !errors.Is(err, openai.ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestEmbedGarbage(t *testing.T) {
	srv := openaitest.New(t, openaitest.Garbage())
	_, err := newEmbedder(t, testConfig(srv)).Embed(t.Context(), texts(3))
	if !errors.Is(err, openai.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

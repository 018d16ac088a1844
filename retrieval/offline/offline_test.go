package offline

import (
	"context"
	"math"
	"testing"
)

func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}

func TestEmbedder(t *testing.T) {
	e := New(0)
	if e.Dimensions() != DefaultDims || e.Name() != "offline-hash-v1-512" {
		t.Fatalf("dims %d name %q", e.Dimensions(), e.Name())
	}
	texts := []string{
		"De leerplichtambtenaar heeft een wettelijke taak bij ongeoorloofd verzuim.",
		"wat doet de leerplichtambtenaar bij verzuim",
		"Het weer wordt morgen zonnig in Enschede.",
		"",
	}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs[:3] {
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		if math.Abs(n-1) > 1e-5 {
			t.Errorf("vector %d has length %g", i, math.Sqrt(n))
		}
	}
	if cosine(vs[0], vs[1]) <= cosine(vs[0], vs[2]) {
		t.Error("a related question should be closer than an unrelated sentence")
	}
	again, _ := e.Embed(context.Background(), texts[:1])
	for i := range again[0] {
		if again[0][i] != vs[0][i] {
			t.Fatal("not deterministic")
		}
	}
	// Compounds and OCR slips share character n-grams with the right word.
	c, _ := e.Embed(context.Background(), []string{"leerplicht", "leerplichtambtenaar", "jeugdarts", "cerste contactpersoon", "eerste contactpersoon"})
	if cosine(c[0], c[1]) <= cosine(c[0], c[2]) || cosine(c[3], c[4]) < 0.5 {
		t.Errorf("n-gram overlap: %.2f vs %.2f; ocr %.2f", cosine(c[0], c[1]), cosine(c[0], c[2]), cosine(c[3], c[4]))
	}
}

func TestEmbedHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New(8).Embed(ctx, []string{"x"}); err == nil {
		t.Error("a cancelled context must stop embedding")
	}
}

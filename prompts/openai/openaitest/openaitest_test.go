package openaitest

import (
	"math"
	"slices"
	"testing"
)

func TestVector(t *testing.T) {
	a, b := Vector("leerplicht", 16), Vector("leerplicht", 16)
	if !slices.Equal(a, b) {
		t.Error("Vector is not deterministic")
	}
	if slices.Equal(a, Vector("verzuim", 16)) {
		t.Error("different texts give the same vector")
	}
	var sum float64
	for _, x := range a {
		sum += float64(x) * float64(x)
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("squared length %v, want 1", sum)
	}
}

package ecco

import (
	"testing"
)

func BenchmarkScratchGrad(b *testing.B) {
	lm := benchLM(b)
	e, _ := lm.Model.Embeddings(make([]int, 45))
	lm.Model.EmbeddingGradient(e, 1, 13, []float32{1})
	for b.Loop() {
		if _, _, err := lm.Model.EmbeddingGradient(e, 1, 13, []float32{1}); err != nil {
			b.Fatal(err)
		}
	}
}

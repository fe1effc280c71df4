package seq2seq_test

import (
	"os"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/t5"
	"github.com/gomlx/compute/gobackend"
)

// The benchmarks run on the T5 model in $ECCO_BENCH_T5 (`ecco testmodel -family t5-small -out
// DIR -vocab-from tests/testdata/models/tiny-a`) and skip without it:
//
//	ECCO_BENCH_T5=/tmp/t5s GOEXPERIMENT=simd go test -run XXX -bench . -benchtime 3x ./ecco/family/seq2seq
func benchModel(b *testing.B) family.Seq2Seq {
	dir := os.Getenv("ECCO_BENCH_T5")
	if dir == "" {
		b.Skip("ECCO_BENCH_T5 is not set")
	}
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		b.Fatal(err)
	}
	m, err := t5.Load(backend, dir)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchIDs are n ids spread over the vocabulary.
func benchIDs(n, vocab int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = (i*7919 + 13) % vocab
	}
	return ids
}

// BenchmarkGenerate20 encodes a 30-token source and runs 20 greedy KV-cached decoder steps.
func BenchmarkGenerate20(b *testing.B) {
	m := benchModel(b)
	src := benchIDs(30, m.Info().Vocab)
	for b.Loop() {
		enc, _, err := m.Encode(src, family.StepOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var cache *family.Cache
		next := m.DecoderStart()
		for range 20 {
			out, err := m.Step(enc, []int{next}, cache, family.StepOptions{})
			if err != nil {
				b.Fatal(err)
			}
			cache, next = out.Cache, argmax(out.Logits[0])
		}
	}
}

// BenchmarkGradXInput20 is one EmbeddingGradients call for grad×input of 20 generated tokens
// after a 30-token source (B = 1, 20 targets over one decoder sequence).
func BenchmarkGradXInput20(b *testing.B) {
	m := benchModel(b)
	src, dec := benchIDs(30, m.Info().Vocab), benchIDs(20, m.Info().Vocab)
	enc, err := m.Embeddings(src)
	if err != nil {
		b.Fatal(err)
	}
	decE, err := m.Embeddings(dec)
	if err != nil {
		b.Fatal(err)
	}
	targets := make([]family.Target, 20)
	for j := range targets {
		targets[j] = family.Target{Position: j, ID: (j * 31) % m.Info().Vocab}
	}
	for b.Loop() {
		if _, _, _, err := m.EmbeddingGradients(enc, decE, 1, targets, []float32{1}); err != nil {
			b.Fatal(err)
		}
	}
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

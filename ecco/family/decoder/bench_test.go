package decoder_test

import (
	"os"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/gomlx/compute/gobackend"
)

// The benchmarks run on the LLaMA-family model in $ECCO_BENCH_MODEL (`ecco testmodel -family
// smollm-135m -out DIR ...`) and skip without it:
//
//	ECCO_BENCH_MODEL=/tmp/smol GOEXPERIMENT=simd go test -run XXX -bench . -benchtime 3x ./ecco/family/decoder
func benchModel(b *testing.B) *decoder.Model {
	dir := os.Getenv("ECCO_BENCH_MODEL")
	if dir == "" {
		b.Skip("ECCO_BENCH_MODEL is not set")
	}
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		b.Fatal(err)
	}
	m, err := llama.Load(backend, dir)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchGradients times one EmbeddingGradients call of a 28-token prompt and generated tokens:
// grad×input's (B = 1, one target per generated token) or one integrated-gradients chunk
// (B scaled copies, one target).
func benchGradients(b *testing.B, prompt, generated, batch int) {
	m := benchModel(b)
	ids := make([]int, prompt+generated)
	for i := range ids {
		ids[i] = (i*7919 + 13) % m.Info().Vocab
	}
	embeds, err := m.Embeddings(ids)
	if err != nil {
		b.Fatal(err)
	}
	var targets []family.Target
	for i := range generated {
		targets = append(targets, family.Target{Position: prompt + i - 1, ID: ids[prompt+i]})
	}
	rows, coef := make([]float32, 0, batch*len(embeds)), make([]float32, batch)
	for r := range batch {
		alpha := float32(r+1) / float32(batch)
		for _, e := range embeds {
			rows = append(rows, alpha*e)
		}
		coef[r] = 1 / float32(batch)
	}
	for b.Loop() {
		if _, _, err := m.EmbeddingGradients(rows, batch, targets, coef); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGradXInput35(b *testing.B)             { benchGradients(b, 28, 35, 1) }
func BenchmarkGradXInput10(b *testing.B)             { benchGradients(b, 28, 10, 1) }
func BenchmarkIntegratedGradientsChunk(b *testing.B) { benchGradients(b, 28, 1, 26) }

// BenchmarkDecode35 times KV-cached decoding of 35 tokens after a 28-token prompt, FFN neurons
// captured at each step (generate 35 with activations, without the sampling).
func BenchmarkDecode35(b *testing.B) {
	m := benchModel(b)
	ids := make([]int, 28)
	for i := range ids {
		ids[i] = (i*7919 + 13) % m.Info().Vocab
	}
	opts := family.StepOptions{FFN: true}
	for b.Loop() {
		step, err := m.Step(ids, nil, opts)
		for i := 0; err == nil && i < 35; i++ {
			step, err = m.Step([]int{(i*31 + 7) % m.Info().Vocab}, step.Cache, opts)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

package ecco

import (
	"os"
	"testing"
)

// The encoder–decoder benchmark runs Ecco's workflow on the t5-small-shaped random model in
// $ECCO_BENCH_T5 (6 + 6 layers, 512 wide, vocab 32128, 60.5 M parameters) with the 1000-piece
// SentencePiece Unigram tokenizer of ecco/tokenizer's tests, and skips without it:
//
//	go run ./cmd/ecco testmodel -out /tmp/t5s -vocab-from ecco/tokenizer/testdata/unigram -family t5-small
//	ECCO_BENCH_T5=/tmp/t5s go test -run XXX -bench T5Small -benchtime 3x ./ecco

// t5SmallSource is the benchmark's source: 30 tokens with that tokenizer.
const t5SmallSource = "translate English to German: The house is small."

// BenchmarkT5SmallGenerate20GradXInput: a 30-token source, 20 greedy tokens with activations
// and grad×input over source and target (the compiled graphs are reused after the first run).
func BenchmarkT5SmallGenerate20GradXInput(b *testing.B) {
	dir := os.Getenv("ECCO_BENCH_T5")
	if dir == "" {
		b.Skip("ECCO_BENCH_T5 is not set")
	}
	lm, err := FromPretrained(dir, WithActivations())
	if err != nil {
		b.Fatal(err)
	}
	if ids, err := lm.Encode(t5SmallSource); err != nil || len(ids) != 30 {
		b.Fatalf("the source is %d tokens (%v), want 30: write the model with -vocab-from ecco/tokenizer/testdata/unigram", len(ids), err)
	}
	for b.Loop() {
		if _, err := lm.Generate(t5SmallSource, GenerateOptions{Tokens: 20, Attribution: []Method{GradXInput}}); err != nil {
			b.Fatal(err)
		}
	}
}

package ecco

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// The encoder–decoder benchmark runs a t5-small-shaped model with random weights (6 + 6 layers,
// 512 wide, 8 heads of 64, FFN 2048, ReLU, vocab 32128: 60.5 M parameters, tied head) with a
// 1000-piece SentencePiece Unigram tokenizer (ecco/tokenizer's test model), written once per
// run into a temporary folder that is kept (its path is logged, for `ecco generate`):
//
//	go test -run XXX -bench T5Small -benchtime 1x -v ./ecco

// t5SmallSource is the benchmark's source: 30 tokens with the Unigram tokenizer.
const t5SmallSource = "translate English to German: The house is small."

var (
	t5SmallOnce sync.Once
	t5SmallPath string
	t5SmallErr  error
)

// t5SmallDir writes the random t5-small-shaped model and returns its folder.
func t5SmallDir(b *testing.B) string {
	t5SmallOnce.Do(func() {
		t5SmallPath, t5SmallErr = os.MkdirTemp("", "ecco-bench-t5-small-")
		if t5SmallErr == nil {
			t5SmallErr = writeRandomT5(t5SmallPath, 6, 512, 8, 2048, 32128)
		}
	})
	if t5SmallErr != nil {
		b.Fatal(t5SmallErr)
	}
	b.Logf("model written to %s", t5SmallPath)
	return t5SmallPath
}

// writeRandomT5 writes a T5 v1.0 checkpoint (tied embeddings, ReLU) with N(0, 0.05²) matrices,
// unit norm weights and the Unigram tokenizer of ecco/tokenizer's tests.
func writeRandomT5(dir string, layers, width, heads, inner, vocab int) error {
	cfg := map[string]any{"model_type": "t5", "architectures": []string{"T5ForConditionalGeneration"},
		"d_model": width, "d_kv": width / heads, "num_heads": heads, "d_ff": inner, "num_layers": layers, "num_decoder_layers": layers,
		"relative_attention_num_buckets": 32, "relative_attention_max_distance": 128, "feed_forward_proj": "relu",
		"layer_norm_epsilon": 1e-6, "vocab_size": vocab, "decoder_start_token_id": 0, "pad_token_id": 0, "eos_token_id": 1}
	data, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o644); err != nil {
		return err
	}
	tok, err := os.ReadFile(filepath.Join("tokenizer", "testdata", "unigram", "tokenizer.json"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), tok, 0o644); err != nil {
		return err
	}
	shapes := map[string][]int{"shared.weight": {vocab, width}}
	attention := func(prefix string) {
		for _, m := range []string{"q", "k", "v", "o"} {
			shapes[prefix+"."+m+".weight"] = []int{width, width}
		}
	}
	for _, stack := range []string{"encoder", "decoder"} {
		ffn := 1
		if stack == "decoder" {
			ffn = 2
			for i := range layers {
				attention(fmt.Sprintf("decoder.block.%d.layer.1.EncDecAttention", i))
				shapes[fmt.Sprintf("decoder.block.%d.layer.1.layer_norm.weight", i)] = []int{width}
			}
		}
		shapes[stack+".block.0.layer.0.SelfAttention.relative_attention_bias.weight"] = []int{32, heads}
		shapes[stack+".final_layer_norm.weight"] = []int{width}
		for i := range layers {
			block := fmt.Sprintf("%s.block.%d.layer.", stack, i)
			attention(block + "0.SelfAttention")
			shapes[block+"0.layer_norm.weight"] = []int{width}
			shapes[fmt.Sprintf("%s%d.DenseReluDense.wi.weight", block, ffn)] = []int{inner, width}
			shapes[fmt.Sprintf("%s%d.DenseReluDense.wo.weight", block, ffn)] = []int{width, inner}
			shapes[fmt.Sprintf("%s%d.layer_norm.weight", block, ffn)] = []int{width}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var tensors []safetensors.Tensor
	for name, shape := range shapes {
		n := 1
		for _, d := range shape {
			n *= d
		}
		values := make([]float32, n)
		for i := range values {
			if len(shape) == 1 {
				values[i] = 1 // a norm's weight
			} else {
				values[i] = float32(rng.NormFloat64() * 0.05)
			}
		}
		tensors = append(tensors, safetensors.Tensor{Name: name, Shape: shape, Data: values})
	}
	return safetensors.Write(filepath.Join(dir, "model.safetensors"), tensors, safetensors.DType("F32"), nil)
}

// BenchmarkT5SmallGenerate20GradXInput: a 30-token source, 20 greedy tokens with activations
// and grad×input over source and target.
func BenchmarkT5SmallGenerate20GradXInput(b *testing.B) {
	lm, err := FromPretrained(t5SmallDir(b), WithActivations())
	if err != nil {
		b.Fatal(err)
	}
	if ids, err := lm.Encode(t5SmallSource); err != nil || len(ids) != 30 {
		b.Fatalf("the source is %d tokens (%v), want 30", len(ids), err)
	}
	for b.Loop() {
		if _, err := lm.Generate(t5SmallSource, GenerateOptions{Tokens: 20, Attribution: []Method{GradXInput}}); err != nil {
			b.Fatal(err)
		}
	}
}

package ecco

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/ecco/bert"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// The BERT benchmarks run a bert-base-shaped BertForMaskedLM with random weights (12 layers,
// 768 wide, 12 heads, 3072 FFN neurons, vocab 30522; tiny-bert-a's vocab.txt for the
// tokenizer), written once per run into a temporary folder, over a 128-token text:
//
//	go test -run XXX -bench BertBase -benchtime 3x ./ecco

var (
	bertBenchOnce sync.Once
	bertBenchDir  string
	bertBenchErr  error
)

// bertBaseDir writes the random bert-base-shaped model and returns its folder.
func bertBaseDir(b *testing.B) string {
	bertBenchOnce.Do(func() {
		bertBenchDir, bertBenchErr = os.MkdirTemp("", "ecco-bench-bert-base-")
		if bertBenchErr == nil {
			bertBenchErr = writeRandomBert(bertBenchDir)
		}
	})
	if bertBenchErr != nil {
		b.Fatal(bertBenchErr)
	}
	return bertBenchDir
}

func writeRandomBert(dir string) error {
	config := map[string]any{"model_type": "bert", "architectures": []string{"BertForMaskedLM"}, "num_hidden_layers": 12,
		"hidden_size": 768, "num_attention_heads": 12, "intermediate_size": 3072, "max_position_embeddings": 512,
		"type_vocab_size": 2, "vocab_size": 30522, "hidden_act": "gelu", "layer_norm_eps": 1e-12}
	data, _ := json.Marshal(config)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o644); err != nil {
		return err
	}
	for _, f := range []string{"vocab.txt", "tokenizer_config.json"} {
		src, err := os.ReadFile(filepath.Join(testData, "models", bertModel, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f), src, 0o644); err != nil {
			return err
		}
	}
	cfg, err := bert.ParseConfig(data)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var tensors []safetensors.Tensor
	for name, shape := range cfg.Spec("bert.", true).Want {
		n := 1
		for _, d := range shape {
			n *= d
		}
		values := make([]float32, n)
		switch {
		case strings.HasSuffix(name, "LayerNorm.weight"):
			for i := range values {
				values[i] = 1
			}
		case !strings.HasSuffix(name, "bias"):
			for i := range values {
				values[i] = float32(rng.NormFloat64() * 0.02)
			}
		}
		tensors = append(tensors, safetensors.Tensor{Name: name, Shape: shape, Data: values})
	}
	return safetensors.Write(filepath.Join(dir, "model.safetensors"), tensors, safetensors.DType("F32"), nil)
}

// bertBenchText returns a text of exactly n tokens with [CLS] and [SEP], a [MASK] in the middle.
func bertBenchText(b *testing.B, lm *LM, n int) string {
	words := strings.Fields(strings.ToLower(benchPrompt))
	var parts []string
	for i := 0; len(lm.Tokenizer.EncodeWithSpecialTokens(strings.Join(parts, " "))) < n; i++ {
		parts = append(parts, words[i%len(words)])
		if len(parts) == 20 {
			parts = append(parts, "[MASK]")
		}
	}
	for len(lm.Tokenizer.EncodeWithSpecialTokens(strings.Join(parts, " "))) > n {
		parts = parts[:len(parts)-1]
	}
	text := strings.Join(parts, " ")
	for len(lm.Tokenizer.EncodeWithSpecialTokens(text)) < n {
		text += " the"
	}
	if got := len(lm.Tokenizer.EncodeWithSpecialTokens(text)); got != n {
		b.Fatalf("bench text is %d tokens, want %d", got, n)
	}
	return text
}

func bertBench(b *testing.B) (*LM, string) {
	lm, err := FromPretrained(bertBaseDir(b), WithActivations())
	if err != nil {
		b.Fatal(err)
	}
	return lm, bertBenchText(b, lm, 128)
}

// BenchmarkBertBaseForwardNMF is Ecco's BERT walkthrough: one forward pass over 128 tokens with
// every layer's activations (12 × 3072 × 128), then run_nmf(10).
func BenchmarkBertBaseForwardNMF(b *testing.B) {
	lm, text := bertBench(b)
	for b.Loop() {
		out, err := lm.ForwardEncoder(text)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := out.RunNMF(10, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBertBaseForward is the forward pass with activations alone.
func BenchmarkBertBaseForward(b *testing.B) {
	lm, text := bertBench(b)
	for b.Loop() {
		if _, err := lm.ForwardEncoder(text); err != nil {
			b.Fatal(err)
		}
	}
}

func benchMaskSaliency(b *testing.B, method Method) {
	lm, text := bertBench(b)
	out, err := lm.ForwardEncoder(text)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := out.AttributeMask(method, -1, -1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBertBaseMaskGradXInput attributes the [MASK]'s top prediction over the 128 tokens.
func BenchmarkBertBaseMaskGradXInput(b *testing.B) { benchMaskSaliency(b, GradXInput) }

// BenchmarkBertBaseMaskIG is integrated gradients (50 steps, one batch of 52) over the 128 tokens.
func BenchmarkBertBaseMaskIG(b *testing.B) { benchMaskSaliency(b, IntegratedGradients) }

package ecco

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/ecco/bert"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// The encoder benchmarks run encoders of a real model's shape with random weights, written once
// per run into a temporary folder, over a 128-token text: a bert-base-shaped BertForMaskedLM
// (12 layers, 768 wide, 12 heads, 3072 FFN neurons, vocab 30522; tiny-bert-a's vocab.txt for
// the tokenizer) and a roberta-base-shaped RobertaForMaskedLM (vocab 50265, 514 positions;
// tiny-roberta-a's tokenizer.json):
//
//	go test -run XXX -bench 'BertBase|RobertaBase' -benchtime 3x ./ecco

// benchEncoder is one benchmark model: its config, checkpoint prefix, tokenizer and mask token.
type benchEncoder struct {
	config        map[string]any
	prefix        string
	tokenizerFrom string   // reference model whose tokenizer files are copied
	files         []string // those files
	mask          string
	dir           func() (string, error) // writes the model once
}

var baseConfig = map[string]any{"num_hidden_layers": 12, "hidden_size": 768, "num_attention_heads": 12, "intermediate_size": 3072,
	"hidden_act": "gelu"}

func withBase(extra map[string]any) map[string]any {
	c := maps.Clone(baseConfig)
	maps.Copy(c, extra)
	return c
}

var (
	bertBase = newBenchEncoder(benchEncoder{config: withBase(map[string]any{"model_type": "bert", "architectures": []string{"BertForMaskedLM"},
		"max_position_embeddings": 512, "type_vocab_size": 2, "vocab_size": 30522, "layer_norm_eps": 1e-12}),
		prefix: "bert.", tokenizerFrom: bertModel, files: []string{"vocab.txt", "tokenizer_config.json"}, mask: "[MASK]"})
	robertaBase = newBenchEncoder(benchEncoder{config: withBase(map[string]any{"model_type": "roberta", "architectures": []string{"RobertaForMaskedLM"},
		"max_position_embeddings": 514, "type_vocab_size": 1, "vocab_size": 50265, "layer_norm_eps": 1e-5, "pad_token_id": 1}),
		prefix: "roberta.", tokenizerFrom: "tiny-roberta-a", files: []string{"tokenizer.json", "tokenizer_config.json"}, mask: "<mask>"})
)

func newBenchEncoder(e benchEncoder) *benchEncoder {
	e.dir = sync.OnceValues(func() (string, error) {
		dir, err := os.MkdirTemp("", "ecco-bench-"+e.config["model_type"].(string)+"-")
		if err == nil {
			err = e.write(dir)
		}
		return dir, err
	})
	return &e
}

// folder writes the model on first use and returns its folder.
func (e *benchEncoder) folder(b *testing.B) string {
	dir, err := e.dir()
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// write puts config.json, the tokenizer files and random weights (N(0, 0.02²), unit layer-norm
// scales, zero biases) into dir.
func (e *benchEncoder) write(dir string) error {
	data, _ := json.Marshal(e.config)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o644); err != nil {
		return err
	}
	for _, f := range e.files {
		src, err := os.ReadFile(filepath.Join(testData, "models", e.tokenizerFrom, f))
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
	for name, shape := range cfg.Spec(e.prefix, true).Want {
		n := 1
		for _, d := range shape {
			n *= d
		}
		values := make([]float32, n)
		switch {
		case strings.HasSuffix(strings.ToLower(name), "norm.weight"):
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

// bertBenchText returns a text of exactly n tokens with the special tokens, a mask in the middle.
func bertBenchText(b *testing.B, lm *LM, n int, mask string) string {
	words := strings.Fields(strings.ToLower(benchPrompt))
	var parts []string
	for i := 0; len(lm.Tokenizer.EncodeWithSpecialTokens(strings.Join(parts, " "))) < n; i++ {
		parts = append(parts, words[i%len(words)])
		if len(parts) == 20 {
			parts = append(parts, mask)
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

func bertBench(b *testing.B) (*LM, string) { return bertBase.load(b) }

// load reads the model with activations on and makes its 128-token text.
func (e *benchEncoder) load(b *testing.B) (*LM, string) {
	lm, err := FromPretrained(e.folder(b), WithActivations())
	if err != nil {
		b.Fatal(err)
	}
	return lm, bertBenchText(b, lm, 128, e.mask)
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

// BenchmarkRobertaBaseForwardMaskGradXInput is one explanation of a masked word with a
// roberta-base-shaped model: the forward pass over 128 tokens with every layer's activations
// (12 × 3072 × 128), then grad×input of the <mask>'s top prediction. One run before the timed
// ones builds the graphs.
func BenchmarkRobertaBaseForwardMaskGradXInput(b *testing.B) {
	lm, text := robertaBase.load(b)
	explain := func() {
		out, err := lm.ForwardEncoder(text)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := out.AttributeMask(GradXInput, -1, -1); err != nil {
			b.Fatal(err)
		}
	}
	explain()
	for b.Loop() {
		explain()
	}
}

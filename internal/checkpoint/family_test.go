package checkpoint_test

import (
	"encoding/json"
	"testing"

	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/ecco-go/ecco/internal/checkpoint"
	"github.com/ecco-go/ecco/internal/testmodel"
)

// parameters counts the weights the family's loader wants for config.
func parameters(t *testing.T, config map[string]any) int64 {
	t.Helper()
	want, err := testmodel.Shapes(config)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, shape := range want {
		n += checkpoint.Size(shape)
	}
	return n
}

// TestFamilyPresetsHaveTheHubShapes counts each preset's parameters at its own vocabulary: the
// figures of the hub models they copy; and the shapes issue 19's benchmarks name, at GPT-2's
// vocabulary (SmolLM-135M with 9 key/value heads).
func TestFamilyPresetsHaveTheHubShapes(t *testing.T) {
	for _, c := range []struct {
		name    string
		o       checkpoint.FamilyOptions
		want    int64
		kvHeads int
	}{
		{"smollm-135m", checkpoint.FamilyOptions{EOS: -1}, 134_515_008, 3},
		{"qwen2.5-0.5b", checkpoint.FamilyOptions{EOS: -1}, 494_032_768, 2},
		{"tinyllama-1.1b", checkpoint.FamilyOptions{EOS: -1}, 1_100_048_384, 4},
		{"llama-3.2-1b", checkpoint.FamilyOptions{EOS: -1}, 1_235_814_400, 8},
		{"qwen3-0.6b", checkpoint.FamilyOptions{EOS: -1}, 596_049_920, 8},
		{"gemma3-1b", checkpoint.FamilyOptions{EOS: -1}, 999_885_952, 1},
		// 30 × (4·576² attention + 3·576·1536 FFN + 2·576 norms) + 50257·576 + 576.
		{"smollm-135m", checkpoint.FamilyOptions{Vocab: 50257, EOS: 50256, KVHeads: 9}, 30*(4*576*576+3*576*1536+2*576) + 50257*576 + 576, 9},
		// Llama-3.2-1B's body at GPT-2's vocabulary: 16 × (2·2048² + 2·2048·512 attention +
		// 3·2048·8192 FFN + 2·2048 norms) + 50257·2048 tied embeddings + 2048.
		{"llama-3.2-1b", checkpoint.FamilyOptions{Vocab: 50257, VocabSize: 50257, EOS: 50256}, 16*(2*2048*2048+2*2048*512+3*2048*8192+2*2048) + 50257*2048 + 2048, 8},
		// Pythia at its own vocabulary and with GPT-2's tokenizer, whose 50257 ids fit under
		// Pythia's 50304 rows: the hub models' counts either way.
		{"pythia-160m", checkpoint.FamilyOptions{EOS: -1}, 162_322_944, 0},
		{"pythia-160m", checkpoint.FamilyOptions{Vocab: 50257, EOS: 50256}, 162_322_944, 0},
		{"pythia-1b", checkpoint.FamilyOptions{Vocab: 50257, EOS: 50256}, 1_011_781_632, 0},
		// t5-small's 60,506,624 (tied head); bart-base's 139,420,416 plus its final_logits_bias
		// buffer of 50,265.
		{"t5-small", checkpoint.FamilyOptions{EOS: -1}, 60_506_624, 0},
		{"bart-base", checkpoint.FamilyOptions{EOS: -1}, 139_420_416 + 50_265, 0},
	} {
		config := checkpoint.FamilyConfig(c.name, c.o)
		if got := parameters(t, config); got != c.want {
			t.Errorf("%s %+v: %d parameters, want %d", c.name, c.o, got, c.want)
		}
		if kv, ok := config["num_key_value_heads"]; ok && kv != c.kvHeads || !ok && c.kvHeads != 0 {
			t.Errorf("%s %+v: %v key/value heads, want %d", c.name, c.o, config["num_key_value_heads"], c.kvHeads)
		}
	}
}

// TestLlama32Config: the llama-3.2-1b preset reads as the real model's configuration, llama3
// rope scaling and tied embeddings included.
func TestLlama32Config(t *testing.T) {
	data, err := json.Marshal(checkpoint.FamilyConfig("llama-3.2-1b", checkpoint.FamilyOptions{Vocab: 50257, EOS: 50256, DType: "F32"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := llama.ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Layers != 16 || cfg.Width != 2048 || cfg.Heads != 32 || cfg.KVHeads != 8 || cfg.HeadDim != 64 || cfg.Vocab != 128256 {
		t.Errorf("shape %+v", cfg)
	}
	if cfg.RopeTheta != 500000 || cfg.Rope.Type != "llama3" || cfg.Rope.Factor != 32 || cfg.Rope.LowFreqFactor != 1 || cfg.Rope.HighFreqFactor != 4 || cfg.Rope.OriginalContext != 8192 {
		t.Errorf("rope: theta %g, scaling %+v", cfg.RopeTheta, cfg.Rope)
	}
	if !cfg.Tied {
		t.Errorf("want tied embeddings")
	}
}

package t5

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/refdata"
)

// TestCheckpointErrors: a missing, misshapen or unexpected tensor is one error naming it.
func TestCheckpointErrors(t *testing.T) {
	src := refdata.EncDecModelDir(tiny)
	const tensor = "decoder.block.1.layer.1.EncDecAttention.k.weight"
	drop := func(name string) string {
		if name == tensor {
			return ""
		}
		return name
	}
	missing := familytest.Rewrite(t, src, drop, nil, "config.json")
	if _, err := Load(familytest.Backend(t), missing); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" is missing (expected shape [64 64]`) || !strings.Contains(err.Error(), missing) {
		t.Errorf("without %s: error %v", tensor, err)
	}
	bad := familytest.Rewrite(t, src, drop, []safetensors.Tensor{{Name: tensor, Shape: []int{3, 5}, Data: make([]float32, 15)}}, "config.json")
	if _, err := Load(familytest.Backend(t), bad); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" has shape [3 5], expected [64 64]`) {
		t.Errorf("with %s misshapen: error %v", tensor, err)
	}
	const perLayer = "encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"
	extra := familytest.Rewrite(t, src, func(name string) string { return name }, []safetensors.Tensor{{Name: perLayer, Shape: []int{32, 4}, Data: make([]float32, 128)}}, "config.json")
	if _, err := Load(familytest.Backend(t), extra); err == nil || !strings.Contains(err.Error(), `unexpected tensor "`+perLayer+`"`) {
		t.Errorf("with a bias table in block 1: error %v", err)
	}
}

// TestConfigErrors: an unsupported feed_forward_proj or position scheme, or a missing size, is
// one error naming the key; through Load it names the file.
func TestConfigErrors(t *testing.T) {
	config, err := os.ReadFile(filepath.Join(refdata.EncDecModelDir(tiny), "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	for want, edit := range map[string]func(map[string]any){
		`unsupported feed_forward_proj "gated-tanh"`:                    func(c map[string]any) { c["feed_forward_proj"] = "gated-tanh" },
		`unsupported feed_forward_proj "double-relu"`:                   func(c map[string]any) { c["feed_forward_proj"] = "double-relu" },
		`model_type "umt5": unsupported position scheme`:                func(c map[string]any) { c["model_type"] = "umt5" },
		`unsupported position scheme: relative_attention_num_buckets 2`: func(c map[string]any) { c["relative_attention_num_buckets"] = 2 },
		`missing "d_kv"`:                      func(c map[string]any) { delete(c, "d_kv") },
		`"num_decoder_layers" is 0`:           func(c map[string]any) { c["num_decoder_layers"] = 0 },
		`model_type "bart" is not a T5 model`: func(c map[string]any) { c["model_type"] = "bart" },
	} {
		if _, err := ParseConfig(familytest.EditedConfig(t, string(config), edit)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
	dir := familytest.Rewrite(t, refdata.EncDecModelDir(tiny), func(name string) string { return name }, nil)
	edited := familytest.EditedConfig(t, string(config), func(c map[string]any) { c["feed_forward_proj"] = "gated-tanh" })
	if err := os.WriteFile(filepath.Join(dir, "config.json"), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(familytest.Backend(t), dir); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "config.json")) {
		t.Errorf("Load of a bad config: want an error naming %s/config.json, got %v", dir, err)
	}
}

// TestInputErrors: ids outside the vocabulary, a step without an encoded source and gradients of
// a malformed batch are errors; T5's relative positions take a source longer than any table.
func TestInputErrors(t *testing.T) {
	m := loadTiny(t)
	if _, _, err := m.Encode([]int{1, 50257}, family.StepOptions{}); err == nil || !strings.Contains(err.Error(), "token id 50257 at index 1 is outside the vocabulary") {
		t.Errorf("Encode of id 50257: %v", err)
	}
	if _, _, err := m.Encode(nil, family.StepOptions{}); err == nil || !strings.Contains(err.Error(), "no tokens for the encoder") {
		t.Errorf("Encode of no ids: %v", err)
	}
	if _, err := m.Step(nil, []int{0}, nil, family.StepOptions{}); err == nil || !strings.Contains(err.Error(), "encoded source is missing") {
		t.Errorf("Step without a source: %v", err)
	}
	long := slices.Repeat([]int{464, 2068}, 150) // 300 tokens, beyond the 128 buckets' distance
	enc, _, err := m.Encode(long, family.StepOptions{})
	if err != nil {
		t.Fatalf("a 300-token source: %v", err)
	}
	if _, err := m.Step(enc, []int{0}, nil, family.StepOptions{LogitsAt: []int{1}}); err == nil || !strings.Contains(err.Error(), "logits asked at index 1 of 1") {
		t.Errorf("logits beyond the new tokens: %v", err)
	}
	e, _ := m.Embeddings([]int{1, 2})
	if _, _, _, err := m.EmbeddingGradients(e, e[:64], 1, []family.Target{{Position: 1, ID: 3}}, []float32{1}); err == nil || !strings.Contains(err.Error(), "target position 1 is outside the 1 positions") {
		t.Errorf("a target beyond the decoder inputs: %v", err)
	}
	if _, _, _, err := m.EmbeddingGradients(e[:10], e, 1, []family.Target{{Position: 0, ID: 3}}, []float32{1}); err == nil || !strings.Contains(err.Error(), "10 encoder values") {
		t.Errorf("a ragged encoder batch: %v", err)
	}
}

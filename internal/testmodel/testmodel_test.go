package testmodel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/gpt2"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/checkpoint"
	"github.com/ecco-go/ecco/internal/refdata"
)

// TestWriteGPT2Loads writes a small GPT-2 in F16 and opens it with the GPT-2 config reader and
// the safetensors reader: the shape, dtype and tokenizer come out as asked.
func TestWriteGPT2Loads(t *testing.T) {
	s := Spec{VocabFrom: refdata.ModelDir(), Family: "gpt2", DType: "f16", Seed: 1,
		Shape: checkpoint.GPT2Shape{Layers: 1, Width: 16, Heads: 2, Positions: 32}}
	if err := s.Check(); err != nil || s.DType != "F16" {
		t.Fatalf("Check: %v, dtype %q", err, s.DType)
	}
	dir := filepath.Join(t.TempDir(), "m")
	summary, err := Write(s, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(summary, "1 layers, width 16, 2 heads, 64 FFN neurons, 32 positions, vocab 50257;") || !strings.Contains(summary, ", F16, ") {
		t.Errorf("summary %q", summary)
	}
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := gpt2.ParseConfig(data); err != nil || cfg.NLayer != 1 || cfg.NEmbd != 16 || cfg.NHead != 2 || cfg.VocabSize != 50257 || cfg.EOSTokenID != 50256 {
		t.Errorf("config.json: %+v, %v", cfg, err)
	}
	f, err := safetensors.Open(filepath.Join(dir, safetensors.SingleFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, ok := f.Info("transformer.wte.weight")
	if !ok || info.DType != safetensors.F16 || info.Shape[0] != 50257 || info.Shape[1] != 16 {
		t.Errorf("wte: %+v, found %v", info, ok)
	}
}

func TestCheckRejects(t *testing.T) {
	good := Spec{Family: "gpt2", Shape: checkpoint.GPT2Shape{Layers: 1, Width: 16, Heads: 2, Positions: 32}}
	for _, c := range []struct {
		change  func(*Spec)
		mention string
	}{
		{func(s *Spec) { s.Family = "gemma" }, `-family "gemma"`},
		{func(s *Spec) { s.KVHeads = 3 }, "-kv-heads 3"},
		{func(s *Spec) { s.Shape.Heads = 3 }, "not a multiple"},
		{func(s *Spec) { s.Shape.Layers = 0 }, "-layers 0"},
		{func(s *Spec) { s.DType = "F8" }, `-dtype "F8"`},
		{func(s *Spec) { s.VocabSize = 50257 }, "-vocab-size 50257"},
		{func(s *Spec) { s.Family, s.KVHeads = "pythia-160m", 4 }, "-kv-heads 4: want a positive number, with a LLaMA-family -family (GPT-NeoX"},
		{func(s *Spec) { s.Family, s.KVHeads = "t5-small", 4 }, "-kv-heads 4: want a positive number"},
	} {
		s := good
		c.change(&s)
		if err := s.Check(); err == nil || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("want an error mentioning %q, got %v", c.mention, err)
		}
	}
}

// TestPythiaShapes: the Pythia presets are read by the GPT-NeoX loader's Spec, with its fused
// projection and untied head, at Pythia's padded vocabulary.
func TestPythiaShapes(t *testing.T) {
	for name, width := range map[string]int{"pythia-160m": 768, "pythia-1b": 2048} {
		want, err := Shapes(checkpoint.FamilyConfig(name, checkpoint.FamilyOptions{Vocab: 50257, EOS: 50256}))
		if err != nil {
			t.Fatal(err)
		}
		qkv, head := want["gpt_neox.layers.0.attention.query_key_value.weight"], want["embed_out.weight"]
		if len(qkv) != 2 || qkv[0] != 3*width || qkv[1] != width || len(head) != 2 || head[0] != 50304 || head[1] != width {
			t.Errorf("%s: query_key_value %v, embed_out %v", name, qkv, head)
		}
	}
}

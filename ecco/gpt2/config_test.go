package gpt2

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/internal/refdata"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig([]byte(`{"model_type":"gpt2","n_layer":6,"n_embd":768,"n_head":12,"n_positions":1024,"vocab_size":50257,"n_inner":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.NInner != 3072 || c.Activation != "gelu_new" || c.LayerNormEpsilon != 1e-5 || c.HeadDim() != 64 {
		t.Errorf("defaults: %+v", c)
	}
	c, err = ParseConfig([]byte(`{"model_type":"gpt2","n_layer":1,"n_embd":8,"n_head":2,"n_ctx":16,"vocab_size":10,"n_inner":12,"activation_function":"relu"}`))
	if err != nil || c.NPositions != 16 || c.NInner != 12 || c.Activation != "relu" {
		t.Errorf("n_ctx, n_inner, relu: %+v %v", c, err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{`, "malformed JSON"},
		{`{"model_type":"llama","n_layer":1}`, `model_type "llama"`},
		{`{"model_type":"gpt2","n_embd":8,"n_head":2,"n_positions":8,"vocab_size":10}`, `missing "n_layer"`},
		{`{"model_type":"gpt2","n_layer":1,"n_embd":8,"n_head":3,"n_positions":8,"vocab_size":10}`, "not a multiple"},
		{`{"model_type":"gpt2","n_layer":1,"n_embd":8,"n_head":2,"n_positions":8,"vocab_size":10,"activation_function":"swiglu"}`, `activation_function "swiglu"`},
		{`{"model_type":"gpt2","n_layer":0,"n_embd":8,"n_head":2,"n_positions":8,"vocab_size":10}`, "positive"},
		{`{"model_type":"gpt2","n_layer":1,"n_embd":8,"n_head":2,"vocab_size":10}`, `missing "n_positions"`},
		{`{"model_type":"gpt2","n_layer":1,"n_embd":8,"n_head":2,"n_positions":8,"vocab_size":10,"layer_norm_epsilon":-1}`, "layer_norm_epsilon"},
	} {
		if _, err := ParseConfig([]byte(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.json, err, c.want)
		}
	}
	if _, err := LoadConfig(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("missing config.json: %v", err)
	}
	big := fstest.MapFS{"config.json": {Data: make([]byte, 1<<20+1)}} // above family.ReadConfig's bound
	if _, err := LoadConfig(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("huge config.json: %v", err)
	}
}

// mapSource is an in-memory decoder.Source, every tensor in "m.safetensors".
type mapSource map[string]struct {
	data  []float32
	shape []int
}

func (m mapSource) Names() []string {
	var n []string
	for k := range m {
		n = append(n, k)
	}
	return n
}

func (m mapSource) Shape(name string) ([]int, error) {
	t, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("no tensor %q", name)
	}
	return t.shape, nil
}

func (m mapSource) ReadFloat32(name string, dst []float32) error {
	t := m[name]
	if len(dst) != len(t.data) {
		return fmt.Errorf("tensor %q has %d values, destination %d", name, len(t.data), len(dst))
	}
	copy(dst, t.data)
	return nil
}

func (m mapSource) Where(string) string { return "m.safetensors" }

func tinyConfig() *Config {
	return &Config{ModelType: "gpt2", NLayer: 1, NEmbd: 4, NHead: 2, NPositions: 8, NInner: 16, Activation: "gelu_new", LayerNormEpsilon: 1e-5, VocabSize: 10}
}

// fullSource has every tensor of tinyConfig, with prefix.
func fullSource(prefix string) mapSource {
	src := mapSource{}
	for k, shape := range CheckpointShapes(tinyConfig()) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		src[prefix+k] = struct {
			data  []float32
			shape []int
		}{make([]float32, n), shape}
	}
	return src
}

// read checks src against the Spec of a tinyConfig checkpoint.
func read(src mapSource) error {
	_, err := decoder.Read(src, tinyConfig().Checkpoint(src.Names()).Spec(), "m.safetensors")
	return err
}

func TestSpecLayoutsAndErrors(t *testing.T) {
	for _, prefix := range []string{"", "transformer."} {
		src := fullSource(prefix)
		src[prefix+"h.0.attn.bias"] = struct {
			data  []float32
			shape []int
		}{make([]float32, 64), []int{1, 1, 8, 8}}
		src["lm_head.weight"] = src[prefix+"wte.weight"]
		if err := read(src); err != nil {
			t.Errorf("prefix %q with attn.bias buffer and lm_head.weight: %v", prefix, err)
		}
	}
	missing := fullSource("")
	delete(missing, "h.0.mlp.c_fc.bias")
	if err := read(missing); err == nil || !strings.Contains(err.Error(), `"h.0.mlp.c_fc.bias" is missing`) || !strings.Contains(err.Error(), "m.safetensors") {
		t.Errorf("missing tensor: %v", err)
	}
	wrong := fullSource("")
	wrong["ln_f.weight"] = struct {
		data  []float32
		shape []int
	}{make([]float32, 5), []int{5}}
	if err := read(wrong); err == nil || !strings.Contains(err.Error(), "shape [5], expected [4]") {
		t.Errorf("wrong shape: %v", err)
	}
	head := fullSource("transformer.")
	head["lm_head.weight"] = head["transformer.ln_f.weight"]
	if err := read(head); err == nil || !strings.Contains(err.Error(), `"lm_head.weight" has shape [4], expected [10 4]`) {
		t.Errorf("lm_head.weight of another shape: %v", err)
	}
	extra := fullSource("")
	extra["h.1.ln_1.weight"] = struct {
		data  []float32
		shape []int
	}{make([]float32, 4), []int{4}}
	if err := read(extra); err == nil || !strings.Contains(err.Error(), "unexpected tensor") {
		t.Errorf("extra layer: %v", err)
	}
}

func TestLoadRequiresSafetensors(t *testing.T) {
	dir := t.TempDir()
	cfg, _ := os.ReadFile(filepath.Join(refdata.ModelDir(), "config.json"))
	os.WriteFile(filepath.Join(dir, "config.json"), cfg, 0o644)
	os.WriteFile(filepath.Join(dir, "pytorch_model.bin"), []byte("not unpickled"), 0o644)
	if _, err := Load(familytest.Backend(t), dir); err == nil || !strings.Contains(err.Error(), "safetensors is required") {
		t.Errorf("pytorch_model.bin only: %v", err)
	}
}

package neox

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// smallConfig is a GPT-NeoX small enough for finite differences: head width 8 with half of it
// rotated (r = 4), the sequential residual.
const smallConfig = `{"model_type": "gpt_neox", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
 "num_attention_heads": 2, "rotary_pct": 0.5, "rotary_emb_base": 10000, "use_parallel_residual": false,
 "max_position_embeddings": 32, "vocab_size": 40, "hidden_act": "gelu", "eos_token_id": 2}`

// edited returns smallConfig with edit applied to its keys.
func edited(t *testing.T, edit func(map[string]any)) []byte {
	return familytest.EditedConfig(t, smallConfig, edit)
}

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(edited(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HeadDim != 8 || c.RotaryDims != 4 || c.Parallel || c.Tied || !c.Bias || len(c.InverseFrequencies()) != 2 {
		t.Errorf("config %+v", c)
	}
	// GPTNeoXConfig's defaults: parallel residual, a quarter of each head rotated, biases.
	d, err := ParseConfig(edited(t, func(r map[string]any) { delete(r, "rotary_pct"); delete(r, "use_parallel_residual") }))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Parallel || d.RotaryDims != 2 {
		t.Errorf("defaults: parallel %v, rotary dims %d", d.Parallel, d.RotaryDims)
	}
	l, err := ParseConfig(edited(t, func(r map[string]any) { r["rope_scaling"] = map[string]any{"type": "linear", "factor": 4} }))
	if err != nil {
		t.Fatal(err)
	}
	if inv := l.InverseFrequencies(); inv[0] != 0.25 || inv[1] != 0.01/4 {
		t.Errorf("linear rope_scaling: frequencies %v, want [0.25 0.0025]", inv)
	}
	// transformers 5 moves the base, the fraction and the scaling into rope_parameters.
	v5, err := ParseConfig(edited(t, func(r map[string]any) {
		delete(r, "rotary_pct")
		delete(r, "rotary_emb_base")
		r["rope_parameters"] = map[string]any{"rope_type": "default", "rope_theta": 500, "partial_rotary_factor": 1}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if v5.RotaryDims != 8 || v5.RotaryBase != 500 {
		t.Errorf("rope_parameters: rotary dims %d, base %g", v5.RotaryDims, v5.RotaryBase)
	}
	for _, c := range []struct {
		edit func(map[string]any)
		want string
	}{
		{func(r map[string]any) { r["model_type"] = "gpt_neo" }, `model_type "gpt_neo" is not "gpt_neox"`},
		{func(r map[string]any) { r["rotary_pct"] = 0.125 }, `"rotary_pct" 0.125 gives 1 rotary dimensions of head width 8`},
		{func(r map[string]any) { r["rotary_pct"] = 1.5 }, `"rotary_pct" is 1.5`},
		{func(r map[string]any) { delete(r, "rotary_pct"); r["partial_rotary_factor"] = 0.125 }, `"partial_rotary_factor" 0.125 gives 1 rotary dimensions`},
		{func(r map[string]any) { r["rope_scaling"] = map[string]any{"type": "dynamic", "factor": 2} }, `"rope_scaling" type "dynamic" is not supported`},
		{func(r map[string]any) { r["rope_scaling"] = map[string]any{"type": "linear"} }, `"rope_scaling" type "linear" needs a positive "factor"`},
		{func(r map[string]any) { r["rope_parameters"] = map[string]any{"rope_type": "yarn", "factor": 2} }, `"rope_parameters" type "yarn" is not supported`},
		{func(r map[string]any) { r["rope_scaling"] = "linear" }, `"rope_scaling" is "linear": want an object`},
		{func(r map[string]any) { r["rotary_emb_base"] = -1 }, `"rotary_emb_base" is -1`},
		{func(r map[string]any) { r["hidden_size"] = 17 }, "hidden_size 17 is not a multiple of num_attention_heads 2"},
		{func(r map[string]any) { delete(r, "vocab_size") }, `missing "vocab_size"`},
		{func(r map[string]any) { r["hidden_act"] = "mish" }, `hidden_act "mish" is not supported`},
		{func(r map[string]any) { r["layer_norm_eps"] = 0 }, `"layer_norm_eps" is 0`},
	} {
		if _, err := ParseConfig(edited(t, c.edit)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}

// TestGradientsMatchFiniteDifferences checks EmbeddingGradients through partial rotary
// attention, the fused projection read head by head, and both residual kinds against central
// differences.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		config := edited(t, func(r map[string]any) { r["use_parallel_residual"] = parallel })
		c, err := ParseConfig(config)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		familytest.Checkpoint{Config: string(config), Tensors: c.Spec().Want, Std: 0.3, Seed: 3}.Write(t, dir)
		m, err := Load(familytest.Backend(t), dir)
		if err != nil {
			t.Fatal(err)
		}
		familytest.CheckGradients(t, m, []int{5, 9, 1, 33, 7, 20})
	}
}

const (
	reference = familytest.TestData + "/models/tiny-neox-a"
	qkv       = "gpt_neox.layers.1.attention.query_key_value.weight"
)

var sideFiles = []string{"config.json"}

// TestCheckpointVariants loads tiny-neox-a saved as real Pythia checkpoints are (with the
// attention and rotary buffers), and with a tied head: the buffers change nothing, the tied
// model reads embed_in as its head.
func TestCheckpointVariants(t *testing.T) {
	b := familytest.Backend(t)
	ids := []int{464, 3139, 286, 4881, 318}
	logits := func(dir string) []float32 {
		t.Helper()
		m, err := Load(b, dir)
		if err != nil {
			t.Fatal(err)
		}
		out, err := m.Step(ids, nil, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out.Logits[0]
	}
	want := logits(reference)
	var buffers []safetensors.Tensor
	for i := range 2 {
		l := fmt.Sprintf("gpt_neox.layers.%d.attention.", i)
		buffers = append(buffers,
			safetensors.Tensor{Name: l + "bias", Shape: []int{1, 1, 2, 2}, Data: []float32{1, 0, 1, 1}},
			safetensors.Tensor{Name: l + "masked_bias", Shape: []int{}, Data: []float32{-1e9}},
			safetensors.Tensor{Name: l + "rotary_emb.inv_freq", Shape: []int{2}, Data: []float32{1, 0.01}})
	}
	same := func(name string) string { return name }
	got := logits(familytest.Rewrite(t, reference, same, buffers, sideFiles...))
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("with buffers: logit %d is %g, want %g", i, got[i], want[i])
		}
	}

	// Tied: embed_out dropped, and the model's head is embed_in: the untied model whose embed_out
	// is a copy of embed_in.
	set, err := safetensors.OpenDir(reference)
	if err != nil {
		t.Fatal(err)
	}
	embedIn, shape, err := set.Float32(embedKey)
	set.Close()
	if err != nil {
		t.Fatal(err)
	}
	tied := familytest.Rewrite(t, reference, drop(headKey), nil)
	writeConfig(t, tied, func(r map[string]any) { r["tie_word_embeddings"] = true })
	copied := familytest.Rewrite(t, reference, drop(headKey), []safetensors.Tensor{{Name: headKey, Shape: shape, Data: embedIn}}, sideFiles...)
	got, want = logits(tied), logits(copied)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("tied: logit %d is %g, want %g (embed_in as the head)", i, got[i], want[i])
		}
	}
}

// drop is a Rewrite renaming that drops victim.
func drop(victim string) func(string) string {
	return func(name string) string {
		if name == victim {
			return ""
		}
		return name
	}
}

// TestLoadErrors: a missing, a misshapen and an unaccounted-for tensor are each one error naming
// the tensor.
func TestLoadErrors(t *testing.T) {
	b := familytest.Backend(t)
	for _, c := range []struct {
		name   string
		rename func(string) string
		extra  []safetensors.Tensor
		want   string
	}{
		{"missing", drop(qkv), nil, `tensor "` + qkv + `" is missing (expected shape [192 64]`},
		{"shape", drop(qkv), []safetensors.Tensor{{Name: qkv, Shape: []int{64, 64}, Data: make([]float32, 64*64)}}, `tensor "` + qkv + `" has shape [64 64], expected [192 64]`},
		{"extra", func(n string) string { return n }, []safetensors.Tensor{{Name: "gpt_neox.layers.2.mlp.dense_h_to_4h.bias", Shape: []int{256}, Data: make([]float32, 256)}},
			`unexpected tensor "gpt_neox.layers.2.mlp.dense_h_to_4h.bias": the config (num_hidden_layers 2`},
		{"no head", drop(headKey), nil, `tensor "embed_out.weight" is missing`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := familytest.Rewrite(t, reference, c.rename, c.extra, sideFiles...)
			if _, err := Load(b, dir); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// writeConfig writes tiny-neox-a's config.json, edited, into dir.
func writeConfig(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(reference, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	edit(raw)
	data, _ = json.Marshal(raw)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

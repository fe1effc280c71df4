package llama

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// smallConfig is a Qwen2-style model small enough for finite differences: grouped-query
// attention (4 heads over 2 key/value heads), q/k/v biases, a sliding window on layer 1.
const smallConfig = `{"model_type": "qwen2", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
 "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 32, "vocab_size": 40,
 "rms_norm_eps": 1e-6, "rope_theta": 10000, "tie_word_embeddings": true,
 "use_sliding_window": true, "sliding_window": 3, "max_window_layers": 1, "eos_token_id": [2, 3]}`

func small(t *testing.T, edit func(map[string]any)) (string, *Config) {
	t.Helper()
	data := familytest.EditedConfig(t, smallConfig, edit)
	cfg, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), cfg
}

func TestParseConfigReadsTheFamily(t *testing.T) {
	_, c := small(t, nil)
	if c.KVHeads != 2 || c.HeadDim != 4 || !c.QKVBias || c.OBias || !c.Tied || !slices.Equal(c.Windows, []int{0, 3}) || !slices.Equal(c.EOS, []int{2, 3}) {
		t.Errorf("config %+v", c)
	}
	_, m := small(t, func(r map[string]any) { r["model_type"] = "mistral"; r["sliding_window"] = nil })
	if !slices.Equal(m.Windows, []int{0, 0}) || m.QKVBias {
		t.Errorf("mistral with sliding_window null: windows %v, qkv bias %v", m.Windows, m.QKVBias)
	}
	_, l3 := small(t, func(r map[string]any) {
		r["rope_scaling"] = map[string]any{"rope_type": "llama3", "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4, "original_max_position_embeddings": 8}
	})
	inv := l3.InverseFrequencies()
	// Head width 4: frequencies 1 and 0.01, wavelengths 2π and 200π. Context 8: wavelengths above
	// 8/1 are divided by 8, those between 8/4 and 8/1 interpolated with s = (8/λ − 1)/(4 − 1).
	s := (8/(2*math.Pi) - 1) / 3
	if want := []float64{(1-s)/8 + s, 0.01 / 8}; math.Abs(inv[0]-want[0]) > 1e-12 || math.Abs(inv[1]-want[1]) > 1e-12 {
		t.Errorf("llama3 frequencies %v, want %v", inv, want)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, c := range []struct {
		edit func(map[string]any)
		want string
	}{
		{func(r map[string]any) { r["model_type"] = "gemma" }, `model_type "gemma" is not a LLaMA-family type`},
		{func(r map[string]any) { r["rope_scaling"] = map[string]any{"type": "yarn", "factor": 4} }, `rope_scaling type "yarn" is not supported`},
		{func(r map[string]any) { r["rope_scaling"] = map[string]any{"type": "linear"} }, `needs a positive "factor"`},
		{func(r map[string]any) { r["hidden_size"] = 18 }, "hidden_size 18 is not a multiple of num_attention_heads 4"},
		{func(r map[string]any) { r["num_key_value_heads"] = 3 }, "num_attention_heads 4 is not a multiple of num_key_value_heads 3"},
		{func(r map[string]any) { delete(r, "vocab_size") }, `missing "vocab_size"`},
		{func(r map[string]any) { r["hidden_act"] = "gelu" }, `hidden_act "gelu" is not supported`},
		{func(r map[string]any) { r["sliding_window"] = -2 }, `"sliding_window" is -2`},
	} {
		var raw map[string]any
		_ = json.Unmarshal([]byte(smallConfig), &raw)
		c.edit(raw)
		data, _ := json.Marshal(raw)
		if _, err := ParseConfig(data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}

// writeSmall writes the small model into a fresh folder.
func writeSmall(t *testing.T, config string, cfg *Config, dtype safetensors.DType, shards int) (string, map[string][]float32) {
	t.Helper()
	dir := t.TempDir()
	values := familytest.Checkpoint{Config: config, Tensors: cfg.Spec().Want, DType: dtype, Shards: shards, Std: 0.3, Seed: 1}.Write(t, dir)
	return dir, values
}

func TestLoadErrors(t *testing.T) {
	config, cfg := small(t, nil)
	b := familytest.Backend(t)
	rewrite := func(dir string, change func(map[string][]float32, map[string][]int)) {
		f, err := safetensors.Open(filepath.Join(dir, safetensors.SingleFile))
		if err != nil {
			t.Fatal(err)
		}
		values, shapes := map[string][]float32{}, map[string][]int{}
		for _, n := range f.Names() {
			values[n], shapes[n], _ = f.Float32(n)
		}
		f.Close()
		change(values, shapes)
		var all []safetensors.Tensor
		for n, v := range values {
			all = append(all, safetensors.Tensor{Name: n, Shape: shapes[n], Data: v})
		}
		if err := safetensors.Write(filepath.Join(dir, safetensors.SingleFile), all, safetensors.F32, nil); err != nil {
			t.Fatal(err)
		}
	}
	const q = "model.layers.1.self_attn.q_proj.weight"
	for _, c := range []struct {
		name   string
		change func(map[string][]float32, map[string][]int)
		want   string
	}{
		{"missing", func(v map[string][]float32, s map[string][]int) { delete(v, q) }, `tensor "` + q + `" is missing (expected shape [16 16]`},
		{"extra", func(v map[string][]float32, s map[string][]int) {
			v["model.layers.2.mlp.up_proj.weight"], s["model.layers.2.mlp.up_proj.weight"] = make([]float32, 4), []int{2, 2}
		}, `unexpected tensor "model.layers.2.mlp.up_proj.weight": the config (num_hidden_layers 2`},
		{"shape", func(v map[string][]float32, s map[string][]int) { s[q] = []int{8, 32} }, `tensor "` + q + `" has shape [8 32], expected [16 16]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := writeSmall(t, config, cfg, safetensors.F32, 1)
			rewrite(dir, c.change)
			if _, err := Load(b, dir); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	t.Run("missing shard", func(t *testing.T) {
		dir, _ := writeSmall(t, config, cfg, safetensors.F32, 2)
		if err := os.Remove(filepath.Join(dir, "model-00002-of-00002.safetensors")); err != nil {
			t.Fatal(err)
		}
		_, err := Load(b, dir)
		if err == nil || !strings.Contains(err.Error(), "names shard model-00002-of-00002.safetensors") || !strings.Contains(err.Error(), "which is missing") {
			t.Errorf("got %v, want an error naming the missing shard", err)
		}
	})
}

// TestShardsAndHalfPrecision loads the same values from one F32 file, from three BF16 shards
// and as F16: the logits agree exactly (every value is computed in float32).
func TestShardsAndHalfPrecision(t *testing.T) {
	config, cfg := small(t, nil)
	b := familytest.Backend(t)
	ids := []int{5, 9, 1, 33, 7, 7, 20}
	logits := func(dir string) [][]float32 {
		m, err := Load(b, dir)
		if err != nil {
			t.Fatal(err)
		}
		out, err := m.Step(ids, nil, family.StepOptions{LogitsAt: []int{0, 3, 6}})
		if err != nil {
			t.Fatal(err)
		}
		return out.Logits
	}
	for _, dtype := range []safetensors.DType{safetensors.BF16, safetensors.F16} {
		half, values := writeSmall(t, config, cfg, dtype, 3)
		full := t.TempDir()
		var all []safetensors.Tensor
		for n, v := range values {
			all = append(all, safetensors.Tensor{Name: n, Shape: cfg.Spec().Want[n], Data: v})
		}
		if err := safetensors.Write(filepath.Join(full, safetensors.SingleFile), all, safetensors.F32, nil); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(full, "config.json"), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
		got, want := logits(half), logits(full)
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Errorf("%s shards: logits row %d differ from F32: %v vs %v", dtype, i, got[i][:3], want[i][:3])
			}
		}
	}
}

// TestGradientsMatchFiniteDifferences checks EmbeddingGradients (through RoPE, grouped-query
// attention, the sliding window and RMSNorm) against central differences of F.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	config, cfg := small(t, nil)
	dir, _ := writeSmall(t, config, cfg, safetensors.F32, 1)
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	familytest.CheckGradients(t, m, []int{5, 9, 1, 33, 7, 20})
}

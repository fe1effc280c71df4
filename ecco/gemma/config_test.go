package gemma

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family/familytest"
)

// referenceConfig is tiny-gemma3-a's config.json as a map, to vary one key at a time.
func referenceConfig(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(familytest.TestData, "models", "tiny-gemma3-a", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func parse(t *testing.T, c map[string]any) (*Config, error) {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return ParseConfig(data)
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		key   string
		value any
		want  string
	}{
		{"rope_scaling", map[string]any{"rope_type": "yarn", "factor": 4}, `"rope_scaling" type "yarn" is not supported`},
		{"rope_scaling", map[string]any{"rope_type": "linear"}, `needs a positive "factor"`},
		{"layer_types", []string{"sliding_attention", "chunked_attention"}, `"layer_types"[1] is "chunked_attention"`},
		{"layer_types", []string{"full_attention"}, `"layer_types" names 1 layers but num_hidden_layers is 2`},
		{"num_key_value_heads", 3, "not a multiple of num_key_value_heads 3"},
		{"hidden_activation", "gelu_fancy", `hidden_activation "gelu_fancy" is not supported`},
		{"head_dim", 15, `"head_dim" is 15`},
		{"query_pre_attn_scalar", -1, `"query_pre_attn_scalar" is -1`},
		{"final_logit_softcapping", -30, `"final_logit_softcapping" is -30`},
		{"sliding_window_pattern", 0, `"sliding_window_pattern" is 0`},
		{"num_hidden_layers", nil, `"num_hidden_layers"`},
		{"model_type", "gemma", `model_type "gemma" is not a Gemma text type`},
	} {
		c := referenceConfig(t)
		if tc.value == nil {
			delete(c, tc.key)
		} else {
			c[tc.key] = tc.value
		}
		_, err := parse(t, c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s = %v: got error %v, want one containing %q", tc.key, tc.value, err, tc.want)
		}
	}
}

// HuggingFace's rules for what a config means (the reference README's "What a config means").
func TestConfigReading(t *testing.T) {
	c, err := parse(t, referenceConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Local, []bool{true, false}) || c.Window != 16 || !c.Tied || c.AttnCap != 0 || c.FinalCap != 0 {
		t.Errorf("tiny-gemma3-a read as local %v, window %d, tied %v, caps %g/%g", c.Local, c.Window, c.Tied, c.AttnCap, c.FinalCap)
	}
	// Gemma 3 ignores attn_logit_softcapping; the pattern's default is 6 (every sixth layer global).
	raw := referenceConfig(t)
	raw["attn_logit_softcapping"], raw["num_hidden_layers"] = 50.0, 7
	delete(raw, "sliding_window_pattern")
	if c, err = parse(t, raw); err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, true, true, true, true, false, true}; !slices.Equal(c.Local, want) || c.AttnCap != 0 {
		t.Errorf("gemma3 defaults: local %v (want %v), attention cap %g (want 0)", c.Local, want, c.AttnCap)
	}
	// Gemma 2: even layers local, both caps on by default, one RoPE base for every layer.
	two := referenceConfig(t)
	two["model_type"] = "gemma2"
	for _, k := range []string{"sliding_window_pattern", "attn_logit_softcapping", "final_logit_softcapping", "rope_theta"} {
		delete(two, k)
	}
	two["num_hidden_layers"] = 4
	if c, err = parse(t, two); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Local, []bool{true, false, true, false}) || c.AttnCap != 50 || c.FinalCap != 30 || c.RopeTheta != 10000 {
		t.Errorf("gemma2 defaults: local %v, caps %g/%g, rope_theta %g", c.Local, c.AttnCap, c.FinalCap, c.RopeTheta)
	}
	a := c.Arch()
	if a.Layers[0].Attention.Rotary[1] != a.Layers[1].Attention.Rotary[1] || a.Layers[0].Attention.QNorm != nil || a.SoftCap != 30 {
		t.Errorf("gemma2 arch: local and global RoPE differ or q/k norms present or final cap %g", a.SoftCap)
	}
	// layer_types wins over the pattern.
	raw = referenceConfig(t)
	raw["layer_types"] = []string{"full_attention", "sliding_attention"}
	if c, err = parse(t, raw); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Local, []bool{false, true}) {
		t.Errorf("layer_types read as %v", c.Local)
	}
}

// withConfig writes a model folder holding tiny-gemma3-a's files (as links) and config c.
func withConfig(t *testing.T, c map[string]any) string {
	t.Helper()
	src, dir := filepath.Join(familytest.TestData, "models", "tiny-gemma3-a"), t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "config.json" {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

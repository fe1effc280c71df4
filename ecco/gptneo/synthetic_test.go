package gptneo

import (
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family/familytest"
)

// smallConfig is a GPT-Neo with a global then a local layer of window 3.
const smallConfig = `{"model_type": "gpt_neo", "hidden_size": 16, "num_layers": 2, "num_heads": 4,
 "attention_types": [[["global", "local"], 1]], "window_size": 3, "max_position_embeddings": 32,
 "vocab_size": 40, "intermediate_size": null, "activation_function": "gelu_new", "eos_token_id": 2}`

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig([]byte(smallConfig))
	if err != nil {
		t.Fatal(err)
	}
	if c.Inner != 64 || c.Window != 3 || strings.Join(c.Attention, ",") != "global,local" {
		t.Errorf("config %+v", c)
	}
	for _, bad := range []struct{ from, to, want string }{
		{`"hidden_size": 16`, `"hidden_size": 18`, "hidden_size 18 is not a multiple of num_heads 4"},
		{`"num_layers": 2`, `"num_layers": 3`, "attention_layers names 2 layers but num_layers is 3"},
		{`"local"], 1]`, `"sparse"], 1]`, `attention type "sparse" of layer 1`},
		{`"gelu_new"`, `"mish"`, `activation_function "mish" is not supported`},
		{`"gpt_neo"`, `"gptj"`, `model_type "gptj" is not "gpt_neo"`},
	} {
		if _, err := ParseConfig([]byte(strings.Replace(smallConfig, bad.from, bad.to, 1))); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s -> %s: got %v, want an error containing %q", bad.from, bad.to, err, bad.want)
		}
	}
}

// TestGradientsMatchFiniteDifferences checks EmbeddingGradients through unscaled global and
// local attention, LayerNorm and the position embeddings against central differences.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	c, err := ParseConfig([]byte(smallConfig))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	familytest.Checkpoint{Config: smallConfig, Tensors: c.Spec().Want, Std: 0.3, Seed: 2}.Write(t, dir)
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	familytest.CheckGradients(t, m, []int{5, 9, 1, 33, 7, 20})
}

package bert

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// bareCopy writes tiny-bert-a as an old BertModel checkpoint: no "bert." prefix, no MLM head, a
// pooler, the position_ids buffer and TensorFlow's layer-norm names (gamma, beta).
func bareCopy(t *testing.T) string {
	tf := strings.NewReplacer("bert.", "", "LayerNorm.weight", "LayerNorm.gamma", "LayerNorm.bias", "LayerNorm.beta")
	return familytest.Rewrite(t, filepath.Join(familytest.TestData, "models", "tiny-bert-a"), func(name string) string {
		if strings.HasPrefix(name, "cls.") {
			return ""
		}
		return tf.Replace(name)
	}, []safetensors.Tensor{
		{Name: "pooler.dense.weight", Shape: []int{64, 64}, Data: make([]float32, 64*64)},
		{Name: "pooler.dense.bias", Shape: []int{64}, Data: make([]float32, 64)},
		{Name: "embeddings.position_ids", Shape: []int{1, 128}, Data: make([]float32, 128)},
	}, "config.json")
}

// TestBareEncoder loads a BertModel checkpoint: same states as BertForMaskedLM's encoder, and a
// clear error for anything that needs the head.
func TestBareEncoder(t *testing.T) {
	full := loadTiny(t)
	bare, err := Load(familytest.Backend(t), bareCopy(t))
	if err != nil {
		t.Fatal(err)
	}
	if bare.HasMLMHead() || !full.HasMLMHead() {
		t.Fatalf("HasMLMHead: bare %v, full %v; want false, true", bare.HasMLMHead(), full.HasMLMHead())
	}
	ids := []int{2, 115, 129, 117, 130, 127, 4, 54, 3}
	a, err := full.Forward(ids, family.StepOptions{FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := bare.Forward(ids, family.StepOptions{FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	for l := range a.FFN {
		for p := range a.FFN[l] {
			if !slices.Equal(a.FFN[l][p], b.FFN[l][p]) {
				t.Fatalf("layer %d position %d: the bare encoder's neurons differ", l, p)
			}
		}
	}
	if _, err := bare.Forward(ids, family.StepOptions{LogitsAt: []int{6}}); !errors.Is(err, family.ErrNoMLMHead) {
		t.Errorf("logits without a head: error %v, want ErrNoMLMHead", err)
	}
	embeds, err := bare.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := bare.EmbeddingGradients(embeds, 1, []family.Target{{Position: 6, ID: 5}}, []float32{1}); !errors.Is(err, family.ErrNoMLMHead) {
		t.Errorf("gradients without a head: error %v, want ErrNoMLMHead", err)
	}
	if _, err := full.Forward(make([]int, 129), family.StepOptions{FFN: true}); err == nil || !strings.Contains(err.Error(), "128 positions") {
		t.Errorf("129 tokens: error %v, want one naming the 128 positions", err)
	}
}

// TestConfigErrors checks that bad configs name the key and what is expected.
func TestConfigErrors(t *testing.T) {
	for config, want := range map[string]string{
		`{"model_type": "bert", "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8, "max_position_embeddings": 8, "vocab_size": 9}`:                                              `missing "num_hidden_layers"`,
		`{"num_hidden_layers": 1, "hidden_size": 66, "num_attention_heads": 4, "intermediate_size": 8, "max_position_embeddings": 8, "vocab_size": 9}`:                                            "not a multiple",
		`{"num_hidden_layers": 1, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8, "max_position_embeddings": 8, "vocab_size": 9, "hidden_act": "tanh"}`:                      `hidden_act "tanh"`,
		`{"num_hidden_layers": 1, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8, "max_position_embeddings": 8, "vocab_size": 9, "position_embedding_type": "relative_key"}`: "relative_key",
	} {
		if _, err := ParseConfig([]byte(config)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", config, err, want)
		}
	}
}

// TestGradients compares the MLM embedding gradients with central differences.
func TestGradients(t *testing.T) {
	familytest.CheckGradients(t, loadTiny(t), []int{2, 115, 129, 4, 54, 3})
}

package bert

import (
	"errors"
	"os"
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

// TestFamilyTensorErrors: a missing or misshapen tensor of each family is one error naming it.
func TestFamilyTensorErrors(t *testing.T) {
	for model, tensor := range map[string]string{
		"tiny-roberta-a":    "roberta.encoder.layer.1.output.dense.weight",
		"tiny-distilbert-a": "distilbert.transformer.layer.0.ffn.lin2.weight",
		"tiny-albert-a":     "albert.encoder.albert_layer_groups.0.albert_layers.0.ffn_output.weight",
	} {
		src := filepath.Join(familytest.TestData, "models", model)
		drop := func(name string) string {
			if name == tensor {
				return ""
			}
			return name
		}
		missing := familytest.Rewrite(t, src, drop, nil, "config.json")
		if _, err := Load(familytest.Backend(t), missing); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" is missing`) {
			t.Errorf("%s without %s: error %v", model, tensor, err)
		}
		bad := familytest.Rewrite(t, src, drop, []safetensors.Tensor{{Name: tensor, Shape: []int{3, 5}, Data: make([]float32, 15)}}, "config.json")
		if _, err := Load(familytest.Backend(t), bad); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" has shape [3 5], expected`) {
			t.Errorf("%s with %s misshapen: error %v", model, tensor, err)
		}
		extra := familytest.Rewrite(t, src, func(name string) string { return name }, []safetensors.Tensor{
			{Name: "classifier.weight", Shape: []int{2, 64}, Data: make([]float32, 128)}}, "config.json")
		if _, err := Load(familytest.Backend(t), extra); err == nil || !strings.Contains(err.Error(), `unexpected tensor "classifier.weight"`) {
			t.Errorf("%s with a classifier: error %v", model, err)
		}
	}
}

// TestFamilyConfigErrors: each family's config keys and the switches the runtime does not
// implement give one error naming the key.
func TestFamilyConfigErrors(t *testing.T) {
	const roberta = `"model_type": "roberta", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8, "max_position_embeddings": 130, "vocab_size": 9`
	const distil = `"model_type": "distilbert", "n_layers": 2, "n_heads": 4, "hidden_dim": 8, "max_position_embeddings": 8, "vocab_size": 9`
	const albert = `"model_type": "albert", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8, "max_position_embeddings": 8, "vocab_size": 9`
	for config, want := range map[string]string{
		`{` + roberta + `, "position_embedding_type": "relative_key_query"}`: `position_embedding_type "relative_key_query" is not supported`,
		`{` + roberta + `, "is_decoder": true}`:                              `"is_decoder" is true`,
		`{` + roberta + `, "pad_token_id": 129}`:                             "max_position_embeddings 130 leaves no position",
		`{` + distil + `}`:                                                   `missing "dim"`,
		`{` + distil + `, "dim": 66}`:                                        "dim 66 is not a multiple of n_heads 4",
		`{` + distil + `, "dim": 64, "activation": "swish"}`:                 `activation "swish" is not supported`,
		`{` + albert + `, "inner_group_num": 2}`:                             `"inner_group_num" 2 is not supported`,
		`{` + albert + `, "num_hidden_groups": 3}`:                           `"num_hidden_groups" is 3, want 1 to num_hidden_layers (2)`,
		`{` + albert + `, "embedding_size": 0}`:                              `"embedding_size" is 0`,
		`{"model_type": "electra", "hidden_size": "64"}`:                     `"hidden_size" is "64"`,
		`{"model_type": "xlnet"}`:                                            `model_type "xlnet" is not an encoder this package runs`,
	} {
		if _, err := ParseConfig([]byte(config)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", config, err, want)
		}
	}
}

// TestRobertaKin: XLM-RoBERTa and CamemBERT checkpoints are RoBERTa's network under their own
// model_type; tiny-roberta-a's weights give the same states under each.
func TestRobertaKin(t *testing.T) {
	src := filepath.Join(familytest.TestData, "models", "tiny-roberta-a")
	config, err := os.ReadFile(filepath.Join(src, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	ids := []int{0, 57, 1999, 212, 2}
	want, err := loadModel(t, "tiny-roberta-a").Forward(ids, family.StepOptions{LogitsAt: []int{2}, FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, kin := range []string{"xlm-roberta", "camembert"} {
		dir := familytest.Rewrite(t, src, func(name string) string { return name }, nil)
		kinConfig := strings.Replace(string(config), `"model_type": "roberta"`, `"model_type": "`+kin+`"`, 1)
		if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(kinConfig), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := Load(familytest.Backend(t), dir)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Forward(ids, family.StepOptions{LogitsAt: []int{2}, FFN: true})
		if err != nil {
			t.Fatal(err)
		}
		if m.Info().ModelType != kin || !slices.Equal(got.Logits[0], want.Logits[0]) || !slices.Equal(got.FFN[1][2], want.FFN[1][2]) {
			t.Errorf("%s: type %q, or its logits/neurons differ from RoBERTa's", kin, m.Info().ModelType)
		}
	}
}

// TestDistilBertSinusoidal: with sinusoidal_pos_embds the checkpoint still holds the position
// table and transformers uses it as stored, so the switch changes nothing here.
func TestDistilBertSinusoidal(t *testing.T) {
	src := filepath.Join(familytest.TestData, "models", "tiny-distilbert-a")
	config, err := os.ReadFile(filepath.Join(src, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := familytest.Rewrite(t, src, func(name string) string { return name }, nil)
	sinusoidal := strings.Replace(string(config), `"sinusoidal_pos_embds": false`, `"sinusoidal_pos_embds": true`, 1)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(sinusoidal), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int{2, 115, 129, 4, 54, 3}
	want, err := loadModel(t, "tiny-distilbert-a").Forward(ids, family.StepOptions{FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Forward(ids, family.StepOptions{FFN: true})
	if err != nil || !slices.Equal(got.FFN[1][3], want.FFN[1][3]) {
		t.Errorf("sinusoidal_pos_embds true: error %v, or the neurons differ", err)
	}
}

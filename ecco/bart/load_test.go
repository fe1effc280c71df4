package bart

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

// TestCheckpointErrors: a missing or misshapen tensor is one error naming it and the checkpoint.
func TestCheckpointErrors(t *testing.T) {
	src := refdata.EncDecModelDir(tiny)
	for _, tensor := range []string{"final_logits_bias", "model.decoder.layers.1.encoder_attn.v_proj.bias", "model.encoder.embed_positions.weight"} {
		drop := func(name string) string {
			if name == tensor {
				return ""
			}
			return name
		}
		missing := familytest.Rewrite(t, src, drop, nil, "config.json")
		if _, err := Load(familytest.Backend(t), missing); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" is missing`) || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: error %v", tensor, err)
		}
		bad := familytest.Rewrite(t, src, drop, []safetensors.Tensor{{Name: tensor, Shape: []int{3}, Data: make([]float32, 3)}}, "config.json")
		if _, err := Load(familytest.Backend(t), bad); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" has shape [3], expected`) {
			t.Errorf("with %s misshapen: error %v", tensor, err)
		}
	}
}

// TestConfigErrors: an unsupported position scheme, activation or model type, or a missing
// size, is one error naming the key.
func TestConfigErrors(t *testing.T) {
	config := readConfig(t)
	for want, edit := range map[string]func(map[string]any){
		`model_type "m2m_100": unsupported position scheme`:    func(c map[string]any) { c["model_type"] = "m2m_100" },
		`model_type "blenderbot": unsupported position scheme`: func(c map[string]any) { c["model_type"] = "blenderbot" },
		`model_type "t5" is not a BART-family model`:           func(c map[string]any) { c["model_type"] = "t5" },
		`unsupported activation_function "tanh"`:               func(c map[string]any) { c["activation_function"] = "tanh" },
		`missing "max_position_embeddings"`:                    func(c map[string]any) { delete(c, "max_position_embeddings") },
		`d_model 64 does not divide into 5 attention heads`:    func(c map[string]any) { c["decoder_attention_heads"] = 5 },
	} {
		if _, err := ParseConfig(familytest.EditedConfig(t, config, edit)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
}

func readConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(refdata.EncDecModelDir(tiny), "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestOverLongInput: a source or decoder sequence beyond max_position_embeddings (128) is one
// error saying so, in Encode, Step and EmbeddingGradients alike.
func TestOverLongInput(t *testing.T) {
	m := loadTiny(t)
	long := slices.Repeat([]int{464}, 129)
	const want = "129 encoder tokens exceed the model's 128 positions"
	if _, _, err := m.Encode(long, family.StepOptions{}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Encode of 129 tokens: %v", err)
	}
	e, err := m.Embeddings(long)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := m.EmbeddingGradients(e, e[:64], 1, []family.Target{{Position: 0, ID: 3}}, []float32{1}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("gradients of a 129-token source: %v", err)
	}
	enc, _, err := m.Encode(long[:128], family.StepOptions{})
	if err != nil {
		t.Fatalf("a 128-token source: %v", err)
	}
	out, err := m.Step(enc, long[:128], nil, family.StepOptions{})
	if err != nil {
		t.Fatalf("128 decoder tokens: %v", err)
	}
	if _, err := m.Step(enc, []int{464}, out.Cache, family.StepOptions{}); err == nil || !strings.Contains(err.Error(), "129 decoder tokens exceed the model's 128 positions") {
		t.Errorf("a 129th decoder token: %v", err)
	}
}

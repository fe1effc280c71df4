package bert

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// TestElectraIsBertWithoutProjection: with embedding_size = hidden_size ELECTRA is BERT's body.
func TestElectraIsBertWithoutProjection(t *testing.T) {
	bertModel := loadTiny(t)
	electra, err := Load(familytest.Backend(t), familytest.ElectraFromBert(t, filepath.Join(familytest.TestData, "models", "tiny-bert-a")))
	if err != nil {
		t.Fatal(err)
	}
	if electra.HasMLMHead() || electra.cfg.Project || electra.Info().ModelType != "electra" {
		t.Fatalf("ELECTRA loaded with head %v, projection %v, type %q", electra.HasMLMHead(), electra.cfg.Project, electra.Info().ModelType)
	}
	ids := []int{2, 115, 129, 117, 130, 127, 4, 54, 3}
	want, err := bertModel.Forward(ids, family.StepOptions{Hidden: true, FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := electra.Forward(ids, family.StepOptions{Hidden: true, FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	for l := range want.FFN {
		for p := range want.FFN[l] {
			if !slices.Equal(got.FFN[l][p], want.FFN[l][p]) || !slices.Equal(got.Hidden[l+1][p], want.Hidden[l+1][p]) {
				t.Fatalf("layer %d position %d: ELECTRA's states differ from BERT's", l, p)
			}
		}
	}
	if _, err := electra.Forward(ids, family.StepOptions{LogitsAt: []int{6}}); !errors.Is(err, family.ErrNoMLMHead) {
		t.Errorf("ELECTRA logits: error %v, want ErrNoMLMHead", err)
	}
}

// TestAgainstFloat64 checks the float64 forward pass against tiny-bert-a's golden, then random
// checkpoints where no reference output exists against it: an ELECTRA with embedding_size 32 <
// hidden 64 (the embeddings_project linear) and an ALBERT of 4 layers applying 2 weight groups.
func TestAgainstFloat64(t *testing.T) {
	g, _ := readGolden(t, "tiny-bert-a", 1)
	bertRef := ref64{cfg: loadTiny(t).cfg, w: readBare(t, filepath.Join(familytest.TestData, "models", "tiny-bert-a"), "bert.")}
	hidden, _ := bertRef.forward(g.Input.IDs)
	for l := range g.Hidden.Full {
		for p, want := range g.Hidden.Full[l] {
			familytest.Close(t, fmt.Sprintf("float64 reference: hidden[%d][%d]", l, p), f32(hidden[l][p]), want, 3e-5)
		}
	}
	for _, c := range []struct{ name, config, prefix string }{
		{"electra", `{"model_type": "electra", "embedding_size": 32, "hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 4,
			"intermediate_size": 96, "max_position_embeddings": 40, "vocab_size": 300, "hidden_act": "gelu"}`, "electra."},
		{"albert", `{"model_type": "albert", "embedding_size": 16, "hidden_size": 64, "num_hidden_layers": 4, "num_hidden_groups": 2,
			"num_attention_heads": 4, "intermediate_size": 96, "max_position_embeddings": 40, "vocab_size": 300}`, "albert."},
	} {
		t.Run(c.name, func(t *testing.T) { checkAgainstFloat64(t, c.config, c.prefix) })
	}
}

// checkAgainstFloat64 writes a random checkpoint of config and compares its hidden states and
// neurons with the float64 forward pass.
func checkAgainstFloat64(t *testing.T, config, prefix string) {
	cfg, err := ParseConfig([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Project || cfg.Eps != 1e-12 || cfg.TypeVocab != 2 {
		t.Fatalf("config read as %+v", cfg)
	}
	tensors := cfg.Spec(prefix, false).Want
	tensors[prefix+"embeddings.position_ids"] = []int{1, 40}
	dir := filepath.Join(t.TempDir(), "model")
	values := familytest.Checkpoint{Config: config, Tensors: tensors, Std: 0.3, Seed: 5}.Write(t, dir)
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	bare := map[string][]float32{}
	for name, v := range values {
		bare[strings.TrimPrefix(name, prefix)] = v
	}
	ids := []int{7, 299, 0, 41, 41, 150, 3, 88, 12, 260, 5}
	wantHidden, wantFFN := ref64{cfg: cfg, w: bare}.forward(ids)
	out, err := m.Forward(ids, family.StepOptions{Hidden: true, FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Hidden) != cfg.Layers+1 || len(out.FFN) != cfg.Layers {
		t.Fatalf("%d hidden states and %d neuron layers, want %d and %d", len(out.Hidden), len(out.FFN), cfg.Layers+1, cfg.Layers)
	}
	for l := range wantHidden {
		for p := range ids {
			familytest.Close(t, fmt.Sprintf("hidden[%d][%d]", l, p), out.Hidden[l][p], wantHidden[l][p], 1e-4)
			if l < len(wantFFN) {
				familytest.Close(t, fmt.Sprintf("ffn[%d][%d]", l, p), out.FFN[l][p], wantFFN[l][p], 1e-4)
			}
		}
	}
	embeds, err := m.Embeddings(ids)
	if err != nil || len(embeds) != len(ids)*cfg.EmbedWidth {
		t.Errorf("Embeddings: %d values, error %v; want %d rows of %d", len(embeds), err, len(ids), cfg.EmbedWidth)
	}
}

// readBare reads every tensor of the checkpoint in dir, prefix dropped from the names.
func readBare(t *testing.T, dir, prefix string) map[string][]float32 {
	set, err := safetensors.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	w := map[string][]float32{}
	for _, name := range set.Names() {
		data, _, err := set.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		w[strings.TrimPrefix(name, prefix)] = data
	}
	return w
}

func f32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// TestElectraTensorErrors: an ELECTRA checkpoint missing a tensor, or whose config asks for a
// projection its embeddings do not have, is one error naming the tensor.
func TestElectraTensorErrors(t *testing.T) {
	electra := familytest.ElectraFromBert(t, filepath.Join(familytest.TestData, "models", "tiny-bert-a"))
	const tensor = "electra.encoder.layer.1.output.dense.weight"
	missing := familytest.Rewrite(t, electra, func(name string) string {
		if name == tensor {
			return ""
		}
		return name
	}, nil, "config.json")
	if _, err := Load(familytest.Backend(t), missing); err == nil || !strings.Contains(err.Error(), `tensor "`+tensor+`" is missing`) {
		t.Errorf("ELECTRA without %s: error %v", tensor, err)
	}
	config, err := os.ReadFile(filepath.Join(electra, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	narrow := strings.Replace(string(config), `"embedding_size": 64`, `"embedding_size": 32`, 1)
	if err := os.WriteFile(filepath.Join(electra, "config.json"), []byte(narrow), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(familytest.Backend(t), electra)
	if err == nil || !strings.Contains(err.Error(), `tensor "electra.embeddings.`) || !strings.Contains(err.Error(), "expected [32] from config.json") {
		t.Errorf("ELECTRA with embedding_size 32: error %v", err)
	}
}

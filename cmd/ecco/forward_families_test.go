package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/refdata"

	"github.com/ecco-go/ecco/ecco/family/familytest"
)

// TestForwardElectra: `ecco forward` on an ELECTRA discriminator holding tiny-bert-a's encoder
// writes tiny-bert-a's reference activations, and a masked prediction fails in one line (ELECTRA
// has no MLM head).
func TestForwardElectra(t *testing.T) {
	model := familytest.ElectraFromBert(t, modelDir("tiny-bert-a"))
	g, acts := refdata.Load(t, "tiny-bert-a", 1), refdata.Activations(t, "tiny-bert-a", 1)
	path := filepath.Join(t.TempDir(), "out.json")
	mustRun(t, "forward", "-model", model, "-prompt", g.Prompt, "-activations", "-nmf", "4", "-json", path)
	got, err := ecco.LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Config.ModelType != "electra" {
		t.Errorf("model type %q, want electra", got.Config.ModelType)
	}
	familytest.CloseActivations(t, got.Activations, acts, 1e-5)
	if len(got.NMF.Factors) != 4 {
		t.Errorf("%d NMF factors, want 4", len(got.NMF.Factors))
	}
	checkOneLineError(t, []string{"forward", "-model", model, "-prompt", "the capital of france is [MASK].", "-mask-top", "3", "-json", path + "2"},
		"no masked-language-model head")
}

// TestForwardEncoderFamilyErrors: a config switch the runtime does not implement, per family, is
// one line naming the key.
func TestForwardEncoderFamilyErrors(t *testing.T) {
	const shape = `"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 256, "vocab_size": 2000`
	for _, c := range []struct{ model, config, key string }{
		{"tiny-roberta-a", `{"model_type": "roberta", ` + shape + `, "max_position_embeddings": 130, "type_vocab_size": 1, "position_embedding_type": "relative_key"}`,
			`position_embedding_type "relative_key" is not supported`},
		{"tiny-distilbert-a", `{"model_type": "distilbert", "n_layers": 2, "dim": 64, "n_heads": 4, "hidden_dim": 256, "max_position_embeddings": 128, "vocab_size": 2000, "activation": "silu"}`,
			`activation "silu" is not supported`},
		{"tiny-albert-a", `{"model_type": "albert", ` + shape + `, "max_position_embeddings": 128, "embedding_size": 32, "inner_group_num": 2}`,
			`"inner_group_num" 2 is not supported`},
	} {
		dir := t.TempDir()
		for _, f := range []string{"model.safetensors", "tokenizer_config.json", "vocab.txt", "tokenizer.json"} {
			if data, err := os.ReadFile(filepath.Join(modelDir(c.model), f)); err == nil {
				if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(c.config), 0o644); err != nil {
			t.Fatal(err)
		}
		checkOneLineError(t, []string{"forward", "-model", dir, "-prompt", "the capital", "-activations", "-json", filepath.Join(dir, "out.json")}, c.key)
	}
}
